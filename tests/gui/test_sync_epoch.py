"""Sync page: a statement showing this database behind the district asks to start a new chain
epoch; declined, nothing changes; confirmed, the statement is imported in epoch 2 (offscreen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.conftest import NOW
from tests.district.factories import SimCentre
from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.test_sync_page import _configure, _page
from tests.helpers import add_member
from tests.sync_centre.district_stub import StubDistrict
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.backup import BackupService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.desk import DistrictDesk
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.ui.pages.district import DistrictPanel
from timebank_desktop.ui.pages.sync import SyncPage
from timebank_desktop.ui.tasks import TaskRunner


def test_a_statement_ahead_of_the_database_asks_for_a_new_epoch(
    make_window: MakeWindow, prompts: ScriptedPrompts, centre: AppContext, tmp_path: Path
) -> None:
    page = _page(make_window)
    district = StubDistrict()
    _configure(page, prompts, district, tmp_path)
    AccountService(centre).grant(add_member(centre, "王秀英", date(1962, 3, 1)), 90)
    district.receive(ExportService(centre).export(tmp_path / "x.tbsync").path)
    epoch, seq, _hash = district.heads["A01"]
    district.heads["A01"] = (epoch, seq + 2, "ab" * 32)  # the district holds more than we have
    statement = district.statement(tmp_path / "statement.tbsync")
    assert "Chain epoch 1" in page.keys.text()

    prompts.answers["open_file"] = [statement]
    prompts.answers["confirm"] = [False]
    page.import_button.click()
    assert "Fork alarm" in page.message.text()
    assert "Start chain epoch 2 now?" in prompts.messages("confirm")[-1][1]
    assert "No district statement imported yet" in page.keys.text()

    prompts.answers["open_file"] = [statement]
    prompts.answers["confirm"] = [True]
    page.import_button.click()
    assert "District statement 1 imported" in page.message.text()
    assert "chain epoch 2 started" in page.message.text()
    assert "Chain epoch 2" in page.keys.text()


def test_restoring_a_backup_behind_the_last_export_says_a_new_epoch_began(
    make_window: MakeWindow, prompts: ScriptedPrompts, centre: AppContext, tmp_path: Path
) -> None:
    window = make_window("admin")
    page = window.show_page("sync")
    assert isinstance(page, SyncPage)
    _configure(page, prompts, StubDistrict(), tmp_path)
    member = add_member(centre, "王秀英", date(1962, 3, 1))
    AccountService(centre).grant(member, 90)
    backup = BackupService(centre).backup(tmp_path / "k.sqlite3")
    AccountService(centre).grant(member, 30)
    ExportService(centre).export(tmp_path / "x.tbsync")
    prompts.answers["open_file"] = [backup.path]
    prompts.answers["confirm"] = [True]
    window.settings_page.backup_tab.restore_button.click()
    text = prompts.messages("info")[-1][1]
    assert "Restored 1 transactions" in text and "chain epoch 2 started" in text


def test_the_district_panel_lists_what_a_centre_lost(
    qtbot: Any, runner: TaskRunner, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    desk = DistrictDesk(tmp_path / "district.sqlite3", FixedClock(NOW))
    desk.init("D01", "东湖街道")
    a = SimCentre("A01")
    desk.enrol(a.enrolment(tmp_path / "a.enrol"))
    for i in range(3):
        a.serve(f"v{i}", "elder", 30)
    restored = SimCentre("A01", key=a.key, epoch=2)
    restored.txs, restored.accounts = list(a.txs[:1]), dict(a.accounts)
    restored.serve("w", "elder", 20)
    desk.import_files([a.export(tmp_path / "a1.tbsync"), restored.export(tmp_path / "a2.tbsync")])
    panel = DistrictPanel(desk, runner, prompts, choose_files=lambda _parent: [])
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.table.item(0, 3).text() == "2:2"
    assert "A01 epoch 1 seq 2–3: 2 transactions" in panel.summary.text()
    assert "re-enter them from the paper slips" in panel.summary.text()
    desk.close()
