"""Every screenshot in docs/screenshots/, from one demo centre (offscreen Qt).

    python scripts/screenshots.py [--out docs/screenshots]

Builds a demo database in a temporary folder and adds the care data the demo lacks (a
volunteer's certificates and insurance, goods, open requests of different ages, disputes).
Then, as the demo administrator, saves with ``QWidget.grab()``:

* ``<page>-<lang>.png``: every page, in Chinese and English;
* ``signin-<lang>.png`` and ``setup-<lang>.png``: the sign-in dialog and the set-up wizard;
* in Chinese: ``volunteer.png`` (Members, a volunteer with a certificate about to expire and
  an insurance policy that ran out), ``goods.png`` (Settings, Goods) and ``disputes.png``
  (Records, with the list of cases drawn over it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QRect, QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from timebank_desktop.domain.clock import FixedClock  # noqa: E402
from timebank_desktop.domain.roles import Role  # noqa: E402
from timebank_desktop.i18n import set_language  # noqa: E402
from timebank_desktop.services.context import Actor, AppContext  # noqa: E402
from timebank_desktop.services.database import open_database  # noqa: E402
from timebank_desktop.services.demo import DemoOptions, DemoService  # noqa: E402
from timebank_desktop.services.disputes import DisputeService  # noqa: E402
from timebank_desktop.services.goods import GoodsService  # noqa: E402
from timebank_desktop.services.members import MemberService  # noqa: E402
from timebank_desktop.services.paths import AppPaths  # noqa: E402
from timebank_desktop.services.record_list import RecordFilter, RecordListService  # noqa: E402
from timebank_desktop.services.service_requests import RequestService  # noqa: E402
from timebank_desktop.services.volunteers import VolunteerService  # noqa: E402
from timebank_desktop.ui.backend import Backend  # noqa: E402
from timebank_desktop.ui.dialogs.setup import SetupDialog  # noqa: E402
from timebank_desktop.ui.dialogs.signin import SignInDialog  # noqa: E402
from timebank_desktop.ui.mainwindow import PAGE_KEYS, MainWindow  # noqa: E402
from timebank_desktop.ui.pages.members import MembersPage  # noqa: E402
from timebank_desktop.ui.pages.records import RecordsPage  # noqa: E402
from timebank_desktop.ui.pages.settings import SettingsPage  # noqa: E402
from timebank_desktop.ui.prompts import Prompts  # noqa: E402
from timebank_desktop.ui.qt_translations import use_qt_language  # noqa: E402
from timebank_desktop.ui.tasks import TaskRunner  # noqa: E402
from timebank_desktop.ui.widgets import load_cjk_font  # noqa: E402

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
ADMIN = Actor("admin", Role.ADMIN, "演示管理员")
REQUESTS = (  # days ago, category, wanted time, notes
    (7, "meals", "11-21 11:00", "不吃辣，送到家门口"),
    (5, "cleaning", "2026-11-22 上午", "两室一厅"),
    (4, "company", "每周三下午", "陪同散步、聊天"),
    (1, "medical", "11-25 08:30", "陪同去社区医院复诊"),
    (0, "errands", "", "厨房水龙头漏水"),
)
DISPUTE_REASONS = (
    "服务对象反映实际服务时长不足一小时",
    "凭条签字与本人笔迹不符",
    "同一天重复登记",
)


def _save(widget: QWidget | QPixmap, path: Path) -> None:
    QApplication.processEvents()
    shot = widget if isinstance(widget, QPixmap) else widget.grab()
    shot.save(str(path))
    print(path)


def _care_data(ctx: AppContext, clock: FixedClock) -> str:
    """What the demo lacks; returns the volunteer whose certificates and insurance it added."""
    members = MemberService(ctx).search("")
    volunteer = next(m.member_no for m in members if m.is_volunteer and m.balance_minutes > 0)
    volunteers = VolunteerService(ctx)
    volunteers.certify(volunteer, "急救培训", date(2025, 12, 6), date(2026, 12, 5))
    volunteers.certify(volunteer, "助老服务技能", date(2026, 3, 15))
    policies = (("人保财险", "PICC-2026-0815", 2026), ("平安保险", "PA-2025-3301", 2025))
    for insurer, policy, year in policies:
        volunteers.insure(volunteer, insurer, policy, date(year, 1, 1), date(year, 12, 31))
    goods = GoodsService(ctx)
    for name, minutes, stock in (("大米 5 公斤", 120, 12), ("食用油", 90, 0), ("毛巾", 30, 40)):
        goods.add(name, minutes, stock)
    recipients = [m.member_no for m in members if m.is_recipient and not m.is_volunteer]
    for (days, category, when, notes), recipient in zip(REQUESTS, recipients, strict=False):
        clock.current = NOW - timedelta(days=days, hours=1)
        RequestService(ctx).add(recipient, category, when, notes)
    clock.current = NOW
    posted = RecordListService(ctx).page(RecordFilter(status="posted"), limit=3)
    disputes = DisputeService(ctx)
    cases = [disputes.open(r.slip_no, why) for r, why in zip(posted, DISPUTE_REASONS, strict=True)]
    if cases:
        disputes.decide(cases[-1].case_no, False, "核对原始记录单，登记无误")
    return volunteer


def _fill_service_form(window: MainWindow) -> None:
    form = window.service_page
    values = {
        "volunteer": "M000001",
        "recipient": "M000002",
        "category": "zc",
        "date": "11-19",
        "start": "0900",
        "end": "1030",
        "payer": "p",
        "content": "送餐上门并陪同用餐",
        "satisfaction": "1",
    }
    for name, text in values.items():
        form.edits[name].setText(text)
        form.edits[name].editingFinished.emit()
    form.signed.setChecked(True)


def _pages(window: MainWindow, lang: str, out: Path) -> None:
    for key in PAGE_KEYS:
        page = window.show_page(key)
        if key == "service":
            _fill_service_form(window)
        if key == "members":
            window.pages["members"].table.selectRow(0)  # type: ignore[attr-defined]
        if key == "accounts":
            window.pages["accounts"].show_account("M000001")  # type: ignore[attr-defined]
        _save(window, out / f"{page.key}-{lang}.png")


def _care_shots(window: MainWindow, volunteer: str, out: Path) -> None:
    members = window.show_page("members")
    assert isinstance(members, MembersPage)
    members.show_member(volunteer)
    window.resize(1280, 860)
    _save(window, out / "volunteer.png")
    window.resize(1280, 800)
    settings = window.show_page("settings")
    assert isinstance(settings, SettingsPage)
    settings.tabs.setCurrentWidget(settings.goods_tab)
    _save(window, out / "goods.png")
    settings.tabs.setCurrentIndex(0)
    records = window.show_page("records")
    assert isinstance(records, RecordsPage)
    records.table.selectRow(0)
    records.disputes.show_disputes()
    dialog = records.disputes.dialog
    assert dialog is not None
    dialog.status.setCurrentIndex(1)  # all cases
    QApplication.processEvents()
    shot = window.grab()
    inner = dialog.grab()
    corner = QPoint((shot.width() - inner.width()) // 2, shot.height() - inner.height() - 40)
    painter = QPainter(shot)
    painter.drawPixmap(corner, inner)
    painter.setPen(QPen(QColor("#555555"), 2))
    painter.drawRect(QRect(corner, inner.size()))
    painter.end()
    _save(shot, out / "disputes.png")
    dialog.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_cjk_font(app)
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        clock = FixedClock(NOW)
        ctx = AppContext(open_database(home / "demo.sqlite3"), clock=clock)
        DemoService(ctx).generate(DemoOptions(members=300, months=12, seed=1))
        volunteer = _care_data(ctx.as_actor(ADMIN), clock)
        settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        runner = TaskRunner(synchronous=True)
        backend = Backend(ctx.as_actor(ADMIN), AppPaths(home), home / "demo.sqlite3", True)
        for lang in ("zh_CN", "en"):
            set_language(lang)
            use_qt_language(lang)
            window = MainWindow(backend, runner, Prompts(), settings)
            window.resize(1280, 800)
            window.show()
            _pages(window, lang, out)
            if lang == "zh_CN":
                _care_shots(window, volunteer, out)
            window.close()
            signin = SignInDialog(lambda u, p: ADMIN, runner, "演示社区 (DEMO)", demo=True)
            signin.show()
            _save(signin, out / f"signin-{lang}.png")
            setup = SetupDialog(lambda data: None, runner, centre_exists=False)
            setup.show()
            _save(setup, out / f"setup-{lang}.png")
        ctx.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
