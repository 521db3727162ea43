"""Enrolled centres, the files received from them and the chains of transactions they carry."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.district.base import DistrictBase


class DistrictCentre(DistrictBase):
    """An enrolled centre: its key and where its chain stands (current epoch and head)."""

    __tablename__ = "district_centre"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(49))
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | frozen
    epoch: Mapped[int] = mapped_column(Integer, default=1)
    head_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    head_hash: Mapped[str] = mapped_column(String(64))
    enrolled_at: Mapped[datetime]
    last_file_at: Mapped[datetime | None]


class DistrictFile(DistrictBase):
    """A centre file received: applied, held back (gap) or refused as a fork."""

    __tablename__ = "district_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("district_centre.id"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    seq_from: Mapped[int] = mapped_column(BigInteger)
    seq_to: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))  # applied | held | fork
    added: Mapped[int] = mapped_column(BigInteger, default=0)
    first_value_date: Mapped[date | None]
    last_value_date: Mapped[date | None]
    received_at: Mapped[datetime]
    detail: Mapped[str] = mapped_column(Text, default="")


class DistrictHeldFile(DistrictBase):
    """A verified file that starts after a gap: kept until the missing seqs arrive."""

    __tablename__ = "district_held_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("district_file.id"), unique=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("district_centre.id"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    seq_from: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DistrictTx(DistrictBase):
    """One received transaction: its place in the centre's chain and its postings (as JSON)."""

    __tablename__ = "district_tx"

    centre_id: Mapped[int] = mapped_column(
        ForeignKey("district_centre.id"), primary_key=True, autoincrement=False
    )
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    tx_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(12))
    value_date: Mapped[date]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    postings: Mapped[str] = mapped_column(Text)  # [[account, minutes], ...] as received
    file_id: Mapped[int] = mapped_column(Integer)
