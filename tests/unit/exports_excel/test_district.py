"""District workbook: one row per centre with totals, the flow matrix, the exceptions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from timebank_desktop.domain.months import Month
from timebank_desktop.exports.excel.district import write_district_report
from timebank_desktop.exports.excel.district_data import (
    CentreRow,
    CentreStatus,
    DistrictIssue,
    DistrictIssueKind,
    DistrictReport,
    FlowCell,
)
from timebank_desktop.exports.excel.progress import ExportCancelled

NAMES = ["和平里社区", "安贞里社区", "=1+1", "小关社区"]
STATUSES = list(CentreStatus)


def district(centres: int = 4) -> DistrictReport:
    rows = [
        CentreRow(
            code=f"C{i:03d}",
            name=NAMES[i] if i < len(NAMES) else f"第{i}社区",
            services=100 + i,
            credited_minutes=6000 + 90 * i,
            withdrawn_minutes=3000 + 45 * i,
            members=500 + i,
            balance_minutes=90000 + 15 * i,
            last_file=None if i == 3 else date(2025, 3, 28 - i % 20),
            status=STATUSES[i % len(STATUSES)],
        )
        for i in range(centres)
    ]
    flows = [
        FlowCell("C000", "C001", 120),
        FlowCell("C001", "C000", 90),
        FlowCell("C000", "C001", 30),  # the same pair twice adds up
        FlowCell("C002", "C003", 45),
    ]
    issues = [
        DistrictIssue(
            DistrictIssueKind.FORK, "C002", date(2025, 3, 12), "seq 41", "两条不同的账本链"
        ),
        DistrictIssue(DistrictIssueKind.GAP, "C001", date(2025, 3, 15), "seq 57–60", "缺少序号"),
        DistrictIssue(DistrictIssueKind.LATE_FILE, "C003", date(2025, 4, 3), "", "=1+1"),
    ]
    return DistrictReport("朝阳区", Month(2025, 3), rows, flows, issues)


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("district") / "d.xlsx"
    write_district_report(district(), path)
    return path


def test_centres_sheet_has_one_row_per_centre_and_totals(book_path: Path) -> None:
    wb = load_workbook(book_path)
    assert wb.sheetnames == ["各社区", "跨社区流转", "异常"]
    ws = wb["各社区"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    data = district()
    assert len(rows) == len(data.centres) + 1
    for row, c in zip(rows, data.centres, strict=False):
        assert row[:3] == (c.code, c.name, c.services)
        assert round(row[3] * 60) == c.credited_minutes and round(row[6] * 60) == c.balance_minutes
        assert (row[7].date() if row[7] else None) == c.last_file
    total = rows[-1]
    assert total[0] == "合计" and total[2] == sum(c.services for c in data.centres)
    assert round(total[3] * 60) == sum(c.credited_minutes for c in data.centres)
    assert total[5] == sum(c.members for c in data.centres)
    assert {r[8] for r in rows[:-1]} == {"正常", "文件逾期", "未收到文件", "文件被拒收"}
    assert ws.auto_filter.ref == "A1:I5" and ws.freeze_panes == "A2"
    assert ws["B4"].value == "=1+1"
    assert ws["B4"].data_type == "s"


def test_flow_matrix_adds_up(book_path: Path) -> None:
    sheet = CalamineWorkbook.from_path(str(book_path)).get_sheet_by_name("跨社区流转").to_python()
    assert sheet[0] == ["提供方＼接受方", *NAMES, "合计"]
    assert sheet[1][0] == "和平里社区" and sheet[1][2] == 2.5  # 120 + 30 minutes
    assert sheet[1][1] == "" and sheet[1][-1] == 2.5
    assert sheet[2][1] == 1.5
    assert sheet[3][4] == 0.75
    assert sheet[-1][0] == "合计" and sheet[-1][-1] == pytest.approx(4.75)
    assert sheet[-1][1:-1] == pytest.approx([1.5, 2.5, 0, 0.75])
    ws = load_workbook(book_path)["跨社区流转"]
    assert ws.freeze_panes == "B2" and ws.print_title_rows == "$1:$1"


def test_exceptions_sheet(book_path: Path) -> None:
    ws = load_workbook(book_path)["异常"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["账本链分叉", "序号缺失", "文件迟交"]
    assert rows[0][1:3] == ("C002", "=1+1")
    assert rows[2][5] == "=1+1" and ws["F4"].data_type == "s"
    assert "朝阳区" in ws.oddFooter.center.text and "2025-03" in ws.oddFooter.center.text


def test_a_large_district_and_cancel(tmp_path: Path) -> None:
    target = tmp_path / "big.xlsx"
    with pytest.raises(ExportCancelled):
        write_district_report(district(600), target, cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []
    seen: list[tuple[int, int]] = []
    write_district_report(district(600), target, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1]
    wb = load_workbook(target, read_only=True)
    assert sum(1 for _ in wb["各社区"].iter_rows()) == 602
    wb.close()
