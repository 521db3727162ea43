"""GUI test fixtures: offscreen Qt, a synchronous task runner, scripted prompts, and a fresh
database per test made by the application's own start-up code."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is imported

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.conftest import NOW
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.domain.roles import Role
from timebank_desktop.services.auth import StaffService
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.mainwindow import MainWindow
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import load_cjk_font

HERE = Path(__file__).parent
OFFSCREEN_NOISE = (
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)
            # The offscreen platform cannot raise windows or grab the keyboard; nothing to fix.
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


class ScriptedPrompts(Prompts):
    """Records every prompt; answers from ``answers[method]`` (a list used in order)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.answers: dict[str, list[Any]] = {}
        self.dialogs: list[QDialog] = []

    def _answer(self, name: str, default: Any, *args: Any) -> Any:
        self.calls.append((name, args))
        queue = self.answers.get(name)
        return queue.pop(0) if queue else default

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self._answer("info", None, title, text)

    def error(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        self._answer("error", None, title, text)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        return bool(self._answer("confirm", False, title, text))

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        return self._answer("ask_text", None, title, label)

    def open_file(self, parent: Any, title: str, folder: Path, pattern: str) -> Path | None:
        return self._answer("open_file", None, title)

    def save_file(self, parent: Any, title: str, suggested: Path, pattern: str) -> Path | None:
        return self._answer("save_file", None, title)

    def choose_folder(self, parent: Any, title: str, folder: Path) -> Path | None:
        return self._answer("choose_folder", None, title)

    def show_dialog(self, dialog: QDialog) -> None:
        self.calls.append(("show_dialog", (dialog.objectName(),)))
        self.dialogs.append(dialog)
        dialog.show()
        dialog.activateWindow()

    def messages(self, name: str) -> list[tuple[Any, ...]]:
        return [args for kind, args in self.calls if kind == name]


@pytest.fixture(scope="session", autouse=True)
def _cjk_font(qapp: QApplication) -> None:
    load_cjk_font(qapp)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Never the real user's settings: an INI file in the test's folder."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def runner() -> TaskRunner:
    return TaskRunner(synchronous=True)


@pytest.fixture
def prompts() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "home")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "centre.sqlite3"


@pytest.fixture
def centre(db_path: Path) -> Iterator[AppContext]:
    """A centre with an administrator (admin / password1) on a fresh database."""
    ctx = AppContext(open_database(db_path), clock=FixedClock(NOW))
    CentreService(ctx).init("A01", "东湖社区", "D01")
    StaffService(ctx).add("admin", "管理员", "admin", "password1", first_admin=True)
    yield ctx
    ctx.engine.dispose()


MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: Any,
    centre: AppContext,
    runner: TaskRunner,
    prompts: ScriptedPrompts,
    settings: QSettings,
    paths: AppPaths,
    db_path: Path,
) -> MakeWindow:
    """The main window as a staff user of the given role (no start-up dialogs)."""

    def make(role: str = "admin") -> MainWindow:
        actor = Actor(f"{role}1", Role(role), role)
        backend = Backend(centre.as_actor(actor), paths, db_path)
        window = MainWindow(backend, runner, prompts, settings)
        qtbot.addWidget(window)
        window.show()
        return window

    return make
