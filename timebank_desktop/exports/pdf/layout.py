"""Drawing shared by every PDF: output targets, text fitting and wrapping, boxes, the QR code,
hours and dates in the printed language.

Everything is drawn on a plain reportlab canvas with the one shipped CJK font (see `fonts`), so
a document looks the same on a machine without any Chinese system font.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import IO, Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.exports.atomic import atomic_write
from timebank_desktop.exports.pdf.fonts import register_cjk_font
from timebank_desktop.i18n import translate

Target = str | os.PathLike[str] | IO[bytes]
"""Where a document goes: a path (written atomically) or an open binary file."""

BLACK = Color(0, 0, 0)
INK = Color(0.2, 0.2, 0.2)
GREY = Color(0.45, 0.45, 0.45)
RULE = Color(0.6, 0.6, 0.6)
SHADE = Color(0.93, 0.93, 0.93)
ELLIPSIS = "…"

_TOKENS = re.compile(r"[A-Za-z0-9@#%&+\-_.,:;!?'\"()/\[\]]+\s*|\s+|.")


@contextlib.contextmanager
def open_target(target: Target) -> Iterator[IO[bytes]]:
    """Yield a binary handle for ``target``: the file object itself, or an atomic file."""
    if isinstance(target, str | os.PathLike):
        with atomic_write(target) as handle:
            yield handle
    else:
        yield target


def new_canvas(
    handle: IO[bytes], pagesize: tuple[float, float], title: str, canvas_class: Any = Canvas
) -> Any:
    """A canvas with the CJK font registered, reproducible output and document metadata."""
    font = register_cjk_font()
    canvas = canvas_class(handle, pagesize=pagesize, invariant=1, initialFontName=font)
    canvas.setTitle(title)
    canvas.setCreator("Timebank Desktop")
    canvas.setAuthor("Timebank Desktop")
    return canvas


def t(message: str, language: str) -> str:
    """``message`` translated into the printed language."""
    return translate(message, language)


def hours(minutes: int, language: str) -> str:
    """Integer minutes as hours with the unit: ``90`` → ``"1.5 小时"`` / ``"1.5 hours"``."""
    value = format_hours(minutes)
    if language == "en" and value in ("1", "-1"):
        return f"{value} hour"
    return translate("{hours} hours", language).format(hours=value)


def long_date(day: date, language: str) -> str:
    """``2025年3月4日`` in Chinese, ``2025-03-04`` in English."""
    if language == "en":
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日"


def month_text(day: date, language: str) -> str:
    """The month of ``day``: ``2025年3月`` / ``2025-03``."""
    if language == "en":
        return f"{day.year}-{day.month:02d}"
    return f"{day.year}年{day.month}月"


def period_text(start: date, end: date, language: str) -> str:
    """A date range in words."""
    return t("{start} to {end}", language).format(
        start=long_date(start, language), end=long_date(end, language)
    )


def mask_id(text: str) -> str:
    """A resident ID number with its birth date hidden; an already masked one is kept."""
    value = text.strip()
    if "*" in value or len(value) < 8:
        return value
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    return "*" * (len(value) - 2) + value[-2:]


@lru_cache(maxsize=4096)
def width(text: str, size: float) -> float:
    """The width of ``text`` in the CJK font at ``size`` points."""
    return float(pdfmetrics.stringWidth(text, register_cjk_font(), size))


def fit(text: str, size: float, room: float) -> str:
    """``text`` cut with an ellipsis so it fits in ``room`` points."""
    if width(text, size) <= room:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if width(text[:mid] + ELLIPSIS, size) <= room:
            low = mid
        else:
            high = mid - 1
    return text[:low] + ELLIPSIS


def wrap(text: str, size: float, room: float, max_lines: int = 0) -> list[str]:
    """Break ``text`` into lines of at most ``room`` points: Chinese anywhere, words at spaces.

    With ``max_lines`` the last line kept ends with an ellipsis when text was left over.
    """
    lines: list[str] = []
    current = ""
    for token in _TOKENS.findall(" ".join(text.split())):
        if current and width(current + token.rstrip(), size) > room:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.rstrip())
    if max_lines and len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], fit(" ".join(lines[max_lines - 1 :]), size, room)]
    return lines


def text(canvas: Any, x: float, y: float, value: str, size: float, color: Color = BLACK) -> None:
    """Draw ``value`` with its baseline at ``(x, y)``."""
    canvas.setFont(register_cjk_font(), size)
    canvas.setFillColor(color)
    canvas.drawString(x, y, value)


def text_right(canvas: Any, x: float, y: float, value: str, size: float) -> None:
    """Draw ``value`` ending at ``x``."""
    canvas.setFont(register_cjk_font(), size)
    canvas.setFillColor(BLACK)
    canvas.drawRightString(x, y, value)


def text_centre(canvas: Any, x: float, y: float, value: str, size: float) -> None:
    """Draw ``value`` centred on ``x``."""
    canvas.setFont(register_cjk_font(), size)
    canvas.setFillColor(BLACK)
    canvas.drawCentredString(x, y, value)


def colon(label: str) -> str:
    """``label`` followed by a colon: full-width after Chinese, ``": "`` after English."""
    return label + (": " if label.isascii() else "：")


def label_value(
    canvas: Any, x: float, y: float, label: str, value: str, size: float, room: float
) -> None:
    """``label：value`` in one line: the label in grey ink, the value cut to fit ``room``."""
    caption = colon(label)
    text(canvas, x, y, caption, size, INK)
    used = width(caption, size)
    text(canvas, x + used, y, fit(value, size, room - used), size)


def box(canvas: Any, x: float, y: float, w: float, h: float, dash: tuple[float, ...] = ()) -> None:
    """A stroked rectangle (dashed when ``dash`` is given)."""
    canvas.setStrokeColor(BLACK)
    canvas.setLineWidth(0.8)
    canvas.setDash(*dash) if dash else canvas.setDash()
    canvas.rect(x, y, w, h, stroke=1, fill=0)
    canvas.setDash()


def hline(canvas: Any, x1: float, x2: float, y: float, dash: tuple[float, ...] = ()) -> None:
    """A horizontal rule (dashed when ``dash`` is given)."""
    canvas.setStrokeColor(BLACK)
    canvas.setLineWidth(0.6)
    canvas.setDash(*dash) if dash else canvas.setDash()
    canvas.line(x1, y, x2, y)
    canvas.setDash()


def seal_box(canvas: Any, x: float, y: float, size: float, language: str) -> None:
    """A dashed square marked "place for the seal" (盖章处) with its lower-left at ``(x, y)``."""
    box(canvas, x, y, size, size, dash=(3, 2))
    text_centre(canvas, x + size / 2, y + size / 2 - 4, t("Place for the seal", language), 12)


def signature_line(canvas: Any, x: float, y: float, label: str, room: float, size: float) -> None:
    """``label：______ date：______`` for a signature on a certificate or package."""
    caption = colon(label)
    text(canvas, x, y, caption, size)
    hline(canvas, x + width(caption, size), x + room, y - 2)


@lru_cache(maxsize=256)
def qr_runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR code of ``value`` (level M) as its module count and dark runs ``(row, col, n)``."""
    qr = QrCodeWidget(value, barLevel="M").qr
    qr.make()
    runs: list[tuple[int, int, int]] = []
    for row, modules in enumerate(qr.modules):
        col = 0
        while col < len(modules):
            if modules[col]:
                start = col
                while col < len(modules) and modules[col]:
                    col += 1
                runs.append((row, start, col - start))
            else:
                col += 1
    return qr.getModuleCount(), tuple(runs)


def draw_qr(canvas: Any, value: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``value`` as one filled path in a ``size`` square at ``(x, y)``.

    A quiet zone of two modules is kept inside the square; scanners (zbarimg) read it.
    """
    count, runs = qr_runs(value)
    module = size / (count + 4)
    top = y + size - 2 * module
    path = canvas.beginPath()
    for row, col, n in runs:
        path.rect(x + (col + 2) * module, top - (row + 1) * module, n * module, module)
    canvas.setFillColor(BLACK)
    canvas.drawPath(path, stroke=0, fill=1)


def star(canvas: Any, cx: float, cy: float, radius: float, color: Color) -> None:
    """A filled five-pointed star centred on ``(cx, cy)``."""
    path = canvas.beginPath()
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        px, py = cx + r * math.cos(angle), cy + r * math.sin(angle)
        path.moveTo(px, py) if i == 0 else path.lineTo(px, py)
    path.close()
    canvas.setFillColor(color)
    canvas.drawPath(path, stroke=0, fill=1)


A4_PORTRAIT: tuple[float, float] = (595.2755905511812, 841.8897637795277)
"""A4 in points (reportlab's ``A4``), typed."""
