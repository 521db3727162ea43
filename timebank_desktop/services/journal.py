"""Export the whole ledger as an hledger journal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.atomic import atomic_write
from timebank_desktop.exports.journal import JournalTx, write_journal
from timebank_desktop.models import Account, Posting, Txn
from timebank_desktop.services.context import AppContext


def _transactions(session: Session) -> Iterator[JournalTx]:
    query = (
        select(Txn.id, Txn.seq, Txn.value_date, Txn.kind, Txn.memo, Account.code, Posting.amount)
        .join(Posting, Posting.txn_id == Txn.id)
        .join(Account, Account.id == Posting.account_id)
        .order_by(Txn.seq, Posting.line)
        .execution_options(yield_per=20_000)
    )
    current = None
    postings: list[tuple[str, int]] = []
    for row in session.execute(query):
        if current is None or row.id != current.id:
            if current is not None:
                yield JournalTx(
                    current.seq,
                    current.value_date,
                    current.kind,
                    current.memo or current.kind,
                    tuple(postings),
                )
            current, postings = row, []
        postings.append((row.code, row.amount))
    if current is not None:
        yield JournalTx(
            current.seq,
            current.value_date,
            current.kind,
            current.memo or current.kind,
            tuple(postings),
        )


class JournalService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def export(self, target: str | Path) -> int:
        """Write the journal atomically; returns the number of transactions."""
        self.ctx.require(Permission.EXPORT)
        with self.ctx.read() as session, atomic_write(target) as handle:
            return write_journal(_transactions(session), handle)
