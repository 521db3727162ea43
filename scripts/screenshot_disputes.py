"""Screenshot of the disputes (纠纷) on the Records page, in Chinese (offscreen Qt).

    python scripts/screenshot_disputes.py [--out docs/screenshots/disputes.png]

Builds a small demo centre in a temporary folder, opens three disputes and decides one, then
grabs the Records page with the list of cases drawn over it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QRect, QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from scripts.screenshots import NOW  # noqa: E402
from timebank_desktop.domain.clock import FixedClock  # noqa: E402
from timebank_desktop.domain.roles import Role  # noqa: E402
from timebank_desktop.i18n import set_language  # noqa: E402
from timebank_desktop.services.context import Actor, AppContext  # noqa: E402
from timebank_desktop.services.database import open_database  # noqa: E402
from timebank_desktop.services.demo import DemoOptions, DemoService  # noqa: E402
from timebank_desktop.services.paths import AppPaths  # noqa: E402
from timebank_desktop.services.record_list import RecordFilter, RecordListService  # noqa: E402
from timebank_desktop.ui.backend import Backend  # noqa: E402
from timebank_desktop.ui.mainwindow import MainWindow  # noqa: E402
from timebank_desktop.ui.pages.records import RecordsPage  # noqa: E402
from timebank_desktop.ui.prompts import Prompts  # noqa: E402
from timebank_desktop.ui.qt_translations import use_qt_language  # noqa: E402
from timebank_desktop.ui.tasks import TaskRunner  # noqa: E402
from timebank_desktop.ui.widgets import load_cjk_font  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "disputes.png"))
    out = Path(parser.parse_args().out)
    app = QApplication(sys.argv[:1])
    load_cjk_font(app)
    set_language("zh_CN")
    use_qt_language("zh_CN")
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        ctx = AppContext(open_database(home / "demo.sqlite3"), clock=FixedClock(NOW))
        DemoService(ctx).generate(DemoOptions(members=60, months=2, seed=1))
        admin = ctx.as_actor(Actor("admin", Role.ADMIN, "演示管理员"))
        backend = Backend(admin, AppPaths(home), home / "demo.sqlite3", True)
        rows = RecordListService(admin).page(RecordFilter(status="posted"), limit=3)
        reasons = (
            "服务对象反映实际服务时长不足一小时",
            "凭条签字与本人笔迹不符",
            "同一天重复登记",
        )
        for row, reason in zip(rows, reasons, strict=False):
            backend.disputes.open(row.slip_no, reason)
        if rows:
            backend.disputes.decide("JF-2026-0003", False, "核对原始记录单，登记无误")
        settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(backend, TaskRunner(synchronous=True), Prompts(), settings)
        window.resize(1280, 800)
        window.show()
        page = window.show_page("records")
        assert isinstance(page, RecordsPage)
        page.table.selectRow(0)
        page.disputes.show_disputes()
        dialog = page.disputes.dialog
        assert dialog is not None
        dialog.status.setCurrentIndex(1)  # all cases
        QApplication.processEvents()
        shot = window.grab()
        painter = QPainter(shot)
        inner = dialog.grab()
        corner = QPoint((shot.width() - inner.width()) // 2, shot.height() - inner.height() - 40)
        painter.drawPixmap(corner, inner)
        painter.setPen(QPen(QColor("#555555"), 2))
        painter.drawRect(QRect(corner, inner.size()))
        painter.end()
        out.parent.mkdir(parents=True, exist_ok=True)
        shot.save(str(out))
        print(out)
        window.close()
        ctx.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
