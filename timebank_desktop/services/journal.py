"""Export the whole ledger as an hledger journal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.atomic import atomic_write
from timebank_desktop.exports.journal import JournalTx, write_journal
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.ledger_scan import scan_ledger


def _transactions(session: Session) -> Iterator[JournalTx]:
    for tx in scan_ledger(session):
        value = tx.value
        yield JournalTx(
            value.seq,
            value.value_date,
            value.kind,
            value.memo or value.kind,
            tuple((p.account, p.amount) for p in value.postings),
        )


class JournalService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def export(self, target: str | Path) -> int:
        """Write the journal atomically; returns the number of transactions."""
        self.ctx.require(Permission.EXPORT)
        with self.ctx.read() as session, atomic_write(target) as handle:
            return write_journal(_transactions(session), handle)
