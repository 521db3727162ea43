"""Generic list export: Excel and CSV, formula-safe, atomic, Chinese readable by Excel."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tests.unit.exports_excel.excel_factories import EVIL
from timebank_desktop.exports.excel.cells import Hours, sheet_title
from timebank_desktop.exports.excel.progress import ExportCancelled
from timebank_desktop.exports.excel.tables import write_table_csv, write_table_xlsx

HEADERS = ["成员编号", "姓名", "余额（小时）", "登记日期", "次数", "备注"]
ROWS = [
    ["V00001", "张秀英", Hours(90), date(2025, 3, 1), 3, "经常参加助餐服务"],
    ["V00002", "王桂兰", Hours(-45), date(2025, 3, 2), 0, None],
    *[[f"V1{i:04d}", text, Hours(60), date(2025, 3, 3), i, text] for i, text in enumerate(EVIL)],
]


def test_xlsx_table_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_table_xlsx("成员名单", HEADERS, ROWS, path, footer_centre="和平里社区", period="2025-03")
    ws = load_workbook(path)["成员名单"]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["C2"].value == 1.5 and ws["C2"].number_format == "0.00"
    assert ws["C3"].value == -0.75
    assert ws["D2"].is_date and ws["E2"].value == 3 and ws["F3"].value is None
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:F{len(ROWS) + 1}"
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    assert "和平里社区" in ws.oddFooter.center.text and "2025-03" in ws.oddFooter.center.text
    assert ws.column_dimensions["F"].width >= 2 * len("经常参加助餐服务")


def test_xlsx_user_text_never_becomes_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    write_table_xlsx("list", HEADERS, ROWS, path)
    ws = load_workbook(path)["list"]
    for r, text in enumerate(EVIL, start=4):
        for col in "BF":
            assert ws[f"{col}{r}"].value == text
            assert ws[f"{col}{r}"].data_type == "s"
    got = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("list").to_python()
    assert [row[1] for row in got[3:]] == list(EVIL)


def test_xlsx_accepts_a_row_function_and_other_numbers(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    rows = [["a", 1.25, Decimal("2.5"), datetime(2025, 3, 1, 9, 30), True]]
    seen: list[tuple[int, int]] = []
    write_table_xlsx("t", ["a", "b", "c", "d", "e"], lambda: iter(rows), path,
                     progress=lambda d, t: seen.append((d, t)))  # fmt: skip
    ws = load_workbook(path)["t"]
    assert [c.value for c in ws[2]] == ["a", 1.25, 2.5, datetime(2025, 3, 1, 9, 30), True]
    assert seen[-1] == (1, 1)


def test_csv_has_a_bom_crlf_and_defused_formulas(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    write_table_csv(HEADERS, ROWS, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as handle:
        got = list(csv.reader(handle))
    assert got[0] == HEADERS
    assert got[1] == ["V00001", "张秀英", "1.50", "2025-03-01", "3", "经常参加助餐服务"]
    assert got[2][2] == "-0.75" and got[2][5] == ""
    for row, text in zip(got[3:], EVIL, strict=True):
        assert row[1] == "'" + text
        assert not row[1].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_cancel_keeps_the_old_files(tmp_path: Path) -> None:
    xlsx, text = tmp_path / "l.xlsx", tmp_path / "l.csv"
    write_table_xlsx("l", HEADERS, ROWS, xlsx)
    write_table_csv(HEADERS, ROWS, text)
    before = xlsx.read_bytes(), text.read_bytes()
    many = [ROWS[0]] * 2000
    with pytest.raises(ExportCancelled):
        write_table_xlsx("l", HEADERS, many, xlsx, cancel=lambda: True)
    with pytest.raises(ExportCancelled):
        write_table_csv(HEADERS, many, text, cancel=lambda: True)
    assert (xlsx.read_bytes(), text.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.csv", "l.xlsx"]


def test_cancel_of_a_new_file_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ExportCancelled):
        write_table_csv(HEADERS, [ROWS[0]] * 1200, tmp_path / "n.csv", cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_sheet_titles_are_made_valid() -> None:
    assert sheet_title("成员/名单[2025]") == "成员 名单 2025"
    assert len(sheet_title("长" * 40)) == 31
    assert sheet_title("''") == "Sheet"
