"""Rows of the sync parts: transactions (with the hash chain), members, and district rows.

A transaction row is exactly `timebank_desktop.domain.ledger.canonical_dict` (memo as
``memo_sha256``, so no free text leaves the centre) plus ``hash`` and ``prev_hash``. A member
row is ``{key, gender, birth_year, roles, account}`` and nothing else. Every check raises
`FileRejected` naming the part and the row (or the transaction's seq) at fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from timebank_desktop.domain.errors import FileRejected, Problem
from timebank_desktop.domain.ledger import (
    CANONICAL_VERSION,
    PostingLine,
    TxKind,
    TxValue,
    canonical_dict,
    chain_hash,
    posting_problems,
)
from timebank_desktop.domain.memberkey import is_member_key
from timebank_desktop.exports.sync import manifest as mf
from timebank_desktop.i18n import _

TX_FIELDS = frozenset(
    ("v", "centre", "seq", "id", "kind", "value_date", "booked_on", "recorded_at",
     "memo_sha256", "reverses", "record", "funding", "staff", "postings", "hash", "prev_hash")
)  # fmt: skip
MEMBER_FIELDS = frozenset(("key", "gender", "birth_year", "roles", "account"))
GENDERS = ("M", "F")
MEMBER_ROLES = ("recipient", "volunteer")
_ACCOUNT_RE = re.compile(r"^member:[A-Za-z0-9_-]{1,16}$")
_LOOKS_PERSONAL = re.compile(r"[0-9]{11}")  # an ID number or a mobile number in a member no.


class TxRow(NamedTuple):
    """A transaction read back from a row: the value (memo empty) and its chain fields."""

    tx: TxValue
    memo_sha256: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainHead:
    """Where a verified run of transactions ends."""

    seq: int
    hash: str
    count: int


def row_error(part: str, row: int, detail: str) -> FileRejected:
    """A refusal naming a part and a 1-based row number."""
    message = _("{part}, row {row}: {detail}").format(part=part, row=row, detail=detail)
    return FileRejected(message, (Problem("sync.row", message, part, row),))


def _tx_error(seq: object, detail: str) -> FileRejected:
    message = _("Transaction {seq}: {detail}").format(seq=seq, detail=detail)
    return FileRejected(message, (Problem("sync.transaction", message, mf.TRANSACTIONS),))


def tx_row(tx: TxValue, prev_hash: str, hash: str) -> dict[str, Any]:
    """The row for one transaction: its canonical dict plus ``prev_hash`` and ``hash``."""
    row: dict[str, Any] = canonical_dict(tx)
    row["prev_hash"] = prev_hash
    row["hash"] = hash
    return row


def looks_personal(account: str) -> bool:
    """Whether a member account code holds what looks like an ID or a mobile number."""
    return bool(_LOOKS_PERSONAL.search(account))


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _opt_text(value: object) -> bool:
    return value is None or (isinstance(value, str) and len(value) <= 64)


def _day(value: object) -> date:
    if not isinstance(value, str):
        raise ValueError(value)
    day = date.fromisoformat(value)
    if day.isoformat() != value:
        raise ValueError(value)
    return day


def _instant(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None or moment.isoformat(timespec="seconds") != value:
        raise ValueError(value)
    return moment


def _postings(value: object) -> tuple[PostingLine, ...]:
    if not isinstance(value, list):
        raise ValueError(value)
    lines: list[PostingLine] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            raise ValueError(item)
        if not _int(item[1]):
            raise ValueError(item)
        lines.append(PostingLine(item[0], item[1]))
    return tuple(lines)


def tx_from_row(row: Mapping[str, Any]) -> TxRow:
    """Parse a transaction row strictly (exact fields, exact types, canonical text)."""
    seq = row.get("seq", "?")
    if set(row) != TX_FIELDS:
        raise _tx_error(seq, _("unexpected or missing fields"))
    texts = ("centre", "id", "kind", "staff")
    valid = (
        row["v"] == CANONICAL_VERSION and _int(row["v"]) and _int(seq) and seq >= 1
        and all(isinstance(row[k], str) and 0 < len(row[k]) <= 64 for k in texts)
        and row["kind"] in tuple(TxKind)
        and all(_opt_text(row[k]) for k in ("reverses", "record", "funding"))
        and all(mf.HASH_RE.fullmatch(str(row[k])) for k in ("memo_sha256", "hash", "prev_hash"))
    )  # fmt: skip
    if not valid:
        raise _tx_error(seq, _("a field has the wrong type or form"))
    try:
        tx = TxValue(
            centre=row["centre"], seq=row["seq"], id=row["id"], kind=row["kind"],
            value_date=_day(row["value_date"]), booked_on=_day(row["booked_on"]),
            recorded_at=_instant(row["recorded_at"]), memo="", reverses=row["reverses"],
            record=row["record"], funding=row["funding"], staff=row["staff"],
            postings=_postings(row["postings"]),
        )  # fmt: skip
    except ValueError:
        raise _tx_error(seq, _("a date, time or posting is malformed")) from None
    return TxRow(tx, row["memo_sha256"], row["prev_hash"], row["hash"])


def verify_tx_chain(
    rows: Iterable[Mapping[str, Any]], *, prev_hash: str, seq_from: int, centre: str | None = None
) -> ChainHead:
    """Re-verify a run of transaction rows: contiguous seq, links, hashes, zero-sum.

    Args:
        rows: transaction rows in seq order.
        prev_hash: the hash of transaction ``seq_from - 1`` (`GENESIS` before the first).
        seq_from: the seq the run must start at.
        centre: when given, every transaction must belong to this centre.

    Returns:
        The last seq and hash (``seq_from - 1`` and ``prev_hash`` for an empty run).

    Raises:
        FileRejected: naming the first bad seq.
    """
    running, expected, count = prev_hash, seq_from, 0
    for row in rows:
        running = check_tx(row, expected, running, centre).hash
        expected, count = expected + 1, count + 1
    return ChainHead(expected - 1, running, count)


def check_tx(row: Mapping[str, Any], seq: int, prev_hash: str, centre: str | None) -> TxRow:
    """Check one transaction row strictly as transaction ``seq`` following ``prev_hash``.

    Raises:
        FileRejected: naming the transaction's seq and what is wrong.
    """
    parsed = tx_from_row(row)
    tx = parsed.tx
    if tx.seq != seq:
        raise _tx_error(tx.seq, _("expected seq {n} (a gap or a repeat)").format(n=seq))
    if centre is not None and tx.centre != centre:
        raise _tx_error(tx.seq, _("belongs to another centre ({code})").format(code=tx.centre))
    if parsed.prev_hash != prev_hash:
        raise _tx_error(tx.seq, _("does not follow the previous transaction (broken chain)"))
    if chain_hash(prev_hash, tx, parsed.memo_sha256) != parsed.hash:
        raise _tx_error(tx.seq, _("its hash does not match its content"))
    found = posting_problems(tx.postings)
    if found:
        raise _tx_error(tx.seq, "; ".join(p.message for p in found))
    return parsed


def member_row(
    key: str, gender: str, birth_year: int, roles: Iterable[str], account: str
) -> dict[str, Any]:
    """The row for one member: pseudonym, gender, birth year, roles, account code. Nothing more.

    Raises:
        FileRejected: when a value is not of the allowed form (a bug in the caller).
    """
    row: dict[str, Any] = {
        "key": key,
        "gender": gender,
        "birth_year": birth_year,
        "roles": sorted(set(roles)),
        "account": account,
    }
    check_member_row(row, 1)
    return row


def check_member_row(row: Mapping[str, Any], number: int) -> None:
    """A member row has exactly the allowed fields in the allowed forms (no personal data)."""
    part = mf.MEMBERS
    if set(row) != MEMBER_FIELDS:
        raise row_error(part, number, _("a member row may carry only {fields}").format(
            fields=", ".join(sorted(MEMBER_FIELDS))))  # fmt: skip
    roles = row["roles"]
    account = row["account"]
    valid = (
        isinstance(row["key"], str) and is_member_key(row["key"])
        and row["gender"] in GENDERS
        and _int(row["birth_year"]) and 1880 <= row["birth_year"] <= 2200
        and isinstance(roles, list) and roles == sorted(set(roles))
        and all(r in MEMBER_ROLES for r in roles)
        and isinstance(account, str) and bool(_ACCOUNT_RE.fullmatch(account))
        and not looks_personal(account)
    )  # fmt: skip
    if not valid:
        raise row_error(part, number, _("a member field has the wrong form"))


def _fields(**checks: Callable[[object], bool]) -> Callable[[Mapping[str, Any], int, str], None]:
    def check(row: Mapping[str, Any], number: int, part: str) -> None:
        for name, ok in checks.items():
            if not ok(row.get(name)):
                raise row_error(part, number, _("field {name} is missing or wrong").format(
                    name=name))  # fmt: skip

    return check


def _code(v: object) -> bool:
    return isinstance(v, str) and bool(mf.CODE_RE.fullmatch(v))


def _hash(v: object) -> bool:
    return isinstance(v, str) and bool(mf.HASH_RE.fullmatch(v))


def _pos(v: object) -> bool:
    return _int(v) and isinstance(v, int) and v >= 0


def _key(v: object) -> bool:
    return isinstance(v, str) and is_member_key(v)


def _text(v: object) -> bool:
    return isinstance(v, str) and 0 < len(v) <= 200


def _amount(v: object) -> bool:
    return _int(v)


def _day_ok(v: object) -> bool:
    try:
        _day(v)
    except ValueError:
        return False
    return True


# Row checks of the district parts (required fields; a newer minor may add fields).
ROW_CHECKS: dict[str, Callable[[Mapping[str, Any], int, str], None]] = {
    mf.CENTRES: _fields(code=_code, name=_text, public_key=_hash),
    mf.HEADS: _fields(centre=_code, epoch=_pos, seq=_pos, hash=_hash),
    mf.BALANCES: _fields(key=_key, balance=_amount),
    mf.ENTRIES: _fields(
        id=_text,
        centre=_code,
        key=_key,
        amount=_amount,
        counter_centre=_code,
        origin_seq=_pos,
        origin_tx=_text,
        kind=_text,
        value_date=_day_ok,
    ),
}


def check_rows(
    part: str,
    rows: Sequence[Mapping[str, Any]] | Iterable[Mapping[str, Any]],
    sink: Callable[[Any], None] | None = None,
) -> int:
    """Check every row of a known part (members or a district part); returns the count.

    ``sink``, when given, receives each row once it is checked, in order.
    """
    count = 0
    check = ROW_CHECKS.get(part)
    for count, row in enumerate(rows, start=1):
        if part == mf.MEMBERS:
            check_member_row(row, count)
        elif check is not None:
            check(row, count, part)
        if sink is not None:
            sink(row)
    return count
