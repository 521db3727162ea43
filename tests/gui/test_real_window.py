"""KEYBOARD.md with real key presses on a real window: `timebank-desktop` under Xvfb, xdotool.

The application runs as its own process on a fresh database, exactly as staff start it; every
step is a key press sent to the X server, which Qt delivers to whichever widget has the focus.
What the keys did is read back afterwards from the same database (the `timebank` command and
the record table), never from inside the window.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.gui.xwindow import (
    TIMEOUT,
    Keyboard,
    app_command,
    missing_tools,
    virtual_display,
    wait_for,
)
from timebank_desktop.domain import idnumber
from timebank_desktop.domain.clock import local_date

VOLUNTEER_ID = idnumber.make("110105", date(1960, 3, 1), 123).value
ELDER_ID = idnumber.make("110105", date(1940, 5, 6), 124).value

pytestmark = pytest.mark.skipif(
    bool(missing_tools()),
    reason=f"needs {' and '.join(missing_tools())} (Debian: apt-get install xvfb xdotool)",
)


def _query(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Read the database the application writes (read-only; the app keeps running)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return list(connection.execute(sql, params))
    except sqlite3.OperationalError:
        return []  # not created yet
    finally:
        connection.close()


def _timebank(db: Path, *args: str) -> str:
    script = Path(sys.executable).with_name("timebank")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "timebank_desktop.cli"]
    done = subprocess.run(
        [*command, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def _service_date() -> tuple[str, str]:
    """A recent day as typed (MM-DD when that means this year) and as stored."""
    today = local_date(datetime.now(UTC))  # the application's today (Asia/Shanghai)
    day = today - timedelta(days=2)
    typed = day.strftime("%m-%d") if day.year == today.year else day.isoformat()
    return typed, day.isoformat()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[Keyboard, int, Path]]:
    """``timebank-desktop --db FILE`` on a fresh database, on its own virtual screen."""
    db = tmp_path / "centre.sqlite3"
    with virtual_display() as display:
        keyboard = Keyboard(display)
        keyboard.run("mousemove", "1590", "990")  # off every window: no tooltip pops up
        env = dict(
            os.environ,
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            HOME=str(tmp_path / "home"),
            XDG_CONFIG_HOME=str(tmp_path / "config"),
            TIMEBANK_HOME=str(tmp_path / "data"),
        )
        env.pop("TIMEBANK_DB", None)
        log = (tmp_path / "app.log").open("w")
        process = subprocess.Popen(
            [*app_command(), "--db", str(db), "--lang", "en"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield keyboard, process.pid, db
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
            log.close()


def test_the_keyboard_contract_with_real_key_presses(
    app: tuple[Keyboard, int, Path], tmp_path: Path
) -> None:
    keys, pid, db = app
    typed_day, stored_day = _service_date()
    try:
        # First start on an empty database: the set-up wizard, focus in the centre code.
        keys.focus(keys.wait_window(pid, "^Set up the time bank$", timeout=60))
        for text in ("DH01", "东湖社区", "D01", "wang", "王主任", "secret-pass", "secret-pass"):
            keys.type(text)
            keys.key("Return")

        # Sign-in: focus in the user name, Tab to the password, Enter signs in.
        keys.focus(keys.wait_window(pid, "^Sign in"))
        keys.type("wang")
        keys.key("Tab")
        keys.type("secret-pass")
        keys.key("Return")
        main = keys.wait_window(pid, "^Time bank — ")
        keys.focus(main)

        # Two members: Ctrl+2 (members), Ctrl+Shift+N (new member), name Tab ID Tab Tab role Enter.
        for count, (name, id_number, elder) in enumerate(
            (("张三", VOLUNTEER_ID, False), ("李奶奶", ELDER_ID, True)), start=1
        ):
            keys.key("ctrl+2", "ctrl+shift+n")
            keys.focus(keys.wait_window(pid, "^New member$"))
            keys.type(name)
            keys.key("Tab")
            keys.type(id_number)
            keys.key("Tab", "Tab")
            if elder:
                keys.key("Down")
            keys.key("Return")
            wait_for(
                lambda n=count: _query(db, "SELECT count(*) FROM member")[0][0] == n,
                TIMEOUT,
                f"member {count}",
            )
            keys.wait_gone(pid, "^New member$")
            keys.focus(main)

        # A paper card by keys (Ctrl+N): volunteer by pinyin initials from the list (Down, Enter),
        # recipient by member number and Tab, then Enter from field to field; the end time is
        # before the start, so Ctrl+S is refused with the focus left in the end field.
        keys.key("ctrl+n")
        keys.type("zs")
        wait_for(lambda: len(keys.windows(pid)) > 1, TIMEOUT, "the completion list")
        keys.key("Down", "Return")
        keys.type("M000002")
        keys.key("Tab")
        for text in ("zc", typed_day, "0900", "0830", "p", "送餐上门", "1"):
            keys.type(text)
            keys.key("Return")
        keys.key("ctrl+s")
        time.sleep(1.0)  # the refusal comes back from the worker (nothing to see from outside)
        keys.type("10:30")  # lands in the end field only if the refusal left the focus there
        keys.key("ctrl+s")
        first = wait_for(
            lambda: _query(db, "SELECT slip_no, status FROM service_record"),
            TIMEOUT,
            "a saved record",
        )
        assert len(first) == 1 and first[0][1] == "pending", first

        # A second card in the new empty form (focus back in the volunteer): the volunteer by
        # number, the recipient by ID-number tail, category by code, Space ticks "signed",
        # Ctrl+P saves it and shows its slip; Esc closes the preview.
        keys.type("M000001")
        keys.key("Tab")
        keys.type(ELDER_ID[-6:])
        keys.key("Tab")
        for text in ("meals", stored_day, "1400", "1500", "p", "陪同就餐", "2"):
            keys.type(text)
            keys.key("Tab")
        keys.key("space", "ctrl+p")  # saves, then previews its slip for printing
        wait_for(
            lambda: len(_query(db, "SELECT slip_no FROM service_record")) == 2, TIMEOUT, "record 2"
        )
        keys.focus(keys.wait_window(pid, "^Print preview"))
        keys.key("Escape")  # closes the preview, nothing printed
        keys.wait_gone(pid, "^Print preview")
        keys.focus(main)

        # The first slip comes back signed: Ctrl+R, type its number, Enter.
        slip = str(first[0][0])
        keys.key("ctrl+r")
        keys.type(slip)
        keys.key("Return")
        wait_for(
            lambda: (
                _query(db, "SELECT status FROM service_record WHERE slip_no = ?", slip)
                == [("posted",)]
            ),
            TIMEOUT,
            f"slip {slip} confirmed",
        )

        # F1: help for the page in view (the records); Esc closes it.
        keys.key("F1")
        keys.focus(keys.wait_window(pid, "^Help: Service records$"))
        keys.key("Escape")
        keys.wait_gone(pid, "^Help: ")

        rows = _query(
            db,
            "SELECT service_date, start_time, end_time, category_code, payer, content, status, "
            "signed, rating FROM service_record ORDER BY slip_no",
        )
        assert [tuple(str(v) for v in r) for r in rows] == [
            (
                stored_day,
                "09:00:00.000000",
                "10:30:00.000000",
                "meals",
                "pool",
                "送餐上门",
                "posted",
                "1",
                "satisfied",
            ),
            (
                stored_day,
                "14:00:00.000000",
                "15:00:00.000000",
                "meals",
                "pool",
                "陪同就餐",
                "posted",
                "1",
                "neutral",
            ),
        ], rows
        balance = json.loads(_timebank(db, "balance", "M000001", "--json"))
        assert balance["balance_minutes"] == 90 + 60, balance
        elder = json.loads(_timebank(db, "balance", ELDER_ID, "--json"))
        assert elder["balance_minutes"] == 0, elder
    except BaseException:
        keys.screenshot(tmp_path / "screen.png")  # what the window showed, for the record
        print((tmp_path / "app.log").read_text(errors="replace"))
        raise
