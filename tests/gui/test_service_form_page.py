"""The service form: refusals beside the fields with the focus in the first, nothing saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import MakeWindow
from tests.gui.keys import ctrl, focus_name, press, type_text
from tests.helpers import add_member
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.record_list import RecordFilter, RecordListService
from timebank_desktop.ui.mainwindow import MainWindow

KEY = Qt.Key


def _form(qtbot: Any, make_window: MakeWindow, centre: AppContext) -> MainWindow:
    add_member(centre, "张三", date(1960, 3, 1))
    add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    window = make_window("clerk")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    ctrl(qtbot, KEY.Key_N)
    return window


def _fill(qtbot: Any, values: list[str]) -> None:
    for text in values:
        type_text(qtbot, text)
        press(qtbot, KEY.Key_Tab)


def test_refusal_focuses_the_first_field_at_fault_and_saves_nothing(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    window = _form(qtbot, make_window, centre)
    form = window.service_page
    _fill(qtbot, ["M000001", "M000002", "zc", "13-45", "0900", "0800", "p", "", "7"])
    ctrl(qtbot, KEY.Key_S)
    assert focus_name() == "service_date"
    assert form.errors["date"].text() == "Write the date as YYYY-MM-DD or MM-DD"
    assert form.errors["volunteer"].text() == ""
    assert form.edits["volunteer"].text() == "M000001"  # nothing is lost
    assert RecordListService(centre).count(RecordFilter()) == 0
    form.edits["date"].setText("11-19")
    ctrl(qtbot, KEY.Key_S)
    assert focus_name() == "service_end"
    assert form.errors["end"].text() == "The end time must be after the start time"
    assert form.errors["date"].text() == ""
    assert RecordListService(centre).count(RecordFilter()) == 0


def test_unknown_member_and_category_are_named(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    window = _form(qtbot, make_window, centre)
    form = window.service_page
    _fill(qtbot, ["M000009", "M000002", "xyz", "11-19", "0900", "1000"])
    ctrl(qtbot, KEY.Key_S)
    assert focus_name() == "service_volunteer"
    assert form.errors["volunteer"].text() == "Unknown member: M000009"
    assert form.errors["category"].text() == "Unknown service category: xyz"


def test_ctrl_p_saves_and_asks_for_the_slip(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    window = _form(qtbot, make_window, centre)
    printed: list[Any] = []
    window.slip_printer = printed.append
    _fill(qtbot, ["zhangs", "lnn", "meals", "2026-11-19", "9:00", "10:00", "p", "送餐", "2"])
    assert window.service_page.hints["volunteer"].text() == "张三 (M000001)"
    press(qtbot, KEY.Key_Space)
    assert window.service_page.signed.isChecked()
    ctrl(qtbot, KEY.Key_P)
    assert len(printed) == 1 and printed[0].status == "posted" and printed[0].rating == "neutral"
    assert printed[0].slip_no in window.service_page.last_saved.text()
    assert focus_name() == "service_volunteer"


def test_tab_in_the_completion_list_moves_on(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    window = _form(qtbot, make_window, centre)
    type_text(qtbot, "zs")
    popup = window.service_page.pickers["volunteer"].completer.popup()
    qtbot.waitUntil(popup.isVisible)
    press(qtbot, KEY.Key_Tab)
    assert not popup.isVisible()
    assert focus_name() == "service_recipient"


def test_the_member_hint_names_only_who_the_field_holds(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    window = _form(qtbot, make_window, centre)
    form = window.service_page
    type_text(qtbot, "M000001")
    press(qtbot, KEY.Key_Tab)
    assert form.hints["volunteer"].text() == "张三 (M000001)"
    form.edits["volunteer"].setText("M000009")  # changed without typing (e.g. by a script)
    assert form.hints["volunteer"].text() == ""
    form.edits["start"].setText("0900")
    form.edits["end"].setText("0830")
    assert "must be after" in form.preview.text()
    assert "#b00020" in form.preview.styleSheet()
