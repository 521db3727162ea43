"""The Sync page's visitor panel: a visitor's exchange for goods and voiding a visit, by the
keyboard, on two centres of one stub district (offscreen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import press, type_text
from tests.gui.test_sync_page import _configure
from tests.helpers import add_member, id_for
from tests.sync_centre.district_stub import PASSPHRASE, StubDistrict
from tests.sync_centre.helpers import counts, new_centre
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.ui.pages.sync import SyncPage
from timebank_desktop.ui.pages.sync_visitor import VisitorBox

VISITOR_ID = id_for(date(1950, 2, 3))


@pytest.fixture
def box(
    qtbot: Any,
    make_window: MakeWindow,
    prompts: ScriptedPrompts,
    centre: AppContext,
    tmp_path: Path,
) -> Any:
    """The visitor panel of centre A01, with a statement giving 张桂兰 of B02 2 h."""
    district = StubDistrict()
    other = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    district.enrol(SyncFileService(other).enrolment(tmp_path / "b.enrol.tbsync").path)
    window = make_window("admin")
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    _configure(page, prompts, district, tmp_path)
    SyncFileService(other).import_file(
        tmp_path / "config.tbsync", passphrase=PASSPHRASE, fingerprint=district.fingerprint
    )
    number = MemberService(other).add(MemberInput("张桂兰", VISITOR_ID, role="both")).member_no
    AccountService(other).grant(number, 120)
    district.receive(ExportService(other).export(tmp_path / "b.tbsync").path)
    prompts.answers["open_file"] = [district.statement(tmp_path / "s1.tbsync")]
    page.import_button.click()
    other.engine.dispose()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return page.visitor


def _type_into(qtbot: Any, widget: Any, text: str) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    type_text(qtbot, text)


def _honour(qtbot: Any, box: VisitorBox, volunteer: str, minutes: int) -> None:
    _type_into(qtbot, box.id_number, VISITOR_ID)
    _type_into(qtbot, box.volunteer, volunteer)
    box.minutes.setValue(minutes)
    box.honour_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    assert "honoured" in box.result.text()


def test_void_a_visit_from_the_panel(
    qtbot: Any, box: VisitorBox, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    volunteer = add_member(centre, "刘芳", date(1965, 6, 6))
    _honour(qtbot, box, volunteer, 60)
    assert AccountService(centre).balance(volunteer).balance_minutes == 60
    ops = box.ops
    assert ops.visits.count() == 1 and ops.seq.value() == ops.visits.itemData(0)

    before, asked = counts(centre), len(prompts.messages("confirm"))
    _type_into(qtbot, ops.reason, "")
    press(qtbot, Qt.Key.Key_Return)  # no reason: refused, nothing asked, nothing written
    assert "reason" in box.result.text() and len(prompts.messages("confirm")) == asked
    type_text(qtbot, "wrong visitor")
    press(qtbot, Qt.Key.Key_Return)  # the confirmation is answered "no"
    assert counts(centre) == before
    prompts.answers["confirm"] = [True]
    press(qtbot, Qt.Key.Key_Return)
    _title, text = prompts.messages("confirm")[-1]
    assert "Both of its transactions are reversed" in text and "allowance" in text
    assert "voided: 1 h reversed" in box.result.text()
    assert "May honour 2 h" in box.result.text()
    assert AccountService(centre).balance(volunteer).balance_minutes == 0
    assert AccountService(centre).system_balance("clearing:B02") == 0
    assert ops.visits.itemText(0).endswith("(void)") and "1 h, service" in ops.visits.itemText(0)

    prompts.answers["confirm"] = [True]
    _type_into(qtbot, ops.reason, "again")
    press(qtbot, Qt.Key.Key_Return)  # a second void is refused with the reason
    assert "already void" in box.result.text()


def test_a_visitor_exchanges_hours_for_goods_and_a_refusal_writes_nothing(
    qtbot: Any, box: VisitorBox, centre: AppContext
) -> None:
    _type_into(qtbot, box.id_number, VISITOR_ID)
    ops = box.ops
    before = counts(centre)
    _type_into(qtbot, ops.hours, "3")
    _type_into(qtbot, ops.item, "大米")
    press(qtbot, Qt.Key.Key_Return)
    assert "Insufficient balance" in box.result.text() or "allowance" in box.result.text()
    assert counts(centre) == before

    ops.hours.clear()
    _type_into(qtbot, ops.hours, "1.5")
    ops.item.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert "1.5 h exchanged for 大米" in box.result.text()
    assert AccountService(centre).system_balance("clearing:B02") == -90
    assert ops.visits.count() == 1 and "exchange for goods" in ops.visits.itemText(0)
    assert ops.seq.value() == ops.visits.itemData(0)


def test_voiding_a_transaction_that_is_no_visit_is_refused(
    qtbot: Any, box: VisitorBox, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    member = add_member(centre, "王秀英", date(1960, 1, 1))
    seq = AccountService(centre).grant(member, 60).seq
    before = counts(centre)
    box.ops.seq.setValue(seq)
    prompts.answers["confirm"] = [True]
    _type_into(qtbot, box.ops.reason, "test")
    press(qtbot, Qt.Key.Key_Return)
    assert "is not a visitor's service or exchange" in box.result.text()
    assert counts(centre) == before


def test_a_clerk_may_exchange_but_not_void(make_window: MakeWindow) -> None:
    page = make_window("clerk").show_page("sync")
    assert isinstance(page, SyncPage)
    ops = page.visitor.ops
    assert ops.redeem_button.isEnabled() and ops.item.isEnabled()
    assert not ops.void_button.isEnabled() and not ops.reason.isEnabled()
