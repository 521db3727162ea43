"""Service records: record a service, confirm its returned signed slip, void by reversal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank_desktop.domain import slipno
from timebank_desktop.domain.errors import NotFound, Problem, Refused, ValidationError
from timebank_desktop.domain.idnumber import age_on
from timebank_desktop.domain.ledger import (
    POOL_ACCOUNT,
    PostingLine,
    TxKind,
    member_account_code,
)
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.policy import Policy
from timebank_desktop.domain.roles import Permission
from timebank_desktop.domain.servicetime import PAYERS, RATINGS, duration_minutes
from timebank_desktop.i18n import _
from timebank_desktop.models import Category, Member, ServiceRecord, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import next_value
from timebank_desktop.services.ledger_writer import LedgerWriter, TxSpec
from timebank_desktop.services.members import resolve
from timebank_desktop.services.policy import policy_for
from timebank_desktop.services.reversal import check_reason, reverse_txn


@dataclass(frozen=True, slots=True)
class ServiceInput:
    volunteer: str  # member number or ID number
    recipient: str
    category: str  # category code
    service_date: date
    start: time
    end: time
    payer: str = "pool"
    content: str = ""
    rating: str | None = None
    signed: bool = False
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class RecordView:
    id: str
    slip_no: str
    volunteer_no: str
    volunteer_name: str
    recipient_no: str
    recipient_name: str
    category: str
    service_date: date
    start: time
    end: time
    duration_minutes: int
    weight_permille: int
    credited_minutes: int
    payer: str
    content: str
    rating: str | None
    status: str
    signed: bool
    txn_id: str | None

    @property
    def posted(self) -> bool:
        return self.status == "posted"


@dataclass(frozen=True, slots=True)
class CreditPreview:
    duration_minutes: int
    weight_permille: int
    credited_minutes: int


def preview_credit(policy: Policy, weight_permille: int, start: time, end: time) -> CreditPreview:
    """What the form shows live: duration, weight in force, credited time."""
    duration = duration_minutes(start, end)
    return CreditPreview(
        duration,
        policy.effective_weight(weight_permille),
        policy.credited(max(duration, 0), weight_permille),
    )


def record_view(session: Session, record: ServiceRecord) -> RecordView:
    vol = session.get_one(Member, record.volunteer_id)
    rec = session.get_one(Member, record.recipient_id)
    return RecordView(
        record.id,
        record.slip_no,
        vol.member_no,
        vol.name,
        rec.member_no,
        rec.name,
        record.category_code,
        record.service_date,
        record.start_time,
        record.end_time,
        record.duration_minutes,
        record.weight_permille,
        record.credited_minutes,
        record.payer,
        record.content,
        record.rating,
        record.status,
        record.signed,
        record.txn_id,
    )


def lock_record(session: Session, record: ServiceRecord) -> ServiceRecord:
    """``record`` held until the transaction ends (PostgreSQL; SQLite writers are serial) and
    read afresh, so a status checked after this sees what another clerk committed: two clerks
    confirming, voiding or deciding a dispute on one slip at once cannot credit it twice,
    reverse it twice or void it without reversing its credit."""
    return session.execute(
        select(ServiceRecord)
        .where(ServiceRecord.id == record.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def lock_volunteer(session: Session, volunteer: Member) -> None:
    """Hold the volunteer's row until the transaction ends (PostgreSQL): two clerks recording
    services of one volunteer at once take turns, so the daily cap sees both."""
    session.execute(select(Member.id).where(Member.id == volunteer.id).with_for_update())


def void_record(session: Session, ctx: AppContext, record: ServiceRecord, reason: str) -> None:
    """Void ``record`` (not void yet) in the caller's transaction: its credit, if posted, is
    reversed (never deleted). Used by `service void` and by an upheld dispute."""
    reason = reason.strip()
    if record.txn_id is not None:
        original = session.get_one(Txn, record.txn_id)
        posted = reverse_txn(session, ctx, original, reason)
        record.void_txn_id = posted.id
    record.status, record.void_reason = "void", reason
    ctx.audit(
        session, "service.void", "service_record", record.id, slip_no=record.slip_no, reason=reason
    )


class RecordService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------ record
    def record(self, data: ServiceInput) -> RecordView:
        """Save a service; post its credit now if signed (or if slips need no signature)."""
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        with ctx.write() as session:
            policy = policy_for(session, data.service_date)
            volunteer = resolve(session, data.volunteer, "volunteer")
            recipient = resolve(session, data.recipient, "recipient")
            category = session.get(Category, data.category.strip().lower())
            self._check(session, data, policy, volunteer, recipient, category)
            assert category is not None
            duration = duration_minutes(data.start, data.end)
            weight = policy.effective_weight(category.weight_permille)
            credited = policy.credited(duration, category.weight_permille)
            lock_volunteer(session, volunteer)
            self._check_daily_cap(session, policy, volunteer, data.service_date, credited)
            serial = next_value(session, "slip")
            record = ServiceRecord(
                id=ctx.new_id(),
                slip_no=slipno.make(serial),
                volunteer_id=volunteer.id,
                recipient_id=recipient.id,
                category_code=category.code,
                service_date=data.service_date,
                start_time=data.start,
                end_time=data.end,
                duration_minutes=duration,
                weight_permille=weight,
                rounding_unit=policy.rounding_unit,
                credited_minutes=credited,
                payer=data.payer,
                content=data.content.strip(),
                rating=data.rating,
                status="pending",
                signed=data.signed,
                signed_at=ctx.now() if data.signed else None,
                txn_id=None,
                void_reason="",
                void_txn_id=None,
                request_id=data.request_id,
                slip_printed=0,
                recorded_by=ctx.actor.username,
                created_at=ctx.now(),
            )
            session.add(record)
            session.flush()
            if data.signed or not policy.require_signed_slip:
                self._post(session, record, volunteer, recipient, policy)
            ctx.audit(
                session,
                "service.record",
                "service_record",
                record.id,
                slip_no=record.slip_no,
                credited=credited,
                status=record.status,
            )
            return record_view(session, record)

    def _check(
        self,
        session: Session,
        data: ServiceInput,
        policy: Policy,
        volunteer: Member,
        recipient: Member,
        category: Category | None,
    ) -> None:
        problems: list[Problem] = []
        today = self.ctx.today()

        def bad(code: str, message: str, field: str) -> None:
            problems.append(Problem(code, message, field))

        if volunteer.id == recipient.id:
            bad(
                "service.same_member", _("The volunteer cannot also be the recipient"), "recipient"
            )
        if not volunteer.is_volunteer:
            bad(
                "service.not_volunteer",
                _("{name} is not registered as a volunteer").format(name=volunteer.name),
                "volunteer",
            )
        if category is None or not category.active:
            bad(
                "service.category",
                _("Unknown service category: {code}").format(code=data.category),
                "category",
            )
        if data.service_date > today:
            bad("service.future", _("The service date cannot be in the future"), "date")
        # How late a service may be entered is today's rule, not the one of the service date.
        too_old = policy_for(session, today).late_entry_problem(data.service_date, today)
        if too_old is not None:
            problems.append(too_old)
        duration = duration_minutes(data.start, data.end)
        if duration <= 0:
            bad("service.end_before_start", _("The end time must be after the start time"), "end")
        elif duration > policy.max_service_minutes:
            bad(
                "service.too_long",
                _("A service may last at most {hours} h (policy)").format(
                    hours=format_hours(policy.max_service_minutes)
                ),
                "end",
            )
        if data.payer not in PAYERS:
            bad(
                "service.payer",
                _("The payer must be the recipient or the community pool"),
                "payer",
            )
        elif data.payer == "recipient" and not policy.may_withdraw(
            age_on(recipient.birth_date, data.service_date), recipient.on_needs_list
        ):
            bad(
                "service.withdrawal_age",
                _(
                    "The recipient may withdraw hours only from age {age} (or on the needs list)"
                ).format(age=policy.withdrawal_age),
                "payer",
            )
        if data.rating is not None and data.rating not in RATINGS:
            bad("service.rating", _("Satisfaction must be 1, 2 or 3"), "satisfaction")
        if len(data.content) > 500:
            bad("service.content", _("The content is too long"), "content")
        if problems:
            raise ValidationError.of(problems)

    def _check_daily_cap(
        self, session: Session, policy: Policy, volunteer: Member, day: date, credited: int
    ) -> None:
        so_far = (
            session.scalar(
                select(func.coalesce(func.sum(ServiceRecord.credited_minutes), 0)).where(
                    ServiceRecord.volunteer_id == volunteer.id,
                    ServiceRecord.service_date == day,
                    ServiceRecord.status != "void",
                )
            )
            or 0
        )
        if so_far + credited > policy.daily_cap_minutes:
            raise ValidationError.single(
                "service.daily_cap",
                _(
                    "The volunteer would be credited more than {hours} h on this day (policy)"
                ).format(hours=format_hours(policy.daily_cap_minutes)),
                "end",
            )

    def _post(
        self,
        session: Session,
        record: ServiceRecord,
        volunteer: Member,
        recipient: Member,
        policy: Policy,
    ) -> None:
        payer = (
            member_account_code(recipient.member_no)
            if record.payer == "recipient"
            else POOL_ACCOUNT
        )
        writer = LedgerWriter(session, self.ctx)
        posted = writer.post(
            TxSpec(
                TxKind.SERVICE,
                record.service_date,
                (
                    PostingLine(payer, -record.credited_minutes),
                    PostingLine(member_account_code(volunteer.member_no), record.credited_minutes),
                ),
                memo=_("Service slip {slip}").format(slip=record.slip_no),
                record=record.id,
            ),
            policy,
        )
        writer.flush()
        record.txn_id = posted.id
        record.status = "posted"

    # ------------------------------------------------------------ confirm
    def confirm(self, slip: str) -> RecordView:
        """The signed slip came back: credit the time now."""
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        number = slipno.normalise(slip)
        if not slipno.is_valid(number):
            raise ValidationError.single(
                "slip.check_digit",
                _("Not a valid slip number (check digit): {slip}").format(slip=slip),
                "slip",
            )
        with ctx.write() as session:
            record = session.scalar(select(ServiceRecord).where(ServiceRecord.slip_no == number))
            if record is None:
                raise NotFound(_("Unknown slip: {slip}").format(slip=number))
            record = lock_record(session, record)
            if record.status == "void":
                raise Refused(_("Slip {slip} was voided").format(slip=number))
            if record.status == "posted" and record.signed:
                raise Refused(_("Slip {slip} is already confirmed").format(slip=number))
            record.signed, record.signed_at = True, ctx.now()
            if record.status == "pending":
                self._post(
                    session,
                    record,
                    session.get_one(Member, record.volunteer_id),
                    session.get_one(Member, record.recipient_id),
                    policy_for(session, record.service_date),
                )
            ctx.audit(session, "service.confirm", "service_record", record.id, slip_no=number)
            return record_view(session, record)

    # ------------------------------------------------------------ void
    def void(self, ref: str, reason: str) -> RecordView:
        """Void a record by id or slip number: its credit is reversed, never deleted."""
        ctx = self.ctx
        ctx.require(Permission.VOID)
        reason = check_reason(reason)
        with ctx.write() as session:
            record = lock_record(session, self.find(session, ref))
            if record.status == "void":
                raise Refused(_("Slip {slip} is already void").format(slip=record.slip_no))
            void_record(session, ctx, record, reason)
            return record_view(session, record)

    @staticmethod
    def find(session: Session, ref: str) -> ServiceRecord:
        text = slipno.normalise(ref)
        record = session.scalar(
            select(ServiceRecord).where(
                (ServiceRecord.slip_no == text) | (ServiceRecord.id == text.lower())
            )
        )
        if record is None:
            raise NotFound(_("Unknown service record or slip: {ref}").format(ref=ref))
        return record

    def get(self, ref: str) -> RecordView:
        with self.ctx.read() as session:
            return record_view(session, self.find(session, ref))
