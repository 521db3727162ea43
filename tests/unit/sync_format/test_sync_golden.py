"""Test vectors: the committed golden bundle (TEST KEY ONLY) and every value re-derived.

The expected values are also printed in docs/sync-format.md §9; if this test fails after a
deliberate format change, run ``python -m tests.data.sync.regenerate`` and update the doc.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.data.sync.regenerate import GOLDEN_COUNT
from tests.unit.sync_format.sync_factories import (
    TEST_CENTRE_KEY,
    TEST_SECRET,
    chain,
    export_header,
    export_parts,
)
from timebank_desktop.domain.ledger import GENESIS, chain_hash, memo_digest
from timebank_desktop.domain.memberkey import member_key
from timebank_desktop.exports.sync import read_bundle, tx_from_row, write_bundle

DATA = Path(__file__).parents[2] / "data" / "sync"
BUNDLE = DATA / "golden-centre-export.tbsync"
DOC = Path(__file__).parents[3] / "docs" / "sync-format.md"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / "golden-centre-export.json").read_text("utf-8"))
    return loaded


def test_test_key_is_the_documented_one(expected: dict[str, Any]) -> None:
    public = TEST_CENTRE_KEY.public_key()
    assert TEST_CENTRE_KEY.hex() == expected["test_private_key_hex"]
    assert public.hex() == expected["public_key_hex"]
    assert public.fingerprint == expected["fingerprint"]


def test_golden_file_verifies(expected: dict[str, Any]) -> None:
    bundle = read_bundle(BUNDLE, [TEST_CENTRE_KEY.public_key()])
    assert bundle.manifest_sha256 == expected["manifest_sha256"]
    assert {p.name: p.sha256 for p in bundle.parts} == expected["parts"]
    assert hashlib.sha256(BUNDLE.read_bytes()).hexdigest() == expected["file_sha256"]


def test_signature_is_ed25519_over_the_manifest_bytes(expected: dict[str, Any]) -> None:
    with zipfile.ZipFile(BUNDLE) as archive:
        manifest_raw = archive.read("manifest.json")
        signature = archive.read("signature").decode("ascii")
        parts = {name: archive.read(name) for name in expected["parts"]}
    assert hashlib.sha256(manifest_raw).hexdigest() == expected["manifest_sha256"]
    assert signature == expected["signature"] == TEST_CENTRE_KEY.sign(manifest_raw).hex()
    for name, data in parts.items():
        assert hashlib.sha256(data).hexdigest() == expected["parts"][name]


def test_tx_hashes_re_derive(expected: dict[str, Any]) -> None:
    bundle = read_bundle(BUNDLE, [TEST_CENTRE_KEY.public_key()])
    prev = GENESIS
    for row, want, memo_want, (tx, _p, _h) in zip(
        bundle.rows("transactions.jsonl"), expected["tx_hashes"], expected["memo_sha256"],
        chain(GOLDEN_COUNT), strict=True,
    ):  # fmt: skip
        parsed = tx_from_row(row)
        assert memo_digest(tx.memo) == parsed.memo_sha256 == memo_want
        assert chain_hash(prev, tx) == chain_hash(prev, parsed.tx, parsed.memo_sha256) == want
        prev = want


def test_member_keys_re_derive(expected: dict[str, Any]) -> None:
    for number, key in expected["member_keys"].items():
        assert member_key(TEST_SECRET, number) == key


def test_writing_again_gives_the_same_parts_and_hashes(
    tmp_path: Path, expected: dict[str, Any]
) -> None:
    links = chain(GOLDEN_COUNT)
    again = tmp_path / "again.tbsync"
    write_bundle(again, export_header(links), export_parts(links), TEST_CENTRE_KEY)
    bundle = read_bundle(again, [TEST_CENTRE_KEY.public_key()])
    assert {p.name: p.sha256 for p in bundle.parts} == expected["parts"]
    golden = read_bundle(BUNDLE, [TEST_CENTRE_KEY.public_key()])
    packed = {"packed_sha256", "packed_bytes"}  # depend on the zlib build; the rest may not

    def without_packed(manifest: Any) -> dict[str, Any]:
        parts = [{k: v for k, v in p.items() if k not in packed} for p in manifest["parts"]]
        return {**manifest, "parts": parts}

    assert without_packed(bundle.manifest) == without_packed(golden.manifest)


def test_doc_prints_the_same_vectors(expected: dict[str, Any]) -> None:
    if not DOC.exists():
        pytest.skip("docs/sync-format.md not written yet")
    text = DOC.read_text("utf-8")
    for value in (
        expected["public_key_hex"], expected["fingerprint"], expected["manifest_sha256"],
        expected["signature"], *expected["parts"].values(), *expected["tx_hashes"],
        *expected["member_keys"].values(),
    ):  # fmt: skip
        assert value in text
