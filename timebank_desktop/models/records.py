"""Service categories, policy versions, service records, requests, disputes, goods, registers."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from timebank_desktop.models.base import UUID, Base


class Category(Base):
    __tablename__ = "category"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))
    weight_permille: Mapped[int] = mapped_column(Integer, default=1000)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PolicyVersion(Base):
    __tablename__ = "policy_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    effective_from: Mapped[date] = mapped_column(unique=True)
    body: Mapped[str] = mapped_column(Text)  # Policy.to_json()
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(60))


class ServiceRecord(Base):
    """One service on the paper form; its credit lives in the ledger once the slip is signed."""

    __tablename__ = "service_record"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    slip_no: Mapped[str] = mapped_column(String(12), unique=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("category.code"))
    service_date: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time]
    end_time: Mapped[time]
    duration_minutes: Mapped[int] = mapped_column(Integer)
    weight_permille: Mapped[int] = mapped_column(Integer)
    rounding_unit: Mapped[int] = mapped_column(Integer)
    credited_minutes: Mapped[int] = mapped_column(Integer)
    payer: Mapped[str] = mapped_column(String(10))  # recipient | pool
    content: Mapped[str] = mapped_column(String(500), default="")
    rating: Mapped[str | None] = mapped_column(String(12))  # satisfied|neutral|dissatisfied
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending|posted|void
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    signed_at: Mapped[datetime | None]
    txn_id: Mapped[str | None] = mapped_column(ForeignKey("txn.id"))
    void_reason: Mapped[str] = mapped_column(String(200), default="")
    void_txn_id: Mapped[str | None] = mapped_column(ForeignKey("txn.id"))
    request_id: Mapped[str | None] = mapped_column(String(36))
    slip_printed: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(index=True)


Index("ix_service_record_volunteer_date", ServiceRecord.volunteer_id, ServiceRecord.service_date)


class ServiceRequest(Base):
    """需求登记: an elder's need, to be matched with a volunteer."""

    __tablename__ = "service_request"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("category.code"))
    when_text: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime]


class Dispute(Base):
    __tablename__ = "dispute"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(16), unique=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("service_record.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open|upheld|rejected
    decision_note: Mapped[str] = mapped_column(String(500), default="")
    opened_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class GoodsItem(Base):
    __tablename__ = "goods_item"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    price_minutes: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)


class IssuedDocument(Base):
    """The register of numbered documents: service certificates, honour certificates."""

    __tablename__ = "issued_document"

    id: Mapped[str] = mapped_column(UUID, primary_key=True)
    doc_no: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    period_from: Mapped[date | None]
    period_to: Mapped[date | None]
    total_minutes: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[datetime]
    issued_by: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")
