"""What these commands record shows where the month's 异常 sheet and the handover look for it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.care.common import people
from tests.helpers import serve
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.excel.monthly_data import ExceptionKind
from timebank_desktop.models import Member
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.disputes import DisputeService
from timebank_desktop.services.monthly_exceptions import month_exceptions
from timebank_desktop.services.volunteers import VolunteerService


def test_disputes_and_lapsed_cover_reach_the_exceptions_sheet(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    record = serve(ctx, vol, rec, 60, day=date(2026, 11, 10))
    other = serve(ctx, vol, rec, 30, day=date(2026, 11, 11))
    cover = VolunteerService(ctx)
    cover.insure(vol, "人保", "P1", date(2026, 1, 1), date(2026, 11, 15))
    cover.certify(vol, "急救", date(2025, 1, 1), date(2026, 11, 1))
    disputes = DisputeService(ctx)
    open_case = disputes.open(record.slip_no, "未上门").case_no
    closed_case = disputes.open(other.slip_no, "时长不符").case_no
    disputes.decide(closed_case, uphold=False, note="凭条齐全")
    with ctx.read() as session:
        vol_id = session.scalar(select(Member.id).where(Member.member_no == vol))
        assert vol_id is not None
        rows = month_exceptions(session, Month(2026, 11), [], [vol_id], "en")
    found = {(row.kind, row.reference): row.description for row in rows}
    assert "(open)" in found[(ExceptionKind.DISPUTE, open_case)]
    assert "(rejected)" in found[(ExceptionKind.DISPUTE, closed_case)]
    assert "2026-11-15" in found[(ExceptionKind.INSURANCE, vol)]
    assert "2026-11-01" in found[(ExceptionKind.CERTIFICATE, vol)]
