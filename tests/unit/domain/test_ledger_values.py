from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from timebank_desktop.domain.ledger import (
    GENESIS,
    PostingLine,
    TxValue,
    canonical_bytes,
    canonical_json,
    chain_hash,
    posting_problems,
)


def tx(memo: str = "", amount: int = 90) -> TxValue:
    return TxValue(
        "A01",
        1,
        "id-1",
        "service",
        date(2026, 11, 19),
        date(2026, 11, 19),
        datetime(2026, 11, 19, 10, 0),
        memo,
        None,
        None,
        None,
        "clerk",
        (PostingLine("pool", -amount), PostingLine("member:M000001", amount)),
    )


def test_canonical_bytes_are_stable_and_hide_the_memo() -> None:
    data = canonical_bytes(tx("张三的私事"))
    assert "张三".encode() not in data
    assert data == canonical_bytes(tx("张三的私事"))
    assert data.startswith(b'{"booked_on":"2026-11-19"')


def test_any_change_changes_the_hash() -> None:
    base = chain_hash(GENESIS, tx())
    assert chain_hash(GENESIS, tx(memo="x")) != base
    assert chain_hash(GENESIS, tx(amount=91)) != base
    assert chain_hash("1" * 64, tx()) != base


def test_zero_sum_rule() -> None:
    assert posting_problems([PostingLine("a", 5), PostingLine("b", -5)]) == []
    assert [p.code for p in posting_problems([PostingLine("a", 5), PostingLine("b", -4)])] == [
        "ledger.unbalanced"
    ]
    assert posting_problems([PostingLine("a", 0), PostingLine("b", 0)])
    assert posting_problems([PostingLine("a", 0)])


texts = st.text(st.characters(codec="utf-8"), max_size=12)


@given(
    centre=texts,
    seq=st.integers(1, 10**12),
    ident=texts,
    kind=texts,
    day=st.dates(),
    moment=st.datetimes(),
    memo=texts,
    reverses=st.none() | texts,
    record=st.none() | texts,
    funding=st.none() | texts,
    staff=texts,
    lines=st.lists(st.tuples(texts, st.integers(-(10**9), 10**9)), max_size=4),
)
def test_hand_written_canonical_form_equals_the_json_reference(
    centre: str,
    seq: int,
    ident: str,
    kind: str,
    day: date,
    moment: datetime,
    memo: str,
    reverses: str | None,
    record: str | None,
    funding: str | None,
    staff: str,
    lines: list[tuple[str, int]],
) -> None:
    value = TxValue(
        centre,
        seq,
        ident,
        kind,
        day,
        day,
        moment.replace(microsecond=0),
        memo,
        reverses,
        record,
        funding,
        staff,
        tuple(PostingLine(a, n) for a, n in lines),
    )
    assert canonical_bytes(value) == canonical_json(value).encode("utf-8")
    assert canonical_bytes(value, "ab") == canonical_json(value, "ab").encode("utf-8")
