"""Taking a closed chain epoch's lost rows back out of every district aggregate.

When a centre's new epoch is accepted (district/epochs.py), the rows of the old epoch after the
shared prefix were lost at the centre: what they added to member and account balances, months,
flows, entries not yet mirrored and the mirrors they made is subtracted again, so the district
stands as if the centre had never sent them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import cast

from sqlalchemy import Connection, Table, bindparam, delete, select, update
from sqlalchemy.orm import DeclarativeBase

from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictCentre,
    DistrictEntry,
    DistrictFlow,
    DistrictMember,
    DistrictMonth,
    DistrictOrphanMirror,
    DistrictTx,
)
from timebank_desktop.services.district.effects import FileEffects
from timebank_desktop.services.district.legs import flow


def _table(model: type[DeclarativeBase]) -> Table:
    return cast(Table, model.__table__)


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


def take_out(conn: Connection, centre: DistrictCentre, after: int) -> tuple[int, int]:
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
            t.c.id, t.c.centre_id, t.c.key, t.c.amount, t.c.value_date, t.c.mirrored, t.c.kind
        ).where(t.c.counter_centre_id == centre_id, t.c.origin_tx.in_(tx_ids[start : start + 500]))
        for entry_id, home, key, amount, day, mirrored, kind in conn.execute(query):
            if mirrored:
                kept += 1
                continue
            drop.append(entry_id)
            members[key] -= amount
            served_by, served, minutes = flow(centre_id, home, amount, kind)
            flows[(day.isoformat()[:7], served_by, served)] -= minutes
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
