"""The centre's side of sync (通存通兑): district configuration, exports, statements, visitors.

No personal data of visitors is kept beyond what the district sees anyway (member key, gender,
birth year) and an optional name for the counter staff; ID numbers never leave `member`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.base import UUID, Base


class SyncConfig(Base):
    """The loaded district configuration (one row): key, member-key secret, last config seq."""

    __tablename__ = "sync_config"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    district_code: Mapped[str] = mapped_column(String(16))
    district_name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))
    config_seq: Mapped[int] = mapped_column(Integer)
    member_key_secret: Mapped[str] = mapped_column(String(64))  # hex; kept like a password
    file_sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(60))


class SyncCentre(Base):
    """The district's registry of centres, as the last configuration listed it."""

    __tablename__ = "sync_centre"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))


class SyncExport(Base):
    """One export file written (history; the next export starts after the last ``seq_to``)."""

    __tablename__ = "sync_export"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer)
    seq_from: Mapped[int] = mapped_column(BigInteger)
    seq_to: Mapped[int] = mapped_column(BigInteger, index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    head_hash: Mapped[str] = mapped_column(String(64))
    transactions: Mapped[int] = mapped_column(Integer)
    members: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(400))
    file_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(60))


class SyncStatement(Base):
    """A district statement applied here; the last one is the basis for honouring visitors."""

    __tablename__ = "sync_statement"

    statement_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    district_code: Mapped[str] = mapped_column(String(16))
    file_sha256: Mapped[str] = mapped_column(String(64))
    head_seq: Mapped[int] = mapped_column(BigInteger)  # our chain as the district holds it
    head_hash: Mapped[str] = mapped_column(String(64))
    balances: Mapped[int] = mapped_column(Integer)
    entries_booked: Mapped[int] = mapped_column(Integer)
    entries_unmatched: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(60))


class SyncBalance(Base):
    """Each member key's district-wide balance as of the last statement."""

    __tablename__ = "sync_balance"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    balance: Mapped[int] = mapped_column(BigInteger)
    home_centre: Mapped[str | None] = mapped_column(String(16))


class SyncMirror(Base):
    """A statement entry for this centre: booked once as a mirror transaction, or unmatched."""

    __tablename__ = "sync_mirror"

    entry_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    statement_seq: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    amount: Mapped[int] = mapped_column(BigInteger)
    counter_centre: Mapped[str] = mapped_column(String(16))
    value_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(10))  # booked | unmatched
    txn_id: Mapped[str | None] = mapped_column(ForeignKey("txn.id"))


class SyncVisitor(Base):
    """A member of another centre served here, known by member key; has a local account."""

    __tablename__ = "sync_visitor"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    visitor_no: Mapped[str] = mapped_column(String(16), unique=True)
    member_key: Mapped[str] = mapped_column(String(64), unique=True)
    home_centre: Mapped[str] = mapped_column(String(16))
    gender: Mapped[str] = mapped_column(String(1))
    birth_year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40), default="")
    account_id: Mapped[str] = mapped_column(ForeignKey("account.id"), unique=True)
    created_at: Mapped[datetime]


class SyncVisit(Base):
    """One service honoured for a visitor: the clearing leg's seq dates it against statements."""

    __tablename__ = "sync_visit"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    visitor_id: Mapped[str] = mapped_column(ForeignKey("sync_visitor.id"), index=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("member.id"))
    category_code: Mapped[str] = mapped_column(ForeignKey("category.code"))
    service_date: Mapped[date]
    duration_minutes: Mapped[int] = mapped_column(Integer)
    credited_minutes: Mapped[int] = mapped_column(Integer)
    clearing_seq: Mapped[int] = mapped_column(BigInteger, index=True)
    clearing_txn_id: Mapped[str] = mapped_column(ForeignKey("txn.id"))
    service_txn_id: Mapped[str] = mapped_column(ForeignKey("txn.id"))
    created_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(60))
