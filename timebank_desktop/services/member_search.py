"""As-you-type member search: by name, pinyin or initials, phone or ID tail, member number.

Every kind of search text becomes one indexed clause with bound parameters, so the statement
for each kind is compiled once and the page of results is read on the quick path
(services/quickread.py): the members page asks on every keystroke.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ClauseElement,
    ColumnElement,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute

from timebank_desktop.domain import idnumber, names
from timebank_desktop.models import Account, Member
from timebank_desktop.services.context import AppContext


@dataclass(frozen=True, slots=True)
class MemberSummary:
    id: str
    member_no: str
    name: str
    gender: str
    birth_date: date
    id_number: str
    phone: str
    is_volunteer: bool
    is_recipient: bool
    balance_minutes: int
    star_level: int = 0

    @property
    def role(self) -> str:
        if self.is_volunteer and self.is_recipient:
            return "both"
        return "volunteer" if self.is_volunteer else "recipient"

    @property
    def id_masked(self) -> str:
        return idnumber.IdNumber(self.id_number).masked()


Params = dict[str, str]


def _prefix(column: InstrumentedAttribute[str], params: Params) -> ColumnElement[bool]:
    """``column >= :lo AND column < :hi``: a prefix match that uses the column's index."""
    return and_(
        column >= bindparam("lo", params.get("lo")), column < bindparam("hi", params.get("hi"))
    )


CLAUSES: dict[str, Callable[[Params], ColumnElement[bool]]] = {
    "all": lambda p: Member.active.is_(True),
    "number": lambda p: _prefix(Member.member_no, p),
    "tail": lambda p: or_(_prefix(Member.phone_rev, p), _prefix(Member.id_rev, p)),
    "pinyin": lambda p: or_(_prefix(Member.name_initials, p), _prefix(Member.name_pinyin, p)),
    "name": lambda p: Member.name.like(bindparam("pattern", p.get("pattern")), escape="\\"),
}


def _scanned(column: InstrumentedAttribute[str], params: Params) -> ColumnElement[bool]:
    """The same prefix match on ``column || ''``: no index, so the member-number order wins."""
    value = column.concat(literal_column("''"))
    return and_(
        value >= bindparam("lo", params.get("lo")), value < bindparam("hi", params.get("hi"))
    )


# A short prefix ("z", "1") matches tens of thousands of members: reading its index ranges and
# sorting them all for one page takes 100-200 ms at 200,000 members, while walking the
# member-number index finds the first page after a few hundred rows. A long prefix is the
# opposite. `search_page` probes how many match (up to BROAD) and picks the plan.
BROAD = 2000
SCANNED: dict[str, Callable[[Params], ColumnElement[bool]]] = {
    "tail": lambda p: or_(_scanned(Member.phone_rev, p), _scanned(Member.id_rev, p)),
    "pinyin": lambda p: or_(_scanned(Member.name_initials, p), _scanned(Member.name_pinyin, p)),
}


def _range(prefix: str) -> Params:
    return {"lo": prefix, "hi": prefix + "\uffff"}


def search_terms(text: str) -> tuple[str, Params]:
    """The kind of ``text`` (a key of CLAUSES) and the parameters of its clause."""
    key = names.normalise(text).lower()
    if not key:
        return "all", {}
    if key[0] == "m" and key[1:].isdigit():
        return "number", _range(key.upper())
    if key.isdigit() or (key[:-1].isdigit() and key[-1] == "x"):
        return "tail", _range(key.upper()[::-1])
    if key.isascii() and key.replace(" ", "").isalpha():
        return "pinyin", _range(key.replace(" ", ""))
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "name", {"pattern": f"%{escaped}%"}


def search_clause(text: str) -> ColumnElement[bool]:
    """The WHERE clause for ``text``, its values bound (for counts and other queries)."""
    kind, params = search_terms(text)
    return CLAUSES[kind](params)


SUMMARY_COLUMNS = (
    Member.id,
    Member.member_no,
    Member.name,
    Member.gender,
    Member.birth_date,
    Member.id_number,
    Member.phone,
    Member.is_volunteer,
    Member.is_recipient,
    Account.balance_minutes,
    Member.star_level,
)


def _probe_query(kind: str) -> ClauseElement:
    """How many members match, counting no further than ``BROAD``."""
    capped = (
        select(literal_column("1"))  # read from the indexes alone, never the rows
        .select_from(Member)
        .where(CLAUSES[kind]({}))
        .limit(bindparam("cap"))
        .subquery()
    )
    return select(func.count()).select_from(capped)


def _page_query(kind: str, role: str | None, scan: bool = False) -> ClauseElement:
    clause = SCANNED[kind]({}) if scan else CLAUSES[kind]({})
    query = (
        select(*SUMMARY_COLUMNS)
        .outerjoin(Account, Account.member_id == Member.id)
        .where(clause)
        .order_by(Member.member_no)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    if role == "volunteer":
        query = query.where(Member.is_volunteer.is_(True))
    elif role == "recipient":
        query = query.where(Member.is_recipient.is_(True))
    return query


def summary_from_row(row: Sequence[Any]) -> MemberSummary:
    """A summary from a driver row of SUMMARY_COLUMNS (SQLite gives dates as text, 0/1)."""
    birth = row[4] if isinstance(row[4], date) else date.fromisoformat(row[4])
    return MemberSummary(
        row[0],
        row[1],
        row[2],
        row[3],
        birth,
        row[5],
        row[6],
        bool(row[7]),
        bool(row[8]),
        row[9] or 0,
        row[10] or 0,
    )


def search_page(
    ctx: AppContext, text: str, limit: int, offset: int, role: str | None
) -> list[MemberSummary]:
    """One page of members matching ``text`` in member-number order."""
    kind, params = search_terms(text)
    scan = (
        kind in SCANNED
        and ctx.quick.rows(
            f"member-probe:{kind}", lambda: _probe_query(kind), {**params, "cap": BROAD}
        )[0][0]
        >= BROAD
    )
    rows = ctx.quick.rows(
        f"member-search:{kind}:{role}:{scan}",
        lambda: _page_query(kind, role, scan),
        {**params, "limit": limit, "offset": offset},
    )
    return [summary_from_row(row) for row in rows]
