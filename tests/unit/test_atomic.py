"""Atomic writes: all or nothing under the final name, with an ordinary file mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from timebank_desktop.exports.atomic import atomic_write, atomic_write_path


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        with atomic_write(tmp_path / "a.bin") as handle:
            handle.write(b"x")
        with atomic_write_path(tmp_path / "b.bin") as name:
            name.write_bytes(b"y")
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "a.bin") == 0o640
    assert mode_of(tmp_path / "b.bin") == 0o640


def test_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o604)
    with atomic_write(target) as handle:
        handle.write(b"new")
    assert target.read_bytes() == b"new"
    assert mode_of(target) == 0o604


def test_failure_leaves_the_old_file_and_no_debris(tmp_path: Path) -> None:
    target = tmp_path / "slips.pdf"
    target.write_bytes(b"old")

    def write_half() -> None:
        with atomic_write(target) as handle:
            handle.write(b"half")
            raise RuntimeError("cancelled")

    def write_half_by_name() -> None:
        with atomic_write_path(target) as name:
            name.write_bytes(b"half")
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        write_half()
    with pytest.raises(RuntimeError):
        write_half_by_name()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["slips.pdf"]
