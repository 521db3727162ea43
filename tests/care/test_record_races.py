"""Two clerks on one slip at once (PostgreSQL): confirmed once, voided once, reversed once.

The first clerk is stopped half-way (its transaction holds the record and has written its
change, not yet committed); the second runs the real service in a thread. Without the record
lock the second read the record as it was before and credited it a second time, reversed it a
second time (a unique-key crash) or voided it without reversing the credit just posted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from datetime import time as clock_time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.care.common import people
from tests.conftest import make_context
from tests.helpers import serve
from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.models import GoodsItem, Member, ServiceRecord, ServiceRequest, Txn
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.disputes import DisputeService
from timebank_desktop.services.goods import GoodsService
from timebank_desktop.services.policy import policy_for
from timebank_desktop.services.records import (
    RecordService,
    lock_record,
    lock_volunteer,
    void_record,
)
from timebank_desktop.services.service_requests import RequestService

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_ctx(pg_url: str) -> Iterator[AppContext]:
    ctx = make_context(pg_url)
    try:
        yield ctx
    finally:
        ctx.engine.dispose()


def _while_held(
    ctx: AppContext, record_id: str, first: Callable[[Session, ServiceRecord], None],
    second: Callable[[], object],
) -> object:  # fmt: skip
    """Run ``second`` in a thread while the first clerk's transaction (``first``) is open."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(second())
        except Exception as exc:  # the test judges what came out
            outcome.append(exc)

    with ctx.write() as session:
        record = lock_record(session, session.get_one(ServiceRecord, record_id))
        first(session, record)
        session.flush()
        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(0.5)  # let the second clerk reach the record's lock
    worker.join(timeout=30)
    assert len(outcome) == 1
    return outcome[0]


def _count(ctx: AppContext, *where: object) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(Txn).where(*where)) or 0)


def test_a_slip_confirmed_by_two_clerks_is_credited_once(pg_ctx: AppContext) -> None:
    ctx = pg_ctx
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 60, signed=False)
    records = RecordService(ctx)

    def first(session: Session, row: ServiceRecord) -> None:
        row.signed, row.status = True, "posted"  # stands for the posting of the first clerk

    outcome = _while_held(ctx, record.id, first, lambda: records.confirm(record.slip_no))
    assert isinstance(outcome, Refused), outcome
    assert _count(ctx, Txn.record_id == record.id) == 0  # only the first clerk's (simulated)


def test_a_slip_voided_by_hand_while_its_dispute_is_upheld_is_reversed_once(
    pg_ctx: AppContext,
) -> None:
    ctx = pg_ctx
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 90)
    disputes = DisputeService(ctx)
    case = disputes.open(record.slip_no, "老人称未上门").case_no

    def first(session: Session, row: ServiceRecord) -> None:
        void_record(session, ctx, row, "录入错误")

    outcome = _while_held(ctx, record.id, first, lambda: disputes.decide(case, True, "属实"))
    assert not isinstance(outcome, Exception), outcome
    assert disputes.get(case).status == "upheld"
    assert _count(ctx, Txn.reverses_id == record.txn_id) == 1
    assert AccountService(ctx).balance(vol).balance_minutes == 0


def test_a_slip_voided_by_two_clerks_is_reversed_once(pg_ctx: AppContext) -> None:
    ctx = pg_ctx
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 60)
    records = RecordService(ctx)

    def first(session: Session, row: ServiceRecord) -> None:
        void_record(session, ctx, row, "录入错误")

    outcome = _while_held(ctx, record.id, first, lambda: records.void(record.slip_no, "重复"))
    assert isinstance(outcome, Refused) and record.slip_no in str(outcome), outcome
    assert _count(ctx, Txn.reverses_id == record.txn_id) == 1


