"""Apply the new rows of a verified centre file: transactions and every incremental aggregate.

Runs inside the importer's database transaction, after the file has been verified and placed
on its centre's chain (`importer`). Rows at or before ``after_seq`` are already known and
skipped. Aggregates are accumulated in memory and written with one upsert per table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from sys import intern
from typing import Any

from sqlalchemy import Connection, select, update

from timebank_desktop.exports.sync import MEMBERS, TRANSACTIONS, Bundle
from timebank_desktop.exports.sync.txlines import verified_postings_json
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
from timebank_desktop.services.district.legs import (
    CLEARING_PREFIX,
    MEMBER_PREFIX,
    cross_legs,
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


@dataclass(slots=True)
class _Month:
    services: int = 0
    credited: int = 0
    withdrawn: int = 0
    transactions: int = 0


@dataclass
class Applied:
    """What a file added: rows, first and last value dates, unattributed legs, new head."""

    added: int = 0
    first_date: date | None = None
    last_date: date | None = None
    unattributed: int = 0
    orphan_mirrors: int = 0
    head_seq: int = 0
    head_hash: str = ""


@dataclass
class _Summary:
    """A file's aggregate rows as the file alone tells them (`FileEffects.summarise`)."""

    named: list[
        tuple[Any, ...]
    ]  # (account, key, roles, balance, legs): accounts with a member row
    others: list[tuple[Any, ...]]  # (account, balance, legs): the rest (key from the database)
    members: list[tuple[Any, ...]]  # (key, gender, birth year, balance) from the named accounts


@dataclass
class _Pending:
    entries: list[dict[str, Any]] = field(default_factory=list)  # legs awaiting a key
    mirrors: list[tuple[int, list[str]]] = field(default_factory=list)  # (seq, refs)


