"""Open the district database: create or upgrade its schema (its own Alembic chain).

The district database is named like the centre's (``--db``: a file path or an SQLAlchemy URL);
without one, ``TIMEBANK_DISTRICT_DB``, then ``TIMEBANK_DB``, then ``district.sqlite3`` in the
user data folder. Its tables all start with ``district_`` and its version table is
``district_alembic_version``, so it may share a database with a centre.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine

import timebank_desktop.migrations_district as migrations_pkg
from timebank_desktop.models.district.base import VERSION_TABLE
from timebank_desktop.services.database import CENTRE
from timebank_desktop.services.paths import DISTRICT_ENV_VAR as ENV_VAR
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.services.schema import Schema, open_at_head

DISTRICT = Schema(migrations_pkg, VERSION_TABLE)

alembic_config = DISTRICT.alembic_config
head_revision = DISTRICT.head_revision
current_revision = DISTRICT.current_revision
upgrade = DISTRICT.upgrade


def default_district_target() -> str:
    """``TIMEBANK_DISTRICT_DB``, else ``TIMEBANK_DB``, else the user data folder's file."""
    return (
        os.environ.get(ENV_VAR)
        or os.environ.get("TIMEBANK_DB")
        or str(AppPaths.default().district_database)
    )


def _is_foreign(names: set[str]) -> bool:
    """Tables, but neither a district nor a centre migration history: not ours."""
    return bool(names) and not names & {DISTRICT.version_table, CENTRE.version_table}


def open_district_database(target: str | Path | None = None) -> Engine:
    """An engine on the district database with its schema at head."""
    return open_at_head(target or default_district_target(), DISTRICT, _is_foreign)
