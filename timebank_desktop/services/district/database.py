"""Open the district database: create or upgrade its schema (its own Alembic chain).

The district database is named like the centre's (``--db``: a file path or an SQLAlchemy URL);
without one, ``TIMEBANK_DISTRICT_DB``, then ``TIMEBANK_DB``, then ``district.sqlite3`` in the
user data folder. Its tables all start with ``district_`` and its version table is
``district_alembic_version``, so it may share a database with a centre.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DatabaseError, OperationalError

import timebank_desktop.migrations_district as migrations_pkg
from timebank_desktop.domain.errors import StorageError
from timebank_desktop.i18n import _
from timebank_desktop.models.district.base import VERSION_TABLE
from timebank_desktop.models.engine import make_engine
from timebank_desktop.services.paths import DISTRICT_ENV_VAR as ENV_VAR
from timebank_desktop.services.paths import AppPaths

CENTRE_VERSION_TABLE = "alembic_version"


def default_district_target() -> str:
    """``TIMEBANK_DISTRICT_DB``, else ``TIMEBANK_DB``, else the user data folder's file."""
    return (
        os.environ.get(ENV_VAR)
        or os.environ.get("TIMEBANK_DB")
        or str(AppPaths.default().district_database)
    )


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations_pkg.__file__).parent))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise RuntimeError("no district migrations shipped")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _is_foreign(engine: Engine) -> bool:
    """Tables, but neither a district nor a centre migration history: not ours."""
    names = set(inspect(engine).get_table_names())
    return bool(names) and not names & {VERSION_TABLE, CENTRE_VERSION_TABLE}


def open_district_database(target: str | Path | None = None) -> Engine:
    """An engine on the district database with its schema at head."""
    target = target or default_district_target()
    path = None if "://" in str(target) else Path(str(target)).expanduser()
    if path is not None:
        if path.is_dir():
            raise StorageError(_("The database path is a folder: {path}").format(path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = make_engine(target)
        if _is_foreign(engine):
            engine.dispose()
            raise StorageError(
                _("This file is not a time bank database: {target}").format(target=target)
            )
        if current_revision(engine) != head_revision():
            upgrade(engine)
    except (DatabaseError, OperationalError) as exc:
        raise StorageError(
            _("The database cannot be opened: {reason}").format(reason=exc.orig or exc)
        ) from exc
    return engine
