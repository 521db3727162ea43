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
  yet mirrored, mirrors they made): the district then stands as if the centre had never sent
  them. They are listed as lost (`lost_ranges`) so the centre re-enters them from the slips;
- the rest of the file is applied as any continuation of the chain (by the importer).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import cast

from sqlalchemy import Connection, Table, bindparam, delete, func, select, update
from sqlalchemy.orm import DeclarativeBase, Session

from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.exports.sync import TRANSACTIONS, Bundle
from timebank_desktop.i18n import _
from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictCentre,
    DistrictEntry,
    DistrictFile,
    DistrictFlow,
    DistrictHeldFile,
    DistrictMember,
    DistrictMonth,
    DistrictOrphanMirror,
    DistrictTx,
)
from timebank_desktop.services.district.apply import FileEffects

_BATCH = 5000
_HASH = re.compile(rb'[{,]"hash":"([0-9a-f]{64})"')


def _table(model: type[DeclarativeBase]) -> Table:
    return cast(Table, model.__table__)


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
            text += "; " + _(
                "{n} transactions of epoch {old} after seq {shared} were lost at the centre "
                "after a restore and are taken out of the totals: re-enter them from the paper "
                "slips"
            ).format(n=self.lost, old=self.old_epoch, shared=self.shared)
        if self.kept_mirrored:
            text += "; " + _(
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
    lost, kept = _take_out(conn, centre, shared)
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


def _lost_rows(
    conn: Connection, centre: DistrictCentre, after: int
) -> Iterator[dict[str, object]]:
    t = _table(DistrictTx)
    query = (
        select(t.c.seq, t.c.tx_id, t.c.kind, t.c.value_date, t.c.prev_hash, t.c.hash, t.c.postings)
        .where(t.c.centre_id == centre.id, t.c.epoch == centre.epoch, t.c.seq > after)
        .order_by(t.c.seq)
    )
    for seq, tx_id, kind, day, prev, digest, postings in conn.execute(query):
        yield {
            "seq": seq, "id": tx_id, "kind": kind, "value_date": day.isoformat(),
            "prev_hash": prev, "hash": digest, "postings": json.loads(postings), "record": None,
        }  # fmt: skip


def _take_out(conn: Connection, centre: DistrictCentre, after: int) -> tuple[int, int]:
    """Subtract what the rows after ``after`` added to every aggregate; (rows, kept entries)."""
    fx = FileEffects()
    tx_ids: list[str] = []
    for row in _lost_rows(conn, centre, after):
        fx.take(row)
        tx_ids.append(str(row["id"]))
    if not tx_ids:
        return 0, 0
    keys = _account_keys(conn, centre.id)
    members: dict[str, int] = defaultdict(int)
    for account, amount in fx.account_delta.items():
        if account in keys:
            members[keys[account]] -= amount
    kept = _drop_entries(conn, centre.id, tx_ids, members)
    _unmirror(conn, centre.id, after, members)
    legs: dict[str, int] = defaultdict(int)
    for pending in fx.pending.entries:
        if pending["leg"].account:
            legs[pending["leg"].account] += 1
    _add_accounts(conn, centre.id, fx.account_delta, legs)
    _add_months(conn, centre.id, fx)
    _add_members(conn, members)
    return len(tx_ids), kept


def _account_keys(conn: Connection, centre_id: int) -> dict[str, str]:
    t = _table(DistrictAccount)
    query = select(t.c.account, t.c.key).where(t.c.centre_id == centre_id, t.c.key.is_not(None))
    return {a: k for a, k in conn.execute(query)}


def _drop_entries(
    conn: Connection, centre_id: int, tx_ids: list[str], members: dict[str, int]
) -> int:
    """Delete the lost rows' entries no home centre mirrored yet (with their flows); an entry
    already mirrored stays, as the home centre's books carry it. Returns how many stayed."""
    t = _table(DistrictEntry)
    flows: dict[tuple[str, int, int], int] = defaultdict(int)
    drop: list[str] = []
    kept = 0
    for start in range(0, len(tx_ids), 500):
        query = select(
            t.c.id, t.c.centre_id, t.c.key, t.c.amount, t.c.value_date, t.c.mirrored
        ).where(t.c.counter_centre_id == centre_id, t.c.origin_tx.in_(tx_ids[start : start + 500]))
        for entry_id, home, key, amount, day, mirrored in conn.execute(query):
            if mirrored:
                kept += 1
                continue
            drop.append(entry_id)
            members[key] -= amount
            served_by, served = (centre_id, home) if amount < 0 else (home, centre_id)
            flows[(day.isoformat()[:7], served_by, served)] -= abs(amount)
    for start in range(0, len(drop), 500):
        conn.execute(delete(t).where(t.c.id.in_(drop[start : start + 500])))
    f = _table(DistrictFlow)
    if flows:
        conn.execute(
            update(f)
            .where(
                f.c.month == bindparam("m"),
                f.c.from_centre_id == bindparam("a"),
                f.c.to_centre_id == bindparam("b"),
            )
            .values(minutes=f.c.minutes + bindparam("d")),
            [{"m": m, "a": a, "b": b, "d": d} for (m, a, b), d in sorted(flows.items())],
        )
    return kept


def _unmirror(conn: Connection, centre_id: int, after: int, members: dict[str, int]) -> None:
    """Entries the lost rows mirrored are open again (counted in their key's balance until a
    new mirror arrives); mirrors of entries not yet known are forgotten."""
    t = _table(DistrictEntry)
    query = select(t.c.id, t.c.key, t.c.amount).where(
        t.c.centre_id == centre_id, t.c.mirrored.is_(True), t.c.mirror_seq > after
    )
    reopened = list(conn.execute(query))
    for _id, key, amount in reopened:
        members[key] += amount
    if reopened:
        conn.execute(
            update(t).where(t.c.id == bindparam("eid")).values(mirrored=False, mirror_seq=None),
            [{"eid": r[0]} for r in reopened],
        )
    o = _table(DistrictOrphanMirror)
    conn.execute(delete(o).where(o.c.centre_id == centre_id, o.c.seq > after))


def _add_accounts(
    conn: Connection, centre_id: int, delta: dict[str, int], legs: dict[str, int]
) -> None:
    t = _table(DistrictAccount)
    rows = [
        {"acc": account, "d": -delta.get(account, 0), "l": -legs.get(account, 0)}
        for account in sorted(set(delta) | set(legs))
    ]
    if rows:
        conn.execute(
            update(t)
            .where(t.c.centre_id == centre_id, t.c.account == bindparam("acc"))
            .values(balance=t.c.balance + bindparam("d"), legs=t.c.legs + bindparam("l")),
            rows,
        )


def _add_months(conn: Connection, centre_id: int, fx: FileEffects) -> None:
    t = _table(DistrictMonth)
    rows = [
        {"m": month, "s": -v.services, "c": -v.credited, "w": -v.withdrawn, "n": -v.transactions}
        for month, v in sorted(fx.months.items())
    ]
    if rows:
        conn.execute(
            update(t)
            .where(t.c.centre_id == centre_id, t.c.month == bindparam("m"))
            .values(
                services=t.c.services + bindparam("s"),
                credited=t.c.credited + bindparam("c"),
                withdrawn=t.c.withdrawn + bindparam("w"),
                transactions=t.c.transactions + bindparam("n"),
            ),
            rows,
        )


def _add_members(conn: Connection, delta: dict[str, int]) -> None:
    t = _table(DistrictMember)
    rows = [{"k": key, "d": d} for key, d in sorted(delta.items()) if d]
    if rows:
        conn.execute(
            update(t)
            .where(t.c.key == bindparam("k"))
            .values(balance=t.c.balance + bindparam("d")),
            rows,
        )


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
