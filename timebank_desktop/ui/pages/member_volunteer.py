"""A volunteer's training certificates and insurance policies, in the member detail panel.

Expired and soon-to-expire entries are marked by colour AND by a word, never colour alone.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.i18n import _
from timebank_desktop.services.volunteers import CertificateView, PolicyView
from timebank_desktop.ui.widgets import accessible, named

SOON = timedelta(days=30)  # "expires soon": within a month
EXPIRED_COLOUR = "#b00020"
SOON_COLOUR = "#8a5300"  # dark amber: readable on white


def expiry_state(end: date | None, today: date) -> str:
    """``"expired"``, ``"soon"`` (within 30 days) or ``"valid"`` (also: no end at all)."""
    if end is None or end > today + SOON:
        return "valid"
    return "expired" if end < today else "soon"


def _marked(text: str, end: date | None, today: date) -> QListWidgetItem:
    state = expiry_state(end, today)
    if state == "expired":
        text = _("EXPIRED: {entry}").format(entry=text)
    elif state == "soon":
        text = _("Expires soon: {entry}").format(entry=text)
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, state)  # for tests and automation
    if state != "valid":
        item.setForeground(QBrush(QColor(EXPIRED_COLOUR if state == "expired" else SOON_COLOUR)))
    return item


class VolunteerSection(QWidget):
    """Emits ``add_requested(kind)`` ("certificate" or "insurance") from its buttons."""

    add_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("member_volunteer")
        self.certificates_label, self.policies_label = QLabel(), QLabel()
        self.certificates = named(QListWidget(), "member_certificates")
        self.policies = named(QListWidget(), "member_policies")
        for view, label in (
            (self.certificates, self.certificates_label),
            (self.policies, self.policies_label),
        ):
            view.setMaximumHeight(84)
            label.setBuddy(view)
        self.buttons = {
            kind: named(QPushButton(), f"member_add_{kind}")
            for kind in ("certificate", "insurance")
        }
        row = QHBoxLayout()
        for kind, button in self.buttons.items():
            button.clicked.connect(lambda _checked=False, k=kind: self.add_requested.emit(k))
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.certificates_label)
        layout.addWidget(self.certificates)
        layout.addWidget(self.policies_label)
        layout.addWidget(self.policies)
        layout.addLayout(row)
        self._shown: tuple[list[CertificateView], list[PolicyView], date] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.certificates_label.setText(_("Training certificates:"))
        self.policies_label.setText(_("Accident insurance:"))
        accessible(self.certificates, _("Training certificates"))
        accessible(self.policies, _("Accident insurance"))
        self.buttons["certificate"].setText(_("Add certificate…"))
        self.buttons["insurance"].setText(_("Add insurance…"))
        for button in self.buttons.values():
            accessible(button, button.text())
        if self._shown is not None:
            self.show_entries(*self._shown)

    def set_editable(self, editable: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(editable)

    def clear(self) -> None:
        self._shown = None
        self.certificates.clear()
        self.policies.clear()

    def show_entries(
        self, certificates: list[CertificateView], policies: list[PolicyView], today: date
    ) -> None:
        self._shown = (certificates, policies, today)
        self.certificates.clear()
        self.policies.clear()
        for c in certificates:
            ends = c.expires_on.isoformat() if c.expires_on else _("no expiry")
            text = _("{course}, {start} – {end}").format(
                course=c.course, start=c.issued_on.isoformat(), end=ends
            )
            self.certificates.addItem(_marked(text, c.expires_on, today))
        for p in policies:
            text = _("{insurer} {policy}, {start} – {end}").format(
                insurer=p.insurer,
                policy=p.policy_no,
                start=p.valid_from.isoformat(),
                end=p.valid_to.isoformat(),
            )
            self.policies.addItem(_marked(text, p.valid_to, today))
        if not certificates:
            self.certificates.addItem(_("none recorded"))
        if not policies:
            self.policies.addItem(_("none recorded"))
