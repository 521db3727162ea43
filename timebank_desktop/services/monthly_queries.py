"""The SQL behind the monthly report: one aggregate query per figure, never a row per member.

Every figure of a month counts what was *booked* in it (``Txn.booked_on``), so a late entry for
a closed month shows in the month it was entered and a closed month never changes. A
transaction reversed within the same month is left out of that month's service and movement
figures (it nets to nothing); its reversal is listed on the exceptions sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from timebank_desktop.domain.clock import CHINA_TZ, naive_utc
from timebank_desktop.domain.ledger import AccountKind, TxKind
from timebank_desktop.domain.months import Month
from timebank_desktop.models import (
    Account,
    Category,
    Dispute,
    Member,
    MonthClose,
    Posting,
    ServiceRecord,
    Txn,
)

CHUNK = 2000  # members per IN (...) list: well inside every backend's parameter limit


def month_end_utc(month: Month) -> datetime:
    """The first instant after ``month`` in China, as naive UTC (the storage form)."""
    return naive_utc(datetime.combine(month.next.first_day, time(0), CHINA_TZ))


def booked_in(month: Month) -> ColumnElement[bool]:
    """Booked in ``month`` and not reversed by a reversal booked in the same month."""
    rev = aliased(Txn)
    return and_(
        Txn.booked_on >= month.first_day,
        Txn.booked_on <= month.last_day,
        ~exists().where(rev.reverses_id == Txn.id, rev.booked_on <= month.last_day),
    )


def kind_is(*kinds: TxKind) -> ColumnElement[bool]:
    """``Txn.kind`` is one of ``kinds``, written so that SQLite picks the booked_on index
    (a month) rather than the kind index (every service of ten years)."""
    return (Txn.kind + "").in_([k.value for k in kinds])


class ServiceFact(NamedTuple):
    """One service credited in the month, with what the report needs about its people.

    A named tuple made straight from the result row (10,000 a month: no per-field work);
    ``signed``, ``disputed`` and ``late`` are truth values (0/1 on SQLite).
    """

    slip_no: str
    service_date: date
    volunteer_id: str
    volunteer_no: str
    volunteer_name: str
    volunteer_birth: date
    volunteer_stars: int
    recipient_no: str
    recipient_name: str
    recipient_birth: date
    category: str
    duration_minutes: int
    credited_minutes: int
    payer: str
    signed: bool
    rating: str | None
    disputed: bool
    late: bool


def service_facts(session: Session, month: Month, language: str) -> list[ServiceFact]:
    """The month's credited services in service-date, slip order (one query)."""
    vol, rec = aliased(Member), aliased(Member)
    end = month_end_utc(month)
    name = Category.name_en if language == "en" else Category.name_zh
    disputed = exists().where(Dispute.record_id == ServiceRecord.id, Dispute.opened_at < end)
    signed = and_(
        ServiceRecord.signed, or_(ServiceRecord.signed_at.is_(None), ServiceRecord.signed_at < end)
    )
    query = (
        select(
            ServiceRecord.slip_no,
            ServiceRecord.service_date,
            vol.id,
            vol.member_no,
            vol.name,
            vol.birth_date,
            vol.star_level,
            rec.member_no,
            rec.name,
            rec.birth_date,
            name,
            ServiceRecord.duration_minutes,
            ServiceRecord.credited_minutes,
            ServiceRecord.payer,
            signed,
            ServiceRecord.rating,
            disputed,
            Txn.value_date < month.first_day,
        )
        .select_from(Txn)
        .join(ServiceRecord, ServiceRecord.id == Txn.record_id)
        .join(vol, vol.id == ServiceRecord.volunteer_id)
        .join(rec, rec.id == ServiceRecord.recipient_id)
        .join(Category, Category.code == ServiceRecord.category_code)
        .where(kind_is(TxKind.SERVICE), booked_in(month))
        .order_by(ServiceRecord.service_date, ServiceRecord.slip_no)
    )
    make = ServiceFact._make
    return [make(row) for row in session.connection().execute(query).all()]


def credited_in(session: Session, month: Month) -> int:
    """Minutes credited for services in ``month`` (the same rows as `service_facts`)."""
    total = session.scalar(
        select(func.coalesce(func.sum(ServiceRecord.credited_minutes), 0))
        .select_from(Txn)
        .join(ServiceRecord, ServiceRecord.id == Txn.record_id)
        .where(kind_is(TxKind.SERVICE), booked_in(month))
    )
    return int(total or 0)


MOVEMENT_KINDS = (TxKind.GRANT, TxKind.TRANSFER, TxKind.DONATION, TxKind.REDEMPTION)


