from datetime import date, datetime

from timebank_desktop.domain.ledger import (
    GENESIS,
    PostingLine,
    TxValue,
    canonical_bytes,
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
