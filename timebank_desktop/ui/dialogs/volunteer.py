"""A volunteer's training certificate (培训证书) or accident insurance (意外保险): small dialogs.

The fields are those of `timebank volunteer certify|insure` and carry the same field names, so
a refusal from the service lands beside the field it is about; nothing is saved on a refusal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from timebank_desktop.domain.servicetime import parse_date
from timebank_desktop.i18n import N_, _
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.form_errors import field_row, form_dialog_frame, show_refusal
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

KINDS = ("certificate", "insurance")
TITLES = {
    "certificate": N_("Add a training certificate"),
    "insurance": N_("Add an accident-insurance policy"),
}
FIELDS = {
    "certificate": ("course", "date", "expires"),
    "insurance": ("insurer", "policy", "from", "to"),
}
LABELS = {
    "course": N_("Course:"),
    "date": N_("Course date:"),
    "expires": N_("Expires (optional):"),
    "insurer": N_("Insurer:"),
    "policy": N_("Policy number:"),
    "from": N_("Valid from:"),
    "to": N_("Valid to:"),
}
DATE_FIELDS = ("date", "expires", "from", "to")


class VolunteerRecordDialog(QDialog):
    """Emits ``saved(kind)`` once the service has recorded the certificate or the policy."""

    saved = Signal(str)

    def __init__(
        self,
        kind: str,
        backend: Backend,
        runner: TaskRunner,
        member_no: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"volunteer_{kind}_dialog")
        self.setMinimumWidth(380)
        self.kind, self.backend, self.runner, self.member_no = kind, backend, runner, member_no
        self.edits = {k: named(QLineEdit(), f"volunteer_{k}") for k in FIELDS[kind]}
        self.errors = {k: ErrorLabel(f"volunteer_{k}_error") for k in FIELDS[kind]}
        self.general_error = ErrorLabel("volunteer_error")
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in FIELDS[kind]:
            self.labels[key] = field_row(form, self.edits[key], self.errors[key])
        self.buttons = form_dialog_frame(
            self, form, self.general_error, "volunteer_buttons", self.submit
        )
        self.retranslate()
        self.edits[FIELDS[kind][0]].setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_(TITLES[self.kind]))
        for key, label in self.labels.items():
            label.setText(_(LABELS[key]))
            accessible(self.edits[key], _(LABELS[key]))
        for key in DATE_FIELDS:
            if key in self.edits:
                self.edits[key].setPlaceholderText(_("YYYY-MM-DD"))

    def _work(self) -> Callable[[], object]:
        volunteers, today = self.backend.volunteers, self.backend.ctx.today()
        texts = {k: edit.text() for k, edit in self.edits.items()}
        member, kind = self.member_no, self.kind

        def work() -> object:
            if kind == "certificate":
                issued = parse_date(texts["date"], today, "date")
                expires = (
                    parse_date(texts["expires"], today, "expires")
                    if texts["expires"].strip()
                    else None
                )
                return volunteers.certify(member, texts["course"], issued, expires)
            start = parse_date(texts["from"], today, "from")
            end = parse_date(texts["to"], today, "to")
            return volunteers.insure(member, texts["insurer"], texts["policy"], start, end)

        return work

    def submit(self) -> None:
        self.buttons.setEnabled(False)
        self.runner.run(self._work(), self._saved, self._refused)

    def _saved(self, _view: object) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(self.kind)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_refusal(exc, self.errors, self.general_error, self.edits)
