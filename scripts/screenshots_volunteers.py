"""Screenshots of a volunteer's certificates and insurance and of the goods catalogue.

    python scripts/screenshots_volunteers.py [--out docs/screenshots] [--lang zh_CN]

Builds a small demo centre in a temporary folder, records a certificate that expires soon and
an insurance policy that has run out for a volunteer, and a few goods; then saves
``volunteer.png`` (the Members page with that volunteer) and ``goods.png`` (Settings, Goods)
with ``QWidget.grab()`` on offscreen Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from timebank_desktop.domain.clock import FixedClock  # noqa: E402
from timebank_desktop.domain.roles import Role  # noqa: E402
from timebank_desktop.i18n import set_language  # noqa: E402
from timebank_desktop.services.context import Actor, AppContext  # noqa: E402
from timebank_desktop.services.database import open_database  # noqa: E402
from timebank_desktop.services.demo import DemoOptions, DemoService  # noqa: E402
from timebank_desktop.services.goods import GoodsService  # noqa: E402
from timebank_desktop.services.members import MemberService  # noqa: E402
from timebank_desktop.services.paths import AppPaths  # noqa: E402
from timebank_desktop.services.volunteers import VolunteerService  # noqa: E402
from timebank_desktop.ui.backend import Backend  # noqa: E402
from timebank_desktop.ui.mainwindow import MainWindow  # noqa: E402
from timebank_desktop.ui.pages.members import MembersPage  # noqa: E402
from timebank_desktop.ui.pages.settings import SettingsPage  # noqa: E402
from timebank_desktop.ui.prompts import Prompts  # noqa: E402
from timebank_desktop.ui.qt_translations import use_qt_language  # noqa: E402
from timebank_desktop.ui.tasks import TaskRunner  # noqa: E402
from timebank_desktop.ui.widgets import load_cjk_font  # noqa: E402

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def _first_volunteer(ctx: AppContext) -> str:
    for member in MemberService(ctx).search(""):
        if member.is_volunteer and member.balance_minutes > 0:
            return member.member_no
    raise SystemExit("the demo has no volunteer")


def _care_data(ctx: AppContext) -> str:
    number = _first_volunteer(ctx)
    volunteers = VolunteerService(ctx)
    volunteers.certify(number, "急救培训", date(2025, 12, 6), date(2026, 12, 5))
    volunteers.certify(number, "助老服务技能", date(2026, 3, 15))
    volunteers.insure(number, "人保财险", "PICC-2026-0815", date(2026, 1, 1), date(2026, 12, 31))
    volunteers.insure(number, "平安保险", "PA-2025-3301", date(2025, 1, 1), date(2025, 12, 31))
    goods = GoodsService(ctx)
    for name, minutes, stock in (("大米 5 公斤", 120, 12), ("食用油", 90, 0), ("毛巾", 30, 40)):
        goods.add(name, minutes, stock)
    return number


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_cjk_font(app)
    set_language(args.lang)
    use_qt_language(args.lang)
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        ctx = AppContext(open_database(home / "demo.sqlite3"), clock=FixedClock(NOW))
        DemoService(ctx).generate(DemoOptions(members=40, months=2, seed=1))
        admin = Actor("admin", Role.ADMIN, "演示管理员")
        number = _care_data(ctx.as_actor(admin))
        settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        backend = Backend(ctx.as_actor(admin), AppPaths(home), home / "demo.sqlite3", True)
        window = MainWindow(backend, TaskRunner(synchronous=True), Prompts(), settings)
        window.resize(1280, 860)
        window.show()
        members = window.show_page("members")
        assert isinstance(members, MembersPage)
        members.show_member(number)
        _save(window, out / "volunteer.png")
        page = window.show_page("settings")
        assert isinstance(page, SettingsPage)
        page.tabs.setCurrentWidget(page.goods_tab)
        _save(window, out / "goods.png")
        window.close()
        ctx.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
