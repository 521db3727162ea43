"""Automatic backups on exit: one verified copy per exit, keeping the newest few."""

from __future__ import annotations

from pathlib import Path

from timebank_desktop.domain.clock import CHINA_TZ
from timebank_desktop.services.backup import BackupInfo, BackupService
from timebank_desktop.services.context import AppContext

KEEP = 10
PREFIX = "auto-"


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in ``folder``, oldest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{PREFIX}*.sqlite3"))


def rotate_backup(ctx: AppContext, folder: Path, keep: int = KEEP) -> BackupInfo:
    """Back up to ``folder/auto-<local time>.sqlite3`` and remove all but the newest ``keep``."""
    stamp = ctx.clock.now().astimezone(CHINA_TZ).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}.sqlite3"
    serial = 1
    while target.exists():
        serial += 1
        target = folder / f"{PREFIX}{stamp}-{serial}.sqlite3"
    info = BackupService(ctx).backup(target)
    for old in automatic_backups(folder)[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return info
