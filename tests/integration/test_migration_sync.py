"""Migration 0002 (the centre's sync tables): up from 0001 with data, down and up again."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text

from tests.conftest import NOW
from tests.helpers import add_member
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.models.engine import make_engine
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import (
    alembic_config,
    current_revision,
    head_revision,
    open_database,
    upgrade,
)

SYNC_TABLES = {
    "sync_balance", "sync_centre", "sync_config", "sync_export", "sync_mirror",
    "sync_statement", "sync_visit", "sync_visitor",
}  # fmt: skip


def test_0002_adds_the_sync_tables_and_keeps_the_ledger(db_target: str) -> None:
    engine = make_engine(db_target)
    upgrade(engine, "0001")
    assert not SYNC_TABLES & set(inspect(engine).get_table_names())
    ctx = AppContext(engine, clock=FixedClock(NOW))
    CentreService(ctx).init("A01", "东湖社区", "D01")
    member = add_member(ctx, "王秀英", date(1962, 3, 1))
    AccountService(ctx).grant(member, 90)
    engine.dispose()

    engine = open_database(db_target)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= SYNC_TABLES
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM txn")).scalar() == 1
        for table in SYNC_TABLES:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert not SYNC_TABLES & set(inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT balance_minutes FROM account WHERE code = 'pool'")).scalar() == -90  # fmt: skip  # noqa: E501
    engine.dispose()
