"""匹配: rank the active volunteers for a service request, each with the reasons for its place.

A handful of aggregate queries (one per fact, grouped by volunteer) and the scoring in Python:
no query per volunteer, so it stays quick on a centre of 5,000 members.

What counts, strongest first: having served this elder before (continuity matters to elders),
accident insurance in force on the day (a volunteer without it is ranked lower, not hidden:
no policy setting requires it), experience in the category, a listed skill, a valid training
certificate, a light load over the last 30 days, the star level. The recipient is never their
own match.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import (
    InsurancePolicy,
    Member,
    ServiceRecord,
    ServiceRequest,
    TrainingCertificate,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.service_requests import OPEN, find_request, wanted_day
from timebank_desktop.services.volunteers import certificate_valid_on, policy_covers

SERVED_ELDER, SERVED_ELDER_EACH = 30, 3  # + per earlier service, up to 10
CATEGORY, CATEGORY_EACH = 10, 1  # + per service in the category, up to 20
SKILL = 10
CERTIFIED = 15
INSURED, UNINSURED = 20, -30
LOAD_DAYS = 30  # the load is what a volunteer was credited over the last 30 days
LOAD_FULL = 20  # less one point per half hour of that
STAR_EACH = 2
BUSY_MINUTES = 600  # ten hours in 30 days is a full load


@dataclass(frozen=True, slots=True)
class Candidate:
    member_no: str
    name: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Facts:
    """What the ranking knows of one volunteer."""

    served_elder: int
    in_category: int
    has_skill: bool
    certified: bool
    insured: bool
    recent_minutes: int
    stars: int


def points(facts: Facts) -> int:
    """The score of one volunteer: the higher, the better suited."""
    total = INSURED if facts.insured else UNINSURED
    if facts.served_elder:
        total += SERVED_ELDER + SERVED_ELDER_EACH * min(facts.served_elder, 10)
    if facts.in_category:
        total += CATEGORY + CATEGORY_EACH * min(facts.in_category, 20)
    total += SKILL if facts.has_skill else 0
    total += CERTIFIED if facts.certified else 0
    total += max(0, LOAD_FULL - facts.recent_minutes // 30)
    return total + STAR_EACH * max(facts.stars, 0)


def reasons(facts: Facts, day: date) -> tuple[str, ...]:
    """Why a volunteer scored as they did, in the user's language, the weightiest first."""
    said = []
    if facts.served_elder:
        said.append(_("has served this elder before ({n} times)").format(n=facts.served_elder))
    if facts.insured:
        said.append(_("insured on {day}").format(day=day.isoformat()))
    else:
        said.append(_("not insured on {day}: ranked lower").format(day=day.isoformat()))
    if facts.in_category:
        said.append(_("has done this category ({n} services)").format(n=facts.in_category))
    if facts.has_skill:
        said.append(_("lists this category among their skills"))
    if facts.certified:
        said.append(_("training certificate valid"))
    else:
        said.append(_("no valid training certificate"))
    hours = format_hours(facts.recent_minutes)
    if facts.recent_minutes < BUSY_MINUTES:
        said.append(_("few hours in the last 30 days ({hours} h)").format(hours=hours))
    else:
        said.append(_("busy in the last 30 days ({hours} h)").format(hours=hours))
    if facts.stars > 0:
        said.append(_("star level {n}").format(n=facts.stars))
    return tuple(said)


def _counts(session: Session, query: Select[str, int]) -> dict[str, int]:
    return {member_id: count for member_id, count in session.connection().execute(query)}


def _ids(session: Session, query: Select[str]) -> set[str]:
    return set(session.connection().scalars(query))


def _per_volunteer(where: ColumnElement[bool]) -> Select[str, int]:
    """Services per volunteer among those ``where`` picks (void ones left out).

    Grouped by an expression rather than the bare column: on the bare column SQLite walks the
    volunteer index and reads the rows in its order, about 7× slower on the demo centre than
    the plain scan it does for a category (bench/bench_match.py); PostgreSQL plans it alike.
    """
    volunteer = func.coalesce(ServiceRecord.volunteer_id, ServiceRecord.volunteer_id)
    return (
        select(volunteer, func.count())
        .where(ServiceRecord.status != "void", where)
        .group_by(volunteer)
    )


def rank(
    session: Session, request: ServiceRequest, day: date, today: date, limit: int
) -> list[Candidate]:
    """The best ``limit`` volunteers for ``request`` on ``day`` (load: the 30 days to today)."""
    volunteers = (
        session.connection()
        .execute(
            select(
                Member.id, Member.member_no, Member.name, Member.skills, Member.star_level
            ).where(
                Member.active.is_(True),
                Member.is_volunteer.is_(True),
                Member.id != request.recipient_id,
            )
        )
        .all()
    )
    code = request.category_code
    served = _counts(session, _per_volunteer(ServiceRecord.recipient_id == request.recipient_id))
    in_category = _counts(session, _per_volunteer(ServiceRecord.category_code == code))
    load = {
        member_id: int(minutes)
        for member_id, minutes in session.connection().execute(
            select(ServiceRecord.volunteer_id, func.sum(ServiceRecord.credited_minutes))
            .where(
                ServiceRecord.status != "void",
                ServiceRecord.service_date > today - timedelta(days=LOAD_DAYS),
                ServiceRecord.service_date <= today,
            )
            .group_by(ServiceRecord.volunteer_id)
        )
    }
    certified = _ids(
        session, select(TrainingCertificate.member_id).where(certificate_valid_on(day)).distinct()
    )
    insured = _ids(session, select(InsurancePolicy.member_id).where(policy_covers(day)).distinct())
    scored: list[tuple[int, str, str, Facts]] = []
    for member_id, member_no, name, skills, stars in volunteers:
        facts = Facts(
            served.get(member_id, 0),
            in_category.get(member_id, 0),
            code in _skill_codes(skills),
            member_id in certified,
            member_id in insured,
            load.get(member_id, 0),
            stars or 0,
        )
        scored.append((-points(facts), member_no, name, facts))
    best = heapq.nsmallest(limit, scored)  # best first; equal scores by (unique) member number
    return [
        Candidate(member_no, name, -negative, reasons(facts, day))
        for negative, member_no, name, facts in best
    ]


def _skill_codes(skills: str | None) -> Iterable[str]:
    return [s.strip().lower() for s in skills.split(",")] if skills else ()


class MatchService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def match(self, ref: str, limit: int = 10) -> tuple[date, list[Candidate]]:
        """The day the request is for, and its best volunteers, the most suitable first."""
        ctx = self.ctx
        ctx.require(Permission.VIEW)
        if limit < 1:
            raise ValidationError.single(
                "match.limit", _("The number of volunteers to list must be at least 1"), "limit"
            )
        with ctx.read() as session:
            request = find_request(session, ref)
            if request.status != OPEN:
                raise Refused(_("Service request {ref} is no longer open").format(ref=request.id))
            today = ctx.today()
            day = wanted_day(request.when_text, today)
            return day, rank(session, request, day, today, limit)
