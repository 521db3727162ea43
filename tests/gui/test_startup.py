"""Start-up: one instance per database, the demo centre, the wizard's refusals, the window."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from tests.conftest import NOW
from tests.gui.conftest import ScriptedPrompts
from tests.gui.keys import press, type_text
from timebank_desktop import app_gui
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.instance_lock import AlreadyRunning, lock_path
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.ui import startup
from timebank_desktop.ui.mainwindow import MainWindow
from timebank_desktop.ui.tasks import TaskRunner


def test_a_second_instance_on_the_same_database_is_refused(
    tmp_path: Path,
    prompts: ScriptedPrompts,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "centre.sqlite3"
    first = app_gui.open_locked(db, False)
    try:
        lock_path(db).write_text(str(os.getppid()))  # held by another live process
        with pytest.raises(AlreadyRunning, match="already open"):
            app_gui.open_locked(db, False)
        monkeypatch.setattr(app_gui, "Prompts", lambda: prompts)
        monkeypatch.setattr(app_gui, "user_settings", lambda: settings)
        assert app_gui.main(["--db", str(db), "--lang", "en"]) == 1
        assert "already open" in prompts.messages("error")[0][1]
    finally:
        first.ctx.engine.dispose()
        lock_path(db).unlink()


def test_a_stale_lock_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "centre.sqlite3"
    lock_path(db).write_text("999999999")
    opened = app_gui.open_locked(db, False)
    assert lock_path(db).read_text() == str(os.getpid())
    opened.close()
    assert not lock_path(db).exists()


def test_database_target_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = AppPaths(tmp_path)
    monkeypatch.setenv("TIMEBANK_DB", str(tmp_path / "env.sqlite3"))
    assert app_gui.database_target(app_gui.parse_args([]), paths) == tmp_path / "env.sqlite3"
    args = app_gui.parse_args(["--db", str(tmp_path / "x.sqlite3")])
    assert app_gui.database_target(args, paths) == tmp_path / "x.sqlite3"
    assert app_gui.database_target(app_gui.parse_args(["--demo"]), paths) == paths.demo_database
    monkeypatch.delenv("TIMEBANK_DB")
    assert app_gui.database_target(app_gui.parse_args([]), paths) == paths.database


def test_the_demo_centre_is_built_and_shows_its_account(
    qtbot: Any,
    tmp_path: Path,
    settings: QSettings,
    prompts: ScriptedPrompts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(startup, "DEMO_OPTIONS", startup.DemoOptions(members=20, months=2))
    paths = AppPaths(tmp_path / "home")
    opened = app_gui.open_locked(tmp_path / "empty.sqlite3", False, FixedClock(NOW))
    flow = app_gui.compose(
        opened, paths, settings, TaskRunner(synchronous=True), prompts, FixedClock(NOW)
    )
    flow.start()
    setup = flow.dialog
    qtbot.addWidget(setup)
    setup.demo_button.click()
    assert flow.opened.path == paths.demo_database and flow.opened.demo
    assert MemberService(flow.opened.ctx).count() == 20
    signin = flow.dialog
    qtbot.addWidget(signin)
    assert signin.demo_hint.isVisible()
    assert "admin" in signin.demo_hint.text() and "demo" in signin.demo_hint.text()
    signin.activateWindow()
    qtbot.waitUntil(lambda: signin.username.hasFocus())
    type_text(qtbot, "admin")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "demo")
    press(qtbot, Qt.Key.Key_Return)
    assert isinstance(flow.window, MainWindow)
    qtbot.addWidget(flow.window)
    assert flow.window.backend.demo
    flow.window.close()
    flow.opened.close()
    assert not lock_path(paths.demo_database).exists()


def test_wizard_refuses_inline_and_writes_nothing(
    qtbot: Any, tmp_path: Path, settings: QSettings, prompts: ScriptedPrompts
) -> None:
    opened = app_gui.open_locked(tmp_path / "new.sqlite3", False, FixedClock(NOW))
    flow = app_gui.compose(
        opened,
        AppPaths(tmp_path),
        settings,
        TaskRunner(synchronous=True),
        prompts,
        FixedClock(NOW),
    )
    flow.start()
    setup = flow.dialog
    qtbot.addWidget(setup)
    values = {
        "centre_code": "bad code!",
        "centre_name": "",
        "username": "wang",
        "password": "short",
        "password_again": "short",
    }
    for key, text in values.items():
        setup.edits[key].setText(text)
    setup.submit()
    assert setup.errors["password"].text() == "The password needs at least 8 characters"
    setup.edits["password"].setText("long-enough")
    setup.edits["password_again"].setText("long-enough!")
    setup.submit()
    assert setup.errors["password_again"].text() == "The two passwords differ"
    setup.edits["password_again"].setText("long-enough")
    setup.submit()
    assert setup.errors["centre_code"].isVisible() or setup.errors["centre_code"].text()
    assert setup.errors["centre_name"].text() == "The centre name is required"
    assert not CentreService(opened.ctx).exists()
    assert flow.window is None
    opened.close()
