"""The double-entry ledger: accounts, transactions, postings, the chain head, month closes.

`Txn` and `Posting` rows are immutable (database triggers refuse UPDATE and DELETE); only an
account's cached balance and the chain head move, and `verify` proves both against the rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.base import UUID, Base


class Account(Base):
    __tablename__ = "account"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # member:M000001, pool, …
    kind: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), unique=True)
    balance_minutes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]


class LedgerHead(Base):
    """The chain head per centre: the last sequence number and its hash (a checked cache)."""

    __tablename__ = "ledger_head"

    centre_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class Txn(Base):
    __tablename__ = "txn"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    centre_code: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(12), index=True)
    value_date: Mapped[date] = mapped_column(index=True)  # business date (service date)
    booked_on: Mapped[date] = mapped_column(index=True)  # the open month it was booked in
    recorded_at: Mapped[datetime]
    memo: Mapped[str] = mapped_column(String(400), default="")
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("txn.id"), unique=True)
    record_id: Mapped[str | None] = mapped_column(String(36), index=True)
    funding: Mapped[str | None] = mapped_column(String(20))
    staff: Mapped[str] = mapped_column(String(60))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Posting(Base):
    __tablename__ = "posting"

    txn_id: Mapped[str] = mapped_column(ForeignKey("txn.id"), primary_key=True)
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"))
    amount: Mapped[int] = mapped_column(BigInteger)


# A per-account SUM wants the covering index (ENVIRONMENT.md: account_id alone is 3× slower).
Index("ix_posting_account_amount", Posting.account_id, Posting.amount, Posting.txn_id)


class MonthClose(Base):
    """A closed month is read-only; the closing hash is printed on the monthly report."""

    __tablename__ = "month_close"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime]
    closed_by: Mapped[str] = mapped_column(String(60))
    head_seq: Mapped[int] = mapped_column(BigInteger)
    head_hash: Mapped[str] = mapped_column(String(64))