def test_a_pending_slip_voided_while_it_is_confirmed_loses_the_credit(
    pg_ctx: AppContext,
) -> None:
    """The void waits for the confirm that posts the credit, then reverses it."""
    ctx = pg_ctx
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 60, signed=False)
    records = RecordService(ctx)

    def first(session: Session, row: ServiceRecord) -> None:  # the first clerk's confirm
        row.signed = True
        volunteer, recipient = (
            session.get_one(Member, m) for m in (row.volunteer_id, row.recipient_id)
        )
        records._post(session, row, volunteer, recipient, policy_for(session, row.service_date))

    outcome = _while_held(ctx, record.id, first, lambda: records.void(record.slip_no, "录错"))
    assert not isinstance(outcome, Exception), outcome
    assert records.get(record.id).status == "void"
    assert _count(ctx, Txn.record_id == record.id) == 2  # the credit and its reversal
    assert AccountService(ctx).balance(vol).balance_minutes == 0


def test_a_request_closed_by_two_clerks_at_once_is_closed_once(pg_ctx: AppContext) -> None:
    """One clerk closes the request as served while another cancels it: the second is told
    it is no longer open (it used to overwrite 'served' with 'cancelled')."""
    ctx = pg_ctx
    vol, rec, _both = people(ctx)
    requests = RequestService(ctx)
    wanted = requests.add(rec, "meals")
    record = serve(ctx, vol, rec, 60)
    outcome: list[object] = []

    def second() -> None:
        try:
            outcome.append(requests.close(wanted.id))
        except Exception as exc:  # the test judges what came out
            outcome.append(exc)

    with ctx.write() as session:  # the first clerk, mid-way through closing it as served
        held = session.execute(
            select(ServiceRequest).where(ServiceRequest.id == wanted.id).with_for_update()
        ).scalar_one()
        held.status = "served"
        session.get_one(ServiceRecord, record.id).request_id = wanted.id
        session.flush()
        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.5)  # let the second clerk reach the request's lock
    worker.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], Refused), outcome
    assert requests.get(wanted.id).status == "served"


def test_goods_added_by_two_clerks_at_once_are_refused_in_one_line(pg_ctx: AppContext) -> None:
    """The second waits on the unique name, then is told the item is there (was a crash)."""
    ctx = pg_ctx
    outcome: list[object] = []

    def second() -> None:
        try:
            outcome.append(GoodsService(ctx).add("大米", 120, 5))
        except Exception as exc:  # the test judges what came out
            outcome.append(exc)

    with ctx.write() as session:  # the first clerk, mid-way through adding the same item
        session.add(GoodsItem(id=ctx.new_id(), name="大米", price_minutes=120, stock=3))
        session.flush()
        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.5)  # let the second clerk reach the unique index
    worker.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], Refused), outcome
    assert "大米" in str(outcome[0])
    assert [(g.name, g.stock) for g in GoodsService(ctx).list()] == [("大米", 3)]


def test_two_clerks_cannot_credit_one_volunteer_past_the_daily_cap(pg_ctx: AppContext) -> None:
    """Each clerk's record fits the 8 h daily cap alone; the one who waited sees the other's."""
    ctx = pg_ctx
    vol, rec, _both = people(ctx)
    day = date(2026, 11, 19)
    first_record = serve(ctx, vol, rec, 60, day=day)
    outcome: list[object] = []

    def second() -> None:
        try:
            outcome.append(serve(ctx, vol, rec, 240, day=day, start=clock_time(13, 0)))
        except Exception as exc:  # the test judges what came out
            outcome.append(exc)

    with ctx.write() as session:  # the first clerk, mid-way through a 4-hour record
        volunteer = session.scalars(select(Member).where(Member.member_no == vol)).one()
        lock_volunteer(session, volunteer)
        template = session.get_one(ServiceRecord, first_record.id)
        session.add(
            ServiceRecord(**{
                c.key: getattr(template, c.key) for c in ServiceRecord.__table__.columns
                if c.key not in ("id", "slip_no", "txn_id", "credited_minutes", "status")
            }, id=ctx.new_id(), slip_no="99999997", txn_id=None, credited_minutes=240,
               status="pending")
        )  # fmt: skip
        session.flush()
        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.5)  # let the second clerk reach the volunteer's lock
    worker.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError), outcome
    assert "8 h" in str(outcome[0])
