"""Open a database: create or upgrade its schema (Alembic), backing up an old file first."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DatabaseError, OperationalError

import timebank_desktop.migrations as migrations_pkg
from timebank_desktop.domain.errors import StorageError
from timebank_desktop.i18n import _
from timebank_desktop.models.engine import make_engine, sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
# Alembic loads only when a schema must change: importing it costs ~0.25 s of the desktop's
# start-up, and a database already at head needs nothing from it (see `shipped_head`).
_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]?([\w-]+|None)['\"]?\s*$", re.MULTILINE)


def shipped_head() -> str | None:
    """The head revision read from the version files themselves (None unless exactly one)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (Path(migrations_pkg.__file__).parent / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stamped_revision(engine: Engine) -> str | None:
    """The revision recorded in the database (None: no version table or no row)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations_pkg.__file__).parent))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise RuntimeError("no migrations shipped")
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def _backup_before_migration(engine: Engine, revision: str) -> Path | None:
    path = sqlite_path(engine.url)
    if path is None or not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.before-{revision[:8]}-{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    log.info("backed up %s to %s before migrating", path, target)
    return target


def _is_foreign(engine: Engine) -> bool:
    """A database with tables but no migration history is not ours: refuse to touch it."""
    names = set(inspect(engine).get_table_names())
    return bool(names) and "alembic_version" not in names


def open_database(target: str | Path) -> Engine:
    """An engine on ``target`` with the schema at head (created, or upgraded after a backup)."""
    path = None if "://" in str(target) else Path(str(target)).expanduser()
    if path is not None:
        if path.exists() and path.is_dir():
            raise StorageError(_("The database path is a folder: {path}").format(path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = make_engine(target)
        if _is_foreign(engine):
            engine.dispose()
            raise StorageError(
                _("This file is not a time bank database: {target}").format(target=target)
            )
        shipped = shipped_head()
        if shipped is not None and _stamped_revision(engine) == shipped:
            return engine  # at head: no Alembic needed
        current = current_revision(engine)
        head = head_revision()
        if current != head:
            if current is not None:
                _backup_before_migration(engine, current)
            upgrade(engine)
    except (DatabaseError, OperationalError) as exc:
        raise StorageError(
            _("The database cannot be opened: {reason}").format(reason=exc.orig or exc)
        ) from exc
    return engine


def copy_file(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)
