"""A volunteer's training certificates and insurance policies, in the member detail panel.

Expired and soon-to-expire entries are marked by colour AND by a status word, never colour
alone (ui/itemmodels/volunteers.py).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from timebank_desktop.i18n import _
from timebank_desktop.services.volunteers import CertificateView, PolicyView
from timebank_desktop.ui.itemmodels.volunteers import CertificateModel, PolicyModel
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.widgets import accessible, fit_columns, label_buttons, named


class VolunteerSection(QWidget):
    """Emits ``add_requested(kind)`` ("certificate" or "insurance") from its buttons."""

    add_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("member_volunteer")
        self.certificates_label, self.policies_label = QLabel(), QLabel()
        self.certificates = CertificateModel(self)
        self.policies = PolicyModel(self)
        self.certificate_view = named(QTableView(), "member_certificates")
        self.policy_view = named(QTableView(), "member_policies")
        for view, model, label in (
            (self.certificate_view, self.certificates, self.certificates_label),
            (self.policy_view, self.policies, self.policies_label),
        ):
            view.setModel(model)
            configure_table(view)
            view.setMaximumHeight(view.verticalHeader().defaultSectionSize() * 3 + 28)
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
        layout.addWidget(self.certificate_view)
        layout.addWidget(self.policies_label)
        layout.addWidget(self.policy_view)
        layout.addLayout(row)
        self.retranslate()

    def retranslate(self) -> None:
        self.certificates_label.setText(_("Training certificates:"))
        self.policies_label.setText(_("Accident insurance:"))
        accessible(self.certificate_view, _("Training certificates"))
        accessible(self.policy_view, _("Accident insurance"))
        label_buttons(
            (self.buttons["certificate"], _("Add certificate…")),
            (self.buttons["insurance"], _("Add insurance…")),
        )
        self.certificates.retranslate()
        self.policies.retranslate()
        fit_columns(self.certificate_view, (110, 170, 60))
        fit_columns(self.policy_view, (70, 110, 160, 50))

    def set_editable(self, editable: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(editable)

    def clear(self) -> None:
        self.certificates.set_rows([])
        self.policies.set_rows([])

    def show_entries(
        self, certificates: list[CertificateView], policies: list[PolicyView], today: date
    ) -> None:
        self.certificates.show(certificates, today)
        self.policies.show(policies, today)
