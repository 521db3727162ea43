"""A database schema kept by an Alembic chain, and opening a database at its head.

The centre (`services/database.py`) and the district (`services/district/database.py`) each
have a chain of their own, with their own version table so both may share one database. Both
open the same way: refuse a folder or someone else's database, back an old SQLite file up,
then upgrade. Alembic loads only when a schema must change: importing it costs ~0.25 s of the
desktop's start-up, and a database already at head needs nothing from it.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from timebank_desktop.domain.errors import StorageError
from timebank_desktop.i18n import _
from timebank_desktop.models.engine import make_engine, sqlite_path

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]?([\w-]+|None)['\"]?\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Schema:
    migrations: ModuleType  # the package holding env.py and versions/
    version_table: str = "alembic_version"

    @property
    def folder(self) -> Path:
        return Path(str(self.migrations.__file__)).parent

    def alembic_config(self, connection: Connection | None = None) -> Config:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(self.folder))
        if connection is not None:
            cfg.attributes["connection"] = connection
        return cfg

    def shipped_head(self) -> str | None:
        """The head revision read from the version files themselves (None unless one)."""
        revisions: set[str] = set()
        parents: set[str] = set()
        for path in (self.folder / "versions").glob("*.py"):
            for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
                (parents if down else revisions).add(value)
        heads = revisions - parents
        return heads.pop() if len(heads) == 1 else None

    def head_revision(self) -> str:
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self.alembic_config()).get_current_head()
        if head is None:  # pragma: no cover - the package always ships a revision
            raise RuntimeError(f"no migrations shipped in {self.folder}")
        return head

    def stamped_revision(self, engine: Engine) -> str | None:
        """The revision recorded in the database (None: no version table or no row)."""
        with engine.connect() as conn:
            if not inspect(conn).has_table(self.version_table):
                return None
            query = text(f"SELECT version_num FROM {self.version_table}")
            return conn.execute(query).scalar()

    def current_revision(self, engine: Engine) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"version_table": self.version_table})
            return context.get_current_revision()

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        from alembic import command

        with engine.begin() as conn:
            command.upgrade(self.alembic_config(conn), revision)


def backup_before_migration(engine: Engine, revision: str) -> Path | None:
    """A copy of the SQLite file next to it, named after the revision it had."""
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


def open_at_head(
    target: str | Path, schema: Schema, is_foreign: Callable[[set[str]], bool]
) -> Engine:
    """An engine on ``target`` with ``schema`` at head (created, or upgraded after a backup).

    ``is_foreign`` is given the database's table names and says whether the database belongs
    to someone else (then it is refused and left untouched).
    """
    path = None if "://" in str(target) else Path(str(target)).expanduser()
    if path is not None:
        if path.is_dir():
            raise StorageError(_("The database path is a folder: {path}").format(path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = make_engine(target)
        if is_foreign(set(inspect(engine).get_table_names())):
            engine.dispose()
            raise StorageError(
                _("This file is not a time bank database: {target}").format(target=target)
            )
        shipped = schema.shipped_head()
        if shipped is not None and schema.stamped_revision(engine) == shipped:
            return engine  # at head: no Alembic needed
        current = schema.current_revision(engine)
        if current != schema.head_revision():
            if current is not None:
                backup_before_migration(engine, current)
            schema.upgrade(engine)
    except ArgumentError as exc:  # ``foo://…``: no such database kind
        raise StorageError(
            _("Not a database file or database address: {target}").format(target=target)
        ) from exc
    except (DatabaseError, OperationalError) as exc:
        raise StorageError(_cannot_open(target, path, exc)) from exc
    return engine


def _cannot_open(target: str | Path, path: Path | None, exc: DatabaseError) -> str:
    """One line on why the database cannot be opened (drivers speak English, over lines)."""
    reason = (str(exc.orig or exc).strip().splitlines() or [""])[0]
    if path is not None and "file is not a database" in reason:
        return _("This file is not a time bank database: {target}").format(target=target)
    url = make_url(str(target)) if path is None else None
    if url is not None and url.get_backend_name() != "sqlite":
        server = url.render_as_string(hide_password=True)
        return _("Cannot connect to the database server {server}: {reason}").format(
            server=server, reason=reason
        )
    return _("The database cannot be opened: {reason}").format(reason=reason)
