"""Write a file so that it is either complete under its final name or not there at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[bytes]]:
    """Yield a file in the target's folder; on success flush, fsync and rename it into place.

    If the block raises (an error, a cancel), the temporary file is removed and any existing
    file at ``path`` is left untouched.
    """
    target = Path(path)
    fd, tmp = _temporary(target)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_path(path: str | os.PathLike[str]) -> contextlib.AbstractContextManager[Path]:
    """Like `atomic_write`, for libraries that want a file name (openpyxl, reportlab)."""
    return _atomic_path(Path(path))


@contextlib.contextmanager
def _atomic_path(target: Path) -> Iterator[Path]:
    fd, tmp = _temporary(target)
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        _put_in_place(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _folder(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


def _temporary(target: Path) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=_folder(target))
    return fd, Path(name)


def _put_in_place(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the mode a plain ``open()`` would have given, rename it, sync the folder.

    ``mkstemp`` makes the file readable by its owner only; a report or slip saved for others
    keeps the mode of the file it replaces, or else the user's umask.
    """
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)
    os.replace(tmp, target)
    with contextlib.suppress(OSError):  # directory fsync is not possible everywhere
        dir_fd = os.open(_folder(target), os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _umask() -> int:
    """The process umask, read without changing it (Linux), else the common 022."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
