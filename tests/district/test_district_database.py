"""The district database: its own migration chain, and living beside a centre's schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from tests.conftest import make_context
from timebank_desktop.domain.errors import StorageError
from timebank_desktop.models import Base
from timebank_desktop.models.district import DistrictBase
from timebank_desktop.models.district.base import VERSION_TABLE
from timebank_desktop.models.engine import make_engine
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.district.database import (
    DISTRICT,
    alembic_config,
    current_revision,
    default_district_target,
    head_revision,
    open_district_database,
)
from timebank_desktop.services.district.positions import DistrictPositionsService, Overdraft


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


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_first_revision_district_keeps_its_aggregates_through_d0002_and_d0003(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """d0002 rebuilds the member and account tables (SQLite: WITHOUT ROWID) and swaps the
    balance index for a partial one; d0003 drops the account key index: every row survives,
    overdrafts are still listed with their centres."""
    target = (
        str(tmp_path / "old.sqlite3") if backend == "sqlite" else request.getfixturevalue("pg_url")
    )
    engine = make_engine(target)
    DISTRICT.upgrade(engine, "d0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO district_centre (id, code, name, public_key, fingerprint, status, "
                "epoch, head_seq, head_hash, enrolled_at) VALUES (1, 'A01', 'a', 'k', 'f', "
                "'active', 1, 0, 'h', '2026-11-30 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO district_member VALUES ('k1', 'F', 1950, -30), ('k2', 'M', 1948, 90)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO district_account (centre_id, account, key, roles, legs, balance) "
                "VALUES (1, 'member:M1', 'k1', 'volunteer', 0, -30)"
            )
        )
    engine.dispose()
    engine = open_district_database(target)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM district_member")).scalar() == 2
            assert conn.execute(text("SELECT key FROM district_account")).scalar() == "k1"
            overdrawn = "SELECT key FROM district_member WHERE balance < 0 ORDER BY balance, key"
            assert conn.execute(text(overdrawn)).scalars().all() == ["k1"]
        indexes = {i["name"] for i in inspect(engine).get_indexes("district_account")}
        assert "ix_district_account_key" not in indexes
        ctx = AppContext(engine)
        assert DistrictPositionsService(ctx).overdrafts() == [Overdraft("k1", -30, ("A01",))]
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
