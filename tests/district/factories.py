"""Centre chains and sync files for district tests, written with the real sync writer.

`SimCentre` keeps a centre's chain (seq, hash) and its members' pseudonymous keys, books
services (local or for a visitor of another centre, DESIGN §5) and writes centre-export files
for any seq range. Keys are generated per test, never real.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from timebank_desktop.domain.ledger import (
    GENESIS,
    PostingLine,
    TxValue,
    chain_hash,
)
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.exports.sync import (
    CENTRE_EXPORT,
    ENROLMENT,
    MEMBERS,
    TRANSACTIONS,
    member_row,
    tx_row,
    write_bundle,
)

CREATED = "2026-11-20T02:00:00Z"


def person_key(name: str) -> str:
    """A stand-in member key (64 hex) for a named test person."""
    return hashlib.sha256(f"person:{name}".encode()).hexdigest()


@dataclass
class SimCentre:
    code: str
    district: str = "D01"
    key: PrivateKey = field(default_factory=PrivateKey.generate)
    epoch: int = 1
    txs: list[tuple[TxValue, str, str]] = field(default_factory=list)  # (tx, prev, hash)
    accounts: dict[str, str] = field(default_factory=dict)  # member account -> person name
    day: date = date(2026, 11, 2)

    # ------------------------------------------------------------------ booking
    def account(self, person: str) -> str:
        for account, name in self.accounts.items():
            if name == person:
                return account
        account = f"member:{self.code}M{len(self.accounts) + 1:04d}"
        self.accounts[account] = person
        return account

    def book(
        self,
        postings: list[tuple[str, int]],
        kind: str = "service",
        record: str | None = None,
        day: date | None = None,
    ) -> TxValue:
        seq = len(self.txs) + 1
        prev = self.txs[-1][2] if self.txs else GENESIS
        when = day or self.day
        tx = TxValue(
            centre=self.code,
            seq=seq,
            id=f"{self.code}-{self.epoch}-{seq:08d}",
            kind=kind,
            value_date=when,
            booked_on=when,
            recorded_at=datetime(2026, 11, 1, 1, 0) + timedelta(minutes=seq),
            memo=f"memo {seq}",
            reverses=None,
            record=record,
            funding=None,
            staff="clerk",
            postings=tuple(PostingLine(a, m) for a, m in postings),
        )
        self.txs.append((tx, prev, chain_hash(prev, tx)))
        return tx

    def serve(self, volunteer: str, recipient: str, minutes: int, **kw: Any) -> TxValue:
        """A local service paid by the community pool."""
        return self.book([(self.account(volunteer), minutes), ("pool", -minutes)], **kw)

    def grant(self, person: str, minutes: int) -> TxValue:
        return self.book([(self.account(person), minutes), ("pool", -minutes)], kind="grant")

    def serve_visitor(self, volunteer: str, visitor: str, home: str, minutes: int) -> TxValue:
        """B's volunteer serves a visitor from ``home``: pass-through, clearing:home debited."""
        v = self.account(visitor)
        return self.book(
            [
                (self.account(volunteer), minutes),
                (v, -minutes),
                (v, minutes),
                (f"clearing:{home}", -minutes),
            ]
        )

    def mirror(self, entry: dict[str, Any]) -> TxValue:
        """Book the mirror of a statement entry addressed to this centre."""
        account = self.account(self.person_of(entry["key"]))
        return self.book(
            [
                (account, entry["amount"]),
                (f"clearing:{entry['counter_centre']}", -entry["amount"]),
            ],
            kind="mirror",
            record=entry["id"],
        )

    def person_of(self, key: str) -> str:
        for name in self.accounts.values():
            if person_key(name) == key:
                return name
        raise KeyError(key)

    # ------------------------------------------------------------------ files
    def export(
        self, path: Path, seq_from: int = 1, seq_to: int | None = None, **extra: Any
    ) -> Path:
        last = len(self.txs) if seq_to is None else seq_to
        links = self.txs[seq_from - 1 : last]
        prev = self.txs[seq_from - 2][2] if seq_from > 1 else GENESIS
        head = links[-1][2] if links else prev
        touched = sorted(
            {
                p.account
                for tx, _p, _h in links
                for p in tx.postings
                if p.account.startswith("member:")
            }
        )
        header = {
            "type": CENTRE_EXPORT,
            "district": self.district,
            "centre": self.code,
            "created_at": CREATED,
            "epoch": self.epoch,
            "seq_from": seq_from,
            "seq_to": last,
            "prev_hash": prev,
            "head_hash": head,
            **extra,
        }
        parts = {
            TRANSACTIONS: [tx_row(tx, p, h) for tx, p, h in links],
            MEMBERS: [
                member_row(person_key(self.accounts[a]), "F", 1950, ["volunteer"], a)
                for a in touched
            ],
        }
        write_bundle(path, header, parts, self.key)
        return path

    def enrolment(self, path: Path, name: str = "") -> Path:
        header = {
            "type": ENROLMENT,
            "district": self.district,
            "centre": self.code,
            "created_at": CREATED,
            "centre_name": name or f"社区 {self.code}",
            "public_key": self.key.public_key().hex(),
        }
        write_bundle(path, header, {}, self.key)
        return path
