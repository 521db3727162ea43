"""Disputes (纠纷) about a service record: open a numbered case, decide it.

Case numbers come from a yearly counter like the certificate numbers: ``JF-2026-0001``
(纠纷). Upholding a case voids its record by a reversal of its credit (never a delete), in the
same database transaction that closes the case; rejecting closes it with the note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import NotFound, Refused, ValidationError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import N_, _
from timebank_desktop.models import Dispute, ServiceRecord
from timebank_desktop.services.care_text import text_field
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import next_value
from timebank_desktop.services.records import RecordService, lock_record, void_record
from timebank_desktop.services.reversal import MAX_REASON

PREFIX = "JF"
OPEN, UPHELD, REJECTED = "open", "upheld", "rejected"
STATUS_LABELS = {OPEN: N_("open"), UPHELD: N_("upheld"), REJECTED: N_("rejected")}
MAX_TEXT = 500  # dispute.reason and dispute.decision_note are VARCHAR(500)


@dataclass(frozen=True, slots=True)
class DisputeView:
    case_no: str
    record_id: str
    slip_no: str
    reason: str
    status: str
    decision_note: str
    opened_at: datetime
    decided_at: datetime | None
    record_void: bool = False  # the record is void (by this case or voided by hand)


def _view(dispute: Dispute, slip_no: str, record_void: bool = False) -> DisputeView:
    return DisputeView(
        dispute.case_no,
        dispute.record_id,
        slip_no,
        dispute.reason,
        dispute.status,
        dispute.decision_note,
        dispute.opened_at,
        dispute.decided_at,
        record_void,
    )


def _lock_case(session: Session, dispute: Dispute) -> Dispute:
    """Hold the case until the transaction ends (PostgreSQL; SQLite writers are serial) and
    read it afresh, so a check made under the lock sees what another writer committed."""
    return session.execute(
        select(Dispute)
        .where(Dispute.id == dispute.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def _case_number(session: Session, year: int) -> str:
    serial = next_value(session, f"doc:{PREFIX}:{year}")
    return f"{PREFIX}-{year}-{serial:04d}"


def _void_reason(case_no: str, note: str) -> str:
    """The void reason of an upheld case: its number and the note, within the column's size."""
    reason = _("Dispute {case}: {note}").format(case=case_no, note=note)
    if len(reason) > MAX_REASON:
        room = MAX_REASON - (len(reason) - len(note))
        raise ValidationError.single(
            "dispute.note_long",
            _("An upheld case's note becomes the void reason: at most {n} characters").format(
                n=room
            ),
            "note",
        )
    return reason


class DisputeService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def open(self, ref: str, reason: str) -> DisputeView:
        """Open a case about a record (its id or slip number); one open case per record."""
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        reason = text_field(reason, MAX_TEXT, "reason", _("The reason"))
        with ctx.write() as session:
            # one open case per record, even in a race
            record = lock_record(session, RecordService.find(session, ref))
            if record.status == "void":
                raise Refused(
                    _("Slip {slip} was voided: there is nothing left to dispute").format(
                        slip=record.slip_no
                    )
                )
            pending = session.scalar(
                select(Dispute.case_no).where(
                    Dispute.record_id == record.id, Dispute.status == OPEN
                )
            )
            if pending:
                raise Refused(
                    _("Slip {slip} already has an open dispute: {case}").format(
                        slip=record.slip_no, case=pending
                    )
                )
            dispute = Dispute(
                id=ctx.new_id(),
                case_no=_case_number(session, ctx.today().year),
                record_id=record.id,
                reason=reason,
                status=OPEN,
                decision_note="",
                opened_at=ctx.now(),
                decided_at=None,
            )
            session.add(dispute)
            ctx.audit(
                session,
                "dispute.open",
                "dispute",
                dispute.id,
                case_no=dispute.case_no,
                slip_no=record.slip_no,
                reason=reason,
            )
            return _view(dispute, record.slip_no)

    def decide(self, case: str, uphold: bool, note: str) -> DisputeView:
        """Close a case: upheld voids its record by reversal; rejected leaves it standing."""
        ctx = self.ctx
        ctx.require(Permission.VOID)
        note = text_field(note, MAX_TEXT, "note", _("The note"))
        with ctx.write() as session:
            dispute = _lock_case(session, self._find(session, case))  # decided once
            # voided once, even when a clerk voids the slip by hand at the same time
            record = lock_record(session, session.get_one(ServiceRecord, dispute.record_id))
            if dispute.status != OPEN:
                raise Refused(
                    _("Case {case} was already decided ({status})").format(
                        case=dispute.case_no, status=_(STATUS_LABELS[dispute.status])
                    )
                )
            if uphold and record.status != "void":  # a record voided meanwhile stays as it is
                void_record(session, ctx, record, _void_reason(dispute.case_no, note))
            dispute.status = UPHELD if uphold else REJECTED
            dispute.decision_note = note
            dispute.decided_at = ctx.now()
            ctx.audit(
                session,
                "dispute.decide",
                "dispute",
                dispute.id,
                case_no=dispute.case_no,
                status=dispute.status,
                note=note,
            )
            return _view(dispute, record.slip_no, record.status == "void")

    @staticmethod
    def _find(session: Session, case: str) -> Dispute:
        number = case.strip().upper()
        dispute = session.scalar(select(Dispute).where(Dispute.case_no == number))
        if dispute is None:
            raise NotFound(_("Unknown dispute case: {case}").format(case=case.strip()))
        return dispute

    def get(self, case: str) -> DisputeView:
        with self.ctx.read() as session:
            dispute = self._find(session, case)
            return _view(dispute, session.get_one(ServiceRecord, dispute.record_id).slip_no)

    def list(self, status: str | None = None) -> list[DisputeView]:
        """Cases, the oldest first; only those with ``status`` when given."""
        with self.ctx.read() as session:
            query = (
                select(Dispute, ServiceRecord.slip_no)
                .join(ServiceRecord, ServiceRecord.id == Dispute.record_id)
                .order_by(Dispute.opened_at, Dispute.case_no)
            )
            if status is not None:
                query = query.where(Dispute.status == status)
            return [_view(d, slip) for d, slip in session.execute(query).all()]
