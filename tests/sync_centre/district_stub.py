"""A minimal district for centre-side tests, written against docs/sync-format.md only.

It enrols centres, issues configurations and statements, and receives centre exports, using
the rules of §5.1 (entries from non-mirror transactions posting on a clearing account;
balances = member postings of non-mirror transactions + entries). It is deliberately small
and in memory; the real district lives in services/district (another module's work). The
round-trip tests use the real one when it exists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timebank_desktop.domain.memberkey import DistrictSecret, seal_secret
from timebank_desktop.domain.signing import PrivateKey, PublicKey
from timebank_desktop.exports.sync import (
    BALANCES,
    CENTRE_EXPORT,
    CENTRES,
    DISTRICT_CONFIG,
    DISTRICT_STATEMENT,
    ENROLMENT,
    ENTRIES,
    HEADS,
    read_bundle,
    trust_self_signed,
    write_bundle,
)

PASSPHRASE = "district-pass-2026"


@dataclass
class StubDistrict:
    code: str = "D01"
    name: str = "东湖街道"
    key: PrivateKey = field(default_factory=PrivateKey.generate)
    secret: DistrictSecret = field(default_factory=DistrictSecret.generate)
    centres: dict[str, dict[str, str]] = field(default_factory=dict)
    heads: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    txs: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    accounts: dict[tuple[str, str], str] = field(default_factory=dict)  # (centre, acct) → key
    config_seq: int = 0
    statement_seq: int = 0
    extra_entries: list[dict[str, Any]] = field(default_factory=list)  # forged by tests

    @property
    def fingerprint(self) -> str:
        return self.key.public_key().fingerprint

    def enrol(self, path: Path) -> str:
        bundle = read_bundle(path, trust_self_signed)
        assert bundle.type == ENROLMENT
        self.centres[bundle.centre] = {
            "code": bundle.centre,
            "name": bundle.header["centre_name"],
            "public_key": bundle.header["public_key"],
        }
        return bundle.signer.fingerprint

    def config(self, path: Path, *, seq: int | None = None, district: str | None = None) -> Path:
        self.config_seq = seq or self.config_seq + 1
        header = {
            "type": DISTRICT_CONFIG,
            "district": district or self.code,
            "centre": district or self.code,
            "created_at": "2026-11-20T02:00:00Z",
            "district_name": self.name,
            "config_seq": self.config_seq,
            "district_public_key": self.key.public_key().hex(),
            "member_key_secret": seal_secret(self.secret, PASSPHRASE),
        }
        rows = [self.centres[c] for c in sorted(self.centres)]
        write_bundle(path, header, {CENTRES: rows}, self.key)
        return path

    def receive(self, path: Path) -> None:
        keys = {c: PublicKey.from_text(v["public_key"]) for c, v in self.centres.items()}
        bundle = read_bundle(path, lambda info: keys.get(info.centre))
        assert bundle.type == CENTRE_EXPORT
        centre, head = bundle.centre, bundle.header
        for row in bundle.rows("members.jsonl"):
            self.accounts[(centre, row["account"])] = row["key"]
        known = self.heads.get(centre, (head["epoch"], 0, head["prev_hash"]))[1]
        if head["seq_from"] > known + 1:
            raise AssertionError(f"gap: {known + 1}..{head['seq_from'] - 1}")
        for row in bundle.rows("transactions.jsonl"):
            if row["seq"] > known:
                self.txs[centre].append(row)
        if head["seq_to"] > known:
            self.heads[centre] = (head["epoch"], head["seq_to"], head["head_hash"])

    def _entries(self) -> list[dict[str, Any]]:
        entries = []
        for centre, rows in self.txs.items():
            for row in rows:
                if row["kind"] == "mirror":
                    continue
                clearing = [p for p in row["postings"] if p[0].startswith("clearing:")]
                members = [p for p in row["postings"] if p[0].startswith("member:")]
                for account, amount in clearing:
                    (member,) = members
                    entries.append(
                        {
                            "id": f"{centre}-1-{row['seq']}",
                            "centre": account.removeprefix("clearing:"),
                            "key": self.accounts[(centre, member[0])],
                            "amount": amount,
                            "counter_centre": centre,
                            "origin_seq": row["seq"],
                            "origin_tx": row["id"],
                            "kind": row["kind"],
                            "value_date": row["value_date"],
                        }
                    )
        return entries + self.extra_entries

    def balances(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for centre, rows in self.txs.items():
            for row in rows:
                if row["kind"] == "mirror":
                    continue
                for account, amount in row["postings"]:
                    if account.startswith("member:"):
                        found[self.accounts[(centre, account)]] += amount
        for entry in self._entries():
            found[entry["key"]] += entry["amount"]
        return dict(found)

    def statement(
        self, path: Path, *, key: PrivateKey | None = None, district: str | None = None
    ) -> Path:
        self.statement_seq += 1
        header = {
            "type": DISTRICT_STATEMENT,
            "district": district or self.code,
            "centre": district or self.code,
            "created_at": "2026-11-20T02:00:00Z",
            "statement_seq": self.statement_seq,
        }
        heads = [
            {"centre": c, "epoch": e, "seq": s, "hash": h}
            for c, (e, s, h) in sorted(self.heads.items())
        ]
        balances = [{"key": k, "balance": b} for k, b in sorted(self.balances().items())]
        parts = {HEADS: heads, BALANCES: balances, ENTRIES: self._entries()}
        write_bundle(path, header, parts, key or self.key)
        return path
