"""A volunteer's training certificates and insurance policies, marked by how soon they end.

The status is a column of its own (text) and the row's colour (foreground): never colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from timebank_desktop.i18n import N_, _
from timebank_desktop.services.volunteers import CertificateView, PolicyView
from timebank_desktop.ui.itemmodels.base import Column, Index, R, RowsModel

SOON = timedelta(days=30)  # "expires soon": within a month
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # "valid", "soon" or "expired"
STATE_LABELS = {"valid": N_("valid"), "soon": N_("expires soon"), "expired": N_("expired")}
STATE_COLOURS = {"soon": "#8a5300", "expired": "#b00020"}  # dark amber and red, on white


def expiry_state(end: date | None, today: date) -> str:
    """``"expired"``, ``"soon"`` (within 30 days) or ``"valid"`` (also: no end at all)."""
    if end is None or end > today + SOON:
        return "valid"
    return "expired" if end < today else "soon"


def _span(start: date, end: date | None) -> str:
    return _("{start} – {end}").format(
        start=start.isoformat(), end=end.isoformat() if end else _("no expiry")
    )


class _ExpiringModel(RowsModel[R]):
    """Rows that end on a day; ``today`` decides which are expired or expire soon."""

    def __init__(
        self, columns: list[Column[R]], ends: Callable[[R], date | None], parent: Any = None
    ) -> None:
        status = Column[R](lambda: _("Status"), lambda row: _(STATE_LABELS[self.state(row)]))
        super().__init__([*columns, status], parent)
        self.ends = ends
        self.today = date.min

    def state(self, row: R) -> str:
        return expiry_state(self.ends(row), self.today)

    def show(self, rows: list[R], today: date) -> None:
        self.today = today
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and role == STATE_ROLE:
            return self.state(row)
        if row is not None and role == Qt.ItemDataRole.ForegroundRole:
            colour = STATE_COLOURS.get(self.state(row))
            return QBrush(QColor(colour)) if colour else None
        return super().data(index, role)


class CertificateModel(_ExpiringModel[CertificateView]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("Course"), lambda c: c.course),
                Column(lambda: _("Valid"), lambda c: _span(c.issued_on, c.expires_on)),
            ],
            lambda c: c.expires_on,
            parent,
        )


class PolicyModel(_ExpiringModel[PolicyView]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("Insurer"), lambda p: p.insurer),
                Column(lambda: _("Policy number"), lambda p: p.policy_no),
                Column(lambda: _("Valid"), lambda p: _span(p.valid_from, p.valid_to)),
            ],
            lambda p: p.valid_to,
            parent,
        )
