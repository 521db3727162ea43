"""Void a visitor's service or exchange for goods: reverse both of its transactions.

A visit is the clearing leg ``member:V… += x, clearing:<home> −= x`` and the service (or
redemption) that spends it, both naming the visit in their ``record``. Voiding reverses the
service first (the volunteer gives the hours back to the visitor's account), then the leg (the
visitor's account back to zero, ``clearing:<home>`` += x). The leg's reversal is a non-mirror
transaction on the clearing account, so the district derives a counter-entry (+x) from it that
the home centre mirrors (docs/sync-format.md §5.1, §10); until the next statement, the
visitor's standing here counts the visit no more (visitor_standing.py). A voided exchange
does not put goods back on the stock (as a member's reversed redemption does not): whether
they came back is the counter's call, and `goods restock` adds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import Refused, TimebankError
from timebank_desktop.domain.ledger import AccountKind, TxKind
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, Posting, SyncVisitor, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.reversal import check_reason, reverse_txn
from timebank_desktop.services.sync.visitor_standing import lock_visitor, standing_of


@dataclass(frozen=True, slots=True)
class VisitVoided:
    visitor_no: str
    home_centre: str
    minutes: int  # what the visit had honoured
    reversal_seqs: tuple[int, ...]
    available: int | None  # what may be honoured now (None: no standing to show)


def _visit_of(session: Session, seq: int) -> tuple[list[Txn], Txn, SyncVisitor, int]:
    """The visit's transactions (ledger order), its clearing leg, the visitor, the minutes."""
    txn = session.scalar(select(Txn).where(Txn.seq == seq))
    if txn is None:
        raise Refused(_("No transaction number {seq}").format(seq=seq))
    not_visit = Refused(
        _("Transaction {seq} is not a visitor's service or exchange").format(seq=seq)
    )
    if txn.kind == TxKind.REVERSAL.value or txn.record_id is None:
        raise not_visit
    pair = list(
        session.scalars(
            select(Txn)
            .where(Txn.record_id == txn.record_id, Txn.kind != TxKind.REVERSAL.value)
            .order_by(Txn.seq)
        )
    )
    rows = session.execute(
        select(Posting.txn_id, Posting.amount, Account.kind, Account.id)
        .join(Account, Account.id == Posting.account_id)
        .where(Posting.txn_id.in_([t.id for t in pair]))
    ).all()
    legs = [r for r in rows if r.kind == AccountKind.CLEARING.value]
    if len(pair) != 2 or len(legs) != 1 or any(t.kind == TxKind.MIRROR.value for t in pair):
        raise not_visit
    leg = next(t for t in pair if t.id == legs[0].txn_id)
    accounts = {r.id for r in rows if r.txn_id == leg.id and r.kind == AccountKind.MEMBER.value}
    visitor = session.scalar(select(SyncVisitor).where(SyncVisitor.account_id.in_(accounts)))
    if visitor is None:
        raise not_visit
    return pair, leg, visitor, -legs[0].amount


def void_visit(ctx: AppContext, seq: int, reason: str) -> VisitVoided:
    """Reverse the visit that transaction ``seq`` belongs to (refused when already void)."""
    ctx.require(Permission.VOID)
    reason = check_reason(reason)
    with ctx.write() as session:
        pair, leg, visitor, minutes = _visit_of(session, seq)
        lock_visitor(session, visitor.member_key)  # a second clerk's void waits, then sees it
        done = set(
            session.scalars(
                select(Txn.reverses_id).where(Txn.reverses_id.in_([t.id for t in pair]))
            )
        )
        if len(done) == len(pair):
            raise Refused(_("The visit of transaction {seq} is already void").format(seq=seq))
        spender = [t for t in pair if t.id != leg.id]
        reversals = tuple(
            reverse_txn(session, ctx, t, reason).seq for t in (*spender, leg) if t.id not in done
        )
        ctx.audit(
            session, "sync.visit_void", "visitor", visitor.visitor_no,
            seq=leg.seq, minutes=minutes, reversals=list(reversals), reason=reason,
        )  # fmt: skip
        available: int | None
        try:
            standing = standing_of(session, ctx, visitor.member_key, visitor.home_centre)
            available = standing.available
        except TimebankError:  # e.g. the statement now lists another home: still void
            available = None
        return VisitVoided(visitor.visitor_no, visitor.home_centre, minutes, reversals, available)
