"""The ledger gaps in the window: a damaged ledger refuses postings where errors are shown, the
grant limit and the late-entry limit sit beside their fields, and both limits are settings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import text

from tests.conftest import NOW
from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import activate, ctrl, open_account_dialog, press, type_text
from tests.helpers import add_member, serve
from timebank_desktop.domain.clock import local_date
from timebank_desktop.domain.months import Month
from timebank_desktop.models import triggers
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.month_close import MonthCloseService
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.record_list import RecordFilter, RecordListService
from timebank_desktop.ui.mainwindow import MainWindow

KEY = Qt.Key
TODAY = local_date(NOW)


def _grant_dialog(qtbot: Any, window: MainWindow, number: str, prompts: ScriptedPrompts) -> Any:
    return open_account_dialog(qtbot, window, prompts, number, "grant")


def test_a_damaged_ledger_shows_in_the_status_bar_and_refuses_a_grant(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number = add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    AccountService(centre).grant(number, 60)
    with centre.engine.begin() as conn:
        for drop in triggers.drop_statements(centre.engine.dialect.name):
            conn.execute(text(drop))
        conn.execute(text("UPDATE txn SET memo = 'edited' WHERE seq = 1"))
    window = make_window("admin")  # the check at start finds the damage and marks the ledger
    assert "Ledger DAMAGED" in window.integrity_label.text()
    dialog = _grant_dialog(qtbot, window, number, prompts)
    dialog.edit("hours").setText("1")
    dialog.submit()
    assert dialog.isVisible()
    message = dialog.general_error.text()
    assert "damaged" in message and "Restore a backup or call support" in message
    assert AccountService(centre).balance(number).balance_minutes == 60


def test_a_grant_above_the_limit_is_named_beside_the_hours(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number = add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    dialog = _grant_dialog(qtbot, make_window("admin"), number, prompts)
    dialog.edit("hours").setText("150")
    dialog.submit()
    assert dialog.errors["hours"].text().startswith("A single grant may be at most 100 h")
    assert AccountService(centre).balance(number).balance_minutes == 0


def test_a_service_dated_too_long_ago_is_named_beside_the_date(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    add_member(centre, "张三", date(1960, 3, 1))
    add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    window = make_window("clerk")
    activate(qtbot, window)
    ctrl(qtbot, KEY.Key_N)
    old = (TODAY - timedelta(days=100)).isoformat()
    for value in ["M000001", "M000002", "meals", old, "0900", "1000", "p"]:
        type_text(qtbot, value)
        press(qtbot, KEY.Key_Tab)
    ctrl(qtbot, KEY.Key_S)
    error = window.service_page.errors["date"].text()
    assert f"The service date {old} is more than 90 days ago" in error
    assert RecordListService(centre).count(RecordFilter()) == 0


def test_both_limits_are_edited_on_the_policy_tab(
    make_window: MakeWindow, centre: AppContext
) -> None:
    window = make_window("admin")
    form = window.show_page("settings").policy_form  # type: ignore[attr-defined]
    assert form.widgets["late_entry_days"].value() == 90
    assert form.widgets["max_grant_minutes"].text() == "100"
    form.widgets["late_entry_days"].setValue(180)
    form.widgets["max_grant_minutes"].setText("250")
    form.submit()
    policy = PolicyService(centre).current()
    assert (policy.late_entry_days, policy.max_grant_minutes) == (180, 250 * 60)


def test_the_passbook_is_in_date_order_and_names_a_late_entry(
    make_window: MakeWindow, centre: AppContext
) -> None:
    volunteer = add_member(centre, "张三", date(1960, 3, 1))
    elder = add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    serve(centre, volunteer, elder, 60, day=date(2026, 10, 5))
    MonthCloseService(centre).close(Month(2026, 10))
    AccountService(centre).grant(volunteer, 30, "补贴")
    serve(centre, volunteer, elder, 90, day=date(2026, 10, 28))  # late: October is closed
    window = make_window("admin")
    page = window.show_page("accounts")
    page.show_account(volunteer)  # type: ignore[attr-defined]
    model = page.history  # type: ignore[attr-defined]
    cells = [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert [(r[0], r[1]) for r in cells] == [
        ("1", "2026-10-05"), ("3", "2026-10-28"), ("2", TODAY.isoformat()),
    ]  # fmt: skip
    assert cells[1][4].endswith("(late entry, booked on 2026-11-20)")
    assert [r[-1] for r in cells] == ["1", "2.5", "3"]
