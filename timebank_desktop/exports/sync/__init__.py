"""Sync bundles (同步文件, ``*.tbsync``): signed, versioned files between centres and district.

A bundle is a strict ZIP holding JSON Lines parts, ``manifest.json`` (type, sender, header
fields and the SHA-256 of every part) and ``signature`` (Ed25519 over the exact manifest
bytes, as hex). The full specification, with test vectors, is ``docs/sync-format.md``.

API for the services (the exporter and importer query the database; this package never does):

Writing::

    from timebank_desktop.exports.sync import write_bundle, tx_row, member_row, CENTRE_EXPORT
    written = write_bundle(
        path,
        {"type": CENTRE_EXPORT, "district": "D01", "centre": "C01",
         "created_at": clock.now().isoformat(), "epoch": 1, "seq_from": a, "seq_to": b,
         "prev_hash": hash_of_a_minus_1, "head_hash": hash_of_b},
        {"transactions.jsonl": (tx_row(tx, prev, h) for tx, prev, h in rows_from_db),
         "members.jsonl": (member_row(key, gender, year, roles, account) for ... in members)},
        PrivateKey.from_text(centre.private_key),
    )  # -> WrittenBundle(path, file_sha256, manifest_sha256, bytes, manifest)

Parts are consumed lazily (pass generators over a streaming query). ``write_bundle`` writes to
a temporary file, verifies it with `read_bundle`, renames it, and re-checks it on disk.

Reading::

    bundle = read_bundle(path, trusted)  # every check done; FileRejected otherwise
    bundle.type, bundle.centre, bundle.district, bundle.header["seq_from"], bundle.signer
    for row in bundle.rows("transactions.jsonl"):
        tx, memo_sha256, prev_hash, hash = tx_from_row(row)

``trusted`` is a callback ``SignerInfo -> PublicKey | None`` (look up the enrolled key of
``info.centre`` and return it, or None: "signed by an unenrolled key"), a mapping from
fingerprint to `PublicKey`, or an iterable of keys. For first contact (an enrolment or a
district-config file) pass `trust_self_signed` and have staff compare
``bundle.signer.fingerprint`` with the fingerprint printed on paper.

What the reader guarantees for a centre export: the transactions are seq ``seq_from`` ..
``seq_to`` of ``centre``, contiguous, each zero-sum, chained from ``prev_hash`` to
``head_hash``. What it cannot know and the importer must decide (DESIGN §5): whether
``prev_hash`` is the head it already holds for that centre and epoch (equal: append; a known
older point: overlap, add only what is new; unknown seq beyond the head: gap, hold back; same
seq with a different hash: fork alarm), all inside one database transaction.
"""

from __future__ import annotations

from timebank_desktop.exports.sync.container import DEFAULT_LIMITS, Limits
from timebank_desktop.exports.sync.manifest import (
    BALANCES,
    CENTRE_EXPORT,
    CENTRES,
    DISTRICT_CONFIG,
    DISTRICT_STATEMENT,
    ENROLMENT,
    ENTRIES,
    EXTENSION,
    FORMAT,
    HEADS,
    MEMBERS,
    TRANSACTIONS,
    VERSION,
)
from timebank_desktop.exports.sync.reader import (
    Bundle,
    PartInfo,
    SignerInfo,
    Trust,
    read_bundle,
    trust_self_signed,
)
from timebank_desktop.exports.sync.rows import (
    ChainHead,
    TxRow,
    check_member_row,
    member_row,
    tx_from_row,
    tx_row,
    verify_tx_chain,
)
from timebank_desktop.exports.sync.writer import WrittenBundle, write_bundle

__all__ = [
    "BALANCES",
    "CENTRES",
    "CENTRE_EXPORT",
    "DEFAULT_LIMITS",
    "DISTRICT_CONFIG",
    "DISTRICT_STATEMENT",
    "ENROLMENT",
    "ENTRIES",
    "EXTENSION",
    "FORMAT",
    "HEADS",
    "MEMBERS",
    "TRANSACTIONS",
    "VERSION",
    "Bundle",
    "ChainHead",
    "Limits",
    "PartInfo",
    "SignerInfo",
    "Trust",
    "TxRow",
    "WrittenBundle",
    "check_member_row",
    "member_row",
    "read_bundle",
    "trust_self_signed",
    "tx_from_row",
    "tx_row",
    "verify_tx_chain",
    "write_bundle",
]
