"""The two small dialogs of a dispute (纠纷): the reason that opens one, the decision on it.

Both are window-modal and never ``exec()``: ``chosen`` carries the answer, Esc cancels and
nothing is written. An empty reason or note is refused in the dialog itself (it stays open
with the reason beside the field); the service checks again.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.i18n import _
from timebank_desktop.ui.widgets import accessible, named

MAX_TEXT = 500  # as the service's dispute.reason / decision_note


class _TextDialog(QDialog):
    """A prompt, one required line of text, OK and Cancel."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.text = named(QLineEdit(), "dispute_text")
        self.text.setMaxLength(MAX_TEXT)
        self.prompt.setBuddy(self.text)
        self.problem = named(QLabel(), "dispute_problem")
        self.problem.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.prompt)
        self.layout_.addWidget(self.text)
        self.layout_.addWidget(self.problem)
        self.layout_.addWidget(self.buttons)
        self.text.setFocus()

    def missing(self) -> str:
        return _("Give a reason")

    def accept(self) -> None:
        if not self.text.text().strip():
            self.problem.setText(self.missing())
            self.text.setFocus()
            return
        super().accept()


class OpenDisputeDialog(_TextDialog):
    """Why the record is disputed (required)."""

    chosen = Signal(str)

    def __init__(self, slip_no: str, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Open a dispute about slip {slip}").format(slip=slip_no),
            _("&Reason for the dispute (required):"),
            parent,
        )
        self.setObjectName("open_dispute_dialog")
        accessible(self.text, _("Reason for the dispute"))
        self.accepted.connect(lambda: self.chosen.emit(self.text.text().strip()))


class DecideDisputeDialog(_TextDialog):
    """Uphold (the record is voided by a reversal of its hours) or reject, with a note."""

    chosen = Signal(bool, str)  # uphold, note

    def __init__(self, case_no: str, slip_no: str, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Decide case {case}").format(case=case_no), _("Decision &note (required):"), parent
        )
        self.setObjectName("decide_dispute_dialog")
        self.uphold = named(QRadioButton(), "dispute_uphold")
        self.uphold.setText(
            _("&Uphold: void slip {slip} (its hours are reversed)").format(slip=slip_no)
        )
        self.reject_ = named(QRadioButton(), "dispute_reject")
        self.reject_.setText(_("Re&ject: slip {slip} stands as it is").format(slip=slip_no))
        self.reject_.setChecked(True)
        self.layout_.insertWidget(0, self.uphold)
        self.layout_.insertWidget(1, self.reject_)
        accessible(self.text, _("Decision note"))
        self.accepted.connect(
            lambda: self.chosen.emit(self.uphold.isChecked(), self.text.text().strip())
        )
        self.uphold.setFocus()

    def missing(self) -> str:
        return _("Give a note for the decision")
