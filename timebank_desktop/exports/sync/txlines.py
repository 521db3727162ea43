"""Fast reading of JSON Lines parts: one C pass per row, no intermediate objects.

Writers emit every row in its canonical form (keys sorted, compact, UTF-8 kept, only the
characters JSON must escape escaped).

- A part row counts as canonical when it re-encodes to exactly its line (so it held no
  duplicate keys); it is parsed with the plain C decoder.
- A transaction line is matched whole by one regular expression (`_TX_LINE`) that accepts
  only the canonical encoding of a row of the right shape: every key in its sorted place,
  strings without escapes and of the allowed lengths, integers in their one JSON form, at
  least two non-zero postings; the hashes and dates are taken at their fixed lengths and then
  compared with what only their valid form can equal (the digest, the previous hash, their
  own ISO form). Such a line IS the canonical encoding of its values, so the transaction's
  canonical bytes (the row without ``prev_hash`` and ``hash``) are the line with those two
  members cut out; what remains to check is the seq, the chain, the centre, the dates and
  that the postings sum to zero.

Every line that is not in that form, or fails any check, goes through the strict path of
`rows` (``loads_strict`` + `rows.check_tx`), which accepts it or raises the same
`FileRejected` as before: this module changes how fast a file is read, never what is accepted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from json.scanner import make_scanner
from typing import Any

from timebank_desktop.domain.ledger import CANONICAL_VERSION, TxKind
from timebank_desktop.exports.sync import manifest as mf
from timebank_desktop.exports.sync.rows import (
    ChainHead,
    check_member_row,
    check_tx,
    looks_personal,
    row_error,
)
from timebank_desktop.i18n import _

RowSink = Callable[[dict[str, Any]], None]

_SCAN = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # json.loads's C scanner
_ENCODE = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode
_KINDS = frozenset(k.value for k in TxKind)
_quote = json.encoder.encode_basestring  # the C string encoder of ensure_ascii=False
_SEEN_CAP = 100_000  # remembered valid date/time texts per part (memory bound)

_STR = r'[^"\\\x00-\x1f]'  # a character JSON leaves as it is (it escapes all others)
# Any character, for a value of fixed length that is then compared with what only its one
# valid form can equal: ``hash`` with the computed digest, ``prev_hash`` with the previous
# hash, the dates with their own ISO form (`_Seen`). A run of it costs the matcher nothing
# (it skips ahead), where checking a class costs it every character.
_CHECKED = "(?s:.)"
_HEX = "[0-9a-f]{64}"
_AMOUNT = "-?[1-9][0-9]*"  # a non-zero integer in its one JSON form
_KIND = "|".join(sorted(_KINDS))  # lower-case words: nothing to escape


def _leg(group: str) -> str:
    """One posting ``["account",amount]``; ``group``: "(" to capture its parts, "(?:" not."""
    return rf'\["{group}{_STR}*)",{group}{_AMOUNT})\]'


def _text(name: str, shortest: int) -> str:
    return rf'"(?P<{name}>{_STR}{{{shortest},64}})"'


def _optional(name: str) -> str:
    return rf"(?:null|{_text(name, 0)})"


_TX_LINE = re.compile(
    rf'\{{"booked_on":"(?P<booked_on>{_CHECKED}{{10}})","centre":{_text("centre", 1)},'
    rf'"funding":{_optional("funding")},"hash":"(?P<hash>{_CHECKED}{{64}})","id":{_text("id", 1)},'
    rf'"kind":"(?P<kind>{_KIND})","memo_sha256":"(?P<memo_sha256>{_HEX})",'
    rf'"postings":(?P<postings>\[\["(?P<a1>{_STR}*)",(?P<n1>{_AMOUNT})\],'
    rf'\["(?P<a2>{_STR}*)",(?P<n2>{_AMOUNT})\](?P<more>(?:,{_leg("(?:")})*)\]),'
    rf'"prev_hash":"(?P<prev_hash>{_CHECKED}{{64}})","record":{_optional("record")},'
    rf'"recorded_at":"(?P<recorded_at>{_CHECKED}{{19}})",'
    rf'"reverses":{_optional("reverses")},"seq":(?P<seq>0|[1-9][0-9]*),'
    rf'"staff":{_text("staff", 1)},"v":{CANONICAL_VERSION},'
    rf'"value_date":"(?P<value_date>{_CHECKED}{{10}})"\}}'
).fullmatch
_LEGS = re.compile(_leg("(")).findall
_MEMBER_LINE = re.compile(
    r'\{"account":"(?P<account>member:[A-Za-z0-9_-]{1,16})",'
    r'"birth_year":(?P<birth_year>1[89][0-9]{2}|2[0-2][0-9]{2}),"gender":"(?P<gender>[MF])",'
    r'"key":"(?P<key>[0-9a-f]{64})","roles":\[(?P<roles>"recipient"(?:,"volunteer")?|'
    r'"volunteer"|)\]\}'
).fullmatch
_ROLES = {"": [], '"recipient"': ["recipient"], '"volunteer"': ["volunteer"]}
_ROLES['"recipient","volunteer"'] = ["recipient", "volunteer"]
_HASH_CUT = len(',"hash":"')  # what precedes the hash's value (its closing quote follows)
_PREV_CUT = len(',"prev_hash":"')


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


def verify_member_lines(
    lines: Iterable[bytes], sink: RowSink | None = None, part: str = mf.MEMBERS
) -> int:
    """`rows.check_rows` for a members part, over its lines: the same checks and refusals.

    A canonical line of the one allowed shape is matched whole (`_MEMBER_LINE`); any other
    goes through the JSON parser and `rows.check_member_row`. Returns the count of rows."""
    count = 0
    for count, line in enumerate(lines, start=1):
        row: dict[str, Any] | None = None
        try:
            match = _MEMBER_LINE(line.decode("utf-8"))
        except UnicodeDecodeError:
            match = None
        if match is not None:
            account, year = match["account"], int(match["birth_year"])
            if 1880 <= year <= 2200 and not looks_personal(account):
                row = {
                    "account": account,
                    "birth_year": year,
                    "gender": match["gender"],
                    "key": match["key"],
                    "roles": list(_ROLES[match["roles"]]),
                }
        if row is None:
            parsed = parse_canonical(line)
            row = parsed if parsed is not None else strict_row(part, count, line)
            check_member_row(row, count)
        if sink is not None:
            sink(row)
    return count


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


# The plain fields of a canonical row with exactly two postings (most rows), in this order:
# what a `PlainSink` receives instead of a dict (building the dict cost as much as hashing).
PLAIN_FIELDS = (
    "seq", "id", "kind", "value_date", "record", "prev_hash", "hash", "postings_json",
    "account_1", "amount_1", "account_2", "amount_2",
)  # fmt: skip
PlainSink = Callable[[tuple[Any, ...]], None]
_Fast = tuple[tuple[Any, ...], tuple[Any, ...] | None, list[list[Any]], bytes]


def _fast_tx(
    line: bytes, seq: int, running: str, link: bytes, centre: str | None, seen: _Seen
) -> _Fast | None:
    """A canonical transaction line that passes every check of `rows.check_tx`: its matched
    groups, its `PLAIN_FIELDS` (None unless it has exactly two postings), its postings (empty
    when it has two: the plain fields hold them) and its hash as bytes; else None."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None
    match = _TX_LINE(text)
    if match is None:
        return None
    groups = match.groups()
    (
        booked_on, own, _funding, hash_, ident, kind, _memo, postings_text,
        a1, n1, a2, n2, more,
        prev_hash, record, recorded_at, _reverses, number, _staff, value_date,
    ) = groups  # fmt: skip
    days = seen.days
    if (
        prev_hash != running
        or int(number) != seq
        or (centre is not None and own != centre)
        or (value_date not in days and not seen.day(value_date))
        or (booked_on not in days and not seen.day(booked_on))
        or (recorded_at not in seen.instants and not seen.instant(recorded_at))
    ):
        return None
    plain = None
    postings: list[list[Any]] = []
    if more:
        postings = [[account, int(amount)] for account, amount in _LEGS(postings_text)]
        total = 0
        for _account, amount in postings:
            total += amount
    else:  # two postings, by far the most common
        one, two = int(n1), int(n2)
        total = one + two
        plain = (seq, ident, kind, value_date, record, prev_hash, hash_, postings_text,
                 a1, one, a2, two)  # fmt: skip
    if total:
        return None
    start, end = match.span("hash")
    prev_start, prev_end = match.span("prev_hash")
    digest = hashlib.sha256(link)
    digest.update(
        (
            text[: start - _HASH_CUT]
            + text[end + 1 : prev_start - _PREV_CUT]
            + text[prev_end + 1 :]
        ).encode()
    )
    if digest.hexdigest() != hash_:
        return None
    return groups, plain, postings, digest.digest()


