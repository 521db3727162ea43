"""Writing and reading bundles: round trip, trust, versions, every bundle type."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.unit.sync_format.sync_factories import (
    CREATED_AT,
    DISTRICT,
    TEST_CENTRE_KEY,
    TEST_DISTRICT_KEY,
    TEST_SECRET,
    chain,
    export_header,
    export_parts,
    forge,
    jsonl,
    member_rows,
    stored_manifest,
    tx_rows,
)
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.domain.memberkey import open_secret, seal_secret
from timebank_desktop.domain.signing import PublicKey, generate_key_pair
from timebank_desktop.exports.sync import (
    DISTRICT_CONFIG,
    DISTRICT_STATEMENT,
    ENROLMENT,
    SignerInfo,
    read_bundle,
    trust_self_signed,
    tx_from_row,
    write_bundle,
)
from timebank_desktop.i18n import set_language

CENTRE_PUBLIC = TEST_CENTRE_KEY.public_key()


def test_round_trip(tmp_path: Path) -> None:
    links = chain(12)
    target = tmp_path / "C01-1-12.tbsync"
    written = write_bundle(target, export_header(links), export_parts(links), TEST_CENTRE_KEY)
    assert written.path == target
    assert written.file_sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temp file left

    bundle = read_bundle(target, [CENTRE_PUBLIC])
    assert (bundle.type, bundle.centre, bundle.district, bundle.version) == (
        "centre-export", "C01", "D01", "1.0",
    )  # fmt: skip
    assert bundle.header["seq_to"] == 12
    assert bundle.header["head_hash"] == links[-1][2]
    assert bundle.manifest_sha256 == written.manifest_sha256
    assert bundle.signer == CENTRE_PUBLIC
    assert list(bundle.rows("members.jsonl")) == member_rows()
    read_back = [tx_from_row(row) for row in bundle.rows("transactions.jsonl")]
    for (tx, prev, digest), row in zip(links, read_back, strict=True):
        assert row.tx.postings == tx.postings
        assert (row.tx.seq, row.prev_hash, row.hash) == (tx.seq, prev, digest)
    assert bundle.part("transactions.jsonl").rows == 12


def test_round_trip_from_bytes_and_stored(tmp_path: Path) -> None:
    links = chain(3)
    target = tmp_path / "stored.tbsync"
    write_bundle(
        target, export_header(links), export_parts(links), TEST_CENTRE_KEY, compress=False
    )
    bundle = read_bundle(target.read_bytes(), {CENTRE_PUBLIC.fingerprint: CENTRE_PUBLIC})
    assert {p.method for p in bundle.parts} == {"stored"}


def test_empty_export_carries_the_head(tmp_path: Path) -> None:
    links = chain(4)
    head = links[-1][2]
    header = export_header([], seq_from=5, prev=head)
    write_bundle(tmp_path / "e.tbsync", header, export_parts([]), TEST_CENTRE_KEY)
    bundle = read_bundle(tmp_path / "e.tbsync", [CENTRE_PUBLIC])
    assert (bundle.header["seq_to"], bundle.header["head_hash"]) == (4, head)
    assert list(bundle.rows("transactions.jsonl")) == []


def test_continuation_starts_from_prev_hash(tmp_path: Path) -> None:
    first = chain(5)
    more = chain(3, start=6, prev=first[-1][2])
    header = export_header(more, seq_from=6, prev=first[-1][2])
    write_bundle(tmp_path / "b.tbsync", header, export_parts(more), TEST_CENTRE_KEY)
    assert read_bundle(tmp_path / "b.tbsync", [CENTRE_PUBLIC]).header["seq_from"] == 6


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "x.tbsync"
    target.write_bytes(b"old")
    links = chain(3)
    header = {**export_header(links), "head_hash": GENESIS}  # lies about the head
    with pytest.raises(FileRejected):
        write_bundle(target, header, export_parts(links), TEST_CENTRE_KEY)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.tbsync"]


def test_writer_refuses_missing_parts_and_bad_header(tmp_path: Path) -> None:
    links = chain(2)
    with pytest.raises(FileRejected, match=r"members\.jsonl"):
        write_bundle(
            tmp_path / "a", export_header(links), {"transactions.jsonl": []}, TEST_CENTRE_KEY
        )
    with pytest.raises(FileRejected, match="epoch"):
        write_bundle(
            tmp_path / "a", {**export_header(links), "epoch": 0}, export_parts(links),
            TEST_CENTRE_KEY,
        )  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_unenrolled_key_is_refused(tmp_path: Path) -> None:
    links = chain(2)
    write_bundle(tmp_path / "a", export_header(links), export_parts(links), TEST_CENTRE_KEY)
    _other, other_public = generate_key_pair()
    with pytest.raises(FileRejected, match="unenrolled key") as caught:
        read_bundle(tmp_path / "a", [other_public])
    assert CENTRE_PUBLIC.fingerprint in caught.value.message


def test_callback_is_told_who_signed(tmp_path: Path) -> None:
    links = chain(2)
    write_bundle(tmp_path / "a", export_header(links), export_parts(links), TEST_CENTRE_KEY)
    seen: list[SignerInfo] = []

    def enrolled(info: SignerInfo) -> PublicKey | None:
        seen.append(info)
        return CENTRE_PUBLIC if info.centre == "C01" else None

    read_bundle(tmp_path / "a", enrolled)
    assert (seen[0].fingerprint, seen[0].centre, seen[0].type) == (
        CENTRE_PUBLIC.fingerprint, "C01", "centre-export",
    )  # fmt: skip
    with pytest.raises(FileRejected, match="unenrolled"):
        read_bundle(tmp_path / "a", lambda info: None)


def test_key_for_another_fingerprint_is_refused(tmp_path: Path) -> None:
    links = chain(2)
    write_bundle(tmp_path / "a", export_header(links), export_parts(links), TEST_CENTRE_KEY)
    _other, other_public = generate_key_pair()
    with pytest.raises(FileRejected, match="unenrolled"):
        read_bundle(tmp_path / "a", lambda info: other_public)


def _forged_export(**changes: Any) -> bytes:
    links = chain(2)
    parts = {"transactions.jsonl": jsonl(tx_rows(links)), "members.jsonl": jsonl(member_rows())}
    manifest = stored_manifest(export_header(links), parts)
    manifest.update(changes)
    return forge(manifest, parts)


def test_forged_helper_makes_valid_files() -> None:
    assert read_bundle(_forged_export(), [CENTRE_PUBLIC]).type == "centre-export"


def test_unknown_major_version_is_refused_in_chinese() -> None:
    set_language("zh_CN")
    with pytest.raises(FileRejected) as caught:
        read_bundle(_forged_export(version="2.0"), [CENTRE_PUBLIC])
    assert caught.value.message == "不支持的文件版本 2.0（本程序支持 1.x）"


def test_unknown_major_version_is_refused_before_the_signature() -> None:
    with pytest.raises(FileRejected, match=r"Unsupported file version 2\.0"):
        read_bundle(_forged_export(version="2.0"), lambda info: None)


@pytest.mark.parametrize("version", ["1", "1.0.0", "v1.0", "01.0", 1.0])
def test_malformed_version_is_refused(version: object) -> None:
    with pytest.raises(FileRejected, match="version"):
        read_bundle(_forged_export(version=version), [CENTRE_PUBLIC])


def test_newer_minor_with_additions_is_accepted() -> None:
    links = chain(2)
    parts = {
        "transactions.jsonl": jsonl(tx_rows(links)),
        "members.jsonl": jsonl(member_rows()),
        "notes-v17.jsonl": jsonl([{"anything": 1}]),
    }
    manifest = stored_manifest(export_header(links), parts)
    manifest.update(version="1.7", new_header_field={"x": 1})
    bundle = read_bundle(forge(manifest, parts), [CENTRE_PUBLIC])
    assert bundle.version == "1.7"
    assert list(bundle.rows("notes-v17.jsonl")) == [{"anything": 1}]


def test_wrong_format_name_is_not_a_sync_file() -> None:
    with pytest.raises(FileRejected, match="not a sync file"):
        read_bundle(_forged_export(format="something-else"), [CENTRE_PUBLIC])


def test_not_a_zip_at_all() -> None:
    with pytest.raises(FileRejected, match="not a sync file"):
        read_bundle(b"%PDF-1.7 hello", [CENTRE_PUBLIC])
    with pytest.raises(FileRejected, match="damaged or truncated"):
        read_bundle(b"", [CENTRE_PUBLIC])


def test_missing_file_is_a_clear_refusal(tmp_path: Path) -> None:
    with pytest.raises(FileRejected, match="cannot be read"):
        read_bundle(tmp_path / "missing.tbsync", [CENTRE_PUBLIC])


def test_enrolment_is_self_signed(tmp_path: Path) -> None:
    header = {
        "type": ENROLMENT, "district": DISTRICT, "centre": "C07", "created_at": CREATED_AT,
        "centre_name": "幸福里社区", "public_key": CENTRE_PUBLIC.hex(),
    }  # fmt: skip
    write_bundle(tmp_path / "enrol.tbsync", header, {}, TEST_CENTRE_KEY)
    bundle = read_bundle(tmp_path / "enrol.tbsync", trust_self_signed)
    assert bundle.signer.fingerprint == CENTRE_PUBLIC.fingerprint
    assert bundle.header["centre_name"] == "幸福里社区"


def test_self_signed_trust_does_not_accept_a_foreign_key(tmp_path: Path) -> None:
    _other, other_public = generate_key_pair()
    header = {
        "type": ENROLMENT, "district": DISTRICT, "centre": "C07", "created_at": CREATED_AT,
        "centre_name": "幸福里社区", "public_key": other_public.hex(),
    }  # fmt: skip
    write_bundle(tmp_path / "enrol.tbsync", header, {}, TEST_CENTRE_KEY)
    with pytest.raises(FileRejected, match="unenrolled"):
        read_bundle(tmp_path / "enrol.tbsync", trust_self_signed)
    links = chain(1)
    write_bundle(tmp_path / "x", export_header(links), export_parts(links), TEST_CENTRE_KEY)
    with pytest.raises(FileRejected, match="unenrolled"):
        read_bundle(tmp_path / "x", trust_self_signed)  # only enrolment/config carry keys


def test_district_config_carries_a_sealed_secret(tmp_path: Path) -> None:
    district_public = TEST_DISTRICT_KEY.public_key()
    header = {
        "type": DISTRICT_CONFIG, "district": DISTRICT, "centre": DISTRICT,
        "created_at": CREATED_AT, "district_name": "测试区", "config_seq": 1,
        "district_public_key": district_public.hex(),
        "member_key_secret": seal_secret(TEST_SECRET, "district passphrase"),
    }  # fmt: skip
    centres = [{"code": "C01", "name": "一号社区", "public_key": CENTRE_PUBLIC.hex()}]
    write_bundle(tmp_path / "cfg", header, {"centres.jsonl": centres}, TEST_DISTRICT_KEY)
    bundle = read_bundle(tmp_path / "cfg", trust_self_signed)
    sealed = bundle.header["member_key_secret"]
    assert open_secret(sealed, "district passphrase") == TEST_SECRET
    assert list(bundle.rows("centres.jsonl")) == centres


def test_district_statement(tmp_path: Path) -> None:
    keys = [row["key"] for row in member_rows()]
    parts = {
        "heads.jsonl": [{"centre": "C01", "epoch": 1, "seq": 12, "hash": chain(12)[-1][2]}],
        "balances.jsonl": [{"key": k, "balance": 60 * i} for i, k in enumerate(keys)],
        "entries.jsonl": [
            {
                "id": "20000000-0000-4000-8000-000000000001", "centre": "C02", "key": keys[0],
                "amount": -90, "counter_centre": "C01", "origin_seq": 5,
                "origin_tx": "00000000-0000-4000-8000-000000000005", "kind": "service",
                "value_date": "2026-11-06",
            }
        ],
    }  # fmt: skip
    header = {
        "type": DISTRICT_STATEMENT, "district": DISTRICT, "centre": DISTRICT,
        "created_at": CREATED_AT, "statement_seq": 3,
    }  # fmt: skip
    district_public = TEST_DISTRICT_KEY.public_key()
    write_bundle(tmp_path / "st", header, parts, TEST_DISTRICT_KEY)
    bundle = read_bundle(tmp_path / "st", [district_public])
    assert list(bundle.rows("entries.jsonl")) == parts["entries.jsonl"]
    bad = {**parts, "balances.jsonl": [{"key": "张三", "balance": 1}]}
    with pytest.raises(FileRejected, match=r"balances\.jsonl, row 1: field key"):
        write_bundle(tmp_path / "st2", header, bad, TEST_DISTRICT_KEY)
