"""Backups through SQLite's online backup API, each copy verified; restore that cannot harm.

A restore checks the candidate completely on a scratch copy (SQLite integrity, our schema, the
same centre, an intact ledger) before it touches the live database, and keeps a safety copy
of the live database first. A damaged or foreign file changes nothing. What the replaced
database had given out stays given: counters never go back, and its sync export history and
chain epoch are carried forward (a ledger behind what was sent starts a new epoch: sync.epoch).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected, StorageError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import Centre, Counter
from timebank_desktop.models.engine import sqlite_path
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.sync.epoch import EpochStart, carry_history, read_history
from timebank_desktop.services.verify import verify_session

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    bytes: int
    transactions: int
    centre_code: str
    replaced: Path | None = None  # restore: the safety copy of the database it replaced
    epoch: EpochStart | None = None  # restore: a new chain epoch (behind what was sent)


def _live_path(engine: Engine) -> Path:
    path = sqlite_path(engine.url)
    if path is None:
        raise StorageError(
            _("Backup and restore work on SQLite files; back up PostgreSQL with pg_dump")
        )
    return path


def _copy(
    src: Path, dst: Path, progress: Progress | None = None, *, standalone: bool = True
) -> None:
    """Copy with the online backup API; a ``standalone`` copy needs no -wal file."""
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(dst)
        try:

            def report(_status: int, remaining: int, total: int) -> None:
                if progress:
                    progress(total - remaining, total)

            source.backup(target, pages=1024, progress=report)
            if standalone:
                target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()


def _check_header(path: Path) -> None:
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise FileRejected(
                _("This is not a time bank backup file: {path}").format(path=path.name)
            )


def _check_file(path: Path) -> tuple[str, int]:
    """(centre code, transactions) of an intact time bank database file, or FileRejected."""
    try:
        _check_header(path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            status = conn.execute("PRAGMA integrity_check").fetchone()
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise FileRejected(_("The backup file is damaged: {reason}").format(reason=exc)) from exc
    if not status or status[0] != "ok":
        raise FileRejected(_("The backup file is damaged: {reason}").format(reason=status))
    if not {"alembic_version", "centre", "txn"} <= names:
        raise FileRejected(_("This is not a time bank backup file: {path}").format(path=path.name))
    engine = open_database(path)
    try:
        with Session(engine) as session:
            code = session.scalar(select(Centre.code)) or ""
            report = verify_session(session)
    finally:
        engine.dispose()
    if not report.ok:
        raise FileRejected(
            _("The backup's ledger is damaged: {problem}").format(problem=report.first_problem)
        )
    return code, report.transactions


def _carry_counters(candidate: Path, live: dict[str, int]) -> None:
    """Counters never go back: a number already printed on a slip or a certificate, or given
    to a member, stays theirs after an older backup comes back (the ledger itself is restored
    as it was; its sequence numbers are the chain's and are not touched)."""
    connection = sqlite3.connect(candidate)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO counter (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)",
                live.items(),
            )
    finally:
        connection.close()


class BackupService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def backup(self, target: str | Path, progress: Progress | None = None) -> BackupInfo:
        """Copy the live database to ``target`` and prove the copy intact."""
        self.ctx.require(Permission.BACKUP)
        live = _live_path(self.ctx.engine)
        dest = Path(target).expanduser()
        if dest.resolve() == live.resolve():
            raise FileRejected(_("The backup cannot overwrite the database itself"))
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=dest.parent) as scratch:
            tmp = Path(scratch) / "backup.sqlite3"
            _copy(live, tmp, progress)
            code, count = _check_file(tmp)
            tmp.replace(dest)
        return BackupInfo(dest, dest.stat().st_size, count, code)

    def restore(self, source: str | Path, safety_dir: Path | None = None) -> BackupInfo:
        """Replace the live database by a verified backup (after a safety copy of the live)."""
        self.ctx.require(Permission.SETTINGS)
        live = _live_path(self.ctx.engine)
        src = Path(source).expanduser()
        if not src.is_file():
            raise FileRejected(_("No such backup file: {path}").format(path=src))
        _check_header(src)
        with tempfile.TemporaryDirectory(dir=live.parent) as scratch:
            candidate = Path(scratch) / "candidate.sqlite3"
            try:
                _copy(src, candidate)
            except sqlite3.DatabaseError as exc:
                raise FileRejected(
                    _("The backup file is damaged: {reason}").format(reason=exc)
                ) from exc
            code, count = _check_file(candidate)
            with self.ctx.read() as session:
                current = session.scalar(select(Centre.code))
            if current and code != current:
                raise FileRejected(
                    _("This backup belongs to centre {other}, not to this centre ({this})").format(
                        other=code, this=current
                    )
                )
            with self.ctx.read() as session:
                counters = dict(session.execute(select(Counter.name, Counter.value)).all())
                history = read_history(session)
            _carry_counters(candidate, counters)
            epoch = carry_history(candidate, history, self.ctx)
            folder = safety_dir or live.parent
            folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            safety = folder / f"{live.stem}.before-restore-{stamp}.sqlite3"
            _copy(live, safety)
            self.ctx.engine.dispose()
            _copy(candidate, live, standalone=False)
            self.ctx.engine.dispose()
        return BackupInfo(live, live.stat().st_size, count, code, safety, epoch)
