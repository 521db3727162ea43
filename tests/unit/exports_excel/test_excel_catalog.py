"""Every string the Excel writers translate has its Chinese in excel.po, unshadowed."""

from __future__ import annotations

import ast
from pathlib import Path

from timebank_desktop.i18n import _catalog, parse_po

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "timebank_desktop" / "exports" / "excel"
OURS = ("cells", "district", "district_data", "monthly", "monthly_data", "progress", "sheet",
        "summary", "tables")  # fmt: skip


def _literals() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in OURS:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "translate")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, name)
    return found


def test_every_excel_string_is_translated() -> None:
    catalog = _catalog("zh_CN")
    missing = {m: where for m, where in _literals().items() if m not in catalog}
    assert missing == {}
    assert len(_literals()) > 80


def test_no_other_catalog_overrides_ours() -> None:
    ours = parse_po((ROOT / "resources/locale/zh_CN/excel.po").read_text(encoding="utf-8"))
    merged = _catalog("zh_CN")
    assert {k: merged[k] for k in ours if merged[k] != ours[k]} == {}
