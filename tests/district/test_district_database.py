"""The district database: its own migration chain, and living beside a centre's schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from tests.conftest import make_context
from timebank_desktop.domain.errors import StorageError
from timebank_desktop.models import Base
from timebank_desktop.models.district import DistrictBase
from timebank_desktop.models.district.base import VERSION_TABLE
from timebank_desktop.services.database import open_database
from timebank_desktop.services.district.database import (
    alembic_config,
    current_revision,
    default_district_target,
    head_revision,
    open_district_database,
)


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_schema_matches_the_models(db_target: str) -> None:
    engine = open_district_database(db_target)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        diff = compare_metadata(context, DistrictBase.metadata)
    assert [d for d in diff if not (d[0] == "remove_table" and d[1].name == VERSION_TABLE)] == []
    engine.dispose()
    open_district_database(db_target).dispose()  # opening again changes nothing


def test_district_and_centre_share_a_database(tmp_path: Path) -> None:
    target = str(tmp_path / "both.sqlite3")
    ctx = make_context(target)  # a centre first
    district = open_district_database(target)
    names = set(inspect(district).get_table_names())
    assert {"centre", "alembic_version", "district_tx", VERSION_TABLE} <= names
    assert not set(DistrictBase.metadata.tables) & set(Base.metadata.tables)
    district.dispose()
    ctx.engine.dispose()
    open_database(target).dispose()  # the centre still opens: it sees its own version table


def test_foreign_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE stuff (x)")
    with pytest.raises(StorageError, match="not a time bank database"):
        open_district_database(str(path))


def test_default_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIMEBANK_DISTRICT_DB", raising=False)
    assert default_district_target().endswith("district.sqlite3")
    monkeypatch.setenv("TIMEBANK_DB", "centre.db")
    assert default_district_target() == "centre.db"
    monkeypatch.setenv("TIMEBANK_DISTRICT_DB", "d.db")
    assert default_district_target() == "d.db"
