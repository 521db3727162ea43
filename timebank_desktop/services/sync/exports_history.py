"""The history of exports and what the last district statement says about each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank_desktop.i18n import N_, _
from timebank_desktop.models import Centre, SyncExport, SyncStatement, Txn


class ExportStatus(StrEnum):
    RECEIVED = "received"  # the last statement's head covers the whole file
    PARTLY = "partly"  # covers part of it
    WAITING = "waiting"  # no statement covers it yet
    SUPERSEDED = "superseded"  # of an earlier chain epoch (a restore): sent again in a later one

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS = {
    ExportStatus.RECEIVED: N_("received by the district"),
    ExportStatus.PARTLY: N_("partly received"),
    ExportStatus.WAITING: N_("not yet confirmed"),
    ExportStatus.SUPERSEDED: N_("earlier chain epoch"),
}


@dataclass(frozen=True, slots=True)
class ExportEntry:
    id: str
    created_at: datetime
    created_by: str
    epoch: int
    seq_from: int
    seq_to: int
    transactions: int
    members: int
    file_name: str
    file_sha256: str
    status: ExportStatus


def last_exported_seq(session: Session, epoch: int) -> int:
    """The last seq any export of this chain epoch carried (0 before the first)."""
    return int(
        session.scalar(
            select(func.coalesce(func.max(SyncExport.seq_to), 0)).where(SyncExport.epoch == epoch)
        )
        or 0
    )


def _status(row: SyncExport, received: int, epoch: int) -> ExportStatus:
    if row.epoch < epoch:
        return ExportStatus.SUPERSEDED
    if row.seq_to <= received:
        return ExportStatus.RECEIVED
    if row.seq_from <= received:
        return ExportStatus.PARTLY
    return ExportStatus.WAITING


def export_history(session: Session, limit: int = 200) -> list[ExportEntry]:
    """The newest exports first, each with its status against the last statement (whose head
    counts only while this ledger has the same transaction there: not after a restore)."""
    last = session.execute(
        select(SyncStatement.head_seq, SyncStatement.head_hash)
        .order_by(SyncStatement.statement_seq.desc())
        .limit(1)
    ).first()
    received = 0
    if last is not None and last.head_seq > 0:
        ours = session.scalar(select(Txn.hash).where(Txn.seq == last.head_seq))
        received = last.head_seq if ours == last.head_hash else 0
    epoch = session.scalar(select(Centre.chain_epoch)) or 1
    rows = session.scalars(
        select(SyncExport).order_by(SyncExport.created_at.desc(), SyncExport.seq_to.desc())
        .limit(limit)
    )  # fmt: skip
    return [
        ExportEntry(
            r.id,
            r.created_at,
            r.created_by,
            r.epoch,
            r.seq_from,
            r.seq_to,
            r.transactions,
            r.members,
            r.file_name,
            r.file_sha256,
            _status(r, received, epoch),
        )
        for r in rows
    ]
