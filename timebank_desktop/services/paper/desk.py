"""The paper services as the GUI uses them: each document rendered in memory for the preview,
with a title and a suggested file name, and saved as a file on request (atomically)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timebank_desktop.domain.errors import StorageError
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.atomic import atomic_write
from timebank_desktop.exports.pdf.data import SlipReconciliation
from timebank_desktop.exports.pdf.slips import Progress
from timebank_desktop.i18n import _
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.file_checks import os_reason
from timebank_desktop.services.paper.certificates import CertificateService
from timebank_desktop.services.paper.control import SlipControl
from timebank_desktop.services.paper.slips import SlipPrinting
from timebank_desktop.services.paper.statement import StatementService


@dataclass(frozen=True, slots=True)
class Rendered:
    """A document ready to preview, print or save."""

    title: str
    filename: str
    data: bytes
    summary: str = ""
    slip_numbers: tuple[str, ...] = ()  # slips whose prints count once printed or saved


class PaperDesk:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def slips(self, refs: Sequence[str], per_page: int = 1) -> Rendered:
        buffer = io.BytesIO()
        done = SlipPrinting(self.ctx).for_records(refs, buffer, per_page, mark=False)
        first = done.slip_numbers[0]
        name = f"slip-{first}.pdf" if done.count == 1 else f"slips-{first}-{done.count}.pdf"
        return Rendered(
            _("Service slips ({n})").format(n=done.count), name, buffer.getvalue(),
            " ".join(done.slip_numbers), done.slip_numbers,
        )  # fmt: skip

    def unsigned_slips(
        self, month: Month, per_page: int = 3, progress: Progress | None = None
    ) -> Rendered:
        buffer = io.BytesIO()
        done = SlipPrinting(self.ctx).for_month_unsigned(
            month, buffer, per_page, mark=False, progress=progress
        )
        return Rendered(
            _("Unsigned slips of {month} ({n})").format(month=month, n=done.count),
            f"unsigned-slips-{month}.pdf",
            buffer.getvalue(),
            slip_numbers=done.slip_numbers,
        )

    def slips_printed(self, document: Rendered, how: str) -> None:
        """The previewed slips went to paper (``how="printer"``) or to a file (``"file"``)."""
        SlipPrinting(self.ctx).mark_printed(document.slip_numbers, how)

    def unsigned_count(self, month: Month) -> int:
        return SlipPrinting(self.ctx).unsigned_count(month)

    def statement(
        self, member: str, start: date | None = None, end: date | None = None
    ) -> Rendered:
        buffer = io.BytesIO()
        data = StatementService(self.ctx).write(member, buffer, start, end)
        return Rendered(
            _("Statement of {name} ({member_no})").format(
                name=data.member.name, member_no=data.member.member_no
            ),
            f"statement-{data.member.member_no}-{data.period_end.isoformat()}.pdf",
            buffer.getvalue(),
        )

    def certificate(self, member: str) -> Rendered:
        buffer = io.BytesIO()
        data = CertificateService(self.ctx).issue_service_certificate(member, buffer)
        return Rendered(
            _("Volunteer service certificate {number}").format(number=data.certificate_no),
            f"certificate-{data.certificate_no}.pdf",
            buffer.getvalue(),
            data.certificate_no,
        )

    def honour(self, member: str) -> Rendered:
        buffer = io.BytesIO()
        data = CertificateService(self.ctx).issue_honour(member, buffer)
        return Rendered(
            _("Honour certificate {number}").format(number=data.certificate_no),
            f"honour-{data.certificate_no}.pdf",
            buffer.getvalue(),
            data.certificate_no,
        )

    def reconciliation(self, month: Month) -> SlipReconciliation:
        return SlipControl(self.ctx).reconciliation(month)

    def reconciliation_pdf(self, month: Month) -> Rendered:
        buffer = io.BytesIO()
        SlipControl(self.ctx).write_reconciliation(month, buffer)
        return Rendered(
            _("Slip reconciliation {month}").format(month=month),
            f"slip-reconciliation-{month}.pdf",
            buffer.getvalue(),
        )

    @staticmethod
    def save(document: Rendered, path: Path) -> Path:
        """Write ``document`` to ``path`` atomically (a failed write leaves no file)."""
        try:
            with atomic_write(path) as handle:
                handle.write(document.data)
        except OSError as exc:
            raise StorageError(
                _("Could not save {path}: {reason}").format(path=path, reason=os_reason(exc))
            ) from exc
        return path
