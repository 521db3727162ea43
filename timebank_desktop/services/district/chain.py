"""Where a verified centre file falls on the centre's chain: known, next, after a gap, a fork.

Decided from sequence numbers and hashes only (docs/sync-format.md §10): equal hashes at one
seq mean equal history, so one stored hash settles a file that is already known.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.exports.sync import TRANSACTIONS, Bundle
from timebank_desktop.i18n import _
from timebank_desktop.models.district import DistrictCentre, DistrictTx

APPLIED, DUPLICATE, HELD, FORK = "applied", "duplicate", "held", "fork"


class ForkFound(Exception):
    def __init__(self, centre_id: int, epoch: int, seq: int, detail: str) -> None:
        super().__init__(detail)
        self.centre_id, self.epoch, self.seq, self.detail = centre_id, epoch, seq, detail


def _stored_hash(session: Session, centre: DistrictCentre, epoch: int, seq: int) -> str | None:
    if seq == 0:
        return GENESIS
    return session.scalar(
        select(DistrictTx.hash).where(
            DistrictTx.centre_id == centre.id, DistrictTx.epoch == epoch, DistrictTx.seq == seq
        )
    )


def _known_anywhere(session: Session, centre: DistrictCentre, seq: int, digest: str) -> bool:
    """Whether the district holds this (seq, hash) in any epoch of the centre: a file of a
    closed epoch whose head is known is history already held (shared, or listed as lost)."""
    if seq == 0:
        return digest == GENESIS
    found = session.scalar(
        select(DistrictTx.seq)
        .where(DistrictTx.centre_id == centre.id, DistrictTx.seq == seq, DistrictTx.hash == digest)
        .limit(1)
    )
    return found is not None


def _fork(centre: DistrictCentre, epoch: int, seq: int) -> ForkFound:
    return ForkFound(
        centre.id,
        epoch,
        seq,
        _(
            "Fork alarm: centre {code} sent seq {seq} with content different from what the "
            "district holds; the centre is frozen until resolved"
        ).format(code=centre.code, seq=seq),
    )


def classify(session: Session, centre: DistrictCentre, bundle: Bundle) -> str:
    """DUPLICATE, HELD or APPLIED (raises `ForkFound` or `FileRejected`)."""
    head = bundle.header
    epoch, seq_from, seq_to = head["epoch"], head["seq_from"], head["seq_to"]
    if epoch < centre.epoch:
        if _known_anywhere(session, centre, seq_to, head["head_hash"]):
            return DUPLICATE
        raise FileRejected(
            _(
                "Centre {code} has moved on to epoch {e}; a file of epoch {old} is no longer "
                "accepted: its transactions count only as the centre sends them in epoch {e}"
            ).format(code=centre.code, e=centre.epoch, old=epoch)
        )
    if epoch > centre.epoch:
        return APPLIED if seq_from == 1 and head["prev_hash"] == GENESIS else HELD
    known = centre.head_seq
    if seq_to <= known:
        if _stored_hash(session, centre, epoch, seq_to) == head["head_hash"]:
            return DUPLICATE
        raise _first_difference(session, centre, bundle)
    if seq_from - 1 > known:
        return HELD
    if seq_from - 1 == known:
        at_head = head["prev_hash"]
    else:
        at_head = next(r["hash"] for r in bundle.rows(TRANSACTIONS) if r["seq"] == known)
    if at_head != centre.head_hash:
        raise _first_difference(session, centre, bundle)
    return APPLIED


def _first_difference(session: Session, centre: DistrictCentre, bundle: Bundle) -> ForkFound:
    head = bundle.header
    epoch = head["epoch"]
    last = min(head["seq_to"], centre.head_seq)
    stored = dict(
        session.execute(
            select(DistrictTx.seq, DistrictTx.hash).where(
                DistrictTx.centre_id == centre.id,
                DistrictTx.epoch == epoch,
                DistrictTx.seq >= head["seq_from"] - 1,
                DistrictTx.seq <= last,
            )
        ).all()
    )
    if head["seq_from"] > 1 and stored.get(head["seq_from"] - 1) != head["prev_hash"]:
        return _fork(centre, epoch, head["seq_from"] - 1)
    for row in bundle.rows(TRANSACTIONS):
        if row["seq"] > last:
            break
        if stored.get(row["seq"]) != row["hash"]:
            return _fork(centre, epoch, row["seq"])
    return _fork(centre, epoch, last)  # pragma: no cover - a hash differed somewhere