def _row(groups: tuple[Any, ...], postings: list[list[Any]], seq: int) -> dict[str, Any]:
    """The row of a line `_fast_tx` accepted."""
    (
        booked_on, own, funding, hash_, ident, kind, memo, _postings_text,
        _a1, _n1, _a2, _n2, _more,
        prev_hash, record, recorded_at, reverses, _number, staff, value_date,
    ) = groups  # fmt: skip
    return {
        "booked_on": booked_on, "centre": own, "funding": funding, "hash": hash_, "id": ident,
        "kind": kind, "memo_sha256": memo, "postings": postings, "prev_hash": prev_hash,
        "record": record, "recorded_at": recorded_at, "reverses": reverses, "seq": seq,
        "staff": staff, "v": CANONICAL_VERSION, "value_date": value_date,
    }  # fmt: skip


def verify_tx_lines(
    lines: Iterable[bytes],
    *,
    prev_hash: str,
    seq_from: int,
    centre: str | None = None,
    sink: RowSink | None = None,
    plain: PlainSink | None = None,
    part: str = mf.TRANSACTIONS,
) -> ChainHead:
    """`rows.verify_tx_chain` over the part's lines: the same checks and refusals, faster.

    ``sink``, when given, receives every row once it is verified, in order (a refusal of a
    later row means the caller must discard what it received). ``plain``, when given, receives
    instead the canonical rows with exactly two postings, as their `PLAIN_FIELDS` (no dict).
    """
    global _last_postings
    running, expected = prev_hash, seq_from
    link = bytes.fromhex(prev_hash)
    seen = _Seen()
    # The fast path takes a row's prev_hash as valid when it equals the hash before it, so
    # that one must be valid: if the caller's is not, the strict path refuses the first row.
    checked = mf.HASH_RE.fullmatch(prev_hash) is not None
    for number, line in enumerate(lines, start=1):
        fast = _fast_tx(line, expected, running, link, centre, seen) if checked else None
        if fast is not None:
            groups, fields, postings, link = fast
            if fields is not None:
                running = fields[6]
                if plain is not None:
                    plain(fields)
                    expected += 1
                    continue
                postings = [[fields[8], fields[9]], [fields[10], fields[11]]]
            row = _row(groups, postings, expected)
            running = row["hash"]
            _last_postings = (postings, groups[7])
        else:  # not canonical, or refused: the strict path decides
            row = strict_row(part, number, line)
            running = check_tx(row, expected, running, centre).hash
            link = bytes.fromhex(running)
            checked = True
        if sink is not None:
            sink(row)
        expected += 1
    return ChainHead(expected - 1, running, expected - seq_from)
