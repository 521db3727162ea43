"""A member's passbook statement (存折式对账单) built from the ledger's postings.

Periods are by booking date, as the account's history: the opening balance is every posting
booked before the period, the closing balance is the opening plus every movement in it. A
statement that runs to today closes on the account's balance (`timebank balance`), and a
statement once printed stays true (a late entry is booked in the open month, never in a past
period). Within the period the rows are in value-date order (then ledger order) and the running
balance follows that order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.pdf import render_statement
from timebank_desktop.exports.pdf.data import Movement, Statement
from timebank_desktop.exports.pdf.layout import Target
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, Member, Posting, ServiceRecord, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import resolve
from timebank_desktop.services.paper.common import (
    account_words,
    category_names,
    centre_name,
    language_of,
    person,
    t,
)


@dataclass(frozen=True, slots=True)
class _Service:
    slip_no: str
    category: str
    volunteer_id: str
    service_date: date
    volunteer: str
    recipient: str
    void_reason: str


def check_period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError.single(
            "period.order", _("The end of the period is before its start"), "to"
        )


def _account_id(session: Session, member: Member) -> str:
    return session.scalar(select(Account.id).where(Account.member_id == member.id)) or ""


def _first_booking(session: Session, account_id: str) -> date | None:
    return session.scalar(
        select(func.min(Txn.booked_on))
        .join(Posting, Posting.txn_id == Txn.id)
        .where(Posting.account_id == account_id)
    )


def _opening(session: Session, account_id: str, start: date) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Posting.amount), 0))
            .join(Txn, Txn.id == Posting.txn_id)
            .where(Posting.account_id == account_id, Txn.booked_on < start)
        )
        or 0
    )


def _services(session: Session, txn_ids: Select[Any], language: str) -> dict[str, _Service]:
    volunteer, recipient = aliased(Member), aliased(Member)
    names = category_names(session, language)
    rows = session.execute(
        select(
            ServiceRecord.id,
            ServiceRecord.slip_no,
            ServiceRecord.category_code,
            ServiceRecord.volunteer_id,
            ServiceRecord.service_date,
            volunteer.name,
            recipient.name,
            ServiceRecord.void_reason,
        )
        .join(volunteer, volunteer.id == ServiceRecord.volunteer_id)
        .join(recipient, recipient.id == ServiceRecord.recipient_id)
        .where(ServiceRecord.id.in_(select(Txn.record_id).where(Txn.id.in_(txn_ids))))
    ).all()
    return {
        rid: _Service(slip, names.get(code, code), vid, day, vol_name, rec_name, reason)
        for rid, slip, code, vid, day, vol_name, rec_name, reason in rows
    }


def _counterparties(
    session: Session, account_id: str, txn_ids: Select[Any], language: str
) -> dict[str, str]:
    acct = aliased(Account)
    rows = session.execute(
        select(Posting.txn_id, acct.code, Member.name)
        .join(acct, acct.id == Posting.account_id)
        .outerjoin(Member, Member.id == acct.member_id)
        .where(Posting.txn_id.in_(txn_ids), Posting.account_id != account_id)
        .order_by(Posting.txn_id, Posting.line)
    ).all()
    found: dict[str, str] = {}
    for txn_id, code, name in rows:
        found.setdefault(txn_id, account_words(code, name, language))
    return found


def movements(
    session: Session, member: Member, account_id: str, start: date, end: date, language: str
) -> list[Movement]:
    """Every posting to the account booked in [start, end], in words, in date order.

    Rows are dated and ordered by their value date (the service date), then by ledger order, so
    a late entry sits among the services of its own day; it carries the day it was booked.
    """
    in_period = (Posting.account_id == account_id, Txn.booked_on >= start, Txn.booked_on <= end)
    txn_ids = select(Posting.txn_id).join(Txn, Txn.id == Posting.txn_id).where(*in_period)
    services = _services(session, txn_ids, language)
    others = _counterparties(session, account_id, txn_ids, language)
    rows = session.execute(
        select(Txn.id, Txn.booked_on, Txn.value_date, Txn.kind, Txn.memo, Txn.record_id)
        .add_columns(Posting.amount)
        .join(Posting, Posting.txn_id == Txn.id)
        .where(*in_period)
        .order_by(Txn.value_date, Txn.seq)
    ).all()
    lines: list[Movement] = []
    for txn_id, booked, value_date, kind, memo, record_id, amount in rows:
        service = services.get(record_id) if record_id else None
        counterparty = others.get(txn_id, "")
        text = memo
        if service is not None:
            own = service.volunteer_id == member.id
            counterparty = service.recipient if own else service.volunteer
            if kind == "reversal":
                text = t("Slip {slip} voided: {reason}", language).format(
                    slip=service.slip_no, reason=service.void_reason
                )
            else:
                text = t("{category}, slip {slip}", language).format(
                    category=service.category, slip=service.slip_no
                )
        late = booked if booked != value_date else None  # its month was closed
        lines.append(Movement(value_date, kind, counterparty, text, int(amount), late))
    return lines


class StatementService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def build(
        self,
        ref: str,
        start: date | None = None,
        end: date | None = None,
        language: str | None = None,
    ) -> Statement:
        """The statement of member ``ref`` (number or ID) for [start, end].

        Without ``start`` it runs from the member's first booking (or joining day); without
        ``end`` to today.
        """
        self.ctx.require(Permission.VIEW)
        lang = language_of(language)
        check_period(start, end)
        today = self.ctx.today()
        with self.ctx.read() as session:
            member = resolve(session, ref)
            account_id = _account_id(session, member)
            first = _first_booking(session, account_id)
            begin = start or min(d for d in (member.joined_on, first) if d is not None)
            finish = end or max(today, begin)
            check_period(begin, finish)
            return Statement(
                centre_name=centre_name(session),
                member=person(member),
                id_number=member.id_number,
                period_start=begin,
                period_end=finish,
                opening_minutes=_opening(session, account_id, begin),
                movements=tuple(movements(session, member, account_id, begin, finish, lang)),
                printed_on=today,
            )

    def write(
        self,
        ref: str,
        target: Target,
        start: date | None = None,
        end: date | None = None,
        language: str | None = None,
    ) -> Statement:
        """Build the statement and print it to ``target``; returns what was printed."""
        self.ctx.require(Permission.EXPORT)
        lang = language_of(language)
        data = self.build(ref, start, end, lang)
        render_statement(data, target, lang)
        return data
