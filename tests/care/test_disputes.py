"""Disputes: numbered cases, one open case per record, upheld means a reversal."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.care.common import as_role, people, snapshot
from tests.conftest import make_context
from tests.helpers import serve
from timebank_desktop.domain.errors import (
    NotFound,
    PermissionDenied,
    Refused,
    ValidationError,
)
from timebank_desktop.domain.roles import Role
from timebank_desktop.models import Dispute, ServiceRecord, Txn
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.disputes import DisputeService
from timebank_desktop.services.records import RecordService
from timebank_desktop.services.verify import VerifyService


def _balance(ctx: AppContext, member: str) -> int:
    return AccountService(ctx).balance(member).balance_minutes


def test_cases_are_numbered_by_year_and_opened_by_slip_or_record(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    one = serve(ctx, vol, rec, 60)
    two = serve(ctx, vol, rec, 30, day=date(2026, 11, 18))
    disputes = DisputeService(ctx)
    first = disputes.open(one.slip_no, " 服务时长不符 ")
    second = disputes.open(two.id, "未上门")
    assert (first.case_no, second.case_no) == ("JF-2026-0001", "JF-2026-0002")
    assert (first.slip_no, first.reason, first.status) == (one.slip_no, "服务时长不符", "open")
    assert [d.case_no for d in disputes.list("open")] == ["JF-2026-0001", "JF-2026-0002"]
    assert disputes.get("jf-2026-0002").record_id == two.id


def test_upheld_voids_the_record_by_reversal(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 90)
    assert _balance(ctx, vol) == 90
    disputes = DisputeService(ctx)
    case = disputes.open(record.slip_no, "老人称未上门").case_no
    decided = disputes.decide(case, uphold=True, note="电话核实属实")
    assert (decided.status, decided.decision_note) == ("upheld", "电话核实属实")
    assert decided.decided_at is not None
    voided = RecordService(ctx).get(record.id)
    assert voided.status == "void"
    assert _balance(ctx, vol) == 0
    with ctx.read() as session:
        reversal = session.scalar(select(Txn).where(Txn.reverses_id == record.txn_id))
        assert reversal is not None and case in reversal.memo
        assert session.scalar(select(func.count()).select_from(Txn)) == 2  # nothing deleted
    assert VerifyService(ctx).run().ok
    before = snapshot(ctx.engine)
    with pytest.raises(Refused, match="already decided"):
        disputes.decide(case, uphold=False, note="again")
    assert snapshot(ctx.engine) == before


def test_rejected_leaves_the_record_and_a_new_case_may_follow(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 60)
    disputes = DisputeService(ctx)
    case = disputes.open(record.slip_no, "评价有误").case_no
    assert disputes.decide(case, uphold=False, note="签字凭条齐全").status == "rejected"
    assert RecordService(ctx).get(record.id).status == "posted"
    assert _balance(ctx, vol) == 60
    assert disputes.open(record.slip_no, "新的投诉").case_no == "JF-2026-0002"


def test_an_unsigned_record_upheld_is_voided_without_a_reversal(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 60, signed=False)
    disputes = DisputeService(ctx)
    case = disputes.open(record.slip_no, "未上门").case_no
    disputes.decide(case, uphold=True, note="属实")
    assert RecordService(ctx).get(record.id).status == "void"
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Txn)) == 0


def test_bad_openings_are_refused_and_change_nothing(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 60)
    gone = serve(ctx, vol, rec, 30, day=date(2026, 11, 18))
    RecordService(ctx).void(gone.slip_no, "录重")
    disputes = DisputeService(ctx)
    case = disputes.open(record.slip_no, "未上门").case_no
    before = snapshot(ctx.engine)
    with pytest.raises(Refused, match=f"already has an open dispute: {case}"):
        disputes.open(record.id, "再次投诉")
    with pytest.raises(Refused, match="voided"):
        disputes.open(gone.slip_no, "未上门")
    with pytest.raises(NotFound, match="Unknown service record"):
        disputes.open("99999999", "未上门")
    with pytest.raises(ValidationError, match="reason is required"):
        disputes.open(record.slip_no, "  ")
    with pytest.raises(ValidationError, match="at most 500"):
        disputes.open(record.slip_no, "长" * 501)
    with pytest.raises(NotFound, match="Unknown dispute case"):
        disputes.decide("JF-2026-0099", uphold=True, note="x")
    with pytest.raises(ValidationError, match="note is required"):
        disputes.decide(case, uphold=False, note="")
    with pytest.raises(ValidationError, match="becomes the void reason"):
        disputes.decide(case, uphold=True, note="长" * 300)
    with pytest.raises(PermissionDenied):
        DisputeService(as_role(ctx, Role.CLERK)).decide(case, uphold=True, note="属实")
    assert snapshot(ctx.engine) == before
    assert disputes.get(case).status == "open"


@pytest.mark.postgres
def test_two_clerks_cannot_open_two_cases_on_one_record(pg_url: str) -> None:
    """A clerk's open waits for the other's transaction on the record, then sees its case."""
    ctx = make_context(pg_url)
    try:
        vol, rec, _both = people(ctx)
        record = serve(ctx, vol, rec, 60)
        outcome: list[object] = []
        with ctx.write() as session:  # the first clerk, mid-way through opening a case
            session.execute(
                select(ServiceRecord).where(ServiceRecord.id == record.id).with_for_update()
            ).scalar_one()
            session.add(
                Dispute(id=ctx.new_id(), case_no="JF-2026-0900", record_id=record.id,
                        reason="未上门", status="open", decision_note="",
                        opened_at=ctx.now(), decided_at=None)
            )  # fmt: skip
            session.flush()

            def second() -> None:
                try:
                    outcome.append(DisputeService(ctx).open(record.slip_no, "再次投诉"))
                except Refused as exc:
                    outcome.append(exc)

            worker = threading.Thread(target=second)
            worker.start()
            time.sleep(0.5)  # let the second clerk reach the record's lock
        worker.join(timeout=30)
        assert len(outcome) == 1 and isinstance(outcome[0], Refused)
        assert "JF-2026-0900" in str(outcome[0])
        with ctx.read() as session:
            assert session.scalar(select(func.count()).select_from(Dispute)) == 1
    finally:
        ctx.engine.dispose()
