"""Disputes (纠纷) on the Records page, by the keyboard: open, list, decide (offscreen)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import focus_name, press, type_text
from tests.helpers import add_member, serve
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.disputes import DisputeService
from timebank_desktop.ui.dialogs.dispute import DecideDisputeDialog, OpenDisputeDialog
from timebank_desktop.ui.pages.records import RecordsPage
from timebank_desktop.ui.pages.records_disputes import DisputesDialog

SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _page(qtbot: Any, make_window: MakeWindow, centre: AppContext) -> tuple[RecordsPage, str, str]:
    volunteer = add_member(centre, "王秀英", date(1960, 1, 1))
    recipient = add_member(centre, "李建国", date(1940, 1, 1), role="recipient")
    slip = serve(centre, volunteer, recipient, 90).slip_no
    window = make_window("admin")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.show_page("records")
    assert isinstance(page, RecordsPage)
    page.table.setFocus()
    page.table.selectRow(0)
    return page, slip, volunteer


def _status_shown(page: RecordsPage) -> str:
    """The status cell of the first record, as drawn."""
    option = QStyleOptionViewItem()
    index = page.model.index(0, page.model.columnCount() - 1)
    page.disputes.mark.initStyleOption(option, index)
    return str(option.text)


def _back_to(qtbot: Any, page: RecordsPage) -> None:
    """A closed dialog gives the focus back to the main window."""
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window())


def _open_by_keyboard(
    qtbot: Any, page: RecordsPage, prompts: ScriptedPrompts, reason: str
) -> None:
    _back_to(qtbot, page)
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = prompts.dialogs[-1]
    assert isinstance(dialog, OpenDisputeDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert focus_name() == "dispute_text"
    if reason:
        type_text(qtbot, reason)
    press(qtbot, Qt.Key.Key_Return)


def _decide_by_keyboard(
    qtbot: Any, page: RecordsPage, prompts: ScriptedPrompts, uphold: bool, note: str
) -> None:
    _back_to(qtbot, page)
    press(qtbot, Qt.Key.Key_D, SHIFT_CTRL)
    listing = prompts.dialogs[-1]
    assert isinstance(listing, DisputesDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is listing)
    assert listing.table.rowCount() == 1
    assert focus_name() == "disputes_table"
    press(qtbot, Qt.Key.Key_Return)  # decide the selected case
    dialog = prompts.dialogs[-1]
    assert isinstance(dialog, DecideDisputeDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    (dialog.uphold if uphold else dialog.reject_).setChecked(True)
    dialog.text.setFocus()
    type_text(qtbot, note)
    press(qtbot, Qt.Key.Key_Return)


def test_open_and_uphold_reverses_the_record(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    page, slip, volunteer = _page(qtbot, make_window, centre)
    assert AccountService(centre).balance(volunteer).balance_minutes == 90
    _open_by_keyboard(qtbot, page, prompts, "hours wrong")
    cases = DisputeService(centre).list("open")
    assert [(c.slip_no, c.reason) for c in cases] == [(slip, "hours wrong")]
    assert "JF-2026-0001" in prompts.messages("info")[-1][1]
    assert "1 open" in page.disputes.list_button.text()
    assert "under dispute" in _status_shown(page)

    prompts.answers["confirm"] = [True]
    _decide_by_keyboard(qtbot, page, prompts, True, "confirmed by phone")
    _title, text = prompts.messages("confirm")[-1]
    assert "hours are reversed" in text and slip in text
    case = DisputeService(centre).get("JF-2026-0001")
    assert case.status == "upheld"
    assert AccountService(centre).balance(volunteer).balance_minutes == 0
    assert "under dispute" not in _status_shown(page)
    assert "upheld" in page.disputes.dialog.message.text()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("uphold", "confirm", "status"),
    [(False, [], "rejected"), (True, [False], "open")],
    ids=["rejected-without-asking", "uphold-not-confirmed-changes-nothing"],
)
def test_a_case_not_upheld_leaves_the_record(
    qtbot: Any,
    make_window: MakeWindow,
    centre: AppContext,
    prompts: ScriptedPrompts,
    uphold: bool,
    confirm: list[bool],
    status: str,
) -> None:
    page, _slip, volunteer = _page(qtbot, make_window, centre)
    _open_by_keyboard(qtbot, page, prompts, "not sure")
    prompts.answers["confirm"] = list(confirm)
    _decide_by_keyboard(qtbot, page, prompts, uphold, "the card is right")
    assert len(prompts.messages("confirm")) == len(confirm)  # only an uphold asks first
    assert DisputeService(centre).get("JF-2026-0001").status == status
    assert AccountService(centre).balance(volunteer).balance_minutes == 90


def test_an_empty_reason_or_esc_saves_nothing(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    page, _slip, _volunteer = _page(qtbot, make_window, centre)
    _open_by_keyboard(qtbot, page, prompts, "   ")
    dialog = prompts.dialogs[-1]
    assert isinstance(dialog, OpenDisputeDialog)
    assert dialog.isVisible() and dialog.problem.text() == "Give a reason"
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert DisputeService(centre).list() == []


def test_a_second_dispute_on_the_record_is_refused(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    page, _slip, _volunteer = _page(qtbot, make_window, centre)
    _open_by_keyboard(qtbot, page, prompts, "first")
    page.table.setFocus()
    _open_by_keyboard(qtbot, page, prompts, "second")
    assert "already has an open dispute" in prompts.messages("error")[-1][1]
    assert len(DisputeService(centre).list()) == 1


def test_the_context_menu_offers_the_dispute(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    page, _slip, _volunteer = _page(qtbot, make_window, centre)
    menu = page.disputes.context_menu()
    names = [a.objectName() for a in menu.actions()]
    assert names[0] == "open_dispute" and "export_xlsx" in names
    menu.actions()[0].trigger()
    assert isinstance(prompts.dialogs[-1], OpenDisputeDialog)


def test_a_clerk_opens_a_dispute_but_may_not_decide_it(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    volunteer = add_member(centre, "王秀英", date(1960, 1, 1))
    recipient = add_member(centre, "李建国", date(1940, 1, 1), role="recipient")
    slip = serve(centre, volunteer, recipient, 60).slip_no
    page = make_window("clerk").show_page("records")
    assert isinstance(page, RecordsPage)
    page.table.selectRow(0)
    page.disputes.open_dispute()
    dialog = prompts.dialogs[-1]
    assert isinstance(dialog, OpenDisputeDialog)
    dialog.text.setText("hours wrong")
    dialog.accept()
    assert [c.slip_no for c in DisputeService(centre).list("open")] == [slip]
    page.disputes.show_disputes()
    assert page.disputes.dialog is not None
    page.disputes.dialog.decide_selected()
    assert "Only an administrator" in prompts.messages("info")[-1][1]
    assert DisputeService(centre).get("JF-2026-0001").status == "open"
