"""Fast reading of JSON Lines parts: one C parse per row, no intermediate objects.

Writers emit every row in its canonical form (keys sorted, compact, UTF-8 kept). A row is
parsed with the plain C decoder (which keeps the last of duplicate keys and takes NaN) and
checked on the parsed dict; then:

- a part row counts as canonical when it re-encodes to exactly its line (so it held no
  duplicate keys);
- a transaction's canonical bytes (the row without ``prev_hash`` and ``hash``) are written
  straight from the checked values (`canonical_tx_bytes`, byte-equal to
  `domain.ledger.canonical_bytes`). No JSON text is shorter than the canonical encoding of
  what it parses to, and every duplicate pair adds bytes, so a line exactly as long as the
  canonical row (those bytes plus the two hash fields) held no duplicate key.

Every line that is not in that form, or fails any check, goes through the strict path of
`rows` (``loads_strict`` + `rows.check_tx`), which accepts it or raises the same
`FileRejected` as before: this module changes how fast a file is read, never what is accepted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from json.scanner import make_scanner
from typing import Any

from timebank_desktop.domain.ledger import CANONICAL_VERSION, TxKind
from timebank_desktop.exports.sync import manifest as mf
from timebank_desktop.exports.sync.rows import TX_FIELDS, ChainHead, check_tx, row_error
from timebank_desktop.i18n import _

RowSink = Callable[[dict[str, Any]], None]

_SCAN = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # json.loads's C scanner
_ENCODE = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode
_KINDS = frozenset(k.value for k in TxKind)
_HASH_FULL = mf.HASH_RE.fullmatch
_quote = json.encoder.encode_basestring  # the C string encoder of ensure_ascii=False
_HASH_FIELDS_LEN = len(b',"hash":""') + len(b',"prev_hash":""') + 2 * 64  # one comma each
_SEEN_CAP = 100_000  # remembered valid date/time texts per part (memory bound)


def parse_canonical(line: bytes) -> dict[str, Any] | None:
    """The row of a line already in canonical form, else None (the caller parses strictly).

    NaN and infinities never count as canonical (the encoder refuses them), so the strict
    parse decides about them."""
    try:
        text = line.decode("utf-8")
        row, end = _SCAN(text, 0)
        if end != len(text) or type(row) is not dict or _ENCODE(row) != text:
            return None
    except (UnicodeDecodeError, StopIteration, ValueError, RecursionError):
        return None
    return row


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        text = line.decode("utf-8")
        row, end = _SCAN(text, 0)
    except (UnicodeDecodeError, StopIteration, ValueError, RecursionError):
        return None
    return row if end == len(text) and type(row) is dict else None


def _or_null(value: str | None) -> str:
    return "null" if value is None else _quote(value)


# The postings list of the row `verify_tx_lines` verified last, with its JSON text (holding the
# list keeps its identity unique). The reader never changes a row it gives to a sink.
_last_postings: tuple[object, str] = (None, "")


def postings_json(postings: list[list[Any]]) -> str:
    """Checked postings as compact JSON (``json.dumps(postings, ensure_ascii=False,
    separators=(",", ":"))``, without the generic encoder)."""
    return "[" + ",".join([f"[{_quote(a)},{n}]" for a, n in postings]) + "]"


def verified_postings_json(postings: list[list[Any]]) -> str:
    """`postings_json`, reusing the text built to hash the row when ``postings`` belongs to
    the row just verified (a row sink's case: no second build)."""
    last = _last_postings
    return last[1] if last[0] is postings else postings_json(postings)


def canonical_tx_bytes(row: dict[str, Any], postings: str | None = None) -> bytes:
    """A checked transaction row's canonical bytes (without ``prev_hash`` and ``hash``).

    The same bytes as ``canonical_bytes(tx_from_row(row).tx, row["memo_sha256"])`` for a row
    that passed `_fields_ok` (dates and times are then their own ISO text). ``postings``: the
    row's `postings_json` when the caller has it.
    """
    if postings is None:
        postings = postings_json(row["postings"])
    return (
        f'{{"booked_on":"{row["booked_on"]}","centre":{_quote(row["centre"])},'
        f'"funding":{_or_null(row["funding"])},"id":{_quote(row["id"])},'
        f'"kind":{_quote(row["kind"])},"memo_sha256":"{row["memo_sha256"]}",'
        f'"postings":{postings},"record":{_or_null(row["record"])},'
        f'"recorded_at":"{row["recorded_at"]}","reverses":{_or_null(row["reverses"])},'
        f'"seq":{row["seq"]},"staff":{_quote(row["staff"])},"v":{CANONICAL_VERSION},'
        f'"value_date":"{row["value_date"]}"}}'
    ).encode()


def strict_row(part: str, number: int, line: bytes) -> dict[str, Any]:
    """Parse one line strictly (duplicate keys, NaN refused); refusals name part and row."""
    try:
        row = mf.loads_strict(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise row_error(part, number, _("not a well-formed JSON line")) from None
    if not isinstance(row, dict):
        raise row_error(part, number, _("not a JSON object"))
    return row


def json_rows(part: str, lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    """The rows of a part as dicts: canonical lines the fast way, any other line strictly."""
    for number, line in enumerate(lines, start=1):
        row = parse_canonical(line)
        yield row if row is not None else strict_row(part, number, line)


class _Seen:
    """Date and time texts already found valid (a part repeats the same few days)."""

    def __init__(self) -> None:
        self.days: set[str] = set()
        self.instants: set[str] = set()

    def day(self, value: str) -> bool:
        try:
            ok = date.fromisoformat(value).isoformat() == value
        except ValueError:
            return False
        if ok and len(self.days) < _SEEN_CAP:
            self.days.add(value)
        return ok

    def instant(self, value: str) -> bool:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return False
        ok = moment.tzinfo is None and moment.isoformat(timespec="seconds") == value
        if ok and len(self.instants) < _SEEN_CAP:
            self.instants.add(value)
        return ok


def _balanced(postings: object) -> bool:
    if type(postings) is not list or len(postings) < 2:
        return False
    total = 0
    for item in postings:
        if type(item) is not list or len(item) != 2:
            return False
        account, amount = item
        if type(account) is not str or type(amount) is not int or not amount:
            return False
        total += amount
    return total == 0


def _fields_ok(
    row: dict[str, Any], seq: int, running: str, centre: str | None, seen: _Seen
) -> bool:
    """Every check of `rows.check_tx` but the hash, on a row parsed from a canonical line."""
    if row.keys() != TX_FIELDS:
        return False
    ident, staff, kind, memo = row["id"], row["staff"], row["kind"], row["memo_sha256"]
    reverses, record, funding = row["reverses"], row["record"], row["funding"]
    value_date, booked_on, recorded_at = row["value_date"], row["booked_on"], row["recorded_at"]
    own = row["centre"]
    days = seen.days
    return (
        type(row["seq"]) is int and row["seq"] == seq
        and row["prev_hash"] == running
        and type(row["v"]) is int and row["v"] == CANONICAL_VERSION
        and (own == centre if centre is not None else type(own) is str and 0 < len(own) <= 64)
        and type(ident) is str and 0 < len(ident) <= 64
        and type(staff) is str and 0 < len(staff) <= 64
        and type(kind) is str and kind in _KINDS
        and (reverses is None or (type(reverses) is str and len(reverses) <= 64))
        and (record is None or (type(record) is str and len(record) <= 64))
        and (funding is None or (type(funding) is str and len(funding) <= 64))
        and type(memo) is str and _HASH_FULL(memo) is not None
        and type(value_date) is str and (value_date in days or seen.day(value_date))
        and type(booked_on) is str and (booked_on in days or seen.day(booked_on))
        and type(recorded_at) is str
        and (recorded_at in seen.instants or seen.instant(recorded_at))
        and _balanced(row["postings"])
    )  # fmt: skip


def verify_tx_lines(
    lines: Iterable[bytes],
    *,
    prev_hash: str,
    seq_from: int,
    centre: str | None = None,
    sink: RowSink | None = None,
    part: str = mf.TRANSACTIONS,
) -> ChainHead:
    """`rows.verify_tx_chain` over the part's lines: the same checks and refusals, faster.

    ``sink``, when given, receives every row once it is verified, in order (a refusal of a
    later row means the caller must discard what it received).
    """
    global _last_postings
    running, expected = prev_hash, seq_from
    link = bytes.fromhex(prev_hash)
    seen = _Seen()
    sha256 = hashlib.sha256
    for number, line in enumerate(lines, start=1):
        row = _parse(line)
        if row is not None and _fields_ok(row, expected, running, centre, seen):
            postings = postings_json(row["postings"])
            _last_postings = (row["postings"], postings)
            try:
                canonical = canonical_tx_bytes(row, postings)
            except UnicodeEncodeError:  # a lone surrogate: the strict path decides
                canonical = b""
            digest = sha256(link)
            digest.update(canonical)
            if (
                len(line) == len(canonical) + _HASH_FIELDS_LEN
                and digest.hexdigest() == row["hash"]
            ):
                running, link = row["hash"], digest.digest()
            else:
                row = None
        else:
            row = None
        if row is None:  # not canonical, or refused: the strict path decides
            row = strict_row(part, number, line)
            running = check_tx(row, expected, running, centre).hash
            link = bytes.fromhex(running)
        if sink is not None:
            sink(row)
        expected += 1
    return ChainHead(expected - 1, running, expected - seq_from)
