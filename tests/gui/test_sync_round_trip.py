"""The round trip from the GUI: two centres' Sync pages, the real district services between them.

Every centre-side step is a button on a Sync page (enrolment, configuration, export, statement,
the visitor form); the district side runs its services, as its own screens would.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog

from tests.conftest import NOW
from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.helpers import add_member, id_for
from tests.sync_centre.helpers import new_centre
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.domain.roles import Role
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.district.database import open_district_database
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter
from timebank_desktop.services.district.statement import DistrictStatementService
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.services.verify import VerifyService
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.pages.base import PageDeps
from timebank_desktop.ui.pages.sync import SyncPage
from timebank_desktop.ui.tasks import TaskRunner


def _import(page: SyncPage, prompts: ScriptedPrompts, path: Path, passphrase: str = "") -> str:
    prompts.answers["open_file"] = [path]
    prompts.answers["confirm"] = [True]
    page.import_button.click()
    if passphrase:
        dialog = prompts.dialogs[-1]
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue(passphrase)
        dialog.accept()
    return page.message.text()


def _export(page: SyncPage, prompts: ScriptedPrompts, path: Path) -> Path:
    prompts.answers["save_file"] = [path]
    page.export_button.click()
    assert path.exists(), page.message.text()
    return path


def test_round_trip_from_the_sync_pages(
    make_window: MakeWindow, prompts: ScriptedPrompts, centre: AppContext, tmp_path: Path,
    qtbot: object,
) -> None:  # fmt: skip
    page_a = make_window("admin").show_page("sync")
    assert isinstance(page_a, SyncPage)
    b = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    admin = Actor("admin1", Role.ADMIN, "admin")
    deps_b = PageDeps(
        Backend(b.as_actor(admin), AppPaths(tmp_path / "home-b"), tmp_path / "b.sqlite3"),
        TaskRunner(synchronous=True), prompts,
        QSettings(str(tmp_path / "b.ini"), QSettings.Format.IniFormat),
    )  # fmt: skip
    page_b = SyncPage(deps_b)
    qtbot.addWidget(page_b)  # type: ignore[attr-defined]
    page_b.activated()
    district = AppContext(open_district_database(tmp_path / "d.sqlite3"), clock=FixedClock(NOW))
    info = DistrictIdentityService(district).init("D01", "东湖街道")
    importer, statements = DistrictImporter(district), DistrictStatementService(district)

    for page, name in ((page_a, "a"), (page_b, "b")):
        prompts.answers["save_file"] = [tmp_path / f"{name}.enrol.tbsync"]
        page.enrol_button.click()
        DistrictIdentityService(district).enrol(tmp_path / f"{name}.enrol.tbsync")
    DistrictIdentityService(district).config(tmp_path / "config.tbsync")
    for page in (page_a, page_b):
        assert "loaded" in _import(page, prompts, tmp_path / "config.tbsync", info.passphrase)

    zhang_id = id_for(date(1950, 2, 3))
    zhang = MemberService(centre).add(MemberInput("张桂兰", zhang_id, role="both")).member_no
    AccountService(centre).grant(zhang, 300)
    helper = add_member(b, "刘芳", date(1965, 6, 6))

    def cycle(n: int) -> Path:
        for page, name in ((page_a, "a"), (page_b, "b")):
            importer.import_file(_export(page, prompts, tmp_path / f"{name}{n}.tbsync"))
        statement = statements.write(tmp_path / f"statement{n}.tbsync").written.path
        for page in (page_a, page_b):
            assert f"District statement {n} imported" in _import(page, prompts, statement)
        return statement

    cycle(1)
    box = page_b.visitor
    box.id_number.setText(zhang_id)
    box.home.setCurrentIndex(box.home.findData("A01"))
    box.volunteer.setText(helper)
    box.minutes.setValue(90)
    box.honour_button.click()
    assert "1.5 h honoured" in box.result.text()
    cycle(2)
    assert AccountService(centre).balance(zhang).balance_minutes == 210
    assert AccountService(b).balance(helper).balance_minutes == 90
    box.id_number.setText(zhang_id)
    box.check_button.click()
    assert "balance 3.5 h" in box.result.text()
    cycle(3)
    assert AccountService(centre).balance(zhang).balance_minutes == 210
    for ctx in (centre, b):
        assert VerifyService(ctx).run().ok
    assert page_a.history.rowCount() == 3
    assert {page_a.history.row_at(i).status.value for i in range(3)} == {"received"}  # type: ignore[union-attr]
    b.engine.dispose()
    district.engine.dispose()
