"""The fixed-length fields the fast line reader takes unchecked (hashes, dates) are judged as
the strict reader judges them, even when a changed row is hashed again to look valid; and the
plain sink gets exactly what the row sink would."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.unit.sync_format.sync_factories import chain, tx_rows
from tests.unit.sync_format.test_sync_txlines import lines_of, outcome
from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.exports.sync import verify_tx_chain
from timebank_desktop.exports.sync.txlines import PLAIN_FIELDS, strict_row, verify_tx_lines


def _rehashed(rows: list[dict[str, Any]], at: int, field: str, text: str) -> list[bytes]:
    """The rows' lines, with row ``at``'s ``field`` replaced by ``text`` and that row and every
    later one hashed again (so only the change itself can be refused)."""
    lines = lines_of(rows)
    prev = rows[at - 1]["hash"] if at else GENESIS
    out = lines[:at]
    for row in rows[at:]:
        body = {k: v for k, v in row.items() if k not in ("hash", "prev_hash")}
        encoded = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        placeholder = f'"{field}":"{row[field]}"' if field in body else ""
        if row is rows[at] and placeholder:
            encoded = encoded.replace(placeholder, f'"{field}":"{text}"')
        digest = hashlib.sha256(bytes.fromhex(prev) + encoded.encode()).hexdigest()
        shown_prev = text if row is rows[at] and field == "prev_hash" else prev
        line = encoded[:-1] + f',"hash":"{digest}","prev_hash":"{shown_prev}"}}'
        full = json.loads(line)  # re-encode in canonical key order
        order = json.dumps(full, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if field in ("value_date", "booked_on", "recorded_at") and row is rows[at]:
            order = order.replace(json.dumps(full[field], ensure_ascii=False), f'"{text}"')
        out.append(order.encode())
        prev = digest
    return out


def _judged(lines: list[bytes]) -> tuple[Any, Any]:
    strict = outcome(
        lambda: verify_tx_chain(
            [strict_row("transactions.jsonl", n, x) for n, x in enumerate(lines, start=1)],
            prev_hash=GENESIS,
            seq_from=1,
            centre="C01",
        )
    )
    fast = outcome(lambda: verify_tx_lines(lines, prev_hash=GENESIS, seq_from=1, centre="C01"))
    return strict, fast


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("value_date", "2026/11/02"),
        ("value_date", "2026-11-31"),
        ("value_date", "+026-11-02"),
        ("value_date", "２０２６-1-2"),
        ("booked_on", "2026-11-2 "),
        ("recorded_at", "2026-11-01 01:01:00"),
        ("recorded_at", "2026-11-01T01:01:0Z"),
        ("recorded_at", "2026-11-01T25:01:00"),
        ("prev_hash", "F" * 64),
    ],
)
def test_a_rehashed_change_to_a_fixed_length_field_is_judged_as_strictly(
    field: str, text: str
) -> None:
    rows = tx_rows(chain(3))
    strict, fast = _judged(_rehashed(rows, 1, field, text))
    assert strict[0] == "refused"
    assert fast == strict


def test_uppercase_hashes_are_refused_both_ways() -> None:
    rows = tx_rows(chain(2))
    lines = lines_of(rows)
    upper = lines[1].replace(rows[1]["hash"].encode(), rows[1]["hash"].upper().encode())
    strict, fast = _judged([lines[0], upper])
    assert strict[0] == "refused"
    assert fast == strict


def test_a_callers_prev_hash_that_is_not_a_hash_is_refused_as_strictly() -> None:
    """Upper-case hex links the same bytes, so only the guard keeps the fast path honest."""
    rows = tx_rows(chain(3))[1:]
    upper = rows[0]["prev_hash"].upper()
    rows[0]["prev_hash"] = upper
    lines = lines_of(rows)
    strict = outcome(lambda: verify_tx_chain(rows, prev_hash=upper, seq_from=2, centre="C01"))
    fast = outcome(lambda: verify_tx_lines(lines, prev_hash=upper, seq_from=2, centre="C01"))
    assert strict[0] == "refused"
    assert fast == strict


def test_the_plain_sink_gets_the_two_posting_rows_the_row_sink_would_get() -> None:
    rows = tx_rows(chain(6))
    lines = lines_of(rows)
    as_dicts: list[dict[str, Any]] = []
    verify_tx_lines(lines, prev_hash=GENESIS, seq_from=1, sink=as_dicts.append)
    plain: list[tuple[Any, ...]] = []
    others: list[dict[str, Any]] = []
    verify_tx_lines(lines, prev_hash=GENESIS, seq_from=1, sink=others.append, plain=plain.append)
    assert len(plain) + len(others) == len(rows)
    assert all(len(fields) == len(PLAIN_FIELDS) for fields in plain)
    by_seq = {r["seq"]: r for r in as_dicts}
    for fields in plain:
        named = dict(zip(PLAIN_FIELDS, fields, strict=True))
        row = by_seq[named["seq"]]
        assert [
            [named["account_1"], named["amount_1"]],
            [named["account_2"], named["amount_2"]],
        ] == (row["postings"])
        assert json.loads(named["postings_json"]) == row["postings"]
        for key in ("id", "kind", "value_date", "record", "prev_hash", "hash"):
            assert named[key] == row[key]
    assert [r["seq"] for r in others] == [r["seq"] for r in as_dicts if len(r["postings"]) != 2]