def movement_totals(session: Session, month: Month) -> dict[TxKind, int]:
    """Minutes moved per kind of transaction (grants, transfers, donations, exchanges).

    Driven by the month's transactions (booked_on index), their postings found by key: no
    condition on the posting itself, or SQLite would scan every posting of the ledger.
    """
    month_txns = select(Txn.id).where(kind_is(*MOVEMENT_KINDS), booked_in(month))
    query = (
        select(Txn.kind, func.sum(case((Posting.amount > 0, Posting.amount), else_=0)))
        .select_from(Posting)
        .join(Txn, Txn.id == Posting.txn_id)
        .where(Posting.txn_id.in_(month_txns))
        .group_by(Txn.kind)
    )
    found = {TxKind(kind): int(total or 0) for kind, total in session.connection().execute(query)}
    return {kind: found.get(kind, 0) for kind in MOVEMENT_KINDS}


def new_members(session: Session, month: Month) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.joined_on >= month.first_day, Member.joined_on <= month.last_day)
        )
        or 0
    )


@dataclass(frozen=True, slots=True)
class AccountFact:
    """One account's month: opening, credits, debits, closing (booking dates)."""

    code: str
    kind: str
    member_no: str | None
    member_name: str | None
    opening: int
    credits: int
    debits: int
    closing: int


def account_facts(session: Session, month: Month) -> list[AccountFact]:
    """Every account; closing = cached balance − what was booked after the month.

    Only postings booked from the month's first day on are read (an index range on
    ``txn.booked_on``): the cache is what `verify` proves equal to the sum of all postings.
    """

    def booked(*where: ColumnElement[bool]) -> Any:
        # the month's transactions through the booked_on index, then their postings by key
        # (never a scan of every posting of the ledger)
        return Posting.txn_id.in_(select(Txn.id).where(*where))

    conn = session.connection()
    in_month = conn.execute(
        select(
            Posting.account_id,
            func.sum(case((Posting.amount > 0, Posting.amount), else_=0)),
            func.sum(case((Posting.amount < 0, -Posting.amount), else_=0)),
        )
        .where(booked(Txn.booked_on >= month.first_day, Txn.booked_on <= month.last_day))
        .group_by(Posting.account_id)
    )
    sums = {aid: (int(c or 0), int(d or 0)) for aid, c, d in in_month}
    later = conn.execute(
        select(Posting.account_id, func.sum(Posting.amount))
        .where(booked(Txn.booked_on > month.last_day))
        .group_by(Posting.account_id)
    )
    after = {aid: int(total or 0) for aid, total in later}
    accounts = session.connection().execute(
        select(Account.id, Account.code, Account.kind, Account.balance_minutes, Member.member_no,
               Member.name)
        .outerjoin(Member, Member.id == Account.member_id)
    ).all()  # fmt: skip
    found = []
    for aid, code, kind, balance, member_no, name in accounts:
        credits, debits = sums.get(aid, (0, 0))
        closing = int(balance) - after.get(aid, 0)
        opening = closing - credits + debits
        found.append(AccountFact(code, kind, member_no, name, opening, credits, debits, closing))
    kinds = (AccountKind.POOL, AccountKind.GOODS, AccountKind.CLEARING, AccountKind.MEMBER)
    order = {k.value: i for i, k in enumerate(kinds)}
    found.sort(key=lambda a: (order.get(a.kind, 9), a.member_no or a.code))
    return found


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def cumulative_service_minutes(
    session: Session, month: Month, member_ids: Sequence[str]
) -> dict[str, int]:
    """Per volunteer (member id): minutes credited for services up to the month's end, net of
    service reversals booked by then.

    Driven by the volunteers' accounts (the posting index on account_id), never by the
    ledger's service transactions of every year.
    """
    served = and_(kind_is(TxKind.SERVICE), Posting.amount > 0)
    undone = and_(kind_is(TxKind.REVERSAL), Txn.record_id.is_not(None), Posting.amount < 0)
    conn = session.connection()
    found: dict[str, int] = {}
    for ids in _chunks(sorted(member_ids)):
        owners = {
            account_id: member_id
            for account_id, member_id in conn.execute(
                select(Account.id, Account.member_id).where(Account.member_id.in_(ids))
            )
        }
        query = (
            select(Posting.account_id, func.sum(Posting.amount))
            .join(Txn, Txn.id == Posting.txn_id)
            .where(
                Posting.account_id.in_(list(owners)),
                Txn.booked_on <= month.last_day,
                or_(served, undone),
            )
            .group_by(Posting.account_id)
        )
        for account_id, total in conn.execute(query):
            found[str(owners[account_id])] = int(total or 0)
    return found


def closing_hash(session: Session, month: Month) -> str | None:
    return session.scalar(select(MonthClose.head_hash).where(MonthClose.month == str(month)))
