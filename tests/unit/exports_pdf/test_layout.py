"""Shared drawing helpers and the PDF catalog."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest

from tests.unit.exports_pdf.pdf_factories import statement
from timebank_desktop.exports.pdf import layout, render_statement
from timebank_desktop.i18n import translate

PACKAGE = Path(__file__).resolve().parents[3] / "timebank_desktop" / "exports" / "pdf"


def _messages() -> set[str]:
    """Literals passed to ``t``, ``w`` (the slip's word helper) or ``N_`` in the package."""
    found: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"t", "w", "N_"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_every_pdf_string_has_a_chinese_translation() -> None:
    messages = _messages()
    assert len(messages) > 80
    missing = sorted(m for m in messages if translate(m, "zh_CN") == m)
    assert missing == []


@pytest.mark.parametrize(
    ("minutes", "zh", "en"),
    [(90, "1.5 小时", "1.5 hours"), (60, "1 小时", "1 hour"), (0, "0 小时", "0 hours"),
     (-45, "-0.75 小时", "-0.75 hours")],
)  # fmt: skip
def test_hours(minutes: int, zh: str, en: str) -> None:
    assert layout.hours(minutes, "zh_CN") == zh
    assert layout.hours(minutes, "en") == en


def test_mask_id() -> None:
    assert layout.mask_id("110105194903120027") == "110105********0027"
    assert layout.mask_id("110105********0027") == "110105********0027"
    assert layout.mask_id("110105490312002") == "110105*****2002"
    assert layout.mask_id("") == ""


def test_fit_and_wrap() -> None:
    assert layout.fit("短", 14, 100) == "短"
    cut = layout.fit("很长的名字" * 20, 14, 100)
    assert cut.endswith("…") and layout.width(cut, 14) <= 100
    lines = layout.wrap("陪同到社区卫生服务中心复诊取药 and some English words here", 14, 120)
    assert len(lines) > 1 and all(layout.width(line, 14) <= 120 for line in lines)
    assert (
        "".join(lines).replace(" ", "") == "陪同到社区卫生服务中心复诊取药andsomeEnglishwordshere"
    )
    assert len(layout.wrap("字" * 200, 14, 100, max_lines=2)) == 2


def test_dates() -> None:
    from datetime import date

    assert layout.long_date(date(2025, 3, 4), "zh_CN") == "2025年3月4日"
    assert layout.long_date(date(2025, 3, 4), "en") == "2025-03-04"
    assert layout.month_text(date(2025, 3, 1), "zh_CN") == "2025年3月"


def test_same_data_gives_the_same_bytes() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    render_statement(statement(), first)
    render_statement(statement(), second)
    assert first.getvalue() == second.getvalue()


def test_a_failure_while_drawing_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "statement.pdf"
    broken = statement()
    object.__setattr__(broken, "movements", (None,))  # a bug in a caller, mid-document
    with pytest.raises(AttributeError):
        render_statement(broken, target)
    assert list(tmp_path.iterdir()) == []
