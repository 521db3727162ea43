"""`timebank-desktop` as a new user starts it: no arguments on a machine without a database
opens the set-up wizard; ``--demo`` opens the demo centre's sign-in with its account shown.

`main` runs the real start-up (data folder from TIMEBANK_HOME, lock, database, event loop);
a timer looks at the first window, grabs it as a picture (what a person would see) and quits.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import ScriptedPrompts
from timebank_desktop import app_gui
from timebank_desktop.ui import startup


def _first_window(argv: list[str], picture: Path) -> dict[str, Any]:
    """Run `main(argv)` until the wizard or the sign-in shows; what that dialog showed."""
    seen: list[dict[str, Any]] = []
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def look() -> None:
        shown = [
            w
            for w in app.topLevelWidgets()
            if w.isVisible() and w.objectName() in ("setup_dialog", "signin_dialog")
        ]
        if not shown:
            QTimer.singleShot(50, look)
            return
        dialog: Any = shown[0]
        facts = {"name": dialog.objectName()}
        if facts["name"] == "setup_dialog":
            facts["centre_code"] = dialog.edits["centre_code"].isVisible()
            facts["focus"] = dialog.focusWidget().objectName()
        else:
            facts["hint"] = dialog.demo_hint.text() if dialog.demo_hint.isVisible() else ""
            facts["focus"] = dialog.focusWidget().objectName()
        seen.append(facts)
        assert dialog.grab().save(str(picture))
        for widget in app.topLevelWidgets():
            widget.hide()
        app.exit(0)

    QTimer.singleShot(0, look)
    assert app_gui.main(argv) == 0
    return seen[0]


@pytest.fixture
def new_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: QSettings, prompts: ScriptedPrompts
) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("TIMEBANK_HOME", str(home))
    monkeypatch.delenv("TIMEBANK_DB", raising=False)
    monkeypatch.setattr(app_gui, "user_settings", lambda: settings)
    monkeypatch.setattr(app_gui, "Prompts", lambda: prompts)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    monkeypatch.setattr(startup, "DEMO_OPTIONS", startup.DemoOptions(members=20, months=2))
    return home


def test_no_arguments_on_a_new_machine_opens_the_set_up_wizard(
    new_machine: Path, tmp_path: Path
) -> None:
    shown = _first_window(["--lang", "en"], tmp_path / "wizard.png")
    assert shown == {"name": "setup_dialog", "centre_code": True, "focus": "setup_centre_code"}
    assert (new_machine / "timebank.sqlite3").exists()
    assert not (new_machine / "timebank.sqlite3.lock").exists()  # released on exit
    assert (tmp_path / "wizard.png").stat().st_size > 1000


def test_demo_opens_the_demo_sign_in_with_its_account(new_machine: Path, tmp_path: Path) -> None:
    shown = _first_window(["--demo", "--lang", "en"], tmp_path / "demo.png")
    assert shown == {
        "name": "signin_dialog",
        "hint": "Demo centre: user admin, password demo",
        "focus": "signin_username",
    }
    assert (new_machine / "demo" / "timebank-demo.sqlite3").exists()
    assert not (new_machine / "timebank.sqlite3").exists()  # never mixed with real data
