"""Ledger and member rows: canonical fields, the chain, zero-sum, no personal data."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.sync_format.sync_factories import (
    ID_NUMBERS,
    TEST_CENTRE_KEY,
    TEST_SECRET,
    chain,
    export_header,
    export_parts,
    forge,
    jsonl,
    make_tx,
    member_rows,
    stored_manifest,
    tx_rows,
)
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.ledger import GENESIS, PostingLine, canonical_dict, chain_hash
from timebank_desktop.domain.memberkey import member_key
from timebank_desktop.exports.sync import (
    check_member_row,
    member_row,
    read_bundle,
    tx_from_row,
    tx_row,
    verify_tx_chain,
    write_bundle,
)

PUBLIC = TEST_CENTRE_KEY.public_key()


def test_tx_row_is_canonical_dict_plus_links() -> None:
    tx = make_tx(1, memo="张三的私人备注")
    row = tx_row(tx, GENESIS, chain_hash(GENESIS, tx))
    assert set(row) == set(canonical_dict(tx)) | {"hash", "prev_hash"}
    assert "memo" not in row
    assert "张三" not in json.dumps(row, ensure_ascii=False)
    parsed = tx_from_row(row)
    assert parsed.tx == replace(tx, memo="")
    assert chain_hash(parsed.prev_hash, parsed.tx, parsed.memo_sha256) == parsed.hash


def test_tx_from_row_unpacks_as_a_tuple() -> None:
    (tx, prev, digest), *_rest = chain(1)
    got_tx, memo_sha256, got_prev, got_hash = tx_from_row(tx_row(tx, prev, digest))
    assert (got_tx.seq, got_prev, got_hash) == (1, prev, digest)
    assert memo_sha256 == canonical_dict(tx)["memo_sha256"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("seq", True),
        ("seq", "1"),
        ("value_date", "20261101"),
        ("recorded_at", "2026-11-01T01:01:00+00:00"),
        ("recorded_at", "2026-11-01T01:01:00.5"),
        ("postings", [["pool", 1.5], ["member:M000002", -1.5]]),
        ("postings", [["pool", True], ["member:M000002", -1]]),
        ("kind", "gift"),
        ("hash", "AB" * 32),
        ("v", 2),
    ],
)
def test_tx_from_row_is_strict(field: str, value: object) -> None:
    (tx, prev, digest), *_rest = chain(1)
    row = {**tx_row(tx, prev, digest), field: value}
    with pytest.raises(FileRejected, match="Transaction"):
        tx_from_row(row)


def test_extra_or_missing_fields_are_refused() -> None:
    (tx, prev, digest), *_rest = chain(1)
    with pytest.raises(FileRejected, match="fields"):
        tx_from_row({**tx_row(tx, prev, digest), "memo": "hello"})
    row = tx_row(tx, prev, digest)
    del row["staff"]
    with pytest.raises(FileRejected, match="fields"):
        tx_from_row(row)


def test_verify_chain_returns_the_head() -> None:
    links = chain(6)
    head = verify_tx_chain(tx_rows(links), prev_hash=GENESIS, seq_from=1, centre="C01")
    assert (head.seq, head.hash, head.count) == (6, links[-1][2], 6)
    empty = verify_tx_chain([], prev_hash=links[-1][2], seq_from=7)
    assert (empty.seq, empty.hash, empty.count) == (6, links[-1][2], 0)


def test_postings_that_do_not_sum_to_zero_name_the_seq() -> None:
    links = chain(3)
    bad = replace(links[1][0], postings=(PostingLine("pool", -60), PostingLine("member:M1", 59)))
    prev = links[0][2]
    rows = [*tx_rows(links[:1]), tx_row(bad, prev, chain_hash(prev, bad))]
    with pytest.raises(FileRejected, match=r"Transaction 2: .*sum to zero"):
        verify_tx_chain(rows, prev_hash=GENESIS, seq_from=1)


def test_broken_chain_names_the_first_bad_seq() -> None:
    rows = tx_rows(chain(5))
    rows[2]["postings"][0][1] += 30  # seq 3 edited after hashing
    rows[2]["postings"][1][1] -= 30
    with pytest.raises(FileRejected, match=r"Transaction 3: its hash does not match"):
        verify_tx_chain(rows, prev_hash=GENESIS, seq_from=1)


def test_relinked_chain_is_refused() -> None:
    rows = tx_rows(chain(5))
    rows[3]["prev_hash"] = GENESIS
    with pytest.raises(FileRejected, match=r"Transaction 4: does not follow"):
        verify_tx_chain(rows, prev_hash=GENESIS, seq_from=1)


def test_gap_repeat_and_foreign_centre() -> None:
    rows = tx_rows(chain(5))
    with pytest.raises(FileRejected, match=r"Transaction 4: expected seq 3"):
        verify_tx_chain(rows[:2] + rows[3:], prev_hash=GENESIS, seq_from=1)
    with pytest.raises(FileRejected, match=r"Transaction 1: expected seq 2"):
        verify_tx_chain(rows, prev_hash=GENESIS, seq_from=2)
    with pytest.raises(FileRejected, match=r"another centre \(C01\)"):
        verify_tx_chain(rows, prev_hash=GENESIS, seq_from=1, centre="C02")


def test_reader_refuses_a_signed_file_with_an_unbalanced_transaction() -> None:
    links = chain(3)
    bad = replace(links[2][0], postings=(PostingLine("pool", -60), PostingLine("member:M1", 61)))
    prev = links[1][2]
    rows = [*tx_rows(links[:2]), tx_row(bad, prev, chain_hash(prev, bad))]
    parts = {"transactions.jsonl": jsonl(rows), "members.jsonl": jsonl(member_rows())}
    header = {**export_header(links), "head_hash": rows[-1]["hash"]}
    with pytest.raises(FileRejected, match="Transaction 3"):
        read_bundle(forge(stored_manifest(header, parts), parts), [PUBLIC])


def test_reader_refuses_a_head_other_than_the_manifest_names() -> None:
    links = chain(3)
    parts = {"transactions.jsonl": jsonl(tx_rows(links)), "members.jsonl": jsonl(member_rows())}
    header = {**export_header(links), "seq_to": 4}
    with pytest.raises(FileRejected, match="chain head"):
        read_bundle(forge(stored_manifest(header, parts), parts), [PUBLIC])


def test_malformed_json_line_is_named() -> None:
    links = chain(1)
    parts = {
        "transactions.jsonl": jsonl(tx_rows(links)),
        "members.jsonl": jsonl(member_rows()) + b'{"key": NaN}\n',
    }
    with pytest.raises(FileRejected, match=r"members\.jsonl, row 4: not a well-formed JSON"):
        read_bundle(forge(stored_manifest(export_header(links), parts), parts), [PUBLIC])


# --- members: only pseudonymous fields ------------------------------------------------------


def test_member_row_has_exactly_the_allowed_fields() -> None:
    for row in member_rows():
        assert set(row) == {"key", "gender", "birth_year", "roles", "account"}


@pytest.mark.parametrize(
    "extra",
    [
        {"name": "张三"},
        {"id_number": ID_NUMBERS[0]},
        {"phone": "13800138000"},
        {"address": "幸福里 3 号"},
        {"notes": "独居"},
    ],
)
def test_personal_fields_are_refused(tmp_path: Path, extra: dict[str, Any]) -> None:
    row = {**member_rows()[0], **extra}
    with pytest.raises(FileRejected, match="may carry only"):
        check_member_row(row, 1)
    links = chain(1)
    parts = {**export_parts(links), "members.jsonl": [row]}
    with pytest.raises(FileRejected, match="may carry only"):
        write_bundle(tmp_path / "x", export_header(links), parts, TEST_CENTRE_KEY)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("key", ID_NUMBERS[0]),
        ("key", "张三"),
        ("account", f"member:{ID_NUMBERS[1][:16]}"),
        ("account", "member:13800138000"),
        ("account", "张三"),
        ("gender", "男"),
        ("roles", ["volunteer", "recipient"]),
        ("roles", ["admin"]),
        ("birth_year", "1949"),
    ],
)
def test_personal_data_in_allowed_fields_is_refused(field: str, value: object) -> None:
    with pytest.raises(FileRejected, match="wrong form"):
        check_member_row({**member_rows()[0], field: value}, 1)


@settings(max_examples=60, deadline=None)
@given(
    region=st.sampled_from(["110105", "440524", "310101"]),
    year=st.integers(1920, 2005),
    sequence=st.integers(0, 999),
    number=st.integers(1, 999_999),
)
def test_member_rows_never_contain_the_id_number(
    region: str, year: int, sequence: int, number: int
) -> None:
    from datetime import date

    from timebank_desktop.domain import idnumber

    person = idnumber.make(region, date(year, 6, 15), sequence)
    row = member_row(
        member_key(TEST_SECRET, person.value), person.gender, year, ["volunteer"],
        f"member:M{number:06d}",
    )  # fmt: skip
    text = json.dumps(row, ensure_ascii=False)
    for fragment in (person.value, person.value[:14], person.value[6:14]):
        assert fragment not in text


def test_overlong_line_is_refused() -> None:
    links = chain(1)
    parts = {
        "transactions.jsonl": jsonl(tx_rows(links)),
        "members.jsonl": jsonl(member_rows()) + b'{"k": "' + b"x" * (1 << 20) + b'"}\n',
    }
    with pytest.raises(FileRejected, match=r"members\.jsonl, row 4: the line is too long"):
        read_bundle(forge(stored_manifest(export_header(links), parts), parts), [PUBLIC])
