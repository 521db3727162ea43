"""The fast line reader accepts exactly what the strict row reader accepts, and says the same."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.sync_format.sync_factories import chain, tx_rows
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.ledger import (
    GENESIS,
    PostingLine,
    TxValue,
    canonical_bytes,
    chain_hash,
)
from timebank_desktop.exports.sync import tx_row, verify_tx_chain
from timebank_desktop.exports.sync.reader import canonical_row_bytes
from timebank_desktop.exports.sync.txlines import (
    json_rows,
    parse_canonical,
    strict_row,
    verified_postings_json,
    verify_tx_lines,
)

texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)


def lines_of(rows: list[dict[str, Any]]) -> list[bytes]:
    return [canonical_row_bytes(r)[:-1] for r in rows]


def outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ok", run()
    except FileRejected as exc:
        return "refused", str(exc)


def both(rows: list[dict[str, Any]], lines: list[bytes] | None = None) -> tuple[Any, Any]:
    """The strict reader on the rows, the fast one on their lines: (outcome, outcome)."""
    strict = outcome(lambda: verify_tx_chain(rows, prev_hash=GENESIS, seq_from=1, centre="C01"))
    fast = outcome(
        lambda: verify_tx_lines(
            lines if lines is not None else lines_of(rows),
            prev_hash=GENESIS,
            seq_from=1,
            centre="C01",
        )
    )
    return strict, fast


@given(
    ident=texts,
    staff=texts,
    memo=texts,
    record=st.none() | texts,
    account=texts,
    amount=st.integers(1, 10**12),
    day=st.dates(date(1900, 1, 1), date(2200, 1, 1)),
    moment=st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1)),
)
def test_any_transaction_reads_the_same_fast_and_strictly(
    ident: str,
    staff: str,
    memo: str,
    record: str | None,
    account: str,
    amount: int,
    day: date,
    moment: datetime,
) -> None:
    """Whatever the texts (escapes, CJK, long), the fast path gives the strict path's row,
    and the hash it checks is the ledger's hash of the canonical bytes."""
    tx = TxValue(
        "C01", 1, ident, "service", day, day, moment.replace(microsecond=0), memo, None, record,
        None, staff, (PostingLine(account, amount), PostingLine("pool", -amount)),
    )  # fmt: skip
    row = tx_row(tx, GENESIS, chain_hash(GENESIS, tx))
    line = canonical_row_bytes(row)[:-1]
    seen: list[dict[str, Any]] = []
    head = verify_tx_lines([line], prev_hash=GENESIS, seq_from=1, centre="C01", sink=seen.append)
    assert head.hash == chain_hash(GENESIS, tx)
    assert seen == [json.loads(line)]
    assert hashlib.sha256(bytes.fromhex(GENESIS) + canonical_bytes(tx)).hexdigest() == head.hash


@settings(max_examples=300)
@given(data=st.data())
def test_any_changed_byte_is_judged_as_the_strict_reader_judges_it(data: st.DataObject) -> None:
    rows = tx_rows(chain(3))
    lines = lines_of(rows)
    line = lines[1]
    at = data.draw(st.integers(0, len(line) - 1), label="at")
    byte = data.draw(st.integers(0, 255), label="byte")
    changed = line[:at] + bytes([byte]) + line[at + 1 :]
    strict = outcome(lambda: _strict_lines([lines[0], changed, lines[2]]))
    fast = outcome(
        lambda: verify_tx_lines(
            [lines[0], changed, lines[2]], prev_hash=GENESIS, seq_from=1, centre="C01"
        )
    )
    assert fast == strict


def _strict_lines(lines: list[bytes]) -> Any:
    """The strict reader on raw lines: parse each strictly, then check the chain."""
    return verify_tx_chain(
        [strict_row("transactions.jsonl", n, line) for n, line in enumerate(lines, start=1)],
        prev_hash=GENESIS,
        seq_from=1,
        centre="C01",
    )


def test_a_good_chain_reads_the_same_both_ways_and_rows_reach_the_sink() -> None:
    rows = tx_rows(chain(5))
    seen: list[int] = []
    head = verify_tx_lines(
        lines_of(rows),
        prev_hash=GENESIS,
        seq_from=1,
        centre="C01",
        sink=lambda r: seen.append(r["seq"]),
    )
    assert head == verify_tx_chain(rows, prev_hash=GENESIS, seq_from=1, centre="C01")
    assert seen == [1, 2, 3, 4, 5]


def test_lines_not_in_canonical_form_are_still_accepted() -> None:
    rows = tx_rows(chain(3))
    spaced = [json.dumps(r, ensure_ascii=True, indent=None).encode() for r in reversed(rows)]
    spaced.reverse()
    strict, fast = both(rows, spaced)
    assert strict == fast
    assert fast[0] == "ok"


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.update(seq=True),
        lambda r: r.update(v=1.0),
        lambda r: r.update(postings=[["pool", 90], ["member:M1", -89]]),
        lambda r: r.update(postings=[["pool", 0], ["member:M1", 0]]),
        lambda r: r.update(postings=[["pool", 0]]),
        lambda r: r.update(value_date="20261102"),
        lambda r: r.update(recorded_at="2026-11-01T01:01:00+00:00"),
        lambda r: r.update(kind="gift"),
        lambda r: r.update(kind=["service"]),
        lambda r: r.update(value_date=["2026-11-02"]),
        lambda r: r.update(recorded_at={"t": 1}),
        lambda r: r.update(memo_sha256=None),
        lambda r: r.update(postings=[["pool", 90, 1], ["member:M1", -90]]),
        lambda r: r.update(postings=[[1, 90], ["member:M1", -90]]),
        lambda r: r.update(centre="C02"),
        lambda r: r.update(staff=""),
        lambda r: r.update(memo_sha256="A" * 64),
        lambda r: r.update(hash="0" * 64),
        lambda r: r.update(prev_hash="1" * 64),
        lambda r: r.update(extra=1),
        lambda r: r.pop("record"),
    ],
)
def test_every_refusal_is_the_strict_one(change: Any) -> None:
    rows = tx_rows(chain(3))
    change(rows[1])
    strict, fast = both(rows)
    assert strict[0] == "refused"
    assert fast == strict


