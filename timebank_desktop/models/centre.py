"""The centre this database belongs to, its settings and its counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.base import UUID, Base


class Centre(Base):
    """This database's centre (one row), with its Ed25519 identity for sync files."""

    __tablename__ = "centre"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    district_code: Mapped[str] = mapped_column(String(16), default="")
    device_id: Mapped[str] = mapped_column(UUID)
    public_key: Mapped[str] = mapped_column(String(128))
    private_key: Mapped[str] = mapped_column(String(128))
    chain_epoch: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]


class Setting(Base):
    """Ledger-relevant settings kept with the data (district config, language of reports…)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Counter(Base):
    """Named counters for human numbers: member numbers, slips, certificates, dispute cases."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
