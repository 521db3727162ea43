"""A real X display for outside checks: Xvfb started on a free display, keys sent by xdotool.

Only for tests that drive ``timebank-desktop`` as a separate process, as a person would: the
keys reach whichever widget has the focus in the real window (no Qt test hooks).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

TIMEOUT = 30.0  # generous: a slow CI machine still passes, a hang still ends


def missing_tools() -> list[str]:
    return [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]


@contextmanager
def virtual_display() -> Iterator[str]:
    """Start Xvfb on a display it picks itself; yield ``:N``; stop it afterwards."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        number = b""
        deadline = time.monotonic() + TIMEOUT
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            chunk = os.read(read_end, 16)
            if not chunk:
                break
            number += chunk
        if not number.strip():
            raise RuntimeError("Xvfb did not start")
        yield f":{number.decode().strip()}"
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(10)


class Keyboard:
    """xdotool on one display: find windows, give them the focus, type and press keys."""

    def __init__(self, display: str) -> None:
        self.env = dict(os.environ, DISPLAY=display)

    def run(self, *args: str, timeout: float = TIMEOUT) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return done.stdout

    def windows(self, pid: int, title: str = "") -> list[str]:
        """Visible windows of ``pid`` whose title matches the regular expression ``title``."""
        args = ["search", "--all", "--onlyvisible", "--pid", str(pid)]
        return self.run(*args, *(("--name", title) if title else ())).split()

    def wait_window(self, pid: int, title: str, timeout: float = TIMEOUT) -> str:
        """The first visible window of ``pid`` titled ``title`` (waits for it to appear)."""
        found = wait_for(lambda: self.windows(pid, title), timeout, f"a window '{title}'")
        return found[0]

    def wait_gone(self, pid: int, title: str, timeout: float = TIMEOUT) -> None:
        wait_for(lambda: not self.windows(pid, title), timeout, f"'{title}' to close")

    def focus(self, window: str) -> None:
        """Give the window the keyboard (there is no window manager to do it)."""
        self.run("windowfocus", "--sync", window)
        time.sleep(0.2)

    def type(self, text: str) -> None:
        self.run("type", "--delay", "30", text)
        time.sleep(0.1)

    def screenshot(self, path: Path) -> None:
        """The whole screen as a PNG (for the record when a step fails)."""
        code = (
            "import sys; from PySide6.QtGui import QGuiApplication as A; a = A([]); "
            "A.primaryScreen().grabWindow(0).save(sys.argv[1])"
        )
        env = dict(self.env, QT_QPA_PLATFORM="xcb")
        subprocess.run(
            [sys.executable, "-c", code, str(path)], env=env, timeout=TIMEOUT, check=False
        )

    def key(self, *keys: str) -> None:
        for key in keys:
            self.run("key", "--delay", "40", key)
            time.sleep(0.15)


def wait_for(probe: Callable[[], T], timeout: float, what: str) -> T:
    """Poll ``probe`` until it returns something true; fail with ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def app_command() -> list[str]:
    """The installed ``timebank-desktop`` beside this Python (the venv's console script)."""
    script = Path(sys.executable).with_name("timebank-desktop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "timebank_desktop.app_gui"]
