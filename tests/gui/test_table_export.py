"""Every list exports to Excel and CSV from its context menu (whole, typed, cancellable)."""

from __future__ import annotations

import csv
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.helpers import add_member, serve
from timebank_desktop.services.context import AppContext
from timebank_desktop.ui.table_export import TableExport, cell_value, table_exports

TABLES = (
    ("members", "members_table"),
    ("members", "member_detail_history"),
    ("records", "records_table"),
    ("accounts", "accounts_history"),
    ("settings", "settings_categories"),
    ("settings", "staff_table"),
    ("sync", "sync_history"),
)


def _exporter(window: Any, page: str, view_name: str) -> TableExport:
    window.show_page(page)
    view = window.findChild(QTableView, view_name)
    assert view is not None, view_name
    found = [e for e in table_exports(window) if e.view is view]
    assert len(found) == 1, view_name
    return found[0]


@pytest.mark.parametrize(("page", "view"), TABLES)
def test_every_list_has_the_export_menu(make_window: MakeWindow, page: str, view: str) -> None:
    exporter = _exporter(make_window("admin"), page, view)
    menu = exporter.menu()
    assert [a.objectName() for a in menu.actions()] == ["export_xlsx", "export_csv"]
    assert all(a.text() for a in menu.actions())
    assert exporter.title() and "&" not in exporter.title()


def test_cell_values_are_typed() -> None:
    assert cell_value("1.5", True) == Decimal("1.5")
    assert cell_value("+2", True) == 2
    assert cell_value("-0.75", True) == Decimal("-0.75")
    assert cell_value("2026-10-09", False) == date(2026, 10, 9)
    assert cell_value("=1+1", False) == "=1+1"  # the writer keeps it text
    assert cell_value("13800138000", False) == "13800138000"  # a phone stays text
    assert cell_value(None, False) is None


def _records(centre: AppContext, count: int) -> None:
    vol = add_member(centre, "王秀英", date(1960, 1, 1))
    rec = add_member(centre, "李建国", date(1940, 1, 1), role="recipient")
    for i in range(count):
        serve(centre, vol, rec, 30, day=date(2026, 10, 1 + i % 28), start=time(8 + i % 4 * 2))


def test_records_export_to_excel_whole_and_typed(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    _records(centre, 12)
    window = make_window("admin")
    exporter = _exporter(window, "records", "records_table")
    model = exporter.view.model()
    model.page_size = 5  # type: ignore[attr-defined]
    model.reload()  # type: ignore[attr-defined]
    assert model.rowCount() == 5  # only the first page is loaded
    target = tmp_path / "records"
    prompts.answers["save_file"] = [target]
    exporter.export_xlsx()
    ws = load_workbook(target.with_suffix(".xlsx")).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 1 + 12  # the whole list, not just the loaded page
    assert rows[0][0] == model.headerData(0, Qt.Orientation.Horizontal)
    assert isinstance(rows[1][5], float | int) and rows[1][5] == pytest.approx(0.5)
    assert "12" in prompts.messages("info")[-1][1]


def test_passbook_exports_to_csv(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    _records(centre, 3)
    window = make_window("admin")
    exporter = _exporter(window, "accounts", "accounts_history")
    page = window.pages["accounts"]
    page.show_account("M000001")  # type: ignore[attr-defined]
    assert exporter.view.model().rowCount() == 3
    target = tmp_path / "passbook.csv"
    prompts.answers["save_file"] = [target]
    exporter.export_csv()
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 4 and rows[1][5] == "0.5"  # "+0.5" shown; a number here


def test_cancelled_export_leaves_no_file(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    _records(centre, 3)
    exporter = _exporter(make_window("admin"), "records", "records_table")
    target = tmp_path / "r.xlsx"
    prompts.answers["save_file"] = [target]
    original = prompts.progress

    def cancelling(parent: Any, label: str, control: Any) -> Any:
        control.cancel()
        return original(parent, label, control)

    prompts.progress = cancelling  # type: ignore[method-assign]
    exporter.export_xlsx()
    assert not target.exists() and list(tmp_path.glob("*.xlsx")) == []
    assert prompts.messages("info") == [] and prompts.messages("error") == []


def test_right_click_pops_up_the_menu(make_window: MakeWindow, qtbot: Any) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication, QMenu

    exporter = _exporter(make_window("admin"), "members", "members_table")
    exporter.view.customContextMenuRequested.emit(QPoint(5, 5))
    menus = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible()]
    assert len(menus) == 1
    assert [a.objectName() for a in menus[0].actions()] == ["export_xlsx", "export_csv"]
    menus[0].close()
