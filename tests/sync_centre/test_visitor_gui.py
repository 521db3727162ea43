"""The Sync page's visitor form shows the standing restored once a visit is voided.

The form asks the same service as the CLI (VisitorService.standing); this checks the page
end to end on centre B with a stub district: honour, void (a service call, no GUI for it),
check again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import func, select

from tests.sync_centre.helpers import new_centre, visiting
from timebank_desktop.domain.roles import Role
from timebank_desktop.models import Txn
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.visitors import VisitorService
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.pages.base import PageDeps
from timebank_desktop.ui.pages.sync import SyncPage
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import TaskRunner


@pytest.mark.usefixtures("qapp")
def test_the_visitor_form_shows_a_voided_visit_given_back(
    ctx: AppContext, tmp_path: Path, qtbot: object
) -> None:
    b = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    v = visiting(ctx, b, tmp_path)
    district, zhang_id, helper = v.district, v.zhang_id, v.helper
    district.receive(ExportService(ctx).export(tmp_path / "a1.tbsync").path)
    SyncFileService(b).import_file(district.statement(tmp_path / "s1.tbsync"))

    admin = b.as_actor(Actor("admin1", Role.ADMIN, "admin"))
    deps = PageDeps(
        Backend(admin, AppPaths(tmp_path / "home-b"), tmp_path / "b.sqlite3"),
        TaskRunner(synchronous=True), Prompts(),
        QSettings(str(tmp_path / "b.ini"), QSettings.Format.IniFormat),
    )  # fmt: skip
    page = SyncPage(deps)
    qtbot.addWidget(page)  # type: ignore[attr-defined]
    page.activated()
    box = page.visitor
    box.id_number.setText(zhang_id)
    box.home.setCurrentIndex(box.home.findData("A01"))
    box.volunteer.setText(helper)
    box.minutes.setValue(90)
    box.honour_button.click()
    assert "1.5 h honoured (3.5 h left here)" in box.result.text()
    box.id_number.setText(zhang_id)
    box.check_button.click()
    assert "may honour 3.5 h now" in box.result.text()

    VisitorService(admin).void(_last_seq(b), "录入错误")  # the service: either seq will do
    box.check_button.click()
    assert "honoured here since 0 h" in box.result.text()
    assert "may honour 5 h now" in box.result.text()
    b.engine.dispose()


def _last_seq(ctx: AppContext) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.max(Txn.seq))) or 0)
