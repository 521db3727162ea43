"""The shipped CJK font, registered once with reportlab and embedded as a subset.

Only the font in ``resources/fonts/`` is used — never reportlab's CID font STSong-Light (not
embedded: Chinese vanishes on a machine without Chinese fonts) and never a system font.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from timebank_desktop.resources import cjk_font_path

FONT_NAME = "TimebankCJK"

_lock = threading.Lock()


def register_cjk_font() -> str:
    """Register the shipped CJK TrueType font (idempotent) and return its reportlab name."""
    with _lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(cjk_font_path()), subfontIndex=0))
    return FONT_NAME
