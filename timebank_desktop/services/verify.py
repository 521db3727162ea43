"""`verify`: recompute the hash chain, the zero-sum rule and every cached balance.

Names the first bad row. It reads everything in one streaming pass in sequence order, so a
ten-year centre (500,000 transactions) checks in seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.ledger import (
    GENESIS,
    TxValue,
    chain_hash,
    member_account_code,
)
from timebank_desktop.i18n import N_, _
from timebank_desktop.models import Account, LedgerHead, Member, Posting, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.ledger_mark import clear_damaged, damaged_mark, set_damaged
from timebank_desktop.services.ledger_scan import ScannedTx, scan_ledger

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)


TABLE_WORDS = {
    "txn": N_("transaction"),
    "posting": N_("posting"),
    "account": N_("account"),
    "ledger_head": N_("chain head"),
}


@dataclass(frozen=True, slots=True)
class VerifyProblem:
    table: str
    row: str
    message: str

    def __str__(self) -> str:
        """For people: the table in their language (``as_json`` keeps the table's name)."""
        table = _(TABLE_WORDS.get(self.table, self.table))
        return _("{table} {row}: {message}").format(
            table=table, row=self.row, message=self.message
        )


@dataclass
class VerifyReport:
    transactions: int = 0
    postings: int = 0
    accounts: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[VerifyProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> VerifyProblem | None:
        return self.problems[0] if self.problems else None

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "transactions": self.transactions,
            "postings": self.postings,
            "accounts": self.accounts,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "problems": [
                {"table": p.table, "row": p.row, "message": p.message} for p in self.problems
            ],
        }


class _Chain:
    """Walks the transactions in order, checking each against the one before."""

    def __init__(self, report: VerifyReport) -> None:
        self.report = report
        self.prev_hash = GENESIS
        self.expected_seq = 1

    def check(self, tx: ScannedTx) -> None:
        report, value = self.report, tx.value
        seq, postings = value.seq, value.postings
        if seq != self.expected_seq:
            report.problems.append(
                VerifyProblem(
                    "txn",
                    _where(value),
                    _("sequence number out of order: expected {n}").format(n=self.expected_seq),
                )
            )
        if tx.prev_hash != self.prev_hash:
            report.problems.append(
                VerifyProblem(
                    "txn", _where(value), _("previous hash does not match the transaction before")
                )
            )
        if len(postings) < 2 or sum(p.amount for p in postings) != 0:
            report.problems.append(
                VerifyProblem("posting", _where(value), _("postings do not sum to zero"))
            )
        if chain_hash(tx.prev_hash, value) != tx.hash:
            report.problems.append(
                VerifyProblem(
                    "txn",
                    _where(value),
                    _("hash does not match the contents: the row or its postings were changed"),
                )
            )
        self.prev_hash = tx.hash
        self.expected_seq = seq + 1
        report.transactions += 1
        report.postings += len(postings)


def _where(value: TxValue) -> str:
    return f"seq {value.seq} (id {value.id})"


def _walk_chain(
    session: Session, report: VerifyReport, total: int, progress: Progress | None
) -> None:
    chain = _Chain(report)
    for tx in scan_ledger(session):
        chain.check(tx)
        if progress and report.transactions % 20_000 == 0:
            progress(report.transactions, total)
    report.head_seq, report.head_hash = chain.expected_seq - 1, chain.prev_hash


def _check_orphans(session: Session, report: VerifyReport, total: int) -> None:
    if report.transactions != total:
        report.problems.append(
            VerifyProblem(
                "txn",
                "-",
                _("{n} transactions have no postings or unknown accounts").format(
                    n=total - report.transactions
                ),
            )
        )
    orphans = session.execute(
        select(Posting.txn_id, Posting.line)
        .outerjoin(Txn, Txn.id == Posting.txn_id)
        .where(Txn.id.is_(None))
        .limit(1)
    ).first()
    if orphans is not None:
        report.problems.append(
            VerifyProblem(
                "posting",
                f"{orphans.txn_id}/{orphans.line}",
                _("posting belongs to no transaction"),
            )
        )


def _check_balances(session: Session, report: VerifyReport) -> None:
    sums = dict(
        session.execute(
            select(Posting.account_id, func.sum(Posting.amount)).group_by(Posting.account_id)
        ).all()
    )
    total = 0
    for account in session.execute(
        select(Account.id, Account.code, Account.balance_minutes, Account.member_id)
    ).all():
        report.accounts += 1
        actual = int(sums.get(account.id, 0) or 0)
        total += actual
        if actual != account.balance_minutes:
            report.problems.append(
                VerifyProblem(
                    "account",
                    account.code,
                    _("cached balance {cached} differs from the sum of postings {actual}").format(
                        cached=account.balance_minutes, actual=actual
                    ),
                )
            )
    if total != 0:
        report.problems.append(
            VerifyProblem(
                "account",
                "*",
                _("the accounts do not sum to zero ({total} minutes)").format(total=total),
            )
        )
    members = session.execute(select(Member.id, Member.member_no)).all()
    codes = dict(
        session.execute(
            select(Account.member_id, Account.code).where(Account.member_id.is_not(None))
        ).all()
    )
    for member_id, number in members:
        if codes.get(member_id, member_account_code(number)) != member_account_code(number):
            report.problems.append(
                VerifyProblem(
                    "account",
                    codes[member_id],
                    _("account does not belong to member {no}").format(no=number),
                )
            )


def _check_head(session: Session, report: VerifyReport) -> None:
    head = session.scalars(select(LedgerHead)).first()
    if head is None:
        return
    if (head.last_seq, head.last_hash) != (report.head_seq, report.head_hash):
        report.problems.append(
            VerifyProblem(
                "ledger_head",
                head.centre_code,
                _("chain head does not match the last transaction"),
            )
        )


def verify_session(session: Session, progress: Progress | None = None) -> VerifyReport:
    report = VerifyReport()
    total = session.scalar(select(func.count()).select_from(Txn)) or 0
    _walk_chain(session, report, total, progress)
    _check_orphans(session, report, total)
    _check_balances(session, report)
    _check_head(session, report)
    if progress:
        progress(total, total)
    return report


class VerifyService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def run(self, progress: Progress | None = None) -> VerifyReport:
        """Check the ledger; mark it damaged (postings refused) or lift an earlier mark."""
        with self.ctx.read() as session:
            report = verify_session(session, progress)
            marked = damaged_mark(session)
        first = report.first_problem
        if (first is None) != (marked is None):  # the write lock only when the mark changes
            self._remark(None if first is None else str(first))
        return report

    def _remark(self, problem: str | None) -> None:
        try:
            with self.ctx.write() as session:
                if problem is None:
                    clear_damaged(session, self.ctx)
                else:
                    set_damaged(session, self.ctx, problem)
        except (TimebankError, SQLAlchemyError) as exc:  # e.g. locked or read-only
            # The report still says what was found; the writer's own head check stands guard.
            log.warning("could not update the ledger's damaged mark: %s", exc)
