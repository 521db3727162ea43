"""Undo by reversal: a new transaction with negated postings that points at the original."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.ledger import PostingLine, TxKind, reversed_postings
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, Posting, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.ledger_writer import LedgerWriter, PostedTx, TxSpec
from timebank_desktop.services.policy import policy_for

MAX_REASON = 200  # service_record.void_reason is VARCHAR(200); PostgreSQL enforces it


def check_reason(reason: str) -> str:
    """The reason for a void or reversal, trimmed; refused when empty or too long."""
    text = reason.strip()
    if not text:
        raise ValidationError.single("void.reason", _("A reason is required"), "reason")
    if len(text) > MAX_REASON:
        raise ValidationError.single(
            "void.reason_long",
            _("The reason is too long (at most {n} characters)").format(n=MAX_REASON),
            "reason",
        )
    return text


def reverse_txn(session: Session, ctx: AppContext, original: Txn, reason: str) -> PostedTx:
    """Reverse ``original`` once; a reversal itself cannot be reversed."""
    if original.kind == TxKind.REVERSAL:
        raise Refused(_("A reversal cannot be reversed: record the entry again instead"))
    if session.scalar(select(Txn.id).where(Txn.reverses_id == original.id)):
        raise Refused(_("Transaction {seq} is already reversed").format(seq=original.seq))
    rows = session.execute(
        select(Account.code, Posting.amount)
        .join(Account, Account.id == Posting.account_id)
        .where(Posting.txn_id == original.id)
        .order_by(Posting.line)
    ).all()
    lines = reversed_postings(tuple(PostingLine(code, amount) for code, amount in rows))
    today = ctx.today()
    writer = LedgerWriter(session, ctx)
    posted = writer.post(
        TxSpec(
            TxKind.REVERSAL,
            today,
            lines,
            memo=_("Reversal of {seq}: {reason}").format(seq=original.seq, reason=reason),
            reverses=original.id,
            record=original.record_id,
        ),
        policy_for(session, today),
    )
    writer.flush()
    return posted
