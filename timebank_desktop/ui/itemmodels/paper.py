"""The slips still outstanding in a month's slip control, each with the days it has been out."""

from __future__ import annotations

from datetime import date
from typing import Any

from timebank_desktop.exports.pdf.data import OutstandingSlip
from timebank_desktop.i18n import _
from timebank_desktop.ui.itemmodels.base import Column, RowsModel


class OutstandingSlipModel(RowsModel[OutstandingSlip]):
    """Outstanding slips; days out are counted from the issue date to ``as_of``."""

    def __init__(self, as_of: date, parent: Any = None) -> None:
        self.as_of = as_of
        super().__init__(
            [
                Column(lambda: _("Slip no."), lambda s: s.slip_no),
                Column(lambda: _("Service date"), lambda s: s.service_date.isoformat()),
                Column(lambda: _("Volunteer"), lambda s: s.volunteer),
                Column(lambda: _("Recipient"), lambda s: s.recipient),
                Column(lambda: _("Days out"), lambda s: str(self.days_out(s)), True,
                       self.days_out),
            ],
            parent,
        )  # fmt: skip

    def days_out(self, slip: OutstandingSlip) -> int:
        return (self.as_of - slip.issued_on).days
