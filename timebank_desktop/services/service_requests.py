"""Service requests (需求登记): an elder's need, kept open until a volunteer is found."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import NotFound, Refused, ValidationError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import Category, Member, ServiceRequest
from timebank_desktop.services.care_text import text_field
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import resolve_active
from timebank_desktop.services.records import RecordService, lock_record

OPEN, SERVED, CANCELLED = "open", "served", "cancelled"
MIN_PREFIX = 8  # a request may be named by the first 8+ characters of its id


@dataclass(frozen=True, slots=True)
class RequestView:
    id: str
    recipient_no: str
    recipient_name: str
    category: str
    when_text: str
    notes: str
    status: str
    created_at: datetime


def find_request(session: Session, ref: str) -> ServiceRequest:
    """A request by its id, or by an unambiguous beginning of it (at least 8 characters)."""
    text = ref.strip().lower()
    found = session.get(ServiceRequest, text) if text else None
    if found is None and len(text) >= MIN_PREFIX and "%" not in text and "_" not in text:
        rows = session.scalars(
            select(ServiceRequest).where(ServiceRequest.id.like(f"{text}%")).limit(2)
        ).all()
        if len(rows) > 1:
            raise ValidationError.single(
                "request.ambiguous",
                _("More than one request begins with {ref}: give more of its id").format(
                    ref=ref.strip()
                ),
                "request",
            )
        found = rows[0] if rows else None
    if found is None:
        raise NotFound(_("Unknown service request: {ref}").format(ref=ref.strip()))
    return found


def _view(request: ServiceRequest, recipient: Member) -> RequestView:
    return RequestView(
        request.id,
        recipient.member_no,
        recipient.name,
        request.category_code,
        request.when_text,
        request.notes,
        request.status,
        request.created_at,
    )


def active_category(session: Session, code: str) -> Category:
    category = session.get(Category, code.strip().lower())
    if category is None or not category.active:
        raise ValidationError.single(
            "request.category",
            _("Unknown service category: {code}").format(code=code.strip()),
            "category",
        )
    return category


class RequestService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def add(
        self, recipient_ref: str, category: str, when_text: str = "", notes: str = ""
    ) -> RequestView:
        """Register an elder's need for a service of ``category``."""
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        when_text = text_field(when_text, 100, "when", _("The time wanted"), required=False)
        notes = text_field(notes, 500, "notes", _("The notes"), required=False)
        with ctx.write() as session:
            recipient = resolve_active(session, recipient_ref, "recipient", "recipient")
            code = active_category(session, category).code
            request = ServiceRequest(
                id=ctx.new_id(),
                recipient_id=recipient.id,
                category_code=code,
                when_text=when_text,
                notes=notes,
                status=OPEN,
                created_at=ctx.now(),
            )
            session.add(request)
            ctx.audit(
                session,
                "request.add",
                "service_request",
                request.id,
                recipient=recipient.member_no,
                category=code,
            )
            return _view(request, recipient)

    def close(self, ref: str, record_ref: str | None = None) -> RequestView:
        """Close an open request: served by a service record of the same elder, or cancelled.

        The record given is linked to the request (``service_record.request_id``).
        """
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        with ctx.write() as session:
            # Locked and read afresh (PostgreSQL): two clerks cannot close one request twice,
            # nor link one record to two requests.
            request = session.execute(
                select(ServiceRequest)
                .where(ServiceRequest.id == find_request(session, ref).id)
                .with_for_update()
                .execution_options(populate_existing=True)
            ).scalar_one()
            if request.status != OPEN:
                raise Refused(_("Service request {ref} is no longer open").format(ref=request.id))
            detail: dict[str, object] = {}
            if record_ref is not None:
                record = lock_record(session, RecordService.find(session, record_ref))
                if record.status == "void":
                    raise Refused(_("Slip {slip} was voided").format(slip=record.slip_no))
                if record.recipient_id != request.recipient_id:
                    raise Refused(
                        _("Slip {slip} is a service to another recipient").format(
                            slip=record.slip_no
                        )
                    )
                if record.request_id not in (None, request.id):
                    raise Refused(
                        _("Slip {slip} already answers request {other}").format(
                            slip=record.slip_no, other=record.request_id
                        )
                    )
                record.request_id = request.id
                detail["slip_no"] = record.slip_no
            request.status = SERVED if record_ref is not None else CANCELLED
            detail["status"] = request.status
            ctx.audit(session, "request.close", "service_request", request.id, **detail)
            return _view(request, session.get_one(Member, request.recipient_id))

    def get(self, ref: str) -> RequestView:
        with self.ctx.read() as session:
            request = find_request(session, ref)
            return _view(request, session.get_one(Member, request.recipient_id))

    def open_requests(self) -> list[RequestView]:
        """Every open request, the oldest first."""
        with self.ctx.read() as session:
            rows = session.execute(
                select(ServiceRequest, Member)
                .join(Member, Member.id == ServiceRequest.recipient_id)
                .where(ServiceRequest.status == OPEN)
                .order_by(ServiceRequest.created_at, ServiceRequest.id)
            ).all()
            return [_view(request, member) for request, member in rows]


_LEADING_DATE = re.compile(r"(?:(\d{4})-)?(\d{1,2})-(\d{1,2})(?!\d)")


def wanted_day(when_text: str, today: date) -> date:
    """The day a request is for when its time begins with a date (``YYYY-MM-DD``, or ``MM-DD``
    meaning the next such day from today), else ``today``."""
    found = _LEADING_DATE.match(when_text.strip())
    if found is None:
        return today
    year, month, day = found.groups()
    try:
        if year is not None:
            return date(int(year), int(month), int(day))
        wanted = date(today.year, int(month), int(day))
        return wanted if wanted >= today else date(today.year + 1, int(month), int(day))
    except ValueError:
        return today
