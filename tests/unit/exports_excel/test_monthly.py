"""Monthly workbook: every figure read back (openpyxl and calamine), summary = detail sums."""

from __future__ import annotations

import zipfile
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from python_calamine import CalamineWorkbook

from tests.unit.exports_excel.excel_factories import CENTRE, EVIL, make_report
from timebank_desktop.exports.excel.cells import display_width
from timebank_desktop.exports.excel.monthly import write_monthly_report
from timebank_desktop.exports.excel.monthly_data import MonthlyReport, consistency_problems
from timebank_desktop.exports.excel.summary import service_figures

SHEETS = ["概览", "服务明细", "志愿者", "服务对象", "账户余额", "异常"]


@pytest.fixture(scope="module")
def report() -> MonthlyReport:
    return make_report(evil=True)


@pytest.fixture(scope="module")
def book_path(report: MonthlyReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("monthly") / "2025-03.xlsx"
    write_monthly_report(report, path)
    return path


@pytest.fixture(scope="module")
def book(book_path: Path) -> Any:
    return load_workbook(book_path)


@pytest.fixture(scope="module")
def calamine(book_path: Path) -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(book_path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _summary(book: Any, sheet: str = "概览") -> dict[str, Any]:
    ws = book[sheet]
    return {row[0]: row[1] for row in ws.iter_rows(min_row=2, max_row=16, values_only=True)}


def test_the_factory_month_is_consistent(report: MonthlyReport) -> None:
    assert consistency_problems(report) == []
    assert len(report.services) == 300


def test_sheets_have_chinese_names_in_order(book: Any, calamine: dict[str, Any]) -> None:
    assert book.sheetnames == SHEETS
    assert list(calamine) == SHEETS


def test_every_service_is_read_back_with_openpyxl(book: Any, report: MonthlyReport) -> None:
    rows = list(book["服务明细"].iter_rows(min_row=2))
    assert len(rows) == len(report.services)
    for cells, s in zip(rows, report.services, strict=True):
        values = [c.value for c in cells]
        assert values[0] == s.slip_no
        assert _day(values[1]) == s.service_date
        assert cells[1].is_date and cells[1].number_format == "yyyy-mm-dd"
        assert values[2:7] == [
            s.volunteer_no, s.volunteer_name, s.recipient_no, s.recipient_name, s.category
        ]  # fmt: skip
        assert values[7] == pytest.approx(s.duration_minutes / 60, abs=1e-12)
        assert values[8] == pytest.approx(s.credited_minutes / 60, abs=1e-12)
        assert cells[7].number_format == cells[8].number_format == "0.00"
        assert cells[7].data_type == "n"
        assert values[9] == s.payer
        assert values[12] == ("是" if s.late else "否")
    header = [c.value for c in book["服务明细"][1]]
    assert header[:2] == ["凭条编号", "日期"] and "计入时长（小时）" in header


def test_calamine_reads_the_same_services(calamine: dict[str, Any], report: MonthlyReport) -> None:
    rows = calamine["服务明细"][1:]
    assert len(rows) == len(report.services)
    for row, s in zip(rows, report.services, strict=True):
        assert row[0] == s.slip_no
        assert _day(row[1]) == s.service_date
        assert row[5] == s.recipient_name
        assert round(row[7] * 60) == s.duration_minutes
        assert round(row[8] * 60) == s.credited_minutes


def test_summary_equals_the_sums_of_the_detail_sheets(book: Any, report: MonthlyReport) -> None:
    summary = _summary(book)
    services = list(book["服务明细"].iter_rows(min_row=2, values_only=True))
    volunteers = list(book["志愿者"].iter_rows(min_row=2, values_only=True))
    recipients = list(book["服务对象"].iter_rows(min_row=2, values_only=True))
    assert summary["社区服务站"] == CENTRE and summary["月份"] == "2025-03"
    assert summary["服务次数"] == len(services) == sum(v[2] for v in volunteers)
    assert summary["服务次数"] == sum(r[2] for r in recipients)
    served = round(sum(r[7] for r in services) * 60)
    credited = round(sum(r[8] for r in services) * 60)
    assert round(summary["服务时长（小时）"] * 60) == served
    assert round(sum(r[3] for r in recipients) * 60) == served
    assert round(summary["计入时长（小时）"] * 60) == credited
    assert round(sum(v[3] for v in volunteers) * 60) == credited
    assert summary["活跃志愿者（人）"] == len({r[2] for r in services}) == len(volunteers)
    assert summary["受助老人（人）"] == len({r[4] for r in services}) == len(recipients)
    totals = report.totals
    assert round(summary["支取时长（小时）"] * 60) == totals.withdrawn_minutes
    assert round(summary["发放时长（小时）"] * 60) == totals.granted_minutes
    assert round(summary["兑换时长（小时）"] * 60) == totals.exchanged_minutes
    assert summary["新增成员（人）"] == totals.new_members
    assert round(summary["社区公益池负债（小时）"] * 60) == report.pool_liability_minutes


def _block(ws: Any, title: str) -> list[tuple[Any, ...]]:
    """Rows under a section title (after its column headings) up to the next blank row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    end = next((i for i in range(start, len(rows)) if rows[i][0] is None), len(rows))
    return rows[start:end]


def test_category_table_matches_the_services(book: Any) -> None:
    services = list(book["服务明细"].iter_rows(min_row=2, values_only=True))
    count: Counter[str] = Counter(r[6] for r in services)
    credited: dict[str, float] = defaultdict(float)
    for r in services:
        credited[r[6]] += r[8]
    block = _block(book["概览"], "按服务类别统计")
    *lines, total = block
    assert total[0] == "合计" and total[1] == len(services)
    assert {r[0]: r[1] for r in lines} == dict(count)
    for r in lines:
        assert round(r[3] * 60) == round(credited[r[0]] * 60)
    assert [r[3] for r in lines] == sorted((r[3] for r in lines), reverse=True)


def test_trend_age_bands_and_closing_hash(book: Any, report: MonthlyReport) -> None:
    ws = book["概览"]
    trend = _block(ws, "近12个月计入时长")
    assert [r[0] for r in trend][-1] == "2025-03" and len(trend) == 12
    assert round(trend[-1][1] * 60) == service_figures(report.services).credited_minutes
    ages = _block(ws, "按年龄段统计")
    assert [r[0] for r in ages] == [b.band for b in report.age_bands]
    texts = [r[0] for r in ws.iter_rows(values_only=True) if isinstance(r[0], str)]
    assert any(t.startswith("月末账本链校验值") and report.closing_hash in t for t in texts)


def test_summary_has_a_bar_and_a_line_chart(book: Any) -> None:
    charts = book["概览"]._charts
    assert sorted(type(c).__name__ for c in charts) == ["BarChart", "LineChart"]
    assert any(isinstance(c, BarChart) for c in charts)
    assert any(isinstance(c, LineChart) for c in charts)


@pytest.mark.parametrize("name", SHEETS)
def test_every_sheet_is_set_up_for_screen_and_print(book: Any, name: str) -> None:
    ws = book[name]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    footer = ws.oddFooter.center.text
    assert CENTRE in footer and "2025-03" in footer and "&P" in footer and "&N" in footer
    header = next(ws.iter_rows(max_row=1))
    assert all(c.font.bold for c in header if c.value is not None)


@pytest.mark.parametrize("name", ["服务明细", "志愿者", "异常"])
def test_column_widths_fit_the_content(book: Any, name: str) -> None:
    ws = book[name]
    for column in ws.iter_cols():
        letter = column[0].column_letter
        widest = max(
            display_width(v.strftime("%Y-%m-%d") if isinstance(v, datetime) else str(v))
            for v in (c.value for c in column)
            if v is not None and not isinstance(v, float)
        )
        assert ws.column_dimensions[letter].width >= min(widest, 58), (name, letter)
        assert ws.column_dimensions[letter].width <= max(widest, 4) + 2 + 8


def test_autofilter_covers_exactly_the_table(book: Any, report: MonthlyReport) -> None:
    assert book["服务明细"].auto_filter.ref == f"A1:M{len(report.services) + 1}"
    assert book["账户余额"].auto_filter.ref == f"A1:G{len(report.accounts) + 1}"


def test_balance_sheet_has_check_formulas_and_zero_totals(
    book: Any, report: MonthlyReport
) -> None:
    ws = book["账户余额"]
    n = len(report.accounts)
    for r in range(2, n + 2):
        assert ws[f"G{r}"].value == f'=IF(ROUND(C{r}+D{r}-E{r}-F{r},2)=0,"✓","✗")'
        opening, credits, debits, closing = (ws[f"{c}{r}"].value for c in "CDEF")
        assert round((opening + credits - debits - closing) * 60) == 0
    t = n + 2
    assert ws[f"A{t}"].value == "合计"
    assert [ws[f"{c}{t}"].value for c in "CDEF"] == [f"=SUM({c}2:{c}{n + 1})" for c in "CDEF"]
    assert ws[f"C{t}"].number_format == "0.00"
    assert ws[f"G{t}"].value.startswith("=IF(AND(ROUND(C")
    for column in "CF":  # openings and closings each net to zero
        assert round(sum(ws[f"{column}{r}"].value for r in range(2, n + 2)) * 60) == 0


def test_formula_like_user_text_stays_text(
    book: Any, calamine: dict[str, Any], book_path: Path
) -> None:
    ws = book["服务明细"]
    recipients = [ws.cell(row=r, column=6) for r in range(2, 2 + len(EVIL))]
    assert [c.value for c in recipients] == list(EVIL)
    assert all(c.data_type == "s" and c.quotePrefix for c in recipients)
    assert [row[5] for row in calamine["服务明细"][1 : 1 + len(EVIL)]] == list(EVIL)
    other = [r for r in calamine["异常"] if r[1] == "=1+1"]
    assert other and other[0][3] == "=1+1"
    with zipfile.ZipFile(book_path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert "1+1</f>" not in z.read(name).decode("utf-8")


def test_exceptions_sheet_lists_kind_reference_date_description(
    book: Any, report: MonthlyReport
) -> None:
    rows = list(book["异常"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.exceptions)
    assert {r[0] for r in rows} >= {"凭条未签字", "补录", "冲正", "意外保险已到期"}
    first = report.exceptions[0]
    assert (rows[0][1], _day(rows[0][2]), rows[0][3]) == (
        first.reference,
        first.on,
        first.description,
    )


def test_english_headers_and_an_open_month(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    write_monthly_report(make_report(services=20, closed=False), path, language="en")
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "Overview", "Service details", "Volunteers", "Recipients", "Account balances", "Exceptions"
    ]  # fmt: skip
    assert [c.value for c in wb["Service details"][1]][:2] == ["Slip number", "Date"]
    summary = _summary(wb, "Overview")
    assert summary["Month status"] == "Month open"
    texts = [r[0] for r in wb["Overview"].iter_rows(values_only=True) if isinstance(r[0], str)]
    assert not any(t.startswith("Closing hash") for t in texts)
    assert "page &P of &N" in wb["Volunteers"].oddFooter.center.text


def test_an_empty_month_still_makes_a_workbook(tmp_path: Path) -> None:
    empty = replace(make_report(services=0), trend=(), age_bands=(), exceptions=())
    path = tmp_path / "empty.xlsx"
    write_monthly_report(empty, path)
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS
    assert _summary(wb)["服务次数"] == 0
    assert wb["概览"]._charts == []


def test_the_same_data_gives_the_same_numbers(tmp_path: Path, report: MonthlyReport) -> None:
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in paths:
        write_monthly_report(report, path)
    a, b = (CalamineWorkbook.from_path(str(p)) for p in paths)
    for name in SHEETS:
        assert a.get_sheet_by_name(name).to_python() == b.get_sheet_by_name(name).to_python()


def test_consistency_problems_name_what_disagrees(report: MonthlyReport) -> None:
    broken_acc = replace(
        report.accounts[0], closing_minutes=report.accounts[0].closing_minutes + 1
    )
    broken = replace(
        report,
        accounts=[broken_acc, *report.accounts[1:]],
        volunteers=report.volunteers[1:],
    )
    codes = {p.code for p in consistency_problems(broken)}
    assert codes == {
        "volunteers.services", "volunteers.minutes", "accounts.row", "accounts.closing"
    }  # fmt: skip
