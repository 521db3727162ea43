"""Volunteer service certificates (志愿服务记录证明) and honour certificates (荣誉证书).

Each is numbered from a yearly counter (``ZM-2026-0001``, ``RY-2026-0001``) and kept in the
`IssuedDocument` register with its period and hours, in the same transaction that prints it:
a refusal or a failed print leaves neither a number used nor a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from timebank_desktop.domain import stars
from timebank_desktop.domain.clock import local_date
from timebank_desktop.domain.errors import Refused
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.pdf import render_honour_certificate, render_service_certificate
from timebank_desktop.exports.pdf.data import CategoryLine, HonourCertificate, ServiceCertificate
from timebank_desktop.exports.pdf.layout import Target
from timebank_desktop.i18n import _
from timebank_desktop.models import IssuedDocument, Member, ServiceRecord
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import next_value
from timebank_desktop.services.members import resolve
from timebank_desktop.services.paper.common import (
    category_names,
    category_order,
    centre_name,
    language_of,
    person,
)
from timebank_desktop.services.paper.statement import check_period
from timebank_desktop.services.policy import policy_for

SERVICE, HONOUR = "service", "honour"
PREFIX = {SERVICE: "ZM", HONOUR: "RY"}


@dataclass(frozen=True, slots=True)
class HonourDue:
    """A volunteer whose service reached a star level above the one on record."""

    member_no: str
    name: str
    total_minutes: int
    level: int
    recorded_level: int


@dataclass(frozen=True, slots=True)
class IssuedView:
    """One row of the certificate register."""

    doc_no: str
    kind: str
    member_no: str
    member_name: str
    period_from: date | None
    period_to: date | None
    total_minutes: int
    issued_on: date
    issued_by: str
    detail: dict[str, object]


def _confirmed(member: Member) -> tuple[ColumnElement[bool], ...]:
    return (ServiceRecord.volunteer_id == member.id, ServiceRecord.status == "posted")


def _number(session: Session, kind: str, year: int) -> str:
    serial = next_value(session, f"doc:{PREFIX[kind]}:{year}")
    return f"{PREFIX[kind]}-{year}-{serial:04d}"


class CertificateService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------ service certificate
    def issue_service_certificate(
        self,
        ref: str,
        target: Target,
        start: date | None = None,
        end: date | None = None,
        language: str | None = None,
    ) -> ServiceCertificate:
        """Number, register and print a member's service certificate for [start, end].

        Without ``start`` the period begins at the member's first confirmed service; without
        ``end`` it ends today. Only confirmed (posted, not void) services count.
        """
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        lang = language_of(language)
        check_period(start, end)
        today = ctx.today()
        with ctx.write() as session:
            member = resolve(session, ref)
            begin, finish = self._period(session, member, start, end)
            lines = self._by_category(session, member, begin, finish, lang)
            data = ServiceCertificate(
                certificate_no=_number(session, SERVICE, today.year),
                centre_name=centre_name(session),
                volunteer=person(member),
                id_number=member.id_number,
                period_start=begin,
                period_end=finish,
                by_category=tuple(lines),
                issued_on=today,
            )
            detail = {
                "services": data.total_services,
                "by_category": {line.category: line.minutes for line in lines},
            }
            self._register(session, data.certificate_no, SERVICE, member, data.total_minutes,
                           begin, finish, detail)  # fmt: skip
            render_service_certificate(data, target, lang)
            return data

    def _period(
        self, session: Session, member: Member, start: date | None, end: date | None
    ) -> tuple[date, date]:
        """[start, end], from the first confirmed service (or joining) to today by default."""
        first = session.scalar(
            select(func.min(ServiceRecord.service_date)).where(*_confirmed(member))
        )
        begin = start or first or member.joined_on
        finish = end or max(self.ctx.today(), begin)
        check_period(begin, finish)
        return begin, finish

    def _by_category(
        self, session: Session, member: Member, start: date, end: date, language: str
    ) -> list[CategoryLine]:
        """Confirmed services in [start, end] by category; refused when there are none."""
        rows = session.execute(
            select(
                ServiceRecord.category_code,
                func.count(),
                func.coalesce(func.sum(ServiceRecord.credited_minutes), 0),
            )
            .where(
                *_confirmed(member),
                ServiceRecord.service_date >= start,
                ServiceRecord.service_date <= end,
            )
            .group_by(ServiceRecord.category_code)
        ).all()
        names, order = category_names(session, language), category_order(session)
        rows = sorted(rows, key=lambda r: (order.get(r[0], 999), r[0]))
        if not rows:
            raise Refused(
                _("{name} has no confirmed volunteer service from {start} to {end}").format(
                    name=member.name, start=start.isoformat(), end=end.isoformat()
                )
            )
        return [CategoryLine(names.get(code, code), int(n), int(m)) for code, n, m in rows]

    def _register(
        self,
        session: Session,
        number: str,
        kind: str,
        member: Member,
        minutes: int,
        start: date | None,
        end: date | None,
        detail: dict[str, object],
    ) -> None:
        ctx = self.ctx
        session.add(
            IssuedDocument(
                id=ctx.new_id(),
                doc_no=number,
                kind=kind,
                member_id=member.id,
                period_from=start,
                period_to=end,
                total_minutes=minutes,
                issued_at=ctx.now(),
                issued_by=ctx.actor.username,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
            )
        )
        session.flush()
        ctx.audit(session, "certificate.issue", "issued_document", number,
                  kind=kind, member=member.member_no, minutes=minutes)  # fmt: skip

    # ------------------------------------------------------------ honour certificate
    def service_minutes(self, session: Session, member: Member) -> int:
        """A volunteer's confirmed service, all time (what star levels count)."""
        return int(
            session.scalar(
                select(func.coalesce(func.sum(ServiceRecord.credited_minutes), 0)).where(
                    *_confirmed(member)
                )
            )
            or 0
        )

    def issue_honour(
        self, ref: str, target: Target, language: str | None = None
    ) -> HonourCertificate:
        """The honour certificate for the highest star level the volunteer has reached.

        Refused below the first milestone, and when that level's certificate was already
        issued (its number is named). The member's star level is raised to it.
        """
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        lang = language_of(language)
        today = ctx.today()
        with ctx.write() as session:
            member = resolve(session, ref)
            milestones = stars.milestones_minutes(policy_for(session, today).extra)
            total = self.service_minutes(session, member)
            level = self._new_level(session, member, total, milestones)
            milestone = stars.milestone_of(level, milestones)
            data = HonourCertificate(
                certificate_no=_number(session, HONOUR, today.year),
                centre_name=centre_name(session),
                volunteer=person(member),
                star_level=level,
                milestone_minutes=milestone,
                total_minutes=total,
                as_of=today,
                issued_on=today,
            )
            self._register(session, data.certificate_no, HONOUR, member, total, None, today,
                           {"star_level": level, "milestone": milestone})  # fmt: skip
            if member.star_level < level:
                ctx.audit(session, "member.star_level", "member", member.member_no,
                          before=member.star_level, after=level)  # fmt: skip
                member.star_level = level
            render_honour_certificate(data, target, lang)
            return data

    def _new_level(
        self, session: Session, member: Member, total: int, milestones: tuple[int, ...]
    ) -> int:
        """The star level reached, refused below the first one or when already certified."""
        level = stars.level_for(total, milestones)
        if level == 0:
            raise Refused(
                _("{name} has {hours} h of service; the first star needs {need} h").format(
                    name=member.name, hours=format_hours(total), need=format_hours(milestones[0])
                )
            )
        for issued in self._issued(session, member, HONOUR):
            if issued.detail.get("star_level") == level:
                raise Refused(
                    _("The {level}-star honour certificate of {name} was already issued: "
                      "{number}").format(level=level, name=member.name, number=issued.doc_no)
                )  # fmt: skip
        return level

    def honours_due(self) -> list[HonourDue]:
        """Volunteers due an honour certificate: a star level reached and not yet recorded."""
        self.ctx.require(Permission.VIEW)
        with self.ctx.read() as session:
            milestones = stars.milestones_minutes(policy_for(session, self.ctx.today()).extra)
            total = func.sum(ServiceRecord.credited_minutes)
            rows = session.execute(
                select(Member.member_no, Member.name, Member.star_level, total)
                .join(ServiceRecord, ServiceRecord.volunteer_id == Member.id)
                .where(ServiceRecord.status == "posted")
                .group_by(Member.member_no, Member.name, Member.star_level)
                .having(total >= milestones[0])
                .order_by(Member.member_no)
            ).all()
        due = [
            HonourDue(no, name, int(minutes), stars.level_for(int(minutes), milestones), level)
            for no, name, level, minutes in rows
        ]
        return [d for d in due if d.level > d.recorded_level]

    # ------------------------------------------------------------ register
    def _issued(
        self, session: Session, member: Member | None, kind: str | None
    ) -> list[IssuedView]:
        query = (
            select(IssuedDocument, Member.member_no, Member.name)
            .join(Member, Member.id == IssuedDocument.member_id)
            .order_by(IssuedDocument.issued_at, IssuedDocument.doc_no)
        )
        if member is not None:
            query = query.where(IssuedDocument.member_id == member.id)
        if kind is not None:
            query = query.where(IssuedDocument.kind == kind)
        return [
            IssuedView(doc.doc_no, doc.kind, number, name, doc.period_from, doc.period_to,
                       doc.total_minutes, local_date(doc.issued_at.replace(tzinfo=UTC)),
                       doc.issued_by, json.loads(doc.detail or "{}"))
            for doc, number, name in session.execute(query).all()
        ]  # fmt: skip

    def register(self, ref: str | None = None, kind: str | None = None) -> list[IssuedView]:
        """The certificate register, oldest first; for one member when ``ref`` is given."""
        self.ctx.require(Permission.VIEW)
        with self.ctx.read() as session:
            member = resolve(session, ref) if ref else None
            return self._issued(session, member, kind)
