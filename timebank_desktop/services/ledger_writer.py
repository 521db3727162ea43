"""The one place ledger transactions are written: checked, chained, balanced, cached.

A `LedgerWriter` lives inside one database transaction. It takes the chain head under the
write lock, checks each `TxSpec` (zero sum, known accounts, no member overdraft beyond the
policy, open month), seals it into the hash chain, and writes the rows in batches with Core
inserts — the same code path for one GUI action and for half a million demo transactions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import NotFound, Refused, StorageError, ValidationError
from timebank_desktop.domain.ledger import (
    GENESIS,
    POOL_ACCOUNT,
    AccountKind,
    PostingLine,
    TxKind,
    TxValue,
    chain_hash,
    posting_problems,
)
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.policy import Policy
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, LedgerHead, MonthClose, Posting, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.ledger_mark import (
    damaged_query,
    damaged_refusal,
    head_mismatch_refusal,
)

NO_CAP_KINDS = frozenset({TxKind.DONATION, TxKind.REVERSAL, TxKind.MIRROR})


@dataclass(frozen=True, slots=True)
class TxSpec:
    """What a use case wants booked."""

    kind: TxKind
    value_date: date
    postings: tuple[PostingLine, ...]
    memo: str = ""
    reverses: str | None = None
    record: str | None = None
    funding: str | None = None


@dataclass(frozen=True, slots=True)
class PostedTx:
    id: str
    seq: int
    kind: TxKind
    hash: str
    value_date: date
    booked_on: date


@dataclass(slots=True)
class _AccountState:
    id: str
    kind: str
    balance: int
    changed: bool = False


@dataclass
class LedgerWriter:
    session: Session
    ctx: AppContext
    batch_size: int = 5000
    _head: LedgerHead | None = None
    _accounts: dict[str, _AccountState] = field(default_factory=dict)
    _closed_through: date | None = None
    _closed_known: bool = False
    _txns: list[dict[str, Any]] = field(default_factory=list)
    _postings: list[dict[str, Any]] = field(default_factory=list)

    # ------------------------------------------------------------ state
    def head(self) -> LedgerHead:
        """The chain head, under the write lock, once it is known to be safe to chain on.

        The same statement reads the last transaction row and the "damaged" mark (two index
        lookups, no extra round trip): a head that disagrees with the last row, or a ledger
        `verify` found damaged, refuses every posting (services/ledger_mark.py).
        """
        if self._head is None:
            found = self.session.execute(_head_statement()).first()
            if found is None:
                raise StorageError(_("This database has no centre yet: run init first"))
            head, last_seq, last_hash, mark = found
            if (head.last_seq, head.last_hash) != (last_seq or 0, last_hash or GENESIS):
                # PostgreSQL: a writer that waited for the lock gets the head as the other
                # writer committed it, but the subqueries saw the ledger from before the wait.
                # Read them again, now under the lock, before calling the ledger damaged.
                last_seq, last_hash, mark = self.session.execute(_last_row_statement()).one()
                if (head.last_seq, head.last_hash) != (last_seq or 0, last_hash or GENESIS):
                    raise head_mismatch_refusal()
            if mark is not None:
                raise damaged_refusal(mark)
            self._head = head
        return self._head

    def account(self, code: str) -> _AccountState:
        state = self._accounts.get(code)
        if state is None:
            row = self.session.execute(
                select(Account.id, Account.kind, Account.balance_minutes).where(
                    Account.code == code
                )
            ).first()
            if row is None:
                raise NotFound(_("Unknown account: {code}").format(code=code))
            state = _AccountState(row.id, row.kind, row.balance_minutes)
            self._accounts[code] = state
        return state

    def preload(self, rows: Iterable[tuple[str, str, str, int]]) -> None:
        """Known accounts as (code, id, kind, balance): spares a query each (bulk work)."""
        for code, account_id, kind, balance in rows:
            self._accounts[code] = _AccountState(account_id, kind, balance)

    def balance(self, code: str) -> int:
        return self.account(code).balance

    def booking_date(self, value_date: date) -> date:
        """The value date, or today when its month is closed (a late entry).

        Months close in order, so "closed" means on or before the last day of the latest
        closed month (services/month_close.py).
        """
        if not self._closed_known:
            latest = self.session.scalar(select(func.max(MonthClose.month)))
            self._closed_through = Month.parse(latest).last_day if latest else None
            self._closed_known = True
        through = self._closed_through
        if through is None or value_date > through:
            return value_date
        today = self.ctx.today()
        if today <= through:
            raise Refused(_("The current month is closed: nothing can be booked"))
        return today

    # ------------------------------------------------------------ posting
    def post(self, spec: TxSpec, policy: Policy) -> PostedTx:
        problems = posting_problems(spec.postings)
        if problems:
            raise ValidationError.of(problems)
        deltas: dict[str, int] = {}
        for line in spec.postings:
            deltas[line.account] = deltas.get(line.account, 0) + line.amount
        # The head's lock first: balances read before it could predate another clerk's
        # posting (PostgreSQL), be checked stale and be written back, losing that posting.
        head = self.head()
        states = {code: self.account(code) for code in deltas}
        if spec.kind is not TxKind.MIRROR:  # a mirror books a debit already spent elsewhere
            self._check_overdraft(states, deltas, policy)

        seq = head.last_seq + 1
        value = TxValue(
            centre=head.centre_code,
            seq=seq,
            id=self.ctx.new_id(),
            kind=spec.kind.value,
            value_date=spec.value_date,
            booked_on=self.booking_date(spec.value_date),
            recorded_at=self.ctx.now(),
            memo=spec.memo,
            reverses=spec.reverses,
            record=spec.record,
            funding=spec.funding,
            staff=self.ctx.actor.username,
            postings=spec.postings,
        )
        digest = chain_hash(head.last_hash, value)
        self._txns.append(_txn_row(value, head.last_hash, digest))
        self._postings.extend(
            {"txn_id": value.id, "line": i, "account_id": states[p.account].id, "amount": p.amount}
            for i, p in enumerate(spec.postings, start=1)
        )
        for code, delta in deltas.items():
            states[code].balance += delta
            states[code].changed = True
        head.last_seq, head.last_hash = seq, digest
        if len(self._txns) >= self.batch_size:
            self.flush()
        posted = PostedTx(value.id, seq, spec.kind, digest, value.value_date, value.booked_on)
        if spec.kind not in NO_CAP_KINDS:
            self._donate_above_cap(states, deltas, spec.value_date, policy)
        return posted

    def _check_overdraft(
        self, states: dict[str, _AccountState], deltas: dict[str, int], policy: Policy
    ) -> None:
        for code, delta in deltas.items():
            state = states[code]
            if state.kind != AccountKind.MEMBER or delta >= 0:
                continue
            if state.balance + delta < -policy.overdraft_minutes:
                raise Refused(
                    _("Insufficient balance: {account} has {balance} h, needs {needed} h").format(
                        account=code.removeprefix("member:"),
                        balance=format_hours(state.balance),
                        needed=format_hours(-delta),
                    )
                )

    def _donate_above_cap(
        self,
        states: dict[str, _AccountState],
        deltas: dict[str, int],
        day: date,
        policy: Policy,
    ) -> None:
        for code, delta in deltas.items():
            state = states[code]
            excess = state.balance - policy.storage_cap_minutes
            if state.kind == AccountKind.MEMBER and delta > 0 and excess > 0:
                self.post(
                    TxSpec(
                        TxKind.DONATION,
                        day,
                        (PostingLine(code, -excess), PostingLine(POOL_ACCOUNT, excess)),
                        memo=_("Hours above the storage cap go to the community pool"),
                    ),
                    policy,
                )

    def flush(self) -> None:
        """Write what is pending: transactions, postings, cached balances, the chain head."""
        if self._txns:
            self.session.execute(insert(Txn), self._txns)
            self.session.execute(insert(Posting), self._postings)
            self._txns, self._postings = [], []
        changed = [s for s in self._accounts.values() if s.changed]
        if changed:
            self.session.execute(
                update(Account),
                [{"id": s.id, "balance_minutes": s.balance} for s in changed],
            )
            for state in changed:
                state.changed = False
        if self._head is not None:
            self.session.flush([self._head])


def _last_row_columns() -> tuple[Any, Any, Any]:
    newest = Txn.seq.desc()
    return (
        select(Txn.seq).order_by(newest).limit(1).scalar_subquery(),
        select(Txn.hash).order_by(newest).limit(1).scalar_subquery(),
        damaged_query().scalar_subquery(),
    )


def _head_statement() -> Select[LedgerHead, int | None, str | None, str | None]:
    """The chain head (locked), the last transaction's seq and hash, and the damaged mark."""
    return select(LedgerHead, *_last_row_columns()).with_for_update(of=LedgerHead)


def _last_row_statement() -> Select[int | None, str | None, str | None]:
    """The last transaction's seq and hash and the damaged mark, without the head."""
    return select(*_last_row_columns())


def _txn_row(value: TxValue, prev_hash: str, digest: str) -> dict[str, Any]:
    return {
        "id": value.id,
        "seq": value.seq,
        "centre_code": value.centre,
        "kind": value.kind,
        "value_date": value.value_date,
        "booked_on": value.booked_on,
        "recorded_at": value.recorded_at,
        "memo": value.memo,
        "reverses_id": value.reverses,
        "record_id": value.record,
        "funding": value.funding,
        "staff": value.staff,
        "prev_hash": prev_hash,
        "hash": digest,
    }