class FileEffects:
    """What one file's new rows do, computed without a database (picklable: a worker may
    compute it). ``take`` returns a row for ``district_tx`` without its centre, epoch and file.
    """

    def __init__(self) -> None:
        self.account_delta: dict[str, int] = defaultdict(int)
        self.by_day: dict[str, _Month] = defaultdict(_Month)  # value date (ISO) -> figures
        self.pending = _Pending()
        self.result = Applied()
        self.accounts: dict[str, tuple[str, str]] = {}  # member account -> (key, roles)
        self.members: dict[str, tuple[str, int]] = {}  # key -> (gender, birth year)
        self.rows: list[tuple[Any, ...]] = []  # kept only through `sinks`
        self.summary: _Summary | None = None
        self.last_hash = ""

    @property
    def months(self) -> dict[str, _Month]:
        """The figures per month (``YYYY-MM``), summed from the days."""
        months: dict[str, _Month] = defaultdict(_Month)
        for day, v in self.by_day.items():
            m = months[day[:7]]
            m.services += v.services
            m.credited += v.credited
            m.withdrawn += v.withdrawn
            m.transactions += v.transactions
        return months

    def summarise(self) -> None:
        """Turn the accumulated effects into the rows of the aggregate tables, as far as the
        file alone tells them (in the worker: the writer then only adds what needs the
        database). Call once every row has been taken."""
        legs: dict[str, int] = defaultdict(int)
        for e in self.pending.entries:
            if e["leg"].account:
                legs[e["leg"].account] += 1
        delta, accounts = self.account_delta, self.accounts
        named = [
            (account, key, roles, delta.get(account, 0), legs.get(account, 0))
            for account, (key, roles) in sorted(accounts.items())
        ]
        others = [
            (account, amount, legs.get(account, 0))
            for account, amount in sorted(delta.items())
            if account not in accounts
        ]
        by_key: dict[str, int] = defaultdict(int)
        for account, (key, _roles) in accounts.items():
            by_key[key] += delta.get(account, 0)
        members = [
            (key, *self.members.get(key, ("", 0)), by_key[key])
            for key in sorted(set(by_key) | set(self.members))
        ]
        self.summary = _Summary(named, others, members)

    def sinks(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        """Row sinks for `read_bundle`: the file's effects are computed as it is verified, on
        the rows the verifier parsed (assuming the file continues its centre's chain: every
        row is new). Discard the effects if the file is refused."""
        return {TRANSACTIONS: self.keep, MEMBERS: self.member}

    def keep(self, row: dict[str, Any]) -> None:
        """`take` a row and keep its ``district_tx`` row (a worker sends them to the writer)."""
        self.rows.append(self.take(row))

    def member(self, row: dict[str, Any]) -> None:
        self.accounts[row["account"]] = (row["key"], ",".join(row["roles"]))
        self.members[row["key"]] = (row["gender"], row["birth_year"])

    def read_members(self, bundle: Bundle) -> None:
        for row in bundle.rows(MEMBERS):
            self.member(row)

    def take(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """Account for one verified transaction row (postings checked by the reader); its
        ``district_tx`` row. Runs once per received transaction: kept lean."""
        postings = row["postings"]
        nets = None
        if len(postings) == 2:
            (first, one), (second, two) = postings
            if (
                first == second
                or first.startswith(CLEARING_PREFIX)
                or second.startswith(CLEARING_PREFIX)
            ):
                nets = _nets(postings)
        else:
            nets = _nets(postings)
        if nets is None:  # two ordinary accounts (most rows): booked inline
            delta = self.account_delta
            delta[first] += one
            delta[second] += two
            credited = withdrawn = 0
            if first.startswith(MEMBER_PREFIX):
                credited, withdrawn = (one, 0) if one > 0 else (0, -one)
            if second.startswith(MEMBER_PREFIX):
                credited, withdrawn = (
                    (credited + two, withdrawn) if two > 0 else (credited, withdrawn - two)
                )
            clearing = False
        else:
            credited, withdrawn = self._book(nets.items())
            clearing = any(a.startswith(CLEARING_PREFIX) for a in nets)
        kind, day, seq = row["kind"], row["value_date"], row["seq"]
        month = self.by_day[day]
        month.transactions += 1
        if kind == "service":
            month.services += 1
            month.credited += credited
            month.withdrawn += withdrawn
        elif kind == "redemption":
            month.withdrawn += withdrawn
        elif kind == "mirror":
            refs = [r for r in (row["record"], row["id"]) if r]
            self.pending.mirrors.append((seq, refs))
        if clearing and kind != "mirror" and nets is not None:
            for leg in cross_legs(postings, nets):
                self.pending.entries.append(
                    {"leg": leg, "seq": seq, "tx": row["id"], "kind": kind, "day": day}
                )
        # The row sent to the writer shares text objects where it can: the previous row's hash
        # object as this row's prev_hash, one object per day and kind. Pickle then sends each
        # once (a worker's rows reach the writer pickled): a third less to send and rebuild.
        prev, digest = row["prev_hash"], row["hash"]
        if prev == self.last_hash:
            prev = self.last_hash
        self.last_hash = digest
        return (
            seq,
            row["id"],
            intern(kind),
            intern(day),
            prev,
            digest,
            verified_postings_json(postings),
        )

    def _book(self, amounts: Iterable[Sequence[Any]]) -> tuple[int, int]:
        """Add net amounts to the accounts; the minutes credited to and withdrawn from members."""
        delta = self.account_delta
        credited = withdrawn = 0
        for account, amount in amounts:
            if amount:
                delta[account] += amount
                if account.startswith(MEMBER_PREFIX):
                    if amount > 0:
                        credited += amount
                    else:
                        withdrawn -= amount
        return credited, withdrawn

    def count(self, added: int, last: tuple[Any, ...] | None) -> None:
        """Record how many rows were taken and the last one (the new chain head)."""
        result = self.result
        result.added += added
        if last is not None:
            result.head_seq, result.head_hash = last[0], last[5]
        if self.by_day:
            result.first_date = date.fromisoformat(min(self.by_day))
            result.last_date = date.fromisoformat(max(self.by_day))


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
            self.fx.count(len(batch), batch[-1])
        self.fx.summarise()
        return self._finish()

    def run_computed(self, effects: FileEffects) -> Applied:
        """Write effects computed while the file was verified (`FileEffects.sinks`)."""
        self.fx = effects
        self._insert(effects.rows)
        effects.count(len(effects.rows), effects.rows[-1] if effects.rows else None)
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
    def _keys(self, summary: _Summary) -> dict[str, str]:
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

    def _write_accounts(self, keys: dict[str, str], summary: _Summary) -> None:
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

    def _write_members(self, keys: dict[str, str], summary: _Summary) -> None:
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
        upsert_tuples(
            self.conn,
            table_of(DistrictMember),
            ("key",),
            ("key", "gender", "birth_year", "balance"),
            rows,
            add=("balance",),
        )

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


def _nets(postings: list[list[Any]]) -> dict[str, int]:
    """Each account's net amount in one transaction."""
    nets: dict[str, int] = {}
    for account, amount in postings:
        nets[account] = nets.get(account, 0) + amount
    return nets


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
