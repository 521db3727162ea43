"""Service slips (服务凭条) from the ledger: chosen records, or a month's unsigned ones.

A voided record is refused with its slip number and nothing is written. Every printed slip is
counted on its record (``slip_printed``) and the batch is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from timebank_desktop.domain import slipno
from timebank_desktop.domain.errors import NotFound, Refused, ValidationError
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.pdf import render_slips
from timebank_desktop.exports.pdf.data import Slip
from timebank_desktop.exports.pdf.layout import Target
from timebank_desktop.exports.pdf.slips import Progress
from timebank_desktop.i18n import _
from timebank_desktop.models import Member, ServiceRecord
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.paper.common import (
    PAYER_WORDS,
    category_names,
    centre_name,
    hhmm,
    language_of,
    person,
    t,
)

CHUNK = 500


@dataclass(frozen=True, slots=True)
class PrintedSlips:
    """What was printed: the slip numbers in print order."""

    slip_numbers: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.slip_numbers)


def _chunks(values: Sequence[str]) -> list[Sequence[str]]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def check_per_page(per_page: int) -> None:
    if per_page not in (1, 3):
        raise ValidationError.single(
            "slips.per_page", _("Slips print one or three to a page"), "per_page"
        )


def _find(session: Session, refs: Sequence[str]) -> list[ServiceRecord]:
    """Records by id or slip number, in the order asked, each once."""
    wanted: list[str] = []
    for ref in refs:
        text = slipno.normalise(ref)
        if text and text not in wanted:
            wanted.append(text)
    if not wanted:
        raise ValidationError.single("slips.none", _("Name at least one record or slip"), "record")
    found: dict[str, ServiceRecord] = {}
    for part in _chunks(wanted):
        lowered = [p.lower() for p in part]
        rows = session.scalars(
            select(ServiceRecord).where(
                ServiceRecord.slip_no.in_(part) | ServiceRecord.id.in_(lowered)
            )
        )
        for record in rows:
            found[record.slip_no] = found[record.id] = record
    records: list[ServiceRecord] = []
    for ref in wanted:
        hit = found.get(ref) or found.get(ref.lower())
        if hit is None:
            raise NotFound(_("Unknown service record or slip: {ref}").format(ref=ref))
        if hit not in records:
            records.append(hit)
    return records


def _unsigned(session: Session, month: Month) -> list[ServiceRecord]:
    return list(
        session.scalars(
            select(ServiceRecord)
            .where(
                ServiceRecord.service_date >= month.first_day,
                ServiceRecord.service_date <= month.last_day,
                ServiceRecord.status != "void",
                ServiceRecord.signed.is_(False),
            )
            .order_by(ServiceRecord.service_date, ServiceRecord.slip_no)
        )
    )


def build_slips(session: Session, records: Sequence[ServiceRecord], language: str) -> list[Slip]:
    """The printable slips of ``records``; a voided record is refused (nothing is built)."""
    for record in records:
        if record.status == "void":
            raise Refused(
                _("Slip {slip_no} was voided and cannot be printed").format(slip_no=record.slip_no)
            )
    ids = {r.volunteer_id for r in records} | {r.recipient_id for r in records}
    people: dict[str, Member] = {}
    for part in _chunks(sorted(ids)):
        people.update(
            (m.id, m) for m in session.scalars(select(Member).where(Member.id.in_(part)))
        )
    names = category_names(session, language)
    centre = centre_name(session)
    return [
        Slip(
            slip_no=r.slip_no,
            centre_name=centre,
            volunteer=person(people[r.volunteer_id]),
            recipient=person(people[r.recipient_id]),
            category=names.get(r.category_code, r.category_code),
            service_date=r.service_date,
            start=hhmm(r.start_time),
            end=hhmm(r.end_time),
            duration_minutes=r.duration_minutes,
            credited_minutes=r.credited_minutes,
            content=r.content,
            payer=t(PAYER_WORDS.get(r.payer, r.payer), language),
            voided=False,
        )
        for r in records
    ]


class SlipPrinting:
    """Prints slips and counts each print on its record."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def for_records(
        self,
        refs: Sequence[str],
        target: Target,
        per_page: int = 1,
        language: str | None = None,
        mark: bool = True,
        progress: Progress | None = None,
    ) -> PrintedSlips:
        """Slips of the records named by id or slip number, in that order.

        With ``mark=False`` (a preview) the prints are not counted: call `mark_printed` once
        the slips really went to paper or to a file.
        """
        self.ctx.require(Permission.RECORD_SERVICES)
        check_per_page(per_page)
        lang = language_of(language)
        with self.ctx.read() as session:
            slips = build_slips(session, _find(session, refs), lang)
        scope = "records" if mark else ""
        return self._write(slips, target, per_page, lang, scope, progress)

    def for_month_unsigned(
        self,
        month: Month,
        target: Target,
        per_page: int = 3,
        language: str | None = None,
        mark: bool = True,
        progress: Progress | None = None,
    ) -> PrintedSlips:
        """Every slip of ``month`` not yet signed (and not void), by service date."""
        self.ctx.require(Permission.RECORD_SERVICES)
        check_per_page(per_page)
        lang = language_of(language)
        with self.ctx.read() as session:
            records = _unsigned(session, month)
            if not records:
                raise Refused(_("No unsigned slips in {month}").format(month=month))
            slips = build_slips(session, records, lang)
        return self._write(slips, target, per_page, lang, str(month) if mark else "", progress)

    def unsigned_count(self, month: Month) -> int:
        """How many slips of ``month`` are unsigned (what a batch print would hold)."""
        with self.ctx.read() as session:
            return len(_unsigned(session, month))

    def _write(
        self,
        slips: list[Slip],
        target: Target,
        per_page: int,
        language: str,
        scope: str,
        progress: Progress | None,
    ) -> PrintedSlips:
        """Render; then, unless ``scope`` is empty (a preview), count the prints.

        A cancel raised by ``progress`` stops before anything is counted (and, for a path,
        before any file exists).
        """
        render_slips(slips, target, per_page=per_page, language=language, progress=progress)
        numbers = tuple(s.slip_no for s in slips)
        if scope:
            self.mark_printed(numbers, scope)
        return PrintedSlips(numbers)

    def mark_printed(self, numbers: Sequence[str], scope: str = "preview") -> None:
        """Count one print of each slip in ``numbers`` on its record, and audit the batch."""
        self.ctx.require(Permission.RECORD_SERVICES)
        if not numbers:
            return
        with self.ctx.write() as session:
            for part in _chunks(numbers):
                session.execute(
                    update(ServiceRecord)
                    .where(ServiceRecord.slip_no.in_(part))
                    .values(slip_printed=ServiceRecord.slip_printed + 1)
                )
            self.ctx.audit(
                session,
                "slip.print",
                "service_record",
                numbers[0],
                scope=scope,
                count=len(numbers),
                first=numbers[0],
                last=numbers[-1],
            )
