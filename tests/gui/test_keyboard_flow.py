"""The keyboard contract end to end: set-up, sign-in, members, a service, its slip, a balance."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import NOW
from tests.gui.conftest import ScriptedPrompts
from tests.gui.keys import ctrl, focus_name, press, type_text
from timebank_desktop.app_gui import compose
from timebank_desktop.domain import idnumber
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.instance_lock import InstanceLock
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.ui.mainwindow import MainWindow
from timebank_desktop.ui.startup import OpenedDatabase
from timebank_desktop.ui.tasks import TaskRunner

KEY = Qt.Key
VOLUNTEER_ID = idnumber.make("110105", date(1960, 3, 1), 123).value
ELDER_ID = idnumber.make("110105", date(1940, 5, 6), 124).value


def _start(tmp_path: Path, settings: QSettings, prompts: ScriptedPrompts) -> Any:
    path = tmp_path / "new.sqlite3"
    lock = InstanceLock(path)
    lock.acquire()
    opened = OpenedDatabase(path, AppContext(open_database(path), clock=FixedClock(NOW)), lock)
    flow = compose(
        opened,
        AppPaths(tmp_path / "home"),
        settings,
        TaskRunner(synchronous=True),
        prompts,
        clock=FixedClock(NOW),
    )
    flow.start()
    return flow


def _set_up_centre(qtbot: Any, flow: Any) -> None:
    assert flow.dialog.objectName() == "setup_dialog"
    qtbot.addWidget(flow.dialog)
    flow.dialog.activateWindow()
    qtbot.waitUntil(lambda: focus_name() == "setup_centre_code")
    for text in ("DH01", "东湖社区", "D01", "wang", "王主任", "secret-pass", "secret-pass"):
        type_text(qtbot, text)
        press(qtbot, KEY.Key_Return)


def _sign_in(qtbot: Any, flow: Any) -> MainWindow:
    dialog = flow.dialog
    assert dialog.objectName() == "signin_dialog"
    assert not dialog.demo_hint.isVisible()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: focus_name() == "signin_username")
    type_text(qtbot, "wang")
    press(qtbot, KEY.Key_Tab)
    assert focus_name() == "signin_password"
    type_text(qtbot, "wrong-pass")
    press(qtbot, KEY.Key_Return)
    assert dialog.error.text() == "Wrong user name or password"
    assert flow.window is None
    type_text(qtbot, "secret-pass")
    press(qtbot, KEY.Key_Return)
    window = flow.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _add_member(qtbot: Any, window: MainWindow, name: str, id_number: str, elder: bool) -> None:
    ctrl(qtbot, KEY.Key_2)
    assert focus_name() == "members_search"
    press(
        qtbot, KEY.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: focus_name() == "member_name")  # the new window takes the keys
    type_text(qtbot, name)
    press(qtbot, KEY.Key_Tab)
    type_text(qtbot, id_number)
    press(qtbot, KEY.Key_Tab)
    press(qtbot, KEY.Key_Tab)
    assert focus_name() == "member_role"
    if elder:
        press(qtbot, KEY.Key_Down)
    press(qtbot, KEY.Key_Return)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _record_service(qtbot: Any, window: MainWindow) -> str:
    ctrl(qtbot, KEY.Key_N)
    assert focus_name() == "service_volunteer"
    form = window.service_page
    type_text(qtbot, "zs")
    popup = form.pickers["volunteer"].completer.popup()
    qtbot.waitUntil(popup.isVisible)
    press(qtbot, KEY.Key_Down)
    press(qtbot, KEY.Key_Return)
    assert form.edits["volunteer"].text() == "M000001"
    assert focus_name() == "service_recipient"
    type_text(qtbot, "M000002")
    press(qtbot, KEY.Key_Tab)  # a member number needs no list
    assert focus_name() == "service_category"
    for text, following in (
        ("zc", "service_date"),
        ("11-19", "service_start"),
        ("0900", "service_end"),
        ("10:30", "service_payer"),
        ("p", "service_content"),
        ("送餐上门", "service_satisfaction"),
        ("1", "service_signed"),
    ):
        type_text(qtbot, text)
        press(qtbot, KEY.Key_Return)
        assert focus_name() == following, text
    assert "credited 1.5 h" in form.preview.text()
    ctrl(qtbot, KEY.Key_S)
    assert focus_name() == "service_volunteer"
    assert form.edits["volunteer"].text() == ""
    assert "waiting for the signed slip" in form.last_saved.text()
    return form.last_saved.text().split()[3].rstrip(":")


def test_keyboard_only_from_set_up_to_a_credited_balance(
    qtbot: Any, tmp_path: Path, settings: QSettings, prompts: ScriptedPrompts
) -> None:
    flow = _start(tmp_path, settings, prompts)
    _set_up_centre(qtbot, flow)
    window = _sign_in(qtbot, flow)
    assert "Ledger intact" in window.integrity_label.text()
    _add_member(qtbot, window, "张三", VOLUNTEER_ID, elder=False)
    _add_member(qtbot, window, "李奶奶", ELDER_ID, elder=True)
    slip = _record_service(qtbot, window)
    ctrl(qtbot, KEY.Key_R)
    assert focus_name() == "records_slip"
    type_text(qtbot, slip)
    press(qtbot, KEY.Key_Return)
    records = window.records_page
    assert records.slip_result.text().startswith(f"✓ {slip}")
    assert records.slip.text() == "" and focus_name() == "records_slip"
    type_text(qtbot, slip)
    press(qtbot, KEY.Key_Return)
    assert records.slip_result.text() == f"✗ Slip {slip} is already confirmed"
    ctrl(qtbot, KEY.Key_2)
    ctrl(qtbot, KEY.Key_F)
    assert focus_name() == "members_search"
    type_text(qtbot, "M000001")
    press(qtbot, KEY.Key_Return)
    detail = window.pages["members"].detail  # type: ignore[attr-defined]
    assert detail.values["name"].text() == "张三"
    assert detail.values["balance"].text() == "1.5 h"
    assert detail.history.rowCount() == 1
    window.close()
    flow.opened.close()
