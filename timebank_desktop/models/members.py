"""Members (residents) with their household, training and insurance records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.base import UUID, Base


class Member(Base):
    __tablename__ = "member"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    member_no: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    name_pinyin: Mapped[str] = mapped_column(String(160), index=True)
    name_initials: Mapped[str] = mapped_column(String(40), index=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date]
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    id_rev: Mapped[str] = mapped_column(String(18), index=True)  # reversed, for tail search
    phone: Mapped[str] = mapped_column(String(20), default="")
    phone_rev: Mapped[str] = mapped_column(String(20), index=True, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    emergency_contact: Mapped[str] = mapped_column(String(100), default="")
    is_volunteer: Mapped[bool] = mapped_column(Boolean, default=False)
    is_recipient: Mapped[bool] = mapped_column(Boolean, default=False)
    lives_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    disability_level: Mapped[str] = mapped_column(String(20), default="")
    on_needs_list: Mapped[bool] = mapped_column(Boolean, default=False)
    skills: Mapped[str] = mapped_column(String(200), default="")  # category codes, comma-joined
    availability: Mapped[str] = mapped_column(String(200), default="")
    star_level: Mapped[int] = mapped_column(Integer, default=0)
    consent_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    joined_on: Mapped[date]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class HouseholdRelation(Base):
    """``relative`` is ``member``'s ``relation`` (spouse, parent, child, …); stored both ways."""

    __tablename__ = "household_relation"
    __table_args__ = (UniqueConstraint("member_id", "relative_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    relative_id: Mapped[str] = mapped_column(ForeignKey("member.id"))
    relation: Mapped[str] = mapped_column(String(20))


class TrainingCertificate(Base):
    __tablename__ = "training_certificate"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    course: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]


class InsurancePolicy(Base):
    __tablename__ = "insurance_policy"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    insurer: Mapped[str] = mapped_column(String(100))
    policy_no: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date]
    valid_to: Mapped[date]


Index("ix_member_search_active", Member.active, Member.member_no)
