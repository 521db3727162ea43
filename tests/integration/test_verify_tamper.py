"""Changing any single stored ledger value — triggers dropped, as someone holding the file
could — makes `verify` fail and name the row."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.helpers import add_member, serve
from timebank_desktop.models import triggers
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.verify import VerifyService


@pytest.fixture
def booked(ctx: AppContext) -> AppContext:
    anna = add_member(ctx, "王秀英", date(1962, 3, 1))
    bo = add_member(ctx, "李建国", date(1940, 6, 1), role="recipient")
    serve(ctx, anna, bo, 90)
    MemberService(ctx).add_relation(anna, bo, "parent")
    AccountService(ctx).transfer(anna, bo, 30, "给父亲")
    AccountService(ctx).grant(bo, 60, "补贴")
    assert VerifyService(ctx).run().ok
    return ctx


def test_the_database_refuses_update_and_delete(booked: AppContext) -> None:
    for statement in (
        "UPDATE posting SET amount = amount + 1",
        "DELETE FROM txn WHERE seq = 3",
        "UPDATE txn SET memo = 'x' WHERE seq = 1",
        "UPDATE account SET code = 'member:X' WHERE code = 'pool'",
        "DELETE FROM audit_entry",
    ):
        with pytest.raises(DBAPIError), booked.engine.begin() as conn:
            conn.execute(text(statement))
    assert VerifyService(booked).run().ok


TAMPERS = [
    ("UPDATE txn SET memo = 'edited' WHERE seq = 2", "seq 2"),
    ("UPDATE txn SET kind = 'grant' WHERE seq = 1", "seq 1"),
    ("UPDATE txn SET value_date = '2026-11-01' WHERE seq = 1", "seq 1"),
    ("UPDATE txn SET staff = 'someone' WHERE seq = 3", "seq 3"),
    ("UPDATE txn SET hash = '{z}' WHERE seq = 3", "seq 3"),
    ("UPDATE txn SET prev_hash = '{z}' WHERE seq = 2", "seq 2"),
    ("UPDATE txn SET seq = 9 WHERE seq = 3", "seq 9"),
    ("UPDATE txn SET funding = 'charity' WHERE seq = 3", "seq 3"),
    ("UPDATE txn SET recorded_at = '2026-01-01 00:00:00' WHERE seq = 2", "seq 2"),
    (
        "UPDATE posting SET amount = 100 WHERE line = 2 AND txn_id = (SELECT id FROM txn "
        "WHERE seq = 1)",
        "seq 1",
    ),
    (
        "UPDATE posting SET account_id = (SELECT id FROM account WHERE code = 'goods') "
        "WHERE line = 1 AND txn_id = (SELECT id FROM txn WHERE seq = 3)",
        "seq 3",
    ),
    ("UPDATE account SET balance_minutes = balance_minutes + 15 WHERE code = 'pool'", "pool"),
    (
        "DELETE FROM posting WHERE line = 2 AND txn_id = (SELECT id FROM txn WHERE seq = 2)",
        "seq 2",
    ),
]


@pytest.mark.parametrize(("statement", "named"), TAMPERS)
def test_any_single_change_is_found_and_named(
    booked: AppContext, statement: str, named: str
) -> None:
    dialect = booked.engine.dialect.name
    with booked.engine.begin() as conn:
        for drop in triggers.drop_statements(dialect):
            conn.execute(text(drop))
        conn.execute(text(statement.format(z="0" * 64)))
    report = VerifyService(booked).run()
    assert not report.ok
    assert named in str(report.first_problem)
