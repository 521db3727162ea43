"""The centre's chain epoch (链段): a new one when the ledger is behind what was already sent.

A restored backup may end before transactions the district already received, or differ from
them at a seq already sent. Writing on would re-use those sequence numbers with other content
(a fork at the district). Instead the centre starts chain epoch *e* + 1: its next export sends
the chain again from seq 1 and ``GENESIS`` (seq numbers and hashes are unchanged: the ledger is
one chain), and the district recognises the shared part by its hashes (docs/sync-format.md
§10, "New chain epoch"). Detected on restore (the replaced database's export history is carried
forward) and from a district statement (its heads say how far the district holds the chain).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.i18n import _
from timebank_desktop.models import Centre, LedgerHead, SyncExport, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database

_COLUMNS = (
    "id", "epoch", "seq_from", "seq_to", "prev_hash", "head_hash", "transactions", "members",
    "file_name", "file_sha256", "created_at", "created_by",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EpochStart:
    """A new chain epoch: why (the district was sent ``sent_seq``; the ledger ends at
    ``head_seq``) and which."""

    epoch: int
    sent_seq: int
    head_seq: int

    def message(self) -> str:
        return _(
            "This database does not hold all the transactions this centre already sent to the "
            "district (up to {sent}; it ends at {head}): chain epoch {epoch} started. The next "
            "export sends the chain again from seq 1; the district keeps what it already holds "
            "once and lists the rest as lost: re-enter those transactions from the paper slips"
        ).format(sent=self.sent_seq, head=self.head_seq, epoch=self.epoch)


class EpochNeeded(FileRejected):
    """A district statement shows this ledger behind what the district holds of its chain:
    nothing was imported; importing it again with ``new_epoch`` starts a new chain epoch."""

    def __init__(self, message: str, epoch: int) -> None:
        super().__init__(message)
        self.epoch = epoch


def epoch_needed(session: Session, centre: Centre, epoch: int, seq: int, digest: str) -> None:
    """Raise `EpochNeeded` when the district holds ``(epoch, seq, digest)`` of this centre's
    chain and this ledger is behind it (or the district is at a later epoch)."""
    head = session.scalars(select(LedgerHead)).one()
    if epoch < centre.chain_epoch:
        return
    if epoch == centre.chain_epoch and not ledger_behind(session, seq, digest):
        return
    if seq > head.last_seq or epoch > centre.chain_epoch:
        why = _(
            "Fork alarm: the district holds transactions of this centre up to {seq} (chain "
            "epoch {epoch}), but this database ends at {ours} (restored from an old backup?)."
        ).format(seq=seq, epoch=epoch, ours=head.last_seq)
    else:
        why = _(
            "Fork alarm: the district's transaction {seq} of this centre differs from this "
            "database's (restored from an old backup?)."
        ).format(seq=seq)
    raise EpochNeeded(
        why
        + " "
        + _(
            "Nothing was imported. Import the statement again starting chain epoch {next} "
            "(sync import FILE --new-epoch, or confirm on the Sync page): the next export sends "
            "the chain again from seq 1, and the district lists what this database lacks as "
            "lost, to be re-entered from the paper slips"
        ).format(next=epoch + 1),
        epoch + 1,
    )


@dataclass(frozen=True, slots=True)
class SyncHistory:
    """What a database has sent: its chain epoch and every export row (as plain values)."""

    epoch: int
    exports: tuple[dict[str, object], ...]


def read_history(session: Session) -> SyncHistory:
    centre = session.scalars(select(Centre)).first()
    rows = session.scalars(select(SyncExport)).all()
    return SyncHistory(
        centre.chain_epoch if centre is not None else 0,
        tuple({name: getattr(r, name) for name in _COLUMNS} for r in rows),
    )


def last_sent(session: Session, epoch: int) -> tuple[int, str]:
    """The last (seq, hash) any export of ``epoch`` carried; (0, GENESIS) before the first."""
    seq = int(
        session.scalar(
            select(func.coalesce(func.max(SyncExport.seq_to), 0)).where(SyncExport.epoch == epoch)
        )
        or 0
    )
    if seq == 0:
        return 0, GENESIS
    digest = session.scalar(
        select(SyncExport.head_hash)
        .where(SyncExport.epoch == epoch, SyncExport.seq_to == seq)
        .limit(1)
    )
    return seq, digest or GENESIS


def ledger_behind(session: Session, seq: int, digest: str) -> bool:
    """Whether this ledger lacks, or differs at, the transaction ``seq`` with hash ``digest``
    (equal hashes at one seq mean equal history up to it)."""
    if seq <= 0:
        return False
    head = session.scalars(select(LedgerHead)).one()
    if seq > head.last_seq:
        return True
    return session.scalar(select(Txn.hash).where(Txn.seq == seq)) != digest


def start_epoch(
    session: Session, ctx: AppContext, centre: Centre, epoch: int, sent: int, reason: str
) -> EpochStart:
    """Move ``centre`` to chain ``epoch`` (higher than its own) with an audit entry."""
    head = session.scalars(select(LedgerHead)).one()
    previous, centre.chain_epoch = centre.chain_epoch, epoch
    ctx.audit(
        session, "sync.epoch", "centre", centre.code,
        previous=previous, epoch=epoch, sent_seq=sent, head_seq=head.last_seq, reason=reason,
    )  # fmt: skip
    return EpochStart(epoch, sent, head.last_seq)


def carry_history(candidate: Path, history: SyncHistory, ctx: AppContext) -> EpochStart | None:
    """Before a restored backup replaces the live database: give it the live database's export
    history and chain epoch, and start a new epoch when its ledger is behind what was sent."""
    engine = open_database(candidate)
    try:
        with Session(engine) as session, session.begin():
            known = set(session.scalars(select(SyncExport.id)))
            session.add_all(SyncExport(**row) for row in history.exports if row["id"] not in known)
            session.flush()
            centre = session.scalars(select(Centre)).one()
            epoch = max(centre.chain_epoch, history.epoch)
            centre.chain_epoch = epoch
            seq, digest = last_sent(session, epoch)
            if not ledger_behind(session, seq, digest):
                return None
            return start_epoch(session, ctx, centre, epoch + 1, seq, "restore")
    finally:
        engine.dispose()
