"""Deterministic inputs for sync-format tests and for the golden bundle (tests/data/sync/).

The keys are the RFC 8032 Ed25519 test vectors 1 and 2: public, well known, TEST ONLY.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from timebank_desktop.domain.ledger import (
    GENESIS,
    POOL_ACCOUNT,
    PostingLine,
    TxKind,
    TxValue,
    chain_hash,
    clearing_account_code,
    member_account_code,
)
from timebank_desktop.domain.memberkey import DistrictSecret, member_key
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.exports.sync import CENTRE_EXPORT, member_row, tx_row

# RFC 8032 §7.1 TEST 1 and TEST 2 secret keys. Never use them for anything real.
TEST_CENTRE_KEY = PrivateKey.from_text(
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
)
TEST_DISTRICT_KEY = PrivateKey.from_text(
    "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
)
TEST_SECRET = DistrictSecret(bytes(range(32)))  # 000102…1f, TEST ONLY
CREATED_AT = "2026-11-20T02:00:00Z"
ID_NUMBERS = ("11010519491231002X", "440524188001010014", "110101195001010018")
CENTRE, DISTRICT = "C01", "D01"


def make_tx(seq: int, centre: str = CENTRE, amount: int = 90, memo: str = "") -> TxValue:
    """A service of ``amount`` minutes: member 2 serves; odd seqs paid by the pool."""
    payer = POOL_ACCOUNT if seq % 2 else member_account_code("M000001")
    if seq % 5 == 0:
        payer = clearing_account_code("C02")
    day = date(2026, 11, 1) + timedelta(days=seq % 20)
    return TxValue(
        centre=centre,
        seq=seq,
        id=f"00000000-0000-4000-8000-{seq:012d}",
        kind=TxKind.SERVICE.value,
        value_date=day,
        booked_on=day,
        recorded_at=datetime(2026, 11, 1, 1, 0, 0) + timedelta(minutes=seq),
        memo=memo or f"陪同就医 #{seq}",
        reverses=None,
        record=f"10000000-0000-4000-8000-{seq:012d}",
        funding=None,
        staff="clerk1",
        postings=(
            PostingLine(member_account_code("M000002"), amount),
            PostingLine(payer, -amount),
        ),
    )


def chain(
    count: int, start: int = 1, prev: str = GENESIS, centre: str = CENTRE
) -> list[tuple[TxValue, str, str]]:
    """``count`` chained transactions from seq ``start``: (tx, prev_hash, hash)."""
    out: list[tuple[TxValue, str, str]] = []
    for seq in range(start, start + count):
        tx = make_tx(seq, centre)
        digest = chain_hash(prev, tx)
        out.append((tx, prev, digest))
        prev = digest
    return out


def tx_rows(links: list[tuple[TxValue, str, str]]) -> list[dict[str, Any]]:
    return [tx_row(tx, prev, digest) for tx, prev, digest in links]


def member_rows() -> list[dict[str, Any]]:
    roles = (["recipient"], ["volunteer"], ["recipient", "volunteer"])
    return [
        member_row(
            member_key(TEST_SECRET, number),
            "F" if int(number[16]) % 2 == 0 else "M",
            int(number[6:10]),
            roles[i],
            member_account_code(f"M{i + 1:06d}"),
        )
        for i, number in enumerate(ID_NUMBERS)
    ]


def export_header(
    links: list[tuple[TxValue, str, str]], seq_from: int = 1, prev: str = GENESIS
) -> dict[str, Any]:
    return {
        "type": CENTRE_EXPORT,
        "district": DISTRICT,
        "centre": CENTRE,
        "created_at": CREATED_AT,
        "epoch": 1,
        "seq_from": seq_from,
        "seq_to": seq_from + len(links) - 1,
        "prev_hash": prev,
        "head_hash": links[-1][2] if links else prev,
    }


def export_parts(links: list[tuple[TxValue, str, str]]) -> dict[str, list[dict[str, Any]]]:
    return {"transactions.jsonl": tx_rows(links), "members.jsonl": member_rows()}


def raw_container(entries: list[tuple[str | bytes, int, int, int, bytes]]) -> bytes:
    """A container in the canonical layout with *declared* values: (name, method, crc, bytes,
    packed data). Lets tests forge lying sizes and odd names that the writer never makes."""
    from timebank_desktop.exports.sync import container as c

    local, central = bytearray(), bytearray()
    for name, method, crc, size, packed in entries:
        encoded = name.encode("ascii") if isinstance(name, str) else name
        fields = (c.VERSION, 0, method, c.DOS_TIME, c.DOS_DATE, crc, len(packed), size)
        central += c._CENTRAL.pack(
            c._CENTRAL_SIG, c.MADE_BY, *fields, len(encoded), 0, 0, 0, 0, 0, len(local)
        )
        central += encoded
        local += c._LOCAL.pack(c._LOCAL_SIG, *fields, len(encoded), 0) + encoded + packed
    end = c._END.pack(c._END_SIG, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    return bytes(local + central + end)


def forge(
    manifest: dict[str, Any],
    parts: dict[str, bytes],
    key: PrivateKey = TEST_CENTRE_KEY,
    names: list[str] | None = None,
) -> bytes:
    """A stored container with the given manifest (re-signed with ``key``) and raw parts.

    ``names`` overrides the entry names in order (parts, then manifest, then signature).
    """
    import zlib

    from timebank_desktop.exports.sync import manifest as mf

    raw = mf.encode(manifest)
    contents = [
        *parts.items(),
        ("manifest.json", raw),
        ("signature", key.sign(raw).hex().encode()),
    ]
    if names is not None:
        contents = [(n, data) for n, (_old, data) in zip(names, contents, strict=True)]
    return raw_container([(n, 0, zlib.crc32(d), len(d), d) for n, d in contents])


def stored_manifest(
    header: dict[str, Any], parts: dict[str, bytes], key: PrivateKey = TEST_CENTRE_KEY
) -> dict[str, Any]:
    """The manifest a writer would make for stored ``parts`` (raw JSON Lines bytes)."""
    import hashlib

    manifest: dict[str, Any] = {"format": "timebank-sync", "version": "1.0"}
    manifest.update(header)
    manifest["signer"] = key.public_key().fingerprint
    manifest["parts"] = [
        {
            "name": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "rows": data.count(b"\n"),
            "method": "stored",
            "packed_sha256": hashlib.sha256(data).hexdigest(),
            "packed_bytes": len(data),
        }
        for name, data in parts.items()
    ]
    return manifest


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    from timebank_desktop.exports.sync.reader import canonical_row_bytes

    return b"".join(canonical_row_bytes(r) for r in rows)
