"""Aggregates kept incrementally at import, so statements and reports never rescan transactions.

- `DistrictMember`: each member key's district-wide balance (postings + unmirrored entries).
- `DistrictAccount`: each account of each centre's books as the district has received them.
- `DistrictEntry`: the cross-centre entries a centre must mirror (and whether it has).
- `DistrictMonth`: per centre and month, the district report's figures.
- `DistrictFlow`: per month, minutes served by one centre to another centre's members.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.district.base import DistrictBase

_OVERDRAWN = text("balance < 0")


class DistrictMember(DistrictBase):
    """Stored by its key (SQLite: WITHOUT ROWID); only overdrawn balances are indexed."""

    __tablename__ = "district_member"
    __table_args__ = (
        Index(
            "ix_district_member_overdrawn",
            "balance",
            "key",
            sqlite_where=_OVERDRAWN,
            postgresql_where=_OVERDRAWN,
        ),
        {"sqlite_with_rowid": False},
    )

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_year: Mapped[int] = mapped_column(Integer)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class DistrictAccount(DistrictBase):
    __tablename__ = "district_account"
    __table_args__ = ({"sqlite_with_rowid": False},)

    centre_id: Mapped[int] = mapped_column(
        ForeignKey("district_centre.id"), primary_key=True, autoincrement=False
    )
    account: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Member accounts only. Not indexed: every file would move thousands of random index
    # entries, and nothing on the import path looks an account up by key (migration d0003).
    key: Mapped[str | None] = mapped_column(String(64))
    roles: Mapped[str] = mapped_column(String(30), default="")  # as that centre last sent
    legs: Mapped[int] = mapped_column(Integer, default=0)  # clearing legs: a visitor's account
    balance: Mapped[int] = mapped_column(BigInteger, default=0)


class DistrictEntry(DistrictBase):
    __tablename__ = "district_entry"
    __table_args__ = (Index("ix_district_entry_open", "mirrored", "centre_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("district_centre.id"))  # must mirror
    counter_centre_id: Mapped[int] = mapped_column(ForeignKey("district_centre.id"))  # booked it
    key: Mapped[str] = mapped_column(String(64), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    origin_epoch: Mapped[int] = mapped_column(Integer)
    origin_seq: Mapped[int] = mapped_column(BigInteger)
    origin_tx: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(12))
    value_date: Mapped[date]
    mirrored: Mapped[bool] = mapped_column(Boolean, default=False)
    mirror_seq: Mapped[int | None] = mapped_column(BigInteger)


class DistrictOrphanMirror(DistrictBase):
    """A mirror received before the entry it settles (kept so delivery order never matters)."""

    __tablename__ = "district_orphan_mirror"

    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("district_centre.id"))
    seq: Mapped[int] = mapped_column(BigInteger)


class DistrictMonth(DistrictBase):
    __tablename__ = "district_month"

    centre_id: Mapped[int] = mapped_column(
        ForeignKey("district_centre.id"), primary_key=True, autoincrement=False
    )
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM of value_date
    services: Mapped[int] = mapped_column(BigInteger, default=0)
    credited: Mapped[int] = mapped_column(BigInteger, default=0)
    withdrawn: Mapped[int] = mapped_column(BigInteger, default=0)
    transactions: Mapped[int] = mapped_column(BigInteger, default=0)


class DistrictFlow(DistrictBase):
    __tablename__ = "district_flow"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    from_centre_id: Mapped[int] = mapped_column(
        ForeignKey("district_centre.id"), primary_key=True, autoincrement=False
    )
    to_centre_id: Mapped[int] = mapped_column(
        ForeignKey("district_centre.id"), primary_key=True, autoincrement=False
    )
    minutes: Mapped[int] = mapped_column(BigInteger, default=0)
