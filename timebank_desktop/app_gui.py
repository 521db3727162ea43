"""`timebank-desktop`: the composition root of the desktop application.

``timebank-desktop [--db FILE] [--demo] [--lang zh_CN|en]``. This module alone builds the
application: it resolves the database (``--db``, ``TIMEBANK_DB``, the user data folder),
takes the one-instance lock, opens the database, builds the `AppContext`, the task runner,
the prompts and the settings store, and hands them to the start-up flow. Nothing else holds
them globally.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from timebank_desktop.domain.clock import Clock, SystemClock
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import LANGUAGES, _, current_language, set_language
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.instance_lock import InstanceLock
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.mainwindow import MainWindow
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.qt_translations import use_qt_language
from timebank_desktop.ui.startup import OpenedDatabase, StartupFlow
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import load_cjk_font

log = logging.getLogger(__name__)
ORGANISATION, APPLICATION = "Timebank", "Timebank Desktop"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="timebank-desktop", description="社区时间银行")
    parser.add_argument("--db", help="the database file (default: TIMEBANK_DB or the data folder)")
    parser.add_argument("--demo", action="store_true", help="open the demo centre")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help="zh_CN (default) or en")
    return parser.parse_args(argv)


def user_settings() -> QSettings:
    """Window geometry, language and similar per-user choices (not ledger settings)."""
    return QSettings(ORGANISATION, APPLICATION)


def database_target(args: argparse.Namespace, paths: AppPaths) -> Path:
    if args.demo:
        return paths.demo_database
    return Path(args.db or os.environ.get("TIMEBANK_DB") or paths.database).expanduser()


def open_locked(path: Path, demo: bool, clock: Clock | None = None) -> OpenedDatabase:
    """Lock ``path`` for this process, then open it (schema created or upgraded)."""
    lock = InstanceLock(path)
    lock.acquire()
    try:
        engine = open_database(path)
    except BaseException:
        lock.release()
        raise
    return OpenedDatabase(path, AppContext(engine, clock=clock or SystemClock()), lock, demo)


def compose(
    opened: OpenedDatabase,
    paths: AppPaths,
    settings: QSettings,
    runner: TaskRunner,
    prompts: Prompts,
    clock: Clock | None = None,
    verify_at_start: bool = True,
) -> StartupFlow:
    """Wire the start-up flow and the main window factory around one opened database."""

    def make_window(db: OpenedDatabase, actor: Actor) -> QWidget:
        backend = Backend(db.ctx.as_actor(actor), paths, db.path, db.demo)
        return MainWindow(backend, runner, prompts, settings, verify_at_start=verify_at_start)

    return StartupFlow(
        opened,
        lambda path, demo: open_locked(path, demo, clock),
        paths,
        runner,
        prompts,
        make_window,
    )


def _setup_logging(paths: AppPaths) -> logging.Handler:
    """A rotating log file in the user's log folder (stderr if it cannot be written)."""
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.logs / "timebank-desktop.log",
            maxBytes=1_000_000,
            backupCount=5,
            encoding="utf-8",
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return handler


def _install_excepthook(prompts: Prompts) -> None:
    """Bugs: one error dialog with the details to copy, and the traceback in the log."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unhandled exception\n%s", details)
        if isinstance(exc, TimebankError):
            prompts.error(None, _("Time bank"), exc.message)
        else:
            prompts.error(None, _("Time bank"), _("Something went wrong. Details:"), details)

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop application; the exit status."""
    args = parse_args(argv)
    paths = AppPaths.default()
    handler = _setup_logging(paths)
    try:
        return _run(args, paths)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def _run(args: argparse.Namespace, paths: AppPaths) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    settings = user_settings()
    set_language(args.lang or str(settings.value("language", "zh_CN")))
    use_qt_language(current_language())
    load_cjk_font(app)
    prompts, runner = Prompts(), TaskRunner()
    runner.on_unhandled = lambda exc: sys.excepthook(type(exc), exc, exc.__traceback__)
    _install_excepthook(prompts)
    try:
        opened = open_locked(database_target(args, paths), args.demo)
    except TimebankError as exc:
        prompts.error(None, _("Time bank"), exc.message)
        return 1
    flow = compose(opened, paths, settings, runner, prompts)
    flow.abandoned.connect(app.quit)
    flow.start()
    try:
        return app.exec()
    finally:
        runner.shutdown()
        flow.opened.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
