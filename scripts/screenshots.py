"""Screenshots of every page, in Chinese and English, from a demo centre (offscreen Qt).

    python scripts/screenshots.py [--out docs/screenshots]

Builds a demo database in a temporary folder, opens the main window as the demo
administrator, and saves ``<page>-<lang>.png`` with ``QWidget.grab()``; also the set-up
wizard and the sign-in dialog.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
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
from timebank_desktop.services.paths import AppPaths  # noqa: E402
from timebank_desktop.ui.backend import Backend  # noqa: E402
from timebank_desktop.ui.dialogs.setup import SetupDialog  # noqa: E402
from timebank_desktop.ui.dialogs.signin import SignInDialog  # noqa: E402
from timebank_desktop.ui.mainwindow import PAGE_KEYS, MainWindow  # noqa: E402
from timebank_desktop.ui.prompts import Prompts  # noqa: E402
from timebank_desktop.ui.qt_translations import use_qt_language  # noqa: E402
from timebank_desktop.ui.tasks import TaskRunner  # noqa: E402
from timebank_desktop.ui.widgets import load_cjk_font  # noqa: E402

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    load_cjk_font(app)
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        ctx = AppContext(open_database(home / "demo.sqlite3"), clock=FixedClock(NOW))
        DemoService(ctx).generate(DemoOptions(members=300, months=12, seed=1))
        admin = Actor("admin", Role.ADMIN, "演示管理员")
        settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        runner = TaskRunner(synchronous=True)
        backend = Backend(ctx.as_actor(admin), AppPaths(home), home / "demo.sqlite3", True)
        for lang in ("zh_CN", "en"):
            set_language(lang)
            use_qt_language(lang)
            window = MainWindow(backend, runner, Prompts(), settings)
            window.resize(1280, 800)
            window.show()
            for key in PAGE_KEYS:
                page = window.show_page(key)
                if key == "service":
                    _fill_service_form(window)
                if key == "members":
                    window.pages["members"].table.selectRow(0)  # type: ignore[attr-defined]
                if key == "accounts":
                    window.pages["accounts"].show_account("M000001")  # type: ignore[attr-defined]
                _save(window, out / f"{page.key}-{lang}.png")
            window.close()
            signin = SignInDialog(lambda u, p: admin, runner, "演示社区 (DEMO)", demo=True)
            signin.show()
            _save(signin, out / f"signin-{lang}.png")
            setup = SetupDialog(lambda data: None, runner, centre_exists=False)
            setup.show()
            _save(setup, out / f"setup-{lang}.png")
        ctx.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
