"""The history of sync exports, newest first, with what the district has confirmed."""

from __future__ import annotations

from typing import Any

from timebank_desktop.domain.clock import local_time
from timebank_desktop.i18n import _
from timebank_desktop.services.sync.exports_history import ExportEntry  # light: no file format
from timebank_desktop.ui.itemmodels.base import Column, RowsModel


def _range(e: ExportEntry) -> str:
    return f"{e.seq_from}–{e.seq_to}" if e.seq_to >= e.seq_from else _("(chain head only)")


def _written(e: ExportEntry) -> str:
    return f"{local_time(e.created_at):%Y-%m-%d %H:%M}"  # stored as naive UTC


class ExportHistoryModel(RowsModel[ExportEntry]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("Written"), _written),
                Column(lambda: _("Transactions"), _range, False, lambda e: e.seq_to),
                Column(lambda: _("Count"), lambda e: str(e.transactions), True),
                Column(lambda: _("Members"), lambda e: str(e.members), True),
                Column(lambda: _("Status"), lambda e: e.status.label),
                Column(lambda: _("File"), lambda e: e.file_name),
            ],
            parent,
        )
