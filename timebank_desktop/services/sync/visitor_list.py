"""The visits booked at this centre, newest first: what the visitor panel lists to void.

A visit is a clearing leg (``member:V… += x``, ``clearing:<home> −= x``, see visitors.py) and
the service or exchange that spends it, both naming the visit in their ``record``. The list
shows the leg's number (either number voids the visit), the visitor, the minutes, whether
the hours paid a service or goods, and whether the visit is void already. Read only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from timebank_desktop.domain.ledger import AccountKind, TxKind
from timebank_desktop.models import Account, Posting, SyncVisitor, Txn
from timebank_desktop.services.context import AppContext

LIMIT = 50


@dataclass(frozen=True, slots=True)
class VisitRow:
    seq: int  # the clearing leg's number
    day: date
    visitor_no: str
    home_centre: str
    minutes: int
    exchange: bool  # the hours paid for goods (兑换), not a service
    void: bool


def recent_visits(ctx: AppContext, limit: int = LIMIT) -> list[VisitRow]:
    """The latest ``limit`` visits of this centre, newest first."""
    own = aliased(Posting)
    reversal = aliased(Txn)
    partner = aliased(Txn)
    with ctx.read() as session:
        legs = session.execute(
            select(
                Txn.id, Txn.seq, Txn.value_date, Txn.record_id, Posting.amount,
                SyncVisitor.visitor_no, SyncVisitor.home_centre,
            )
            .join(Posting, Posting.txn_id == Txn.id)
            .join(Account, Account.id == Posting.account_id)
            .join(own, own.txn_id == Txn.id)
            .join(SyncVisitor, SyncVisitor.account_id == own.account_id)
            .where(
                Account.kind == AccountKind.CLEARING.value,
                Txn.kind.not_in((TxKind.MIRROR.value, TxKind.REVERSAL.value)),
                Txn.record_id.is_not(None),
            )
            .order_by(Txn.seq.desc())
            .limit(limit)
        ).all()  # fmt: skip
        ids = [leg.id for leg in legs]
        records = [leg.record_id for leg in legs]
        voided = set(
            session.scalars(select(reversal.reverses_id).where(reversal.reverses_id.in_(ids)))
        )
        exchanges = set(
            session.scalars(
                select(partner.record_id).where(
                    partner.record_id.in_(records),
                    partner.kind == TxKind.REDEMPTION.value,
                )
            )
        )
    return [
        VisitRow(
            seq=leg.seq,
            day=leg.value_date,
            visitor_no=leg.visitor_no,
            home_centre=leg.home_centre,
            minutes=-leg.amount,
            exchange=leg.record_id in exchanges,
            void=leg.id in voided,
        )
        for leg in legs
    ]
