"""A month's slip reconciliation (凭条核对) on screen: the counts, the check that they add up,
the outstanding slips with their ages, and a button for the printed version."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.months import Month
from timebank_desktop.exports.pdf.data import SlipReconciliation
from timebank_desktop.i18n import _
from timebank_desktop.ui.itemmodels.paper import OutstandingSlipModel
from timebank_desktop.ui.widgets import accessible, named

COUNTS = ("issued", "confirmed", "voided", "outstanding")


class SlipControlDialog(QDialog):
    """Emits ``print_requested(month)`` for the PDF."""

    print_requested = Signal(object)

    def __init__(
        self, month: Month, data: SlipReconciliation, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("slip_control")
        self.month, self.data = month, data
        self.values = {k: named(QLabel(), f"slip_control_{k}") for k in COUNTS}
        self.labels = {k: QLabel() for k in COUNTS}
        self.check = named(QLabel(), "slip_control_check")
        self.model = OutstandingSlipModel(data.as_of, self)
        self.model.set_rows(data.outstanding)
        self.table = named(QTableView(), "slip_control_outstanding")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.print_button = named(QPushButton(), "slip_control_print")
        self.print_button.clicked.connect(lambda: self.print_requested.emit(self.month))
        self.close_button = named(QPushButton(), "slip_control_close")
        self.close_button.clicked.connect(self.accept)
        form = QFormLayout()
        for key in COUNTS:
            form.addRow(self.labels[key], self.values[key])
        self.outstanding_label = QLabel()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.check)
        layout.addWidget(self.outstanding_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(640, 480)
        self.retranslate()

    def retranslate(self) -> None:
        data = self.data
        self.setWindowTitle(_("Slip reconciliation {month}").format(month=self.month))
        texts = {
            "issued": _("Slips issued:"),
            "confirmed": _("Returned and confirmed:"),
            "voided": _("Voided:"),
            "outstanding": _("Outstanding:"),
        }
        counts = {
            "issued": data.issued,
            "confirmed": data.confirmed,
            "voided": data.voided,
            "outstanding": len(data.outstanding),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            self.values[key].setText(str(counts[key]))
            accessible(self.values[key], text)
        adds_up = data.issued == data.confirmed + data.voided + data.lost + len(data.outstanding)
        self.check.setText(
            _("Issued = confirmed + voided + outstanding: it adds up ✓")
            if adds_up
            else _("The counts do not add up: check the slips by hand")
        )
        self.outstanding_label.setText(_("Outstanding slips"))
        self.model.retranslate()
        accessible(self.table, _("Outstanding slips"))
        self.print_button.setText(_("Print preview…"))
        self.close_button.setText(_("Close"))
