"""The records page: service records filtered by month, status and volunteer, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from timebank_desktop.domain.months import Month
from timebank_desktop.models import Member, ServiceRecord
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.member_search import search_clause

STATUSES = ("pending", "posted", "void")


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Which records to list; ``None`` or empty means any."""

    month: Month | None = None
    status: str | None = None
    volunteer: str = ""


@dataclass(frozen=True, slots=True)
class RecordRow:
    id: str
    slip_no: str
    service_date: date
    volunteer_no: str
    volunteer_name: str
    recipient_no: str
    recipient_name: str
    category: str
    duration_minutes: int
    credited_minutes: int
    payer: str
    status: str
    signed: bool
    rating: str | None


def _conditions(flt: RecordFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if flt.month is not None:
        found.append(ServiceRecord.service_date >= flt.month.first_day)
        found.append(ServiceRecord.service_date <= flt.month.last_day)
    if flt.status:
        found.append(ServiceRecord.status == flt.status)
    if flt.volunteer.strip():
        matching = select(Member.id).where(search_clause(flt.volunteer))
        found.append(ServiceRecord.volunteer_id.in_(matching))
    return found


class RecordListService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def count(self, flt: RecordFilter) -> int:
        query = select(func.count()).select_from(ServiceRecord).where(*_conditions(flt))
        with self.ctx.read() as session:
            return session.scalar(query) or 0

    def _query(self, flt: RecordFilter) -> Select[ServiceRecord, str, str, str, str]:
        vol, rec = aliased(Member), aliased(Member)
        return (
            select(ServiceRecord, vol.member_no, vol.name, rec.member_no, rec.name)
            .join(vol, vol.id == ServiceRecord.volunteer_id)
            .join(rec, rec.id == ServiceRecord.recipient_id)
            .where(*_conditions(flt))
            .order_by(ServiceRecord.service_date.desc(), ServiceRecord.slip_no.desc())
        )

    def page(self, flt: RecordFilter, limit: int = 200, offset: int = 0) -> list[RecordRow]:
        """Newest first (service date, then slip number)."""
        query = self._query(flt).limit(limit).offset(offset)
        with self.ctx.read() as session:
            return [
                RecordRow(
                    r.id,
                    r.slip_no,
                    r.service_date,
                    vno,
                    vname,
                    rno,
                    rname,
                    r.category_code,
                    r.duration_minutes,
                    r.credited_minutes,
                    r.payer,
                    r.status,
                    r.signed,
                    r.rating,
                )
                for r, vno, vname, rno, rname in session.execute(query).all()
            ]

    def months(self) -> list[Month]:
        """Months that hold records, newest first (for the month filter)."""
        with self.ctx.read() as session:
            first = session.scalar(select(func.min(ServiceRecord.service_date)))
            last = session.scalar(select(func.max(ServiceRecord.service_date)))
        if first is None or last is None:
            return [Month.of(self.ctx.today())]
        months: list[Month] = []
        month, stop = Month.of(max(last, self.ctx.today())), Month.of(first)
        while month >= stop and len(months) < 240:
            months.append(month)
            month = month.previous
        return months
