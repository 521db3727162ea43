"""Where shipped resources (fonts, translations) live, from source and from a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The `resources/` folder: beside the package in a checkout, in `_MEIPASS` when bundled."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path below `resources/`, e.g. ``resource_path("fonts", "wqy-microhei.ttc")``."""
    return resources_root().joinpath(*parts)


CJK_FONT_FILE = ("fonts", "wqy-microhei.ttc")


def cjk_font_path() -> Path:
    """The shipped CJK TrueType collection used by the GUI and every PDF."""
    return resource_path(*CJK_FONT_FILE)
