"""Volunteers' training certificates (培训证书) and accident insurance (意外保险)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select

from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import InsurancePolicy, TrainingCertificate
from timebank_desktop.services.care_text import text_field
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import resolve, resolve_active


@dataclass(frozen=True, slots=True)
class CertificateView:
    member_no: str
    name: str
    course: str
    issued_on: date
    expires_on: date | None

    def valid_on(self, day: date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or self.expires_on >= day)


@dataclass(frozen=True, slots=True)
class PolicyView:
    member_no: str
    name: str
    insurer: str
    policy_no: str
    valid_from: date
    valid_to: date

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


def certificate_valid_on(day: date) -> ColumnElement[bool]:
    """A training certificate in force on ``day`` (one without an expiry never runs out)."""
    return (TrainingCertificate.issued_on <= day) & or_(
        TrainingCertificate.expires_on.is_(None), TrainingCertificate.expires_on >= day
    )


def policy_covers(day: date) -> ColumnElement[bool]:
    """An insurance policy in force on ``day`` (both ends included)."""
    return (InsurancePolicy.valid_from <= day) & (InsurancePolicy.valid_to >= day)


class VolunteerService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------ training
    def certify(
        self, ref: str, course: str, issued_on: date, expires_on: date | None = None
    ) -> CertificateView:
        """Record a training certificate; it expires after its course date, if at all."""
        ctx = self.ctx
        ctx.require(Permission.EDIT_MEMBERS)
        course = text_field(course, 100, "course", _("The course"))
        if issued_on > ctx.today():
            raise ValidationError.single(
                "certificate.future", _("The course date cannot be in the future"), "date"
            )
        if expires_on is not None and expires_on <= issued_on:
            raise ValidationError.single(
                "certificate.expires",
                _("The certificate must expire after its course date"),
                "expires",
            )
        with ctx.write() as session:
            member = resolve_active(session, ref, "volunteer")
            if session.scalar(
                select(TrainingCertificate.id).where(
                    TrainingCertificate.member_id == member.id,
                    TrainingCertificate.course == course,
                    TrainingCertificate.issued_on == issued_on,
                )
            ):
                raise Refused(
                    _("{name} already has the certificate for {course} of {day}").format(
                        name=member.name, course=course, day=issued_on.isoformat()
                    )
                )
            row = TrainingCertificate(
                id=ctx.new_id(),
                member_id=member.id,
                course=course,
                issued_on=issued_on,
                expires_on=expires_on,
            )
            session.add(row)
            ctx.audit(
                session,
                "volunteer.certify",
                "training_certificate",
                row.id,
                member=member.member_no,
                course=course,
                issued_on=issued_on,
                expires_on=expires_on,
            )
            return CertificateView(member.member_no, member.name, course, issued_on, expires_on)

    # ------------------------------------------------------------ insurance
    def insure(
        self, ref: str, insurer: str, policy_no: str, valid_from: date, valid_to: date
    ) -> PolicyView:
        """Record an accident-insurance policy; overlapping policies are allowed."""
        ctx = self.ctx
        ctx.require(Permission.EDIT_MEMBERS)
        insurer = text_field(insurer, 100, "insurer", _("The insurer"))
        policy_no = text_field(policy_no, 60, "policy", _("The policy number"))
        if valid_to < valid_from:
            raise ValidationError.single(
                "insurance.dates", _("The policy cannot end before it begins"), "to"
            )
        with ctx.write() as session:
            member = resolve_active(session, ref, "volunteer")
            if session.scalar(
                select(InsurancePolicy.id).where(
                    InsurancePolicy.member_id == member.id,
                    InsurancePolicy.insurer == insurer,
                    InsurancePolicy.policy_no == policy_no,
                    InsurancePolicy.valid_from == valid_from,
                    InsurancePolicy.valid_to == valid_to,
                )
            ):
                raise Refused(
                    _("Policy {policy} of {insurer} is already recorded for {name}").format(
                        policy=policy_no, insurer=insurer, name=member.name
                    )
                )
            row = InsurancePolicy(
                id=ctx.new_id(),
                member_id=member.id,
                insurer=insurer,
                policy_no=policy_no,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            session.add(row)
            ctx.audit(
                session,
                "volunteer.insure",
                "insurance_policy",
                row.id,
                member=member.member_no,
                insurer=insurer,
                policy_no=policy_no,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            return PolicyView(
                member.member_no, member.name, insurer, policy_no, valid_from, valid_to
            )

    # ------------------------------------------------------------ reading
    def certificates(self, ref: str) -> list[CertificateView]:
        """A member's training certificates, the most recent course first."""
        with self.ctx.read() as session:
            member = resolve(session, ref)
            rows = session.execute(
                select(
                    TrainingCertificate.course,
                    TrainingCertificate.issued_on,
                    TrainingCertificate.expires_on,
                )
                .where(TrainingCertificate.member_id == member.id)
                .order_by(TrainingCertificate.issued_on.desc(), TrainingCertificate.course)
            ).all()
            return [CertificateView(member.member_no, member.name, *row) for row in rows]

    def policies(self, ref: str) -> list[PolicyView]:
        """A member's insurance policies, the latest ending first."""
        with self.ctx.read() as session:
            member = resolve(session, ref)
            rows = session.execute(
                select(
                    InsurancePolicy.insurer,
                    InsurancePolicy.policy_no,
                    InsurancePolicy.valid_from,
                    InsurancePolicy.valid_to,
                )
                .where(InsurancePolicy.member_id == member.id)
                .order_by(InsurancePolicy.valid_to.desc(), InsurancePolicy.policy_no)
            ).all()
            return [PolicyView(member.member_no, member.name, *row) for row in rows]

    def is_insured(self, ref: str, day: date) -> bool:
        """Whether some policy of the member covers ``day``."""
        with self.ctx.read() as session:
            member = resolve(session, ref)
            found = session.scalar(
                select(InsurancePolicy.id)
                .where(InsurancePolicy.member_id == member.id, policy_covers(day))
                .limit(1)
            )
            return found is not None

    def is_certified(self, ref: str, day: date) -> bool:
        """Whether some training certificate of the member is in force on ``day``."""
        with self.ctx.read() as session:
            member = resolve(session, ref)
            found = session.scalar(
                select(TrainingCertificate.id)
                .where(TrainingCertificate.member_id == member.id, certificate_valid_on(day))
                .limit(1)
            )
            return found is not None
