"""The service records table (records page): filtered, newest first, paged lazily."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timebank_desktop.domain.categories import CategoryInfo
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.servicetime import PAYER_LABELS, RATING_LABELS
from timebank_desktop.i18n import N_, _, current_language
from timebank_desktop.services.record_list import RecordFilter, RecordListService, RecordRow
from timebank_desktop.ui.itemmodels.base import Column, PagedModel
from timebank_desktop.ui.tasks import TaskRunner

STATUS_LABELS = {
    "pending": N_("waiting for slip"),
    "posted": N_("posted"),
    "void": N_("void"),
}


def _rating(row: RecordRow) -> str:
    return _(RATING_LABELS[row.rating]) if row.rating else ""


def record_columns(category: Callable[[str], str]) -> list[Column[RecordRow]]:
    """The records table's columns; ``category`` names a category code in the language shown."""
    return [
        Column(lambda: _("Slip"), lambda r: r.slip_no),
        Column(lambda: _("Date"), lambda r: r.service_date.isoformat()),
        Column(lambda: _("Volunteer"), lambda r: f"{r.volunteer_name} {r.volunteer_no}"),
        Column(lambda: _("Recipient"), lambda r: f"{r.recipient_name} {r.recipient_no}"),
        Column(lambda: _("Category"), lambda r: category(r.category)),
        Column(lambda: _("Duration (h)"), lambda r: format_hours(r.duration_minutes), True),
        Column(lambda: _("Credited (h)"), lambda r: format_hours(r.credited_minutes), True),
        Column(lambda: _("Paid by"), lambda r: _(PAYER_LABELS.get(r.payer, r.payer))),
        Column(lambda: _("Satisfaction"), _rating),
        Column(lambda: _("Status"), lambda r: _(STATUS_LABELS.get(r.status, r.status))),
    ]


Catalogue = Callable[[], tuple[CategoryInfo, ...]]


class RecordTableModel(PagedModel[RecordRow]):
    def __init__(
        self,
        records: RecordListService,
        runner: TaskRunner,
        page_size: int = 200,
        parent: Any = None,
        categories: Catalogue | None = None,
    ) -> None:
        super().__init__(record_columns(self.category_name), runner, page_size, parent)
        self.records, self.categories = records, categories
        self.filter = RecordFilter()
        self._names: dict[str, CategoryInfo] = {}

    def category_name(self, code: str) -> str:
        found = self._names.get(code)
        return found.name(current_language()) if found is not None else code

    def set_filter(self, flt: RecordFilter) -> None:
        self.filter = flt
        self.reload()

    def fetch(self, offset: int, limit: int) -> list[RecordRow]:
        if self.categories is not None and not self._names:  # on the worker, with the rows
            self._names = {c.code: c for c in self.categories()}
        return self.records.page(self.filter, limit=limit, offset=offset)
