"""The Reports page: export a month's workbook (progress, cancel, open after), month close."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import QUrl

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.helpers import add_member, serve
from timebank_desktop.domain.months import Month
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.month_close import MonthCloseService
from timebank_desktop.ui.pages.reports import ReportsPage


def _page(make_window: MakeWindow, role: str = "admin") -> ReportsPage:
    page = make_window(role).show_page("reports")
    assert isinstance(page, ReportsPage)
    return page


def _month_of_service(centre: AppContext) -> None:
    vol = add_member(centre, "王秀英", date(1960, 1, 1))
    rec = add_member(centre, "李建国", date(1940, 1, 1), role="recipient")
    serve(centre, vol, rec, 90, day=date(2026, 10, 9))


def test_exports_the_chosen_month_and_opens_it(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    _month_of_service(centre)
    page = _page(make_window)
    assert page.selected_month() == Month(2026, 10)  # the month that has just ended
    assert not page.open_file_button.isEnabled()
    target = tmp_path / "october"  # the suffix is added
    prompts.answers["save_file"] = [target]
    opened: list[QUrl] = []
    page.open_url = opened.append
    page.export_button.click()
    written = target.with_suffix(".xlsx")
    assert written.exists()
    assert "2026-10" in page.status.text() and "1 services" in page.status.text()
    wb = load_workbook(written)
    assert len(wb.worksheets) == 6
    assert wb.worksheets[1].cell(row=2, column=4).value == "王秀英"
    page.open_file_button.click()
    page.open_folder_button.click()
    assert [u.toLocalFile() for u in opened] == [str(written), str(tmp_path)]


def test_cancel_leaves_no_file(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    _month_of_service(centre)
    page = _page(make_window)
    target = tmp_path / "m.xlsx"
    prompts.answers["save_file"] = [target]
    original = prompts.progress

    def cancelling(parent: Any, label: str, control: Any) -> Any:
        control.cancel()  # the user pressed Cancel at once
        return original(parent, label, control)

    prompts.progress = cancelling  # type: ignore[method-assign]
    page.export_button.click()
    assert not target.exists()
    assert list(tmp_path.glob("*.xlsx")) == []
    assert "cancelled" in page.status.text()
    assert page.export_button.isEnabled()


def test_choosing_no_file_does_nothing(
    make_window: MakeWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    page = _page(make_window)
    page.export_button.click()  # the save dialog answers None
    assert page.status.text() == ""
    assert list(tmp_path.glob("*.xlsx")) == []


def test_admin_closes_the_next_month(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    _month_of_service(centre)
    page = _page(make_window)
    assert page.close_box.isVisibleTo(page)
    assert "2026-10" in page.close_status.text()
    prompts.answers["confirm"] = [False]
    page.close_button.click()
    assert MonthCloseService(centre).closed_through() is None
    prompts.answers["confirm"] = [True]
    page.close_button.click()
    assert MonthCloseService(centre).closed_through() == Month(2026, 10)
    assert "2026-10" in prompts.messages("info")[-1][1]
    assert not page.close_button.isEnabled()  # November has not ended


def test_month_close_is_hidden_from_other_roles(make_window: MakeWindow) -> None:
    for role in ("clerk", "viewer"):
        page = _page(make_window, role)
        assert not page.close_box.isVisibleTo(page)
        assert page.export_button.isVisibleTo(page)


def test_the_report_is_chinese_unless_english_is_chosen(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    _month_of_service(centre)
    page = _page(make_window)  # the tests run the GUI in English
    assert page.language.currentData() == "zh_CN"
    prompts.answers["save_file"] = [tmp_path / "zh.xlsx", tmp_path / "en.xlsx"]
    page.export_button.click()
    page.language.setCurrentIndex(page.language.findData("en"))
    page.export_button.click()
    assert load_workbook(tmp_path / "zh.xlsx").sheetnames[0] == "概览"
    assert load_workbook(tmp_path / "en.xlsx").sheetnames[0] == "Overview"
