"""The district itself (keys, member-key secret), its fork alarms and the statements issued."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.district.base import DistrictBase


class DistrictIdentity(DistrictBase):
    """This database's district (one row). Secrets are kept as the centre keeps its key."""

    __tablename__ = "district_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    public_key: Mapped[str] = mapped_column(String(64))
    private_key: Mapped[str] = mapped_column(String(64))
    member_key_secret: Mapped[str] = mapped_column(String(64))
    passphrase: Mapped[str] = mapped_column(String(100))  # seals the secret in config files
    config_seq: Mapped[int] = mapped_column(Integer, default=0)
    statement_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class DistrictAlarm(DistrictBase):
    """A fork alarm: a centre sent a known seq with different content. Frozen until resolved."""

    __tablename__ = "district_alarm"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("district_centre.id"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    file_sha256: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(Text, default="")


class DistrictStatement(DistrictBase):
    """A district statement issued (its seq, file hash and what it covered)."""

    __tablename__ = "district_statement"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime]
    file_sha256: Mapped[str] = mapped_column(String(64))
    members: Mapped[int] = mapped_column(Integer)
    entries: Mapped[int] = mapped_column(Integer)
    centres: Mapped[int] = mapped_column(Integer)
