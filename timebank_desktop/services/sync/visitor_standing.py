"""Where a visiting member stands at this centre: the statement balance and our entries since.

The district statement gives the visitor's district-wide balance as of its cut-off (our chain
head in it). What this centre did for the visitor after that head is read from the ledger, not
from the visit register, so a voided visit counts no more wherever the standing is shown:

- *honoured since*: clearing legs of the visitor's account (``member:V… += x``,
  ``clearing:<home> −= x``) after the head that were not reversed;
- *given back*: reversals after the head of legs the statement already counted (a visit
  voided after the statement): the statement balance is that much too low until the next
  statement carries the reversal's counter-entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.ledger import AccountKind, TxKind
from timebank_desktop.domain.memberkey import member_key, normalise_id_number
from timebank_desktop.i18n import _
from timebank_desktop.models import (
    Account,
    Member,
    Posting,
    SyncBalance,
    SyncCentre,
    SyncVisitor,
    Txn,
)
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.policy import policy_for
from timebank_desktop.services.sync.common import last_statement, require_config, secret_of


@dataclass(frozen=True, slots=True)
class VisitorStanding:
    """Where a visitor stands here: the statement balance, what we honoured since, the rest."""

    key: str
    home_centre: str
    statement_seq: int
    statement_balance: int
    honoured_since: int
    allowance: int
    given_back: int = 0  # voided here after the statement counted it

    @property
    def balance_left(self) -> int:
        """The statement balance, corrected by what this centre did since (may be negative)."""
        return self.statement_balance + self.given_back - self.honoured_since

    @property
    def allowance_left(self) -> int:
        return self.allowance - self.honoured_since

    @property
    def available(self) -> int:
        """Minutes this centre may still honour now (never below zero)."""
        return max(0, min(self.balance_left, self.allowance_left))


def key_of(session: Session, id_number: str) -> str:
    """The member key of a visitor's ID number; refused for a member of this centre."""
    secret = secret_of(require_config(session))
    normalised = normalise_id_number(id_number)
    if session.scalar(select(Member.id).where(Member.id_number == normalised)) is not None:
        raise Refused(_("This is a member of this centre: record an ordinary service"))
    return member_key(secret, normalised)


def _home(session: Session, given: str | None, listed: str | None, own: str) -> str:
    home = (given or "").strip() or listed
    if not home:
        raise ValidationError.single(
            "visit.home", _("Name the visitor's home centre"), "home_centre"
        )
    if listed and home != listed:
        raise ValidationError.single(
            "visit.home",
            _("The district statement lists this member at centre {code}").format(code=listed),
            "home_centre",
        )
    if home == own or session.get(SyncCentre, home) is None:
        raise ValidationError.single(
            "visit.home",
            _("{code} is not another centre of this district").format(code=home),
            "home_centre",
        )
    return home


def since_statement(session: Session, account_id: str, head_seq: int) -> tuple[int, int]:
    """(honoured since, given back) for the visitor account ``account_id`` after ``head_seq``.

    Reads every non-mirror transaction that posts on the visitor's account and on a clearing
    account (a visitor has few), with its clearing amount."""
    own = aliased(Posting)
    legs = session.execute(
        select(Txn.id, Txn.seq, Txn.kind, Txn.reverses_id, Posting.amount)
        .join(Posting, Posting.txn_id == Txn.id)
        .join(Account, Account.id == Posting.account_id)
        .join(own, (own.txn_id == Txn.id) & (own.account_id == account_id))
        .where(Account.kind == AccountKind.CLEARING.value, Txn.kind != TxKind.MIRROR.value)
    ).all()
    seq_of = {row.id: row.seq for row in legs if row.kind != TxKind.REVERSAL.value}
    reversed_ids = {row.reverses_id for row in legs if row.reverses_id is not None}
    honoured = given_back = 0
    for row in legs:
        if row.kind == TxKind.REVERSAL.value:
            original = seq_of.get(row.reverses_id or "")
            if row.seq > head_seq and original is not None and original <= head_seq:
                given_back += row.amount  # the leg's −x reversed: +x
        elif row.seq > head_seq and row.id not in reversed_ids:
            honoured -= row.amount
    return honoured, given_back


def lock_visitor(session: Session, key: str) -> SyncVisitor | None:
    """The visitor with member key ``key``, held until the transaction ends (PostgreSQL;
    SQLite writers are serial) and read afresh: two clerks honouring or voiding for one
    visitor at once are served one after the other, so the second sees the first's entries
    (no double void, no allowance spent twice)."""
    return session.execute(
        select(SyncVisitor)
        .where(SyncVisitor.member_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def standing_of(
    session: Session, ctx: AppContext, key: str, home: str | None, lock: bool = False
) -> VisitorStanding:
    """The visitor's standing against the last statement (refused when there is none);
    ``lock``: hold the visitor first (`lock_visitor`), for a caller about to book."""
    visitor = lock_visitor(session, key) if lock else None
    statement = last_statement(session)
    if statement is None:
        raise Refused(
            _("No district statement has been imported yet: visitors cannot be honoured")
        )
    row = session.get(SyncBalance, key)
    if not lock:
        visitor = session.scalar(select(SyncVisitor).where(SyncVisitor.member_key == key))
    listed = row.home_centre if row else None
    own = load_centre(session).code
    if visitor is not None and not home and not listed:
        home = visitor.home_centre
    home_code = _home(session, home, listed, own)
    honoured = given_back = 0
    if visitor is not None:
        honoured, given_back = since_statement(session, visitor.account_id, statement.head_seq)
    policy = policy_for(session, ctx.today())
    return VisitorStanding(
        key, home_code, statement.statement_seq, row.balance if row else 0, honoured,
        policy.away_allowance_minutes, given_back,
    )  # fmt: skip
