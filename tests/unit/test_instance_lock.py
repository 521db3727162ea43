"""One application per database: the PID lock file beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from timebank_desktop.services.instance_lock import (
    AlreadyRunning,
    InstanceLock,
    lock_path,
    pid_alive,
)


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_lock_file_holds_the_pid_and_is_removed_on_release(tmp_path: Path) -> None:
    db = tmp_path / "centre.sqlite3"
    lock = InstanceLock(db)
    lock.acquire()
    assert lock_path(db).read_text() == str(os.getpid())
    lock.release()
    assert not lock_path(db).exists()


def test_a_second_instance_is_refused_while_the_first_lives(tmp_path: Path) -> None:
    db = tmp_path / "centre.sqlite3"
    first = InstanceLock(db, pid=os.getppid())
    first.acquire()
    with pytest.raises(AlreadyRunning, match=str(os.getppid())):
        InstanceLock(db).acquire()
    assert lock_path(db).read_text() == str(os.getppid())


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "centre.sqlite3"
    dead = _dead_pid()
    assert not pid_alive(dead)
    lock_path(db).write_text(str(dead))
    lock = InstanceLock(db)
    lock.acquire()
    assert lock.held and lock_path(db).read_text() == str(os.getpid())


def test_an_unreadable_lock_is_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "centre.sqlite3"
    lock_path(db).write_text("garbage")
    InstanceLock(db).acquire()
    assert lock_path(db).read_text() == str(os.getpid())


def test_release_leaves_someone_elses_lock_alone(tmp_path: Path) -> None:
    db = tmp_path / "centre.sqlite3"
    lock = InstanceLock(db)
    lock.acquire()
    lock_path(db).write_text("1")
    lock.release()
    assert lock_path(db).read_text() == "1"
