"""Passbook statement: opening, every movement with a running balance, closing, pages."""

from __future__ import annotations

import io
from pathlib import Path

from tests.unit.exports_pdf.pdf_factories import (
    CENTRE,
    ID_NUMBER,
    MASKED_ID,
    page_count,
    page_texts,
    pdf_text,
    statement,
)
from timebank_desktop.exports.pdf import render_statement
from timebank_desktop.exports.pdf.data import Movement
from timebank_desktop.exports.pdf.statement import closing_minutes, kind_text


def test_statement_holds_identity_balances_and_movements(tmp_path: Path) -> None:
    # opening 10 h; +1.5, -1, +1.5, -1, +1.5, -1 → closing 11.5 h
    target = tmp_path / "statement.pdf"
    data = statement(rows=6, opening=600)
    render_statement(data, target)
    text = pdf_text(target)
    for expected in (
        "时间账户对账单", "张秀英", "V00012", MASKED_ID, CENTRE,
        "2025年3月1日 至 2025年3月31日", "期初余额", "期末余额", "服务存入", "服务支取",
        "李桂兰 · 备注000", "王大爷 · 备注001", "第 1 页 / 共 1 页",
    ):  # fmt: skip
        assert _flat(expected) in _flat(text), expected
    assert ID_NUMBER not in text
    assert closing_minutes(data) == 690
    assert _flat("期初余额 10 小时 + 存入 4.5 小时 − 支取 3 小时 = 期末余额 11.5 小时") in _flat(
        text
    )


def test_running_balance_on_each_line(tmp_path: Path) -> None:
    target = tmp_path / "statement.pdf"
    render_statement(statement(rows=4, opening=0), target)
    lines = [line.split() for line in pdf_text(target).splitlines() if "备注0" in line]
    balances = [line[-1] for line in lines]
    assert balances == ["1.5", "0.5", "2", "1"]
    assert [line[-2] for line in lines] == ["1.5", "1", "1.5", "1"]


def test_hundreds_of_rows_repeat_the_header_on_every_page(tmp_path: Path) -> None:
    target = tmp_path / "statement.pdf"
    render_statement(statement(rows=400), target)
    pages = page_texts(target)
    assert len(pages) == page_count(target.read_bytes()) > 5
    for number, page in enumerate(pages, start=1):
        assert "余额（小时）" in page
        assert f"第{number}页/共{len(pages)}页" in _flat(page)
    text = "".join(pages)
    assert all(f"备注{i:03d}" in text for i in range(400))
    assert "期末余额" in pages[-1]


def test_an_empty_period_shows_opening_equal_to_closing(tmp_path: Path) -> None:
    target = tmp_path / "statement.pdf"
    render_statement(statement(rows=0, opening=150), target)
    text = pdf_text(target)
    assert _flat("期初余额 2.5 小时 + 存入 0 小时 − 支取 0 小时 = 期末余额 2.5 小时") in _flat(
        text
    )


def test_english_statement() -> None:
    out = io.BytesIO()
    render_statement(statement(rows=2), out, language="en")
    assert out.getvalue().startswith(b"%PDF")


def test_english_statement_text(tmp_path: Path) -> None:
    target = tmp_path / "statement.pdf"
    render_statement(statement(rows=2), target, language="en")
    text = pdf_text(target)
    for expected in ("Time account statement", "Opening balance", "Closing balance",
                     "Service deposit", "Page 1 of 1", "2025-03-01 to 2025-03-31"):  # fmt: skip
        assert _flat(expected) in _flat(text), expected


def _flat(text: str) -> str:
    return "".join(text.split())


def test_kind_wording_follows_the_direction() -> None:
    assert kind_text("transfer", 60, "zh_CN") == "转赠转入"
    assert kind_text("transfer", -60, "zh_CN") == "转赠转出"
    assert kind_text("grant", 60, "en") == "Grant"
    assert kind_text("something-new", 60, "zh_CN") == "something-new"
    assert Movement  # the dataclass a service fills
