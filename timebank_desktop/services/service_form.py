"""The paper-card service form as typed: every field checked at once, then recorded.

The GUI hands over the raw text of each field; this module parses it (dates, times, payer and
satisfaction keys, category code or pinyin initials), resolves the two members, and either
records the service or raises one `ValidationError` naming every field at fault, in the order
of the form, so the form can put the focus in the first of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import TypeVar

from timebank_desktop.domain.categories import CategoryInfo, match_category
from timebank_desktop.domain.errors import Problem, TimebankError, ValidationError
from timebank_desktop.domain.policy import Policy
from timebank_desktop.domain.servicetime import (
    PAYER_KEYS,
    RATING_KEYS,
    duration_minutes,
    parse_date,
    parse_time,
)
from timebank_desktop.i18n import _
from timebank_desktop.services.catalogue import CategoryService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.lookup import MemberLookup
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.records import RecordService, RecordView, ServiceInput

T = TypeVar("T")

FORM_FIELDS = (
    "volunteer",
    "recipient",
    "category",
    "date",
    "start",
    "end",
    "payer",
    "content",
    "satisfaction",
    "signed",
)


@dataclass(frozen=True, slots=True)
class ServiceForm:
    """The text of each field of the form, as typed."""

    volunteer: str = ""
    recipient: str = ""
    category: str = ""
    date: str = ""
    start: str = ""
    end: str = ""
    payer: str = ""
    content: str = ""
    satisfaction: str = ""
    signed: bool = False


def parse_category(text: str, catalogue: tuple[CategoryInfo, ...]) -> CategoryInfo:
    found = match_category(text, catalogue) if text.strip() else None
    if found is None:
        message = (
            _("Unknown service category: {code}").format(code=text.strip())
            if text.strip()
            else _("Type the category code or its pinyin initials")
        )
        raise ValidationError.single("form.category", message, "category")
    return found


def parse_payer(text: str) -> str:
    """``r`` the recipient's account, ``p`` (or nothing) the community pool."""
    key = text.strip().lower() or "p"
    if key not in PAYER_KEYS:
        raise ValidationError.single(
            "form.payer", _("Type r (recipient) or p (community pool)"), "payer"
        )
    return PAYER_KEYS[key]


def parse_rating(text: str) -> str | None:
    """``1`` satisfied, ``2`` neutral, ``3`` dissatisfied, nothing: not asked."""
    key = text.strip()
    if not key:
        return None
    if key not in RATING_KEYS:
        raise ValidationError.single(
            "form.rating", _("Satisfaction must be 1, 2 or 3"), "satisfaction"
        )
    return RATING_KEYS[key]


def service_day(text: str, today: date, policy: Policy) -> date:
    """The service date typed: neither in the future nor older than late entries may be."""
    day = parse_date(text, today, "date")
    if day > today:
        raise ValidationError.single(
            "service.future", _("The service date cannot be in the future"), "date"
        )
    too_old = policy.late_entry_problem(day, today)
    if too_old is not None:
        raise ValidationError.of((too_old,))
    return day


def _attempt(problems: list[Problem], parse: Callable[[], T]) -> T | None:
    try:
        return parse()
    except TimebankError as exc:
        problems.extend(exc.problems or (Problem("form", exc.message, None),))
        return None


class ServiceFormService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def catalogue(self) -> tuple[CategoryInfo, ...]:
        return CategoryService(self.ctx).list(include_inactive=False)

    def to_input(self, form: ServiceForm) -> ServiceInput:
        """The form as a `ServiceInput`, or every problem of it at once."""
        problems: list[Problem] = []
        lookup = MemberLookup(self.ctx)
        today = self.ctx.today()
        volunteer = _attempt(
            problems, lambda: lookup.resolve(form.volunteer, "volunteer", "volunteer")
        )
        recipient = _attempt(problems, lambda: lookup.resolve(form.recipient, "recipient"))
        catalogue = self.catalogue()
        category = _attempt(problems, lambda: parse_category(form.category, catalogue))
        policy = PolicyService(self.ctx).current()
        day = _attempt(problems, lambda: service_day(form.date, today, policy))
        start = _attempt(problems, lambda: parse_time(form.start, "start"))
        end = _attempt(problems, lambda: parse_time(form.end, "end"))
        payer = _attempt(problems, lambda: parse_payer(form.payer))
        rating = _attempt(problems, lambda: parse_rating(form.satisfaction))
        if isinstance(start, time) and isinstance(end, time) and duration_minutes(start, end) <= 0:
            # said now, with the other faults, rather than after they are mended
            end_before = _("The end time must be after the start time")
            problems.append(Problem("service.end_before_start", end_before, "end"))
        if problems:
            order = {name: i for i, name in enumerate(FORM_FIELDS)}
            problems.sort(key=lambda p: order.get(p.field or "", len(order)))
            raise ValidationError.of(problems)
        if volunteer is None or recipient is None or category is None or payer is None:
            raise AssertionError("parsed without problems yet missing a value")
        if not (isinstance(day, date) and isinstance(start, time) and isinstance(end, time)):
            raise AssertionError("parsed without problems yet missing a date or time")
        return ServiceInput(
            volunteer=volunteer.member_no,
            recipient=recipient.member_no,
            category=category.code,
            service_date=day,
            start=start,
            end=end,
            payer=payer,
            content=form.content.strip(),
            rating=rating,
            signed=form.signed,
        )

    def save(self, form: ServiceForm) -> RecordView:
        """Record the service on the form (nothing is saved if any field is at fault)."""
        return RecordService(self.ctx).record(self.to_input(form))
