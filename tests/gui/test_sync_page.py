"""The centre's Sync page: enrolment, configuration, export, statement, visitors (offscreen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.helpers import add_member, id_for
from tests.sync_centre.district_stub import PASSPHRASE, StubDistrict
from tests.sync_centre.helpers import new_centre
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.ui.pages.sync import SyncPage
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import TaskControl


def _page(make_window: MakeWindow) -> SyncPage:
    page = make_window("admin").show_page("sync")
    assert isinstance(page, SyncPage)
    return page


def _configure(
    page: SyncPage, prompts: ScriptedPrompts, district: StubDistrict, folder: Path
) -> None:
    prompts.answers["save_file"] = [folder / "enrol.tbsync"]
    page.enrol_button.click()
    district.enrol(folder / "enrol.tbsync")
    config = district.config(folder / "config.tbsync")
    prompts.answers["open_file"] = [config]
    prompts.answers["confirm"] = [True]
    page.import_button.click()
    dialog = prompts.dialogs[-1]
    assert isinstance(dialog, QInputDialog)
    assert dialog.textEchoMode() == QLineEdit.EchoMode.Password
    dialog.setTextValue(PASSPHRASE)
    dialog.accept()


def test_configuration_export_and_statement_from_the_page(
    make_window: MakeWindow, prompts: ScriptedPrompts, centre: AppContext, tmp_path: Path,
    qtmodeltester: Any,
) -> None:  # fmt: skip
    page = _page(make_window)
    assert "No district configuration" in page.keys.text()
    district = StubDistrict()
    prompts.answers["open_file"] = [district.config(tmp_path / "early.tbsync")]
    prompts.answers["confirm"] = [False]
    page.import_button.click()
    assert "not confirmed" in page.message.text()
    _configure(page, prompts, district, tmp_path)
    assert "loaded" in page.message.text()
    assert district.fingerprint in page.keys.text()
    assert district.fingerprint in prompts.messages("confirm")[-1][1]

    member = add_member(centre, "王秀英", date(1962, 3, 1))
    AccountService(centre).grant(member, 90)
    prompts.answers["save_file"] = [tmp_path / "usb" / "A01-export"]
    (tmp_path / "usb").mkdir()
    page.export_button.click()
    written = tmp_path / "usb" / "A01-export.tbsync"
    assert written.exists()
    assert "Exported transactions 1–1" in page.message.text()
    assert page.history.rowCount() == 1
    qtmodeltester.check(page.history)
    assert page.history.row_at(0).status.value == "waiting"  # type: ignore[union-attr]

    district.receive(written)
    statement = district.statement(tmp_path / "statement.tbsync")
    data = bytearray(statement.read_bytes())
    data[100] ^= 0xFF
    (tmp_path / "bad.tbsync").write_bytes(bytes(data))
    prompts.answers["open_file"] = [tmp_path / "bad.tbsync"]
    page.import_button.click()
    assert prompts.messages("error")
    assert "No district statement imported yet" in page.keys.text()
    prompts.answers["open_file"] = [statement]
    page.import_button.click()
    assert "District statement 1 imported" in page.message.text()
    assert page.history.row_at(0).status.value == "received"  # type: ignore[union-attr]
    assert "Last district statement: 1" in page.keys.text()


def test_a_cancelled_export_or_import_changes_nothing(
    make_window: MakeWindow, prompts: ScriptedPrompts, centre: AppContext, tmp_path: Path
) -> None:
    page = _page(make_window)
    district = StubDistrict()
    _configure(page, prompts, district, tmp_path)
    AccountService(centre).grant(add_member(centre, "王秀英", date(1962, 3, 1)), 90)

    def cancelling(parent: QWidget | None, label: str, control: TaskControl) -> Any:
        control.cancel()
        return Prompts.progress(prompts, parent, label, control)

    prompts.progress = cancelling  # type: ignore[method-assign]
    prompts.answers["save_file"] = [tmp_path / "x.tbsync"]
    page.export_button.click()
    assert "cancelled" in page.message.text()
    assert not (tmp_path / "x.tbsync").exists()
    assert page.history.rowCount() == 0
    del prompts.progress
    district.receive(ExportService(centre).export(tmp_path / "y.tbsync").path)
    statement = district.statement(tmp_path / "statement.tbsync")
    prompts.progress = cancelling  # type: ignore[method-assign]
    prompts.answers["open_file"] = [statement]
    page.import_button.click()
    assert "cancelled; nothing was changed" in page.message.text()
    assert "No district statement imported yet" in page.keys.text()


def test_a_visitor_is_honoured_from_the_page(
    make_window: MakeWindow, prompts: ScriptedPrompts, centre: AppContext, tmp_path: Path
) -> None:
    district = StubDistrict()
    other = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    district.enrol(SyncFileService(other).enrolment(tmp_path / "b.enrol.tbsync").path)
    page = _page(make_window)
    _configure(page, prompts, district, tmp_path)
    SyncFileService(other).import_file(
        tmp_path / "config.tbsync", passphrase=PASSPHRASE, fingerprint=district.fingerprint
    )
    visitor_id = id_for(date(1950, 2, 3))
    number = MemberService(other).add(MemberInput("张桂兰", visitor_id, role="both")).member_no
    AccountService(other).grant(number, 120)
    district.receive(ExportService(other).export(tmp_path / "b.tbsync").path)
    prompts.answers["open_file"] = [district.statement(tmp_path / "s1.tbsync")]
    page.import_button.click()
    volunteer = add_member(centre, "刘芳", date(1965, 6, 6))

    box = page.visitor
    assert box.home.currentData() == "B02"
    box.id_number.setText(visitor_id)
    box.check_button.click()
    assert "balance 2 h" in box.result.text()
    box.volunteer.setText(volunteer)
    box.minutes.setValue(180)
    box.honour_button.click()
    assert "Insufficient balance" in box.result.text()
    box.minutes.setValue(90)
    box.honour_button.click()
    assert "1.5 h honoured" in box.result.text()
    assert AccountService(centre).balance(volunteer).balance_minutes == 90
    assert AccountService(centre).system_balance("clearing:B02") == -90
    other.engine.dispose()
