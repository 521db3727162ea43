"""Open a centre's database: create or upgrade its schema, backing up an old file first."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine

import timebank_desktop.migrations as migrations_pkg
from timebank_desktop.services.schema import Schema, open_at_head

CENTRE = Schema(migrations_pkg)

alembic_config = CENTRE.alembic_config
shipped_head = CENTRE.shipped_head
head_revision = CENTRE.head_revision
current_revision = CENTRE.current_revision
upgrade = CENTRE.upgrade


def _is_foreign(names: set[str]) -> bool:
    """A database with tables but no centre migration history is not ours: refuse to touch it."""
    return bool(names) and CENTRE.version_table not in names


def open_database(target: str | Path) -> Engine:
    """An engine on ``target`` with the centre's schema at head."""
    return open_at_head(target, CENTRE, _is_foreign)


def copy_file(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)
