"""One running application per database: a lock file beside it holding the owner's PID.

A lock whose process has died (a crash, a power cut) is stale and is taken over; a lock held by
a live process refuses the second instance with a clear message.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from timebank_desktop.domain.errors import StorageError
from timebank_desktop.i18n import _


class AlreadyRunning(StorageError):
    """Another running copy of the application has this database open."""


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists (on this machine)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_path(database: Path) -> Path:
    """The lock file for a database file: ``<name>.lock`` in the same folder."""
    return database.with_name(database.name + ".lock")


class InstanceLock:
    """The lock of one database file; ``acquire`` or `AlreadyRunning`, then ``release``."""

    def __init__(
        self,
        database: Path,
        pid: int | None = None,
        alive: Callable[[int], bool] = pid_alive,
    ) -> None:
        self.path = lock_path(Path(database))
        self.pid = os.getpid() if pid is None else pid
        self._alive = alive
        self.held = False

    def owner(self) -> int | None:
        """The PID written in the lock file, or None (no file, or unreadable)."""
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def acquire(self) -> None:
        """Take the lock, taking over a stale one; refuse if a live process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self.owner()
                if owner is not None and owner != self.pid and self._alive(owner):
                    raise AlreadyRunning(
                        _(
                            "This database is already open in another window of the time bank "
                            "(process {pid}): {path}"
                        ).format(pid=owner, path=self.path.with_suffix(""))
                    ) from None
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()  # stale: its process is gone
                continue
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(str(self.pid))
            self.held = True
            return
        raise AlreadyRunning(  # pragma: no cover - another process raced us twice
            _("The database lock {path} could not be taken").format(path=self.path)
        )

    def release(self) -> None:
        """Remove the lock file if this process holds it."""
        if self.held and self.owner() == self.pid:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        self.held = False
