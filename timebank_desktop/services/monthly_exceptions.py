"""The 异常 sheet: what staff and the district must look at, as it stood at the month's end.

Unsigned slips older than the policy's days, disputes open during the month, reversals and
late entries booked in it, member accounts overdrawn at its end, and volunteers who served
in it whose accident insurance or training certificates had run out (when known).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from timebank_desktop.domain.clock import local_date
from timebank_desktop.domain.ledger import KIND_LABELS, TxKind
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.excel.monthly_data import ExceptionKind, ExceptionRow
from timebank_desktop.i18n import N_, translate
from timebank_desktop.models import (
    Dispute,
    InsurancePolicy,
    Member,
    ServiceRecord,
    TrainingCertificate,
    Txn,
)
from timebank_desktop.services.monthly_queries import AccountFact, month_end_utc
from timebank_desktop.services.policy import policy_for

DISPUTE_STATUS = {"open": N_("open"), "upheld": N_("upheld"), "rejected": N_("rejected")}


def _unsigned(session: Session, month: Month, lang: str) -> Iterable[ExceptionRow]:
    days = policy_for(session, month.last_day).unsigned_slip_days
    end = month_end_utc(month)
    vol, rec = aliased(Member), aliased(Member)
    query = (
        select(ServiceRecord.slip_no, ServiceRecord.service_date, vol.name, rec.name)
        .join(vol, vol.id == ServiceRecord.volunteer_id)
        .join(rec, rec.id == ServiceRecord.recipient_id)
        .where(
            ServiceRecord.status != "void",
            or_(~ServiceRecord.signed, ServiceRecord.signed_at >= end),
            ServiceRecord.service_date <= month.last_day - timedelta(days=days),
            ServiceRecord.created_at < end,
        )
        .order_by(ServiceRecord.service_date, ServiceRecord.slip_no)
    )
    text = translate(N_("Slip not signed after {days} days: {volunteer} → {recipient}"), lang)
    for slip, day, volunteer, recipient in session.connection().execute(query):
        yield ExceptionRow(
            ExceptionKind.UNSIGNED,
            slip,
            day,
            text.format(days=days, volunteer=volunteer, recipient=recipient),
        )


def _disputes(session: Session, month: Month, lang: str) -> Iterable[ExceptionRow]:
    start, end = month_end_utc(month.previous), month_end_utc(month)
    query = (
        select(Dispute.case_no, Dispute.opened_at, Dispute.decided_at, Dispute.status,
               Dispute.reason, ServiceRecord.slip_no)
        .join(ServiceRecord, ServiceRecord.id == Dispute.record_id)
        .where(Dispute.opened_at < end,
               or_(Dispute.decided_at.is_(None), Dispute.decided_at >= start))
        .order_by(Dispute.opened_at, Dispute.case_no)
    )  # fmt: skip
    text = translate(N_("Slip {slip}: {reason} ({status})"), lang)
    for case_no, opened, decided, status, reason, slip in session.connection().execute(query):
        shown = status if decided is not None and decided < end else "open"
        label = translate(DISPUTE_STATUS.get(shown, shown), lang)
        yield ExceptionRow(
            ExceptionKind.DISPUTE,
            case_no,
            local_date(opened.replace(tzinfo=UTC)),
            text.format(slip=slip, reason=reason, status=label),
        )


def _ledger(session: Session, month: Month, lang: str) -> Iterable[ExceptionRow]:
    """Reversals booked in the month, and late entries (booked in it for an earlier month)."""
    original = aliased(Txn)
    query = (
        select(Txn.seq, Txn.kind, Txn.value_date, Txn.booked_on, Txn.memo,
               ServiceRecord.slip_no, original.seq)
        .outerjoin(ServiceRecord, ServiceRecord.id == Txn.record_id)
        .outerjoin(original, original.id == Txn.reverses_id)
        .where(Txn.booked_on >= month.first_day, Txn.booked_on <= month.last_day,
               or_(Txn.kind == TxKind.REVERSAL.value, Txn.value_date < month.first_day))
        .order_by(Txn.seq)
    )  # fmt: skip
    reversal = translate(N_("Reversal of transaction {seq}: {memo}"), lang)
    late = translate(N_("{kind} dated {day}, entered {booked} after its month was closed"), lang)
    rows = session.connection().execute(query).all()
    for seq, kind, value_date, booked_on, memo, slip, reversed_seq in rows:
        reference = slip or f"#{seq}"
        if kind == TxKind.REVERSAL.value:
            description = reversal.format(seq=reversed_seq, memo=memo)
            yield ExceptionRow(ExceptionKind.REVERSAL, reference, booked_on, description)
        else:
            label = translate(KIND_LABELS[TxKind(kind)], lang)
            description = late.format(kind=label, day=value_date, booked=booked_on)
            yield ExceptionRow(ExceptionKind.LATE, reference, value_date, description)


def _overdrafts(
    month: Month, accounts: Sequence[AccountFact], lang: str
) -> Iterable[ExceptionRow]:
    text = translate(N_("Balance at the month's end: {hours} h"), lang)
    for a in accounts:
        if a.member_no is not None and a.closing < 0:
            yield ExceptionRow(
                ExceptionKind.OVERDRAFT,
                a.member_no,
                month.last_day,
                text.format(hours=format_hours(a.closing)),
            )


def _cover(
    session: Session, month: Month, volunteer_ids: Sequence[str], lang: str
) -> Iterable[ExceptionRow]:
    """Volunteers who served this month whose known cover had ended by the month's end."""
    served = set(volunteer_ids)  # filtered here: no parameter list as long as the month
    if not served:
        return
    last = month.last_day
    insured = (
        select(Member.id, Member.member_no, Member.name, func.max(InsurancePolicy.valid_to))
        .join(InsurancePolicy, InsurancePolicy.member_id == Member.id)
        .group_by(Member.id, Member.member_no, Member.name)
        .having(func.max(InsurancePolicy.valid_to) < last)
        .order_by(Member.member_no)
    )
    text = translate(N_("{name}: accident insurance ended on {day}"), lang)
    for mid, no, name, day in session.connection().execute(insured):
        if mid in served:
            yield ExceptionRow(ExceptionKind.INSURANCE, no, day, text.format(name=name, day=day))
    certified = (
        select(
            Member.id,
            Member.member_no,
            Member.name,
            func.max(TrainingCertificate.expires_on),
            func.count(TrainingCertificate.id),
            func.count(TrainingCertificate.expires_on),
        )
        .join(TrainingCertificate, TrainingCertificate.member_id == Member.id)
        .group_by(Member.id, Member.member_no, Member.name)
        .order_by(Member.member_no)
    )
    text = translate(N_("{name}: training certificate expired on {day}"), lang)
    # a certificate without an expiry date never runs out: all must be dated to expire
    for mid, no, name, latest, count, dated in session.connection().execute(certified):
        if mid in served and count == dated and isinstance(latest, date) and latest < last:
            yield ExceptionRow(
                ExceptionKind.CERTIFICATE, no, latest, text.format(name=name, day=latest)
            )


def month_exceptions(
    session: Session,
    month: Month,
    accounts: Sequence[AccountFact],
    volunteer_ids: Sequence[str],
    lang: str,
) -> list[ExceptionRow]:
    """Every exception of ``month``, grouped by kind in the sheet's order."""
    rows: list[ExceptionRow] = []
    rows += _unsigned(session, month, lang)
    rows += _disputes(session, month, lang)
    rows += _ledger(session, month, lang)
    rows += _overdrafts(month, accounts, lang)
    rows += _cover(session, month, volunteer_ids, lang)
    order = {kind: i for i, kind in enumerate(ExceptionKind)}
    rows.sort(key=lambda e: order[e.kind])  # stable: each kind keeps its own order
    return rows
