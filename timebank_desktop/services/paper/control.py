"""Slip control (凭条核对) for a month, and the staff handover package (工作交接).

A month's slips are the service records dated in it: each slip is confirmed (signed and
returned), voided, or still outstanding; issued = confirmed + voided + outstanding (the ledger
keeps no separate "lost" state, so lost slips stay outstanding until voided).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, aliased

from timebank_desktop.domain.clock import local_date
from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.domain.ledger import POOL_ACCOUNT
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.pdf import render_handover, render_slip_reconciliation
from timebank_desktop.exports.pdf.data import (
    BalanceLine,
    Handover,
    OpenDispute,
    OutstandingSlip,
    Person,
    SlipReconciliation,
)
from timebank_desktop.exports.pdf.layout import Target
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, Dispute, LedgerHead, Member, ServiceRecord
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.paper.common import language_of

OUTSTANDING = (ServiceRecord.status != "void", ServiceRecord.signed.is_(False))


def _in_month(month: Month) -> tuple[ColumnElement[bool], ...]:
    return (
        ServiceRecord.service_date >= month.first_day,
        ServiceRecord.service_date <= month.last_day,
    )


def outstanding_slips(
    session: Session, where: Sequence[ColumnElement[bool]]
) -> tuple[OutstandingSlip, ...]:
    volunteer, recipient = aliased(Member), aliased(Member)
    rows = session.execute(
        select(
            ServiceRecord.slip_no,
            ServiceRecord.created_at,
            ServiceRecord.service_date,
            volunteer.name,
            recipient.name,
        )
        .join(volunteer, volunteer.id == ServiceRecord.volunteer_id)
        .join(recipient, recipient.id == ServiceRecord.recipient_id)
        .where(*OUTSTANDING, *where)
        .order_by(ServiceRecord.service_date, ServiceRecord.slip_no)
    ).all()
    return tuple(
        OutstandingSlip(slip, local_date(created.replace(tzinfo=UTC)), day, vol, rec)
        for slip, created, day, vol, rec in rows
    )


class SlipControl:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def reconciliation(self, month: Month) -> SlipReconciliation:
        """The month's slips: issued, confirmed, voided and the outstanding ones."""
        self.ctx.require(Permission.VIEW)
        void = ServiceRecord.status == "void"
        with self.ctx.read() as session:
            issued, voided, confirmed = session.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(case((void, 1), else_=0)), 0),
                    func.coalesce(
                        func.sum(case((~void & ServiceRecord.signed.is_(True), 1), else_=0)), 0
                    ),
                ).where(*_in_month(month))
            ).one()
            return SlipReconciliation(
                centre_name=load_centre(session).name,
                month=month.first_day,
                as_of=self.ctx.today(),
                issued=int(issued),
                confirmed=int(confirmed),
                voided=int(voided),
                outstanding=outstanding_slips(session, _in_month(month)),
            )

    def write_reconciliation(
        self, month: Month, target: Target, language: str | None = None
    ) -> SlipReconciliation:
        self.ctx.require(Permission.EXPORT)
        lang = language_of(language)
        data = self.reconciliation(month)
        render_slip_reconciliation(data, target, lang)
        return data

    # ------------------------------------------------------------ handover
    def handover(self, outgoing: str, incoming: str) -> Handover:
        """Balances, open slips, open disputes and the chain head, for two staff to sign.

        ``incoming`` may be left empty: the name is then written by hand on the paper.
        """
        self.ctx.require(Permission.EXPORT)
        if not outgoing.strip():
            raise ValidationError.single(
                "handover.staff", _("Name the outgoing staff"), "outgoing"
            )
        with self.ctx.read() as session:
            centre = load_centre(session)
            head = session.get(LedgerHead, centre.code)
            balances = session.execute(
                select(Member.name, Member.member_no, Account.balance_minutes)
                .join(Account, Account.member_id == Member.id)
                .where(Account.balance_minutes != 0)
                .order_by(Member.member_no)
            ).all()
            pool = session.scalar(
                select(Account.balance_minutes).where(Account.code == POOL_ACCOUNT)
            )
            return Handover(
                centre_name=centre.name,
                handover_on=self.ctx.today(),
                outgoing_staff=outgoing.strip(),
                incoming_staff=incoming.strip(),
                balances=tuple(BalanceLine(Person(n, no), int(m)) for n, no, m in balances),
                pool_minutes=int(pool or 0),
                open_slips=outstanding_slips(session, ()),
                open_disputes=self._disputes(session),
                chain_seq=head.last_seq if head else 0,
                chain_head=head.last_hash if head else "",
            )

    @staticmethod
    def _disputes(session: Session) -> tuple[OpenDispute, ...]:
        volunteer, recipient = aliased(Member), aliased(Member)
        rows = session.execute(
            select(Dispute.case_no, Dispute.opened_at, Dispute.reason, volunteer.name,
                   recipient.name)
            .join(ServiceRecord, ServiceRecord.id == Dispute.record_id)
            .join(volunteer, volunteer.id == ServiceRecord.volunteer_id)
            .join(recipient, recipient.id == ServiceRecord.recipient_id)
            .where(Dispute.status == "open")
            .order_by(Dispute.opened_at)
        ).all()  # fmt: skip
        return tuple(
            OpenDispute(case, local_date(opened.replace(tzinfo=UTC)), f"{vol} / {rec}", reason)
            for case, opened, reason, vol, rec in rows
        )

    def write_handover(
        self, outgoing: str, incoming: str, target: Target, language: str | None = None
    ) -> Handover:
        lang = language_of(language)
        data = self.handover(outgoing, incoming)
        render_handover(data, target, lang)
        return data
