"""Slip reconciliation and the staff handover package."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.unit.exports_pdf.pdf_factories import (
    handover,
    outstanding,
    page_texts,
    pdf_text,
    reconciliation,
)
from timebank_desktop.exports.pdf import render_handover, render_slip_reconciliation


def _numbers(text: str, label: str) -> list[str]:
    rows = [line.split() for line in text.splitlines()]
    return [row[-1] for row in rows if row and row[0] == label]


def test_reconciliation_counts_and_outstanding_ages(tmp_path: Path) -> None:
    target = tmp_path / "reconciliation.pdf"
    render_slip_reconciliation(reconciliation(), target)
    text = pdf_text(target)
    assert "服务凭条月度核对表 · 2025年3月" in text
    assert _numbers(text, "本月发出") == ["120"]
    assert _numbers(text, "已交回并确认") == ["110"]
    assert _numbers(text, "已作废") == ["4"]
    assert _numbers(text, "遗失") == ["3"]
    assert _numbers(text, "未交回") == ["3"]
    assert "相符" in text and "不相符" not in text
    for index, slip in enumerate(outstanding(3)):  # issued 2 to 4 March, checked 1 April
        row = next(line.split() for line in text.splitlines() if slip.slip_no in line)
        assert row[-1] == str(30 - index)
    assert "核对人" in text and "复核人" in text


def test_reconciliation_flags_missing_slips(tmp_path: Path) -> None:
    target = tmp_path / "reconciliation.pdf"
    render_slip_reconciliation(reconciliation(issued=125), target)
    assert "不相符：有 5 张凭条去向不明" in pdf_text(target)


def test_reconciliation_without_outstanding_slips(tmp_path: Path) -> None:
    target = tmp_path / "reconciliation.pdf"
    data = replace(reconciliation(issued=117), outstanding=())
    render_slip_reconciliation(data, target, "en")
    text = pdf_text(target)
    assert "Slip reconciliation · 2025-03" in text
    assert "balanced" in text and "NOT" not in text
    assert "None" in text


def test_handover_package(tmp_path: Path) -> None:
    target = tmp_path / "handover.pdf"
    render_handover(handover(), target)
    text = pdf_text(target)
    for expected in (
        "工作交接清单", "王芳", "赵强", "一、账户余额", "成员3号", "V00003",
        "二、未交回凭条", outstanding(2)[1].slip_no, "三、未结纠纷", "JF-0002",
        "对服务时长有异议", "ab12" * 16, "1234", "交出人", "接收人",
    ):  # fmt: skip
        assert expected in text, expected
    assert _numbers(text, "公益池") == ["-205.75"]
    assert _numbers(text, "成员账户合计") == ["15"]  # 1 + 2 + 3 + 4 + 5 hours


def test_handover_with_hundreds_of_balances_and_no_disputes(tmp_path: Path) -> None:
    target = tmp_path / "handover.pdf"
    render_handover(handover(members=300, disputes=False), target)
    pages = page_texts(target)
    assert len(pages) > 3
    assert all("余额（小时）" in page for page in pages[1:-1])
    assert "V00300" in "".join(pages)
    last = next(page for page in pages if "三、未结纠纷" in page)
    assert last.split("三、未结纠纷")[1].split()[0] == "无"
    assert "交出人" in pages[-1]
