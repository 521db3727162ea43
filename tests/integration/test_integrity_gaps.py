"""Four ledger gaps a review found, closed: services dated long ago, grants without a limit,
postings on a damaged ledger, and statements in booking rather than date order.

Every refusal is one clear message with nothing written (same chain head, same counters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import NOW
from tests.helpers import add_member, serve
from tests.unit.exports_pdf.pdf_factories import pdf_text
from timebank_desktop.domain.clock import local_date
from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.policy import DEFAULT_POLICY, Policy
from timebank_desktop.models import (
    AuditEntry,
    Counter,
    LedgerHead,
    ServiceRecord,
    Setting,
    Txn,
    triggers,
)
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.backup import BackupService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.ledger_mark import DAMAGED_KEY
from timebank_desktop.services.month_close import MonthCloseService
from timebank_desktop.services.paper.statement import StatementService
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.records import RecordService, ServiceInput
from timebank_desktop.services.service_form import ServiceForm, ServiceFormService
from timebank_desktop.services.verify import VerifyService

TODAY = local_date(NOW)  # 2026-11-20


def _state(ctx: AppContext) -> tuple[object, ...]:
    """What a refused action must leave as it was."""
    with ctx.read() as session:
        head = session.scalars(select(LedgerHead)).one()
        return (
            head.last_seq,
            head.last_hash,
            session.scalar(select(func.count()).select_from(Txn)),
            session.scalar(select(func.count()).select_from(ServiceRecord)),
            tuple(session.execute(select(Counter.name, Counter.value).order_by(Counter.name))),
        )


@pytest.fixture
def people(ctx: AppContext) -> tuple[str, str]:
    anna = add_member(ctx, "王秀英", date(1962, 3, 1))
    bo = add_member(ctx, "李建国", date(1940, 6, 1), role="recipient")
    return anna, bo


def _service(volunteer: str, recipient: str, day: date, minutes: int = 60) -> ServiceInput:
    return ServiceInput(
        volunteer=volunteer,
        recipient=recipient,
        category="meals",
        service_date=day,
        start=time(9, 0),
        end=time(9 + minutes // 60, minutes % 60),
        signed=True,
    )


# ---------------------------------------------------------------- 1. late entries
def test_the_late_entry_limit_is_a_versioned_policy_setting() -> None:
    assert DEFAULT_POLICY.late_entry_days == 90
    stored_before = Policy().to_json().replace('"late_entry_days": 90, ', "")
    assert "late_entry_days" not in stored_before  # a version saved before the setting existed
    assert Policy.from_json(stored_before).late_entry_days == 90
    for days in (0, -5, 4000):
        with pytest.raises(ValidationError, match="1 to 3660 days"):
            Policy().with_changes(late_entry_days=days)


def test_a_service_older_than_the_limit_is_refused_naming_it(
    ctx: AppContext, people: tuple[str, str]
) -> None:
    anna, bo = people
    records = RecordService(ctx)
    before = _state(ctx)
    too_old = TODAY - timedelta(days=91)
    with pytest.raises(ValidationError) as refused:
        records.record(_service(anna, bo, too_old))
    problem = refused.value.problems[0]
    assert (problem.code, problem.field) == ("service.too_old", "date")
    assert "90 days" in problem.message and "Settings → Policy" in problem.message
    assert too_old.isoformat() in problem.message
    assert _state(ctx) == before
    oldest = records.record(_service(anna, bo, TODAY - timedelta(days=90)))
    assert oldest.posted


def test_todays_rule_decides_how_late_and_a_longer_limit_lets_it_in(
    ctx: AppContext, people: tuple[str, str]
) -> None:
    anna, bo = people
    day = TODAY - timedelta(days=200)
    policies = PolicyService(ctx)
    # A version dated back at the service allows a year: today's version still says 90 days.
    policies.set(replace(DEFAULT_POLICY, effective_from=day, late_entry_days=365))
    policies.set(replace(DEFAULT_POLICY, effective_from=TODAY - timedelta(days=10)))
    with pytest.raises(ValidationError, match="more than 90 days ago"):
        RecordService(ctx).record(_service(anna, bo, day))
    policies.set(replace(DEFAULT_POLICY, effective_from=TODAY, late_entry_days=365))
    assert RecordService(ctx).record(_service(anna, bo, day)).posted


def test_future_dates_stay_refused(ctx: AppContext, people: tuple[str, str]) -> None:
    anna, bo = people
    before = _state(ctx)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        RecordService(ctx).record(_service(anna, bo, TODAY + timedelta(days=1)))
    assert _state(ctx) == before


def test_the_service_form_says_it_with_the_other_faults(
    ctx: AppContext, people: tuple[str, str]
) -> None:
    anna, bo = people
    form = ServiceForm(
        volunteer=anna,
        recipient=bo,
        category="meals",
        date=(TODAY - timedelta(days=120)).isoformat(),
        start="09:00",
        end="10:00",
        payer="x",
        signed=True,
    )
    service = ServiceFormService(ctx)
    before = _state(ctx)
    with pytest.raises(ValidationError) as refused:
        service.save(form)
    assert [p.field for p in refused.value.problems] == ["date", "payer"]
    assert "90 days" in refused.value.problems[0].message
    with pytest.raises(ValidationError, match="future"):
        service.save(replace(form, date=(TODAY + timedelta(days=3)).isoformat(), payer=""))
    assert _state(ctx) == before
    assert service.save(
        replace(form, date=(TODAY - timedelta(days=30)).isoformat(), payer="")
    ).posted


def test_a_service_in_a_closed_month_within_the_limit_still_posts_late(
    ctx: AppContext, people: tuple[str, str]
) -> None:
    anna, bo = people
    serve(ctx, anna, bo, 60, day=date(2026, 10, 5))
    MonthCloseService(ctx).close(Month(2026, 10))
    view = RecordService(ctx).record(_service(anna, bo, date(2026, 10, 20)))
    with ctx.read() as session:
        txn = session.get_one(Txn, view.txn_id)
        assert (txn.value_date, txn.booked_on) == (date(2026, 10, 20), TODAY)
    assert VerifyService(ctx).run().ok


# ---------------------------------------------------------------- 2. grant limit
def test_a_grant_above_the_policy_limit_is_refused(
    ctx: AppContext, people: tuple[str, str]
) -> None:
    anna, _bo = people
    accounts = AccountService(ctx)
    assert DEFAULT_POLICY.max_grant_minutes == 100 * 60
    before = _state(ctx)
    with pytest.raises(ValidationError) as refused:
        accounts.grant(anna, 100 * 60 + 1)
    problem = refused.value.problems[0]
    assert (problem.code, problem.field) == ("grant.too_large", "hours")
    assert "at most 100 h" in problem.message and "Settings → Policy" in problem.message
    assert _state(ctx) == before
    accounts.grant(anna, 100 * 60)
    policies = PolicyService(ctx)
    policies.set(policies.current().with_changes(max_grant_minutes=200 * 60))
    accounts.grant(anna, 150 * 60)
    assert accounts.balance(anna).balance_minutes == 250 * 60
    with pytest.raises(ValidationError, match="more than zero"):
        Policy().with_changes(max_grant_minutes=0)


# ---------------------------------------------------------------- 3. damaged ledger
def _tamper(ctx: AppContext, statement: str) -> None:
    """Change a stored row as someone holding the file could (triggers dropped)."""
    with ctx.engine.begin() as conn:
        for drop in triggers.drop_statements(ctx.engine.dialect.name):
            conn.execute(text(drop))
        conn.execute(text(statement))


@pytest.fixture
def booked(ctx: AppContext, people: tuple[str, str]) -> tuple[AppContext, str, str]:
    anna, bo = people
    serve(ctx, anna, bo, 90)
    AccountService(ctx).grant(bo, 60, "补贴")
    serve(ctx, anna, bo, 30, signed=False, start=time(14, 0))  # pending: confirmed later
    return ctx, anna, bo


def _every_posting(ctx: AppContext, anna: str, bo: str) -> list[tuple[str, Callable[[], object]]]:
    accounts, records = AccountService(ctx), RecordService(ctx)
    with ctx.read() as session:
        pending = session.scalars(
            select(ServiceRecord.slip_no).where(ServiceRecord.status == "pending")
        ).one()
        posted = session.scalars(
            select(ServiceRecord.slip_no).where(ServiceRecord.status == "posted")
        ).first()
    assert posted is not None
    return [
        ("service", lambda: records.record(_service(anna, bo, TODAY - timedelta(days=2)))),
        ("confirm", lambda: records.confirm(pending)),
        ("void", lambda: records.void(posted, "录入错误")),
        ("grant", lambda: accounts.grant(anna, 60)),
        ("donation", lambda: accounts.donate(anna, 10)),
        ("redeem", lambda: accounts.redeem(anna, 10, "大米")),
        ("opening", lambda: accounts.opening(bo, 30)),
        ("reversal", lambda: accounts.reverse(1, "录入错误")),
    ]


def test_verify_marks_a_damaged_ledger_and_every_posting_is_refused(
    booked: tuple[AppContext, str, str], tmp_path: Path
) -> None:
    ctx, anna, bo = booked
    _tamper(ctx, "UPDATE txn SET memo = 'edited' WHERE seq = 2")
    report = VerifyService(ctx).run()
    assert not report.ok
    with ctx.read() as session:
        mark = session.get(Setting, DAMAGED_KEY)
        assert mark is not None and "seq 2" in mark.value
    before = _state(ctx)
    for name, attempt in _every_posting(ctx, anna, bo):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.exit_code == 1, name
        assert refused.value.problems[0].code == "ledger.damaged", name
        message = refused.value.message
        assert "seq 2" in message and "backup" in message and "support" in message, name
    assert _state(ctx) == before
    # Reading and printing go on.
    assert AccountService(ctx).balance(anna).balance_minutes == 90
    assert AccountService(ctx).history(anna)[1]
    StatementService(ctx).write(anna, tmp_path / "statement.pdf")
    assert (tmp_path / "statement.pdf").stat().st_size > 0


def test_the_mark_is_lifted_once_the_ledger_verifies_intact_again(
    booked: tuple[AppContext, str, str],
) -> None:
    ctx, anna, _bo = booked
    with ctx.read() as session:
        memo = session.scalars(select(Txn.memo).where(Txn.seq == 2)).one()
    _tamper(ctx, "UPDATE txn SET memo = 'edited' WHERE seq = 2")
    assert not VerifyService(ctx).run().ok
    assert not VerifyService(ctx).run().ok  # a second run keeps the one mark
    with pytest.raises(Refused):
        AccountService(ctx).grant(anna, 60)
    with ctx.engine.begin() as conn:  # repaired (say, by support)
        conn.execute(text("UPDATE txn SET memo = :memo WHERE seq = 2"), {"memo": memo})
    assert VerifyService(ctx).run().ok
    with ctx.read() as session:
        assert session.get(Setting, DAMAGED_KEY) is None
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.entity == "ledger").order_by(AuditEntry.id)
        ).all()
    assert actions == ["ledger.damaged", "ledger.intact"]
    AccountService(ctx).grant(anna, 60)
    assert VerifyService(ctx).run().ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_head SET last_hash = '" + "0" * 64 + "'",
        "UPDATE ledger_head SET last_seq = last_seq - 1",
        "DELETE FROM posting WHERE txn_id = (SELECT id FROM txn WHERE seq = 2)",
    ],
)
def test_the_writer_refuses_a_head_that_disagrees_with_the_last_row_before_any_verify(
    booked: tuple[AppContext, str, str], statement: str
) -> None:
    ctx, anna, _bo = booked
    _tamper(ctx, statement)
    if statement.startswith("DELETE"):  # the last transaction gone, its postings first
        _tamper(ctx, "DELETE FROM txn WHERE seq = 2")
    before = _state(ctx)
    with pytest.raises(Refused) as refused:
        AccountService(ctx).grant(anna, 60)
    assert refused.value.problems[0].code == "ledger.damaged"
    assert "chain head does not match" in refused.value.message
    assert _state(ctx) == before


def test_an_empty_ledger_posts_and_verify_on_an_intact_one_writes_nothing(
    ctx: AppContext, people: tuple[str, str]
) -> None:
    anna, _bo = people
    assert VerifyService(ctx).run().ok
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Setting)) == 0
    AccountService(ctx).grant(anna, 60)  # the first transaction: head at GENESIS, no rows
    assert AccountService(ctx).balance(anna).balance_minutes == 60


# ---------------------------------------------------------------- 4. date order
def test_statement_and_history_list_by_value_date_with_a_running_balance(
    ctx: AppContext, people: tuple[str, str], tmp_path: Path
) -> None:
    anna, bo = people
    accounts = AccountService(ctx)
    serve(ctx, anna, bo, 60, day=date(2026, 10, 5))  # seq 1
    MonthCloseService(ctx).close(Month(2026, 10))
    accounts.grant(anna, 30, "补贴")  # seq 2, value date today
    serve(ctx, anna, bo, 90, day=date(2026, 11, 10))  # seq 3, typed after the grant
    serve(ctx, anna, bo, 120, day=date(2026, 10, 28))  # seq 4, late: October is closed
    data = StatementService(ctx).build(anna, language="en")
    dates = [m.on for m in data.movements]
    assert dates == [date(2026, 10, 5), date(2026, 10, 28), date(2026, 11, 10), TODAY]
    assert [m.minutes for m in data.movements] == [60, 120, 90, 30]
    assert [m.booked_on for m in data.movements] == [None, TODAY, None, None]
    closing = data.opening_minutes + sum(m.minutes for m in data.movements)
    assert closing == accounts.balance(anna).balance_minutes == 300
    _opening, history = accounts.history(anna)
    assert [m.seq for m in history] == [1, 4, 3, 2]
    assert [m.running_balance for m in history] == [60, 180, 270, 300]
    # A period is still by booking date: November holds the late entry, at its own date.
    november = StatementService(ctx).build(anna, date(2026, 11, 1), date(2026, 11, 30))
    assert november.opening_minutes == 60
    assert [m.on for m in november.movements] == [date(2026, 10, 28), date(2026, 11, 10), TODAY]
    target = tmp_path / "statement.pdf"
    StatementService(ctx).write(anna, target, date(2026, 11, 1), date(2026, 11, 30), "en")
    lines = [" ".join(line.split()) for line in pdf_text(target).splitlines()]
    rows = [line for line in lines if line[:4] == "2026"]
    assert [row.split()[0] for row in rows] == [
        "2026-11-01", "2026-10-28", "2026-11-10", "2026-11-20", "2026-11-30",
    ]  # fmt: skip
    assert rows[1].startswith("2026-10-28 * Service deposit") and rows[1].endswith(" 3")
    assert rows[-1].endswith(" 5")  # the closing balance
    note = "* Late entries, booked after their month was closed: 2026-10-28 booked on 2026-11-20"
    assert note in lines


def test_restoring_a_backup_brings_postings_back(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    ctx = sqlite_ctx
    anna = add_member(ctx, "王秀英", date(1962, 3, 1))
    AccountService(ctx).grant(anna, 60)
    BackupService(ctx).backup(tmp_path / "good.sqlite3")
    _tamper(ctx, "UPDATE txn SET memo = 'edited' WHERE seq = 1")
    assert not VerifyService(ctx).run().ok
    with pytest.raises(Refused, match="Restore a backup"):
        AccountService(ctx).grant(anna, 60)
    BackupService(ctx).restore(tmp_path / "good.sqlite3", safety_dir=tmp_path / "safety")
    AccountService(ctx).grant(anna, 60)
    assert AccountService(ctx).balance(anna).balance_minutes == 120
    assert VerifyService(ctx).run().ok
