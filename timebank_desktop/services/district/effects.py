"""What one centre file's new rows do at the district, computed without a database.

`FileEffects` takes each verified transaction row once (in a worker process, as the file is
verified, or in the writer) and accumulates: the net amount per account, the figures per day,
the cross-centre legs and mirrors awaiting the database, and the row for ``district_tx``.
`FileEffects.summarise` then turns the totals into the rows of the aggregate tables, as far as
the file alone tells them; the writer (`apply.FileApplier`) adds what needs the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from sys import intern
from typing import Any

from timebank_desktop.exports.sync import MEMBERS, TRANSACTIONS, Bundle
from timebank_desktop.exports.sync.txlines import verified_postings_json
from timebank_desktop.services.district.legs import CLEARING_PREFIX, MEMBER_PREFIX, cross_legs


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
class Summary:
    """A file's aggregate rows as the file alone tells them (`FileEffects.summarise`)."""

    named: list[
        tuple[Any, ...]
    ]  # (account, key, roles, balance, legs): accounts with a member row
    others: list[tuple[Any, ...]]  # (account, balance, legs): the rest (key from the database)
    members: list[tuple[Any, ...]]  # (key, gender, birth year, balance) from the named accounts


@dataclass(frozen=True)
class _Columns:
    """A file's ``district_tx`` rows as columns, as a worker sends them: the seqs run on from
    the first and each prev_hash is the hash before it, so neither is sent, and unpickling a
    few long tuples of text costs the writer half what one small tuple per row cost."""

    first_seq: int
    first_prev: str
    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    days: tuple[str, ...]
    hashes: tuple[str, ...]
    texts: tuple[str, ...]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """The rows again (built by `zip` as the database takes them: no Python loop)."""
        seqs = range(self.first_seq, self.first_seq + len(self.ids))
        prevs = chain((self.first_prev,), self.hashes)
        # prevs has one more (the last hash): zip stops with the shortest
        return zip(
            seqs, self.ids, self.kinds, self.days, prevs, self.hashes, self.texts, strict=False
        )


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
        self.columns: _Columns | None = None  # the rows, once `pack` has turned them
        self.summary: Summary | None = None
        self.last_hash = ""

    def pack(self) -> None:
        """Make the effects cheap to send (a worker, once `summarise` has run): the rows as
        columns, and without the totals the summary already holds."""
        if self.summary is None:
            return
        self.account_delta, self.members = defaultdict(int), {}
        rows = self.rows
        if not rows:
            return
        seqs, ids, kinds, days, prevs, hashes, texts = zip(*rows, strict=True)
        if prevs[1:] == hashes[:-1] and seqs == tuple(range(seqs[0], seqs[0] + len(seqs))):
            self.columns = _Columns(seqs[0], prevs[0], ids, kinds, days, hashes, texts)
            self.rows = []

    def tx_rows(self) -> Iterable[tuple[Any, ...]]:
        """The kept ``district_tx`` rows, packed or not."""
        return self.columns.rows() if self.columns is not None else self.rows

    def tx_head(self) -> tuple[int, tuple[int, str] | None]:
        """How many rows were kept and the last one's (seq, hash)."""
        if self.columns is not None:
            count = len(self.columns.ids)
            return count, (self.columns.first_seq + count - 1, self.columns.hashes[-1])
        rows = self.rows
        return len(rows), ((rows[-1][0], rows[-1][5]) if rows else None)

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
        self.summary = Summary(named, others, members)

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

    def keep_plain(self, fields: tuple[Any, ...]) -> None:
        """`keep` for a row given as its `txlines.PLAIN_FIELDS` (two postings, no dict)."""
        first, second = fields[8], fields[10]
        if first != second and not (
            first.startswith(CLEARING_PREFIX) or second.startswith(CLEARING_PREFIX)
        ):
            self.rows.append(self._plain(*fields))
            return
        seq, ident, kind, day, record, prev, digest, _text, _a1, one, _a2, two = fields
        self.keep(
            {
                "seq": seq,
                "id": ident,
                "kind": kind,
                "value_date": day,
                "record": record,
                "prev_hash": prev,
                "hash": digest,
                "postings": [[first, one], [second, two]],
            }
        )

    def take(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """Account for one verified transaction row (postings checked by the reader); its
        ``district_tx`` row. Runs once per received transaction: kept lean."""
        postings = row["postings"]
        if len(postings) == 2:
            (first, one), (second, two) = postings
            if first != second and not (
                first.startswith(CLEARING_PREFIX) or second.startswith(CLEARING_PREFIX)
            ):  # two ordinary accounts (most rows)
                return self._plain(
                    row["seq"], row["id"], row["kind"], row["value_date"], row["record"],
                    row["prev_hash"], row["hash"], verified_postings_json(postings),
                    first, one, second, two,
                )  # fmt: skip
        nets = _nets(postings)
        credited, withdrawn = self._book(nets.items())
        kind, day, seq = row["kind"], row["value_date"], row["seq"]
        self._count(kind, day, credited, withdrawn, seq, row["record"], row["id"])
        if kind != "mirror" and any(a.startswith(CLEARING_PREFIX) for a in nets):
            for leg in cross_legs(postings, nets):
                self.pending.entries.append(
                    {"leg": leg, "seq": seq, "tx": row["id"], "kind": kind, "day": day}
                )
        return self._tx_row(
            seq,
            row["id"],
            kind,
            day,
            row["prev_hash"],
            row["hash"],
            verified_postings_json(postings),
        )

    def _plain(
        self, seq: int, ident: str, kind: str, day: str, record: str | None, prev: str,
        digest: str, text: str, first: str, one: int, second: str, two: int,
    ) -> tuple[Any, ...]:  # fmt: skip
        """`take` for two postings to two different accounts, neither a clearing account."""
        delta = self.account_delta
        delta[first] += one
        delta[second] += two
        credited = withdrawn = 0
        if first.startswith(MEMBER_PREFIX):
            credited, withdrawn = (one, 0) if one > 0 else (0, -one)
        if second.startswith(MEMBER_PREFIX):
            if two > 0:
                credited += two
            else:
                withdrawn -= two
        self._count(kind, day, credited, withdrawn, seq, record, ident)
        return self._tx_row(seq, ident, kind, day, prev, digest, text)

    def _count(
        self, kind: str, day: str, credited: int, withdrawn: int, seq: int,
        record: str | None, ident: str,
    ) -> None:  # fmt: skip
        """Add a row to its day's figures; a mirror waits for the database (`apply`)."""
        month = self.by_day[day]
        month.transactions += 1
        if kind == "service":
            month.services += 1
            month.credited += credited
            month.withdrawn += withdrawn
        elif kind == "redemption":
            month.withdrawn += withdrawn
        elif kind == "mirror":
            self.pending.mirrors.append((seq, [r for r in (record, ident) if r]))

    def _tx_row(
        self, seq: int, ident: str, kind: str, day: str, prev: str, digest: str, text: str
    ) -> tuple[Any, ...]:
        """The row for ``district_tx``. It shares text objects where it can: the previous
        row's hash object as this row's prev_hash, one object per day and kind. Pickle then
        sends each once (a worker's rows reach the writer pickled): a third less to send."""
        if prev == self.last_hash:
            prev = self.last_hash
        self.last_hash = digest
        return (seq, ident, intern(kind), intern(day), prev, digest, text)

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

    def count(self, added: int, last: tuple[int, str] | None) -> None:
        """Record how many rows were taken and the last one (the new chain head)."""
        result = self.result
        result.added += added
        if last is not None:
            result.head_seq, result.head_hash = last
        if self.by_day:
            result.first_date = date.fromisoformat(min(self.by_day))
            result.last_date = date.fromisoformat(max(self.by_day))


def _nets(postings: list[list[Any]]) -> dict[str, int]:
    """Each account's net amount in one transaction."""
    nets: dict[str, int] = {}
    for account, amount in postings:
        nets[account] = nets.get(account, 0) + amount
    return nets
