"""Random sequences of operations keep every invariant of the ledger."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import make_context
from tests.helpers import id_for
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.models import Account, Posting
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.records import RecordService, ServiceInput
from timebank_desktop.services.verify import VerifyService

MEMBERS = 4
member_ix = st.integers(0, MEMBERS - 1)
minutes = st.sampled_from([15, 30, 45, 60, 90, 120, 300])
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("serve"),
            member_ix,
            member_ix,
            minutes,
            st.booleans(),
            st.sampled_from(["pool", "recipient"]),
        ),
        st.tuples(st.just("confirm"), st.integers(0, 50)),
        st.tuples(st.just("void"), st.integers(0, 50)),
        st.tuples(st.just("transfer"), member_ix, member_ix, minutes),
        st.tuples(st.just("grant"), member_ix, minutes),
        st.tuples(st.just("donate"), member_ix, minutes),
        st.tuples(st.just("redeem"), member_ix, minutes),
    ),
    min_size=1,
    max_size=25,
)


def _setup(ctx: AppContext) -> list[str]:
    members = MemberService(ctx)
    numbers = [
        members.add(
            MemberInput(f"成员{'甲乙丙丁'[i]}", id_for(date(1950 + i, 1, 1)), role="both")
        ).member_no
        for i in range(MEMBERS)
    ]
    members.add_relation(numbers[0], numbers[1], "spouse")
    members.add_relation(numbers[2], numbers[3], "child")
    return numbers


def _apply(ctx: AppContext, numbers: list[str], slips: list[str], op: tuple) -> None:
    records, accounts = RecordService(ctx), AccountService(ctx)
    kind = op[0]
    if kind == "serve":
        _k, v, r, mins, signed, payer = op
        start = time(8 + len(slips) % 10, 0)
        end_min = start.hour * 60 + mins
        slips.append(
            records.record(
                ServiceInput(
                    numbers[v],
                    numbers[r],
                    "company",
                    date(2026, 11, 1 + len(slips) % 19),
                    start,
                    time(end_min // 60, end_min % 60),
                    payer=payer,
                    signed=signed,
                )
            ).slip_no
        )
    elif kind in ("confirm", "void") and slips:
        slip = slips[op[1] % len(slips)]
        if kind == "confirm":
            records.confirm(slip)
        else:
            records.void(slip, "test")
    elif kind == "transfer":
        accounts.transfer(numbers[op[1]], numbers[op[2]], op[3])
    elif kind == "grant":
        accounts.grant(numbers[op[1]], op[2])
    elif kind == "donate":
        accounts.donate(numbers[op[1]], op[2])
    elif kind == "redeem":
        accounts.redeem(numbers[op[1]], op[2], "goods")


def _check_invariants(ctx: AppContext) -> None:
    with ctx.read() as session:
        total = session.scalar(select(func.coalesce(func.sum(Posting.amount), 0)))
        assert total == 0
        cached = dict(session.execute(select(Account.id, Account.balance_minutes)).all())
        sums = dict(
            session.execute(
                select(Posting.account_id, func.sum(Posting.amount)).group_by(Posting.account_id)
            ).all()
        )
        assert all(cached[a] == sums.get(a, 0) for a in cached)
        negative = session.scalar(
            select(func.count())
            .select_from(Account)
            .where(Account.kind == "member", Account.balance_minutes < 0)
        )
        assert negative == 0
    assert VerifyService(ctx).run().ok


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=operations)
def test_random_operations_keep_every_invariant(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ctx = make_context(str(Path(folder) / "p.sqlite3"))
        try:
            numbers, slips = _setup(ctx), []
            for op in ops:
                with contextlib.suppress(TimebankError):  # a refusal changes nothing
                    _apply(ctx, numbers, slips, op)
                _check_invariants(ctx)
        finally:
            ctx.engine.dispose()
