"""Files named by the user: checked before any work, and operating-system failures in words.

A command that is given an output path in a folder that does not exist, or a folder as its
output, or a folder as its input, is refused with one translated line before it writes
anything (a certificate number, an audit entry, a sync export record).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.i18n import _


def os_reason(exc: OSError) -> str:
    """What went wrong, in the user's language (``strerror`` is always English)."""
    reasons = {
        errno.ENOENT: _("no such file or folder"),
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the disk is read-only"),
        errno.ENAMETOOLONG: _("the name is too long"),
    }
    if exc.errno in reasons:
        return reasons[exc.errno]
    return _("system error {code}").format(code=exc.errno) if exc.errno else str(exc)


def check_output(path: str | os.PathLike[str], suffix: str | None = None) -> Path:
    """Refuse an output path that cannot be written, before anything is done.

    With ``suffix`` (``".pdf"``, ``".xlsx"``), a name ending in another extension is refused
    too: a workbook saved as ``report.pdf`` opens nowhere. A name without one is accepted.
    """
    target = Path(path).expanduser()
    if suffix and target.suffix and target.suffix.lower() != suffix:
        raise FileRejected(
            _("Cannot save to {path}: this command writes a {suffix} file").format(
                path=os.fspath(path), suffix=suffix
            )
        )
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise FileRejected(_("Cannot save to {path}: it is a folder").format(path=os.fspath(path)))
    if not folder.is_dir():
        raise FileRejected(
            _("Cannot save to {path}: the folder {folder} does not exist").format(
                path=os.fspath(path), folder=os.fspath(folder)
            )
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FileRejected(
            _("Cannot save to {path}: the folder {folder} is not writable").format(
                path=os.fspath(path), folder=os.fspath(folder)
            )
        )
    return target


def check_input(path: str | os.PathLike[str]) -> Path:
    """Refuse an input path that is missing, a folder or unreadable, before anything is read."""
    source = Path(path).expanduser()
    if source.is_dir():
        raise FileRejected(_("Cannot read {path}: it is a folder").format(path=os.fspath(path)))
    if not source.exists():
        raise FileRejected(_("No such file: {path}").format(path=os.fspath(path)))
    if not os.access(source, os.R_OK):
        raise FileRejected(_("Cannot read {path}: permission denied").format(path=os.fspath(path)))
    return source