def test_a_duplicate_key_nan_or_bad_json_is_refused_as_before() -> None:
    rows = tx_rows(chain(2))
    good = lines_of(rows)
    duplicate = good[1][:-1] + b',"seq":2}'
    nan = good[1].replace(b'"seq":2', b'"seq":NaN')
    for bad in (duplicate, nan, b"[1, 2]", b"{", "é".encode("latin-1")):
        with pytest.raises(FileRejected, match="row 2"):
            verify_tx_lines([good[0], bad], prev_hash=GENESIS, seq_from=1)


def test_json_rows_parse_canonical_lines_fast_and_others_strictly() -> None:
    assert parse_canonical(b'{"a":1,"b":[1,"x"]}') == {"a": 1, "b": [1, "x"]}
    assert parse_canonical(b'{"b":1,"a":2}') is None  # keys not sorted
    assert parse_canonical(b'{"a":1,"a":2}') is None
    assert parse_canonical(b'{"a":NaN}') is None
    with pytest.raises(FileRejected, match="not a well-formed JSON line"):
        list(json_rows("p.jsonl", [b'{"a":NaN}']))
    assert list(json_rows("p.jsonl", [b'{"b":1, "a":2}'])) == [{"a": 2, "b": 1}]
    with pytest.raises(FileRejected, match="row 2"):
        list(json_rows("p.jsonl", [b'{"a":1}', b'{"a":1,"a":2}']))


def test_postings_text_of_the_row_just_verified_is_reused_and_right() -> None:
    rows = tx_rows(chain(2))
    texts: list[str] = []

    def sink(row: dict[str, Any]) -> None:
        texts.append(verified_postings_json(row["postings"]))

    verify_tx_lines(lines_of(rows), prev_hash=GENESIS, seq_from=1, sink=sink)
    expected = [json.dumps(r["postings"], ensure_ascii=False, separators=(",", ":")) for r in rows]
    assert texts == expected
    other = [["member:张三", 5], ["pool", -5]]
    assert verified_postings_json(other) == json.dumps(
        other, ensure_ascii=False, separators=(",", ":")
    )


def test_canonical_lines_take_the_fast_path_cjk_included(monkeypatch: pytest.MonkeyPatch) -> None:
    from timebank_desktop.exports.sync import txlines

    def no_strict(*_args: object) -> None:
        raise AssertionError("the strict path was taken")

    monkeypatch.setattr(txlines, "strict_row", no_strict)
    tx = TxValue(
        "C01", 1, "id-1", "service", date(2026, 11, 2), date(2026, 11, 3),
        datetime(2026, 11, 3, 9, 30), "备注", None, "记录", "政府", "王小明",
        (PostingLine("member:张三", 90), PostingLine("pool", -90)),
    )  # fmt: skip
    line = canonical_row_bytes(tx_row(tx, GENESIS, chain_hash(GENESIS, tx)))[:-1]
    rows = tx_rows(chain(4))
    head = verify_tx_lines([line], prev_hash=GENESIS, seq_from=1, centre="C01")
    assert head.hash == chain_hash(GENESIS, tx)
    assert verify_tx_lines(lines_of(rows), prev_hash=GENESIS, seq_from=1).seq == 4


def _member_outcome(run: Any) -> tuple[str, Any]:
    seen: list[dict[str, Any]] = []
    try:
        run(seen.append)
    except FileRejected as exc:
        return "refused", str(exc)
    return "ok", seen


MEMBER_LINE = (
    b'{"account":"member:M000123","birth_year":1950,"gender":"F",'
    b'"key":"' + b"ab" * 32 + b'","roles":["recipient","volunteer"]}'
)


@settings(max_examples=400)
@given(data=st.data())
def test_member_lines_are_judged_as_the_strict_reader_judges_them(data: st.DataObject) -> None:
    from timebank_desktop.exports.sync.rows import check_rows
    from timebank_desktop.exports.sync.txlines import verify_member_lines

    line = MEMBER_LINE
    at = data.draw(st.integers(0, len(line) - 1), label="at")
    byte = data.draw(st.sampled_from(b'0189MFmrv",[]{}x\\ '), label="byte")
    changed = line[:at] + bytes([byte]) + line[at + 1 :]
    fast = _member_outcome(lambda sink: verify_member_lines([line, changed], sink))
    strict = _member_outcome(
        lambda sink: check_rows(
            "members.jsonl",
            [strict_row("members.jsonl", n, x) for n, x in enumerate([line, changed], 1)],
            sink,
        )
    )
    assert fast == strict


@pytest.mark.parametrize("year", [1879, 1880, 2200, 2201, 1999])
def test_member_birth_years_at_the_edges(year: int) -> None:
    from timebank_desktop.exports.sync.txlines import verify_member_lines

    line = MEMBER_LINE.replace(b"1950", str(year).encode())
    ok = 1880 <= year <= 2200
    if ok:
        assert verify_member_lines([line]) == 1
    else:
        with pytest.raises(FileRejected):
            verify_member_lines([line])
