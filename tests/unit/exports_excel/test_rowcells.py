"""The typed cell stream: every value kind written as `cells` describes, styles included."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import pytest
from openpyxl import load_workbook

from timebank_desktop.exports.excel.cells import Formula, Heading, Hours
from timebank_desktop.exports.excel.tables import write_table_xlsx


class Colour(StrEnum):
    RED = "红"
    SUM = "=SUM(A1)"


def test_each_value_kind_gets_its_type_and_format(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    rows = [
        ["#N/A", "=1+1", Colour.RED, Colour.SUM, "", "a\x01b", Heading("粗体")],
        [Hours(-95), 7, 2.5, Decimal("3.25"), True, date(2026, 1, 2), datetime(2026, 1, 2, 3, 4)],
        [Formula("=SUM(A3:B3)"), Formula("=1/3", hours=True), None, "x"],
    ]
    write_table_xlsx("t", list("ABCDEFG"), rows, path)
    ws = load_workbook(path)["t"]
    texts = [ws[f"{c}2"] for c in "ABCDFG"]
    assert [c.value for c in texts] == ["#N/A", "=1+1", "红", "=SUM(A1)", "ab", "粗体"]
    assert all(c.data_type == "s" for c in texts)  # an error code or a formula stays text
    assert [c.quotePrefix for c in texts] == [False, True, False, True, False, False]
    assert ws["G2"].font.b and not ws["A2"].font.b and ws["E2"].value is None
    assert ws["A3"].value == pytest.approx(-95 / 60) and ws["A3"].number_format == "0.00"
    assert [ws[f"{c}3"].value for c in "BCDE"] == [7, 2.5, 3.25, True]
    assert ws["B3"].number_format == "General" and ws["E3"].data_type == "b"
    assert ws["F3"].value == datetime(2026, 1, 2) and ws["F3"].number_format == "yyyy-mm-dd"
    assert ws["G3"].value == datetime(2026, 1, 2, 3, 4)
    assert ws["G3"].number_format == "yyyy-mm-dd h:mm:ss"
    assert ws["A4"].value == "=SUM(A3:B3)" and ws["A4"].number_format == "General"
    assert ws["B4"].value == "=1/3" and ws["B4"].number_format == "0.00"
    assert ws["C4"].value is None and ws["D4"].value == "x"
