"""The main window shell: page keys, help, status bar, geometry, backups, accounts, settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import activate, ctrl, focus_name, open_account_dialog, press, type_text
from tests.helpers import add_member
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.backup_rotation import automatic_backups
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.ui.mainwindow import PAGE_KEYS

KEY = Qt.Key


def test_ctrl_numbers_choose_pages_and_f1_helps(
    qtbot: Any, make_window: MakeWindow, prompts: ScriptedPrompts
) -> None:
    window = make_window("admin")
    activate(qtbot, window)
    for number, key in enumerate(PAGE_KEYS, start=1):
        ctrl(qtbot, getattr(KEY, f"Key_{number}"))
        assert window.current_page().key == key
        press(qtbot, KEY.Key_F1)
        title, text = prompts.messages("info")[-1]
        assert title == f"Help: {window.current_page().title()}" and len(text) > 40
    ctrl(qtbot, KEY.Key_2)
    ctrl(qtbot, KEY.Key_F)
    assert focus_name() == "members_search"


def test_status_bar_names_centre_user_database_and_ledger(make_window: MakeWindow) -> None:
    window = make_window("clerk")
    assert window.centre_label.text() == "东湖社区 (A01)"
    assert window.user_label.text() == "clerk (clerk)"
    assert window.database_label.text() == "centre.sqlite3"
    assert window.integrity_label.text() == "Ledger intact ✓ (0 transactions)"


def test_geometry_is_remembered_and_exit_backs_up(
    make_window: MakeWindow, settings: QSettings, tmp_path: Path
) -> None:
    window = make_window("admin")
    window.resize(1100, 700)
    window.close()
    assert settings.value("main_window/geometry") is not None
    assert len(automatic_backups(tmp_path / "home" / "backups")) == 1
    again = make_window("admin")
    assert again.height() == 700  # restored, not the first-start default (the offscreen
    # screen is narrower than the window, so Qt trims the width to fit it)
    again.settings_page.auto_backup.setChecked(False)
    again.close()
    assert len(automatic_backups(tmp_path / "home" / "backups")) == 1


def test_the_backup_folder_is_chosen_and_used_on_exit(
    make_window: MakeWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    window = make_window("admin")
    tab = window.settings_page.backup_tab
    assert tab.folder.text() == str(tmp_path / "home" / "backups")
    prompts.answers["choose_folder"] = [tmp_path / "usb"]
    tab.folder_button.click()
    assert tab.folder.text() == str(tmp_path / "usb")
    window.close()
    assert len(automatic_backups(tmp_path / "usb")) == 1
    assert make_window("admin").settings_page.backup_tab.backup_folder() == tmp_path / "usb"


def test_backup_now_asks_where_and_verifies(
    make_window: MakeWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    window = make_window("admin")
    prompts.answers["save_file"] = [tmp_path / "copy.sqlite3"]
    window.actions_by_name["action_backup"].trigger()
    assert (tmp_path / "copy.sqlite3").exists()
    assert "verified" in prompts.messages("info")[-1][1]


def test_grant_dialog_books_hours_and_refuses_inline(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number = add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    window = make_window("admin")
    dialog = open_account_dialog(qtbot, window, prompts, number, "grant")
    page = window.current_page()
    qtbot.waitUntil(lambda: focus_name() == "account_hours")
    type_text(qtbot, "-1")
    press(qtbot, KEY.Key_Return)
    assert dialog.errors["hours"].text() == "Hours must be more than zero"
    dialog.edit("hours").setText("2.5")
    press(qtbot, KEY.Key_Return)
    assert AccountService(centre).balance(number).balance_minutes == 150
    assert "150" not in page.balance.text() and "2.5 h" in page.balance.text()  # type: ignore[attr-defined]
    assert page.history.rowCount() == 1  # type: ignore[attr-defined]


def test_member_dialog_refuses_a_bad_id_inline(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    window = make_window("clerk")
    page = window.show_page("members")
    page.add_member()  # type: ignore[attr-defined]
    dialog = prompts.dialogs[-1]
    dialog.edits["name"].setText("张三")
    dialog.edits["id_number"].setText("110105196003011234")
    dialog.submit()
    assert dialog.isVisible()
    assert dialog.errors["id_number"].text() != ""
    assert MemberService(centre).count() == 0


def test_policy_and_category_are_saved_from_settings(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    window = make_window("admin")
    page = window.show_page("settings")
    form = page.policy_form  # type: ignore[attr-defined]
    form.widgets["withdrawal_age"].setValue(65)
    form.widgets["daily_cap_minutes"].setText("x")
    form.submit()
    assert form.errors["daily_cap_minutes"].text() == "Hours must be a number such as 1.5"
    form.widgets["daily_cap_minutes"].setText("2")
    form.submit()
    policy = PolicyService(centre).current()
    assert (policy.withdrawal_age, policy.daily_cap_minutes) == (65, 120)
    page.category_table.selectRow(1)  # type: ignore[attr-defined]
    page.category_weight.setValue(1.5)  # type: ignore[attr-defined]
    page.save_category()  # type: ignore[attr-defined]
    assert page.categories.rows()[1].weight_permille == 1500  # type: ignore[attr-defined]
