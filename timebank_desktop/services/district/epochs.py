"""A centre's new chain epoch at the district: shared history kept once, lost rows taken out.

A centre that restored a backup older than what it had sent starts chain epoch *e* + 1 and
sends its whole chain again from seq 1 (docs/sync-format.md §10, "New chain epoch"). The
chain property decides what the two epochs share: equal hashes at one seq mean equal history,
so the rows of epoch *e* up to the last seq where both chains have the same hash (the *shared
prefix*) are the same transactions. When the first file of the new epoch is accepted:

- the shared rows move to the new epoch as they are: their aggregates stay, their cross-centre
  entries keep their ids (a home centre that mirrored one never mirrors it again);
- the rows of epoch *e* after the shared prefix stay in ``district_tx`` under epoch *e* and are
  taken back out of every aggregate (member and account balances, months, flows, entries not
  yet mirrored, mirrors they made: epoch_takeout.py): the district then stands as if the
  centre had never sent them. They are listed as lost (`lost_ranges`) so the centre re-enters
  them from the slips;
- the rest of the file is applied as any continuation of the chain (by the importer).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.exports.sync import TRANSACTIONS, Bundle
from timebank_desktop.i18n import _
from timebank_desktop.models.district import (
    DistrictCentre,
    DistrictFile,
    DistrictHeldFile,
    DistrictTx,
)
from timebank_desktop.services.district.epoch_takeout import take_out

_BATCH = 5000
_HASH = re.compile(rb'[{,]"hash":"([0-9a-f]{64})"')


@dataclass(frozen=True, slots=True)
class EpochStart:
    """What accepting a new epoch did: the epochs, the shared prefix, the rows lost."""

    centre: str
    old_epoch: int
    epoch: int
    shared: int  # seqs 1..shared are the same history in both epochs
    lost: int  # rows of the old epoch after the shared prefix, taken out of every aggregate
    kept_mirrored: int  # entries of lost rows already mirrored at their home centre (kept)

    def message(self) -> str:
        text = _(
            "{code} starts chain epoch {epoch}: seq 1–{shared} are the history the district "
            "already holds"
        ).format(code=self.centre, epoch=self.epoch, shared=self.shared)
        if self.lost:
            text += _("; ") + _(
                "{n} transactions of epoch {old} after seq {shared} were lost at the centre "
                "after a restore and are taken out of the totals: re-enter them from the paper "
                "slips"
            ).format(n=self.lost, old=self.old_epoch, shared=self.shared)
        if self.kept_mirrored:
            text += _("; ") + _(
                "{n} cross-centre entries of those transactions were already mirrored at the "
                "member's home centre and stay counted: tell that centre before re-entering "
                "them, or the member is charged twice"
            ).format(n=self.kept_mirrored)
        return text


@dataclass(frozen=True, slots=True)
class LostRange:
    """Rows of a closed epoch that its successor does not share (lost at the centre)."""

    centre: str
    epoch: int
    seq_from: int
    seq_to: int
    transactions: int
    first_date: date
    last_date: date

    def reference(self) -> str:
        return _("epoch {epoch} seq {a}–{b}").format(
            epoch=self.epoch, a=self.seq_from, b=self.seq_to
        )

    def message(self) -> str:
        return _(
            "{n} transactions (value dates {a} to {b}) lost at the centre after a restore: "
            "re-enter them from the paper slips"
        ).format(n=self.transactions, a=self.first_date, b=self.last_date)


def _file_hashes(bundle: Bundle, upto: int) -> Iterator[tuple[int, str]]:
    """(seq, hash) of the file's rows 1..``upto`` (the file starts at seq 1). The reader has
    verified these very bytes (one seq after another, no duplicate key), so the one ``hash``
    key of each line is found without parsing it: a string value cannot hold an unescaped
    quote, and ``prev_hash`` does not follow a ``{`` or ``,`` directly."""
    for seq, line in enumerate(islice(bundle.lines(TRANSACTIONS), upto), start=1):
        found = _HASH.search(line)
        if found is None:  # pragma: no cover - the reader checked every row's hash
            raise AssertionError(f"seq {seq}: no hash")
        yield seq, found.group(1).decode("ascii")


def shared_prefix(session: Session, centre: DistrictCentre, bundle: Bundle) -> int:
    """The last seq at which the file (from seq 1) and the stored chain have the same hash."""
    last = int(min(centre.head_seq, bundle.header["seq_to"]))
    if last <= 0:
        return 0
    line = next(islice(bundle.lines(TRANSACTIONS), last - 1, None))
    found = _HASH.search(line)
    at_last = found.group(1).decode("ascii") if found else ""
    if at_last == _stored_hash(session, centre.id, centre.epoch, last):
        return last  # the common case (nothing lost) costs one look-up
    stored = session.execute(
        select(DistrictTx.seq, DistrictTx.hash)
        .where(
            DistrictTx.centre_id == centre.id,
            DistrictTx.epoch == centre.epoch,
            DistrictTx.seq <= last,
        )
        .order_by(DistrictTx.seq)
        .execution_options(yield_per=_BATCH)
    )
    shared = 0
    try:
        for (seq, digest), (ours, theirs) in zip(stored, _file_hashes(bundle, last), strict=False):
            if seq != ours or digest != theirs:
                break
            shared = int(seq)
    finally:
        stored.close()  # stopped early: a server-side cursor on PostgreSQL
    return shared


def _stored_hash(session: Session, centre_id: int, epoch: int, seq: int) -> str | None:
    return session.scalar(
        select(DistrictTx.hash).where(
            DistrictTx.centre_id == centre_id, DistrictTx.epoch == epoch, DistrictTx.seq == seq
        )
    )


def start_epoch(session: Session, centre: DistrictCentre, bundle: Bundle) -> EpochStart:
    """Open the file's new epoch for ``centre`` (the file starts at seq 1 from GENESIS).

    Leaves ``centre`` at the new epoch with its head at the end of the shared prefix, so the
    importer applies the file's rows after it as a plain continuation.
    """
    old, epoch = centre.epoch, int(bundle.header["epoch"])
    shared = shared_prefix(session, centre, bundle)
    conn = session.connection()
    lost, kept = take_out(conn, centre, shared)
    conn.execute(
        update(DistrictTx)
        .where(
            DistrictTx.centre_id == centre.id,
            DistrictTx.epoch == old,
            DistrictTx.seq <= shared,
        )
        .values(epoch=epoch)
    )
    _drop_held_before(session, centre.id, epoch)
    head_hash = _stored_hash(session, centre.id, epoch, shared) if shared else GENESIS
    centre.epoch, centre.head_seq, centre.head_hash = epoch, shared, head_hash or GENESIS
    return EpochStart(centre.code, old, epoch, shared, lost, kept)


def _drop_held_before(session: Session, centre_id: int, epoch: int) -> None:
    """Files of closed epochs held back for a gap can never apply now: forget them."""
    held = session.scalars(
        select(DistrictHeldFile.file_id).where(
            DistrictHeldFile.centre_id == centre_id, DistrictHeldFile.epoch < epoch
        )
    ).all()
    if held:
        session.execute(delete(DistrictHeldFile).where(DistrictHeldFile.file_id.in_(held)))
        session.execute(delete(DistrictFile).where(DistrictFile.id.in_(held)))


def lost_ranges(session: Session, centre_ids: list[int] | None = None) -> list[LostRange]:
    """Rows of closed epochs that the next epoch did not share, per centre and epoch."""
    centres = session.scalars(select(DistrictCentre).order_by(DistrictCentre.code)).all()
    found: list[LostRange] = []
    for centre in centres:
        if centre.epoch <= 1 or (centre_ids is not None and centre.id not in centre_ids):
            continue
        query = (
            select(
                DistrictTx.epoch,
                func.min(DistrictTx.seq),
                func.max(DistrictTx.seq),
                func.count(),
                func.min(DistrictTx.value_date),
                func.max(DistrictTx.value_date),
            )
            .where(DistrictTx.centre_id == centre.id, DistrictTx.epoch < centre.epoch)
            .group_by(DistrictTx.epoch)
            .order_by(DistrictTx.epoch)
        )
        for epoch, first, last, count, day_from, day_to in session.execute(query):
            found.append(LostRange(centre.code, epoch, first, last, count, day_from, day_to))
    return found
