"""Write the new rows of a verified centre file: transactions and every incremental aggregate.

Runs inside the importer's database transaction, after the file has been verified and placed
on its centre's chain (`importer`). Rows at or before ``after_seq`` are already known and
skipped. What the rows do is computed by `effects.FileEffects` (in a worker, or here); this
module adds what needs the database and writes each table with one bulk statement.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import Connection, select, update

from timebank_desktop.exports.sync import TRANSACTIONS, Bundle
from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictEntry,
    DistrictFlow,
    DistrictMember,
    DistrictMonth,
    DistrictOrphanMirror,
    DistrictTx,
)
from timebank_desktop.services.district.bulk import (
    insert_rows,
    table_of,
    upsert_add,
    upsert_tuples,
)
from timebank_desktop.services.district.effects import Applied, FileEffects, Summary
from timebank_desktop.services.district.legs import (
    MEMBER_PREFIX,
    entry_id,
    flow,
)

_FLUSH = 20_000
ROW_COLUMNS = ("seq", "tx_id", "kind", "value_date", "prev_hash", "hash", "postings")
_ENTRY_COLUMNS = (
    "id", "centre_id", "counter_centre_id", "key", "amount", "origin_epoch", "origin_seq",
    "origin_tx", "kind", "value_date", "mirrored", "mirror_seq",
)  # fmt: skip
TX_COLUMNS = (
    "centre_id",
    "epoch",
    "seq",
    "tx_id",
    "kind",
    "value_date",
    "prev_hash",
    "hash",
    "postings",
    "file_id",
)


class FileApplier:
    """Writes one file's effects: its transactions, then every aggregate."""

    def __init__(
        self,
        conn: Connection,
        centre_id: int,
        centre_code: str,
        epoch: int,
        file_id: int,
        centres: dict[str, int],
        members: MemberTotals | None = None,
    ) -> None:
        self.conn = conn
        self.centre_id, self.code, self.epoch, self.file_id = (
            centre_id,
            centre_code,
            epoch,
            file_id,
        )
        self.centres = centres
        self.fx = FileEffects()
        self.members = members  # None: this file's member rows are written at once

    def _insert(self, rows: Iterable[tuple[Any, ...]]) -> None:
        fixed = {"centre_id": self.centre_id, "epoch": self.epoch, "file_id": self.file_id}
        insert_rows(self.conn, table_of(DistrictTx), ROW_COLUMNS, rows, fixed)

    def run(self, bundle: Bundle, after_seq: int) -> Applied:
        """Read the rows after ``after_seq`` and write everything (streamed in batches)."""
        self.fx.read_members(bundle)
        take = self.fx.take
        rows = _new_rows(bundle, after_seq)
        while batch := [take(row) for row in islice(rows, _FLUSH)]:
            self._insert(batch)
            self.fx.count(len(batch), (batch[-1][0], batch[-1][5]))
        self.fx.summarise()
        return self._finish()

    def run_computed(self, effects: FileEffects) -> Applied:
        """Write effects computed while the file was verified (`FileEffects.sinks`)."""
        self.fx = effects
        self._insert(effects.tx_rows())
        effects.count(*effects.tx_head())
        if effects.summary is None:
            effects.summarise()
        return self._finish()

    def _finish(self) -> Applied:
        summary = self.fx.summary
        assert summary is not None
        keys = self._keys(summary)
        self._write_accounts(keys, summary)
        self._write_members(keys, summary)
        self._write_months()
        return self.fx.result

    # ------------------------------------------------------------------ writing
    def _keys(self, summary: Summary) -> dict[str, str]:
        """Member account → member key for the accounts this file has no member row for
        (what earlier files said); empty, with no query, in the usual case."""
        local = self.fx.accounts
        wanted = [a for a, _n, _l in summary.others if a.startswith(MEMBER_PREFIX)]
        wanted += [
            e["leg"].account
            for e in self.fx.pending.entries
            if e["leg"].account and e["leg"].account not in local
        ]
        keys: dict[str, str] = {}
        t = table_of(DistrictAccount)
        for chunk in _chunks(sorted(set(wanted)), 500):
            query = select(t.c.account, t.c.key).where(
                t.c.centre_id == self.centre_id, t.c.account.in_(chunk), t.c.key.is_not(None)
            )
            keys.update({a: k for a, k in self.conn.execute(query)})
        return keys

    def _write_accounts(self, keys: dict[str, str], summary: Summary) -> None:
        centre = self.centre_id
        named = [(centre, *row) for row in summary.named]
        others = [
            (centre, account, keys.get(account), "", amount, legs)
            for account, amount, legs in summary.others
        ]
        table = table_of(DistrictAccount)
        columns = ("centre_id", "account", "key", "roles", "balance", "legs")
        key = ("centre_id", "account")
        add = ("balance", "legs")
        upsert_tuples(self.conn, table, key, columns, named, add, replace=("key", "roles"))
        upsert_tuples(self.conn, table, key, columns, others, add)

    def _write_members(self, keys: dict[str, str], summary: Summary) -> None:
        """The file's member rows, plus the keys only the database or the cross-centre
        entries name (a key twice in one batch is added twice: the upsert adds)."""
        extra: dict[str, int] = defaultdict(int)
        for account, amount, _legs in summary.others:
            key = keys.get(account)
            if key is not None:
                extra[key] += amount
        all_keys = (
            {a: k for a, (k, _r) in self.fx.accounts.items()} if self.fx.pending.entries else {}
        )
        all_keys.update(keys)
        self._entries(all_keys, extra)
        self._mirrors(extra)
        rows = summary.members + [(key, "", 0, amount) for key, amount in sorted(extra.items())]
        if self.members is not None:
            self.members.add(rows)
        else:
            totals = MemberTotals()
            totals.add(rows)
            totals.write(self.conn)

    def _entries(self, keys: dict[str, str], delta: dict[str, int]) -> None:
        rows: list[dict[str, Any]] = []
        flows: dict[tuple[str, int, int], int] = defaultdict(int)
        for e in self.fx.pending.entries:
            leg = e["leg"]
            key = keys.get(leg.account) if leg.account else None
            counter = self.centres.get(leg.counter)
            if key is None or counter is None or counter == self.centre_id:
                self.fx.result.unattributed += 1
                continue
            rows.append(
                {
                    "id": entry_id(self.code, self.epoch, e["seq"], leg.index),
                    "centre_id": counter,
                    "counter_centre_id": self.centre_id,
                    "key": key,
                    "amount": leg.amount,
                    "origin_epoch": self.epoch,
                    "origin_seq": e["seq"],
                    "origin_tx": e["tx"],
                    "kind": e["kind"],
                    "value_date": e["day"],  # ISO text: as SQLAlchemy stores a date in SQLite
                    "mirrored": False,
                    "mirror_seq": None,
                }
            )
            served_by, served, minutes = flow(self.centre_id, counter, leg.amount, e["kind"])
            flows[(e["day"][:7], served_by, served)] += minutes
        orphans = self._take_orphans(rows)
        for r in rows:
            if r["id"] in orphans:
                r["mirrored"], r["mirror_seq"] = True, orphans[r["id"]]
            else:
                delta[r["key"]] += r["amount"]
        if rows:
            table, values = (
                table_of(DistrictEntry),
                [tuple(r[c] for c in _ENTRY_COLUMNS) for r in rows],
            )
            insert_rows(self.conn, table, _ENTRY_COLUMNS, values)
        upsert_add(
            self.conn,
            table_of(DistrictFlow),
            ("month", "from_centre_id", "to_centre_id"),
            [
                {"month": m, "from_centre_id": f, "to_centre_id": t, "minutes": v}
                for (m, f, t), v in sorted(flows.items())
            ],
            add=("minutes",),
        )

    def _take_orphans(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """Entry id → seq of a mirror already received for it (those orphans are removed)."""
        t = table_of(DistrictOrphanMirror)
        owner = {r["id"]: r["centre_id"] for r in rows}
        found: dict[str, int] = {}
        for chunk in _chunks(sorted(owner), 500):
            query = select(t.c.ref, t.c.centre_id, t.c.seq).where(t.c.ref.in_(chunk))
            for ref, centre_id, seq in self.conn.execute(query):
                if owner[ref] == centre_id:
                    found[ref] = seq
        for ref, seq in found.items():  # the mirror's other reference goes too
            self.conn.execute(t.delete().where(t.c.centre_id == owner[ref], t.c.seq == seq))
        return found

    def _mirrors(self, delta: dict[str, int]) -> None:
        t = table_of(DistrictEntry)
        for seq, refs in self.fx.pending.mirrors:
            entry = self.conn.execute(
                select(t.c.id, t.c.key, t.c.amount).where(
                    t.c.id.in_(refs), t.c.centre_id == self.centre_id, t.c.mirrored.is_(False)
                )
            ).first()
            if entry is None:
                self.fx.result.orphan_mirrors += 1
                upsert_add(
                    self.conn,
                    table_of(DistrictOrphanMirror),
                    ("ref",),
                    [{"ref": r, "centre_id": self.centre_id, "seq": seq} for r in refs],
                )
                continue
            self.conn.execute(
                update(t).where(t.c.id == entry.id).values(mirrored=True, mirror_seq=seq)
            )
            delta[entry.key] -= entry.amount

    def _write_months(self) -> None:
        rows = [
            {
                "centre_id": self.centre_id,
                "month": m,
                "services": v.services,
                "credited": v.credited,
                "withdrawn": v.withdrawn,
                "transactions": v.transactions,
            }
            for m, v in sorted(self.fx.months.items())
        ]
        upsert_add(
            self.conn,
            table_of(DistrictMonth),
            ("centre_id", "month"),
            rows,
            add=("services", "credited", "withdrawn", "transactions"),
        )


class MemberTotals:
    """Member rows of several files merged in memory, written in one sorted upsert.

    Member keys are hashes, so one file's few thousand rows land all over the table's tree;
    the files a batch commits together write theirs once, in key order, just before the
    commit (`batch`). Merging keeps what one upsert per file would do: a key's first row
    gives its gender and birth year, and every row adds its balance."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Any]] = {}

    def add(self, rows: Iterable[tuple[str, str, int, int]]) -> None:
        known = self.rows
        for key, gender, birth_year, balance in rows:
            row = known.get(key)
            if row is None:
                known[key] = [gender, birth_year, balance]
            else:
                row[2] += balance

    def write(self, conn: Connection) -> None:
        """Upsert the merged rows (then forget them)."""
        rows, self.rows = self.rows, {}
        upsert_tuples(
            conn,
            table_of(DistrictMember),
            ("key",),
            ("key", "gender", "birth_year", "balance"),
            [(key, *rows[key]) for key in sorted(rows)],
            add=("balance",),
        )


def _new_rows(bundle: Bundle, after_seq: int) -> Iterator[dict[str, Any]]:
    """The rows after ``after_seq``. The reader has verified these very bytes strictly (one
    seq after another from ``seq_from``), so known rows are skipped unparsed and the rest are
    parsed with plain ``json.loads``."""
    skip = max(0, after_seq - bundle.header["seq_from"] + 1)
    loads = json.JSONDecoder().decode
    for line in islice(bundle.lines(TRANSACTIONS), skip, None):
        yield loads(line.decode("utf-8"))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
