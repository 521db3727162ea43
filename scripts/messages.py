"""List the translatable strings of the code and which of them a catalog lacks.

python scripts/messages.py missing [zh_CN]   # msgids with no translation, as PO stubs
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "timebank_desktop"
# `_`/`N_` everywhere; `t(msg, language)` and `w(msg)` are the PDF layer's per-document helpers.
MARKERS = {"_", "N_", "t", "w"}


def messages(folder: Path = PACKAGE) -> dict[str, str]:
    """Every literal passed to ``_()`` or ``N_()``, with the first file that uses it."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, str(path.relative_to(ROOT)))
    return found


def missing(language: str = "zh_CN") -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from timebank_desktop.i18n import _catalog

    catalog = _catalog(language)
    return {m: where for m, where in messages().items() if m not in catalog}


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


if __name__ == "__main__":
    lang = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    for message, where in missing(lang).items():
        print(f'#: {where}\nmsgid {po_quote(message)}\nmsgstr ""\n')
