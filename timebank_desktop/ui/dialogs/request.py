"""New service request (需求登记): recipient, category, wanted time, notes.

Enter moves to the next field, Enter in the last field (or Ctrl+S) saves, Esc closes without
saving. A refusal puts the reason beside the field at fault and saves nothing.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from timebank_desktop.domain.categories import CategoryInfo, match_category
from timebank_desktop.i18n import _, current_language
from timebank_desktop.services.service_requests import RequestView
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.form_errors import form_dialog_frame, show_refusal
from timebank_desktop.ui.member_picker import MemberPicker
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

FIELDS = ("recipient", "category", "when", "notes")


class RequestDialog(QDialog):
    """Emits ``saved(view)`` once the service registered the request."""

    saved = Signal(object)

    def __init__(
        self,
        backend: Backend,
        runner: TaskRunner,
        catalogue: tuple[CategoryInfo, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("request_dialog")
        self.setMinimumWidth(520)
        self.backend, self.runner, self.catalogue = backend, runner, catalogue
        self.edits = {k: named(QLineEdit(), f"request_{k}") for k in FIELDS}
        self.hints = {k: named(QLabel(), f"request_{k}_hint") for k in ("recipient", "category")}
        self.errors = {k: ErrorLabel(f"request_{k}_error") for k in FIELDS}
        self.general_error = ErrorLabel("request_error")
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in FIELDS:
            box = QGridLayout()
            box.setSpacing(2)
            box.addWidget(self.edits[key], 0, 0)
            if key in self.hints:
                self.hints[key].setStyleSheet("color: #555;")
                box.addWidget(self.hints[key], 0, 1)
                box.setColumnStretch(0, 3)
                box.setColumnStretch(1, 2)
            box.addWidget(self.errors[key], 1, 0, 1, 2)
            label = QLabel()
            label.setBuddy(self.edits[key])
            form.addRow(label, box)
            self.labels[key] = label
        self.edits["when"].setMaxLength(100)
        self.edits["notes"].setMaxLength(500)
        self.picker = MemberPicker(
            self.edits["recipient"],
            self.hints["recipient"],
            backend,
            runner,
            None,
            "recipient",
        )
        self.picker.picked.connect(lambda _no: self._next("recipient"))
        for key, edit in self.edits.items():
            edit.returnPressed.connect(lambda k=key: self._next(k))
        self.edits["category"].textChanged.connect(self._category_hint)
        QShortcut(QKeySequence("Ctrl+S"), self, self.submit)
        self.buttons = form_dialog_frame(
            self, form, self.general_error, "request_buttons", self.submit, save=True
        )
        for first, second in pairwise(self.edits.values()):
            QWidget.setTabOrder(first, second)
        self.retranslate()
        self.edits["recipient"].setFocus()
        if not catalogue:  # opened before the page had it: names and initials need it
            service = backend.service_form
            runner.run(service.catalogue, self._catalogue_loaded, lambda _exc: None)

    def _catalogue_loaded(self, catalogue: tuple[CategoryInfo, ...]) -> None:
        self.catalogue = catalogue
        self._category_hint()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New service request"))
        texts = {
            "recipient": _("Recipient:"),
            "category": _("Category:"),
            "when": _("Wanted (date/time):"),
            "notes": _("Notes:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            accessible(self.edits[key], text)
        self.edits["recipient"].setPlaceholderText(_("name, initials, phone/ID tail or number"))
        self.edits["category"].setPlaceholderText(_("code, name or initials"))
        self.edits["when"].setPlaceholderText(_("e.g. 2026-12-03 morning, or 12-03 14:00"))
        self._category_hint()

    def _category(self) -> CategoryInfo | None:
        return match_category(self.edits["category"].text(), self.catalogue)

    def _category_hint(self) -> None:
        found = self._category()
        self.hints["category"].setText(found.name(current_language()) if found else "")

    def _next(self, key: str) -> None:
        """Enter: the next field, or save from the last one."""
        if key == FIELDS[-1]:
            self.submit()
            return
        following = self.edits[FIELDS[FIELDS.index(key) + 1]]
        following.setFocus(Qt.FocusReason.TabFocusReason)
        following.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # the fields handle Enter (next field); no default button fires
        super().keyPressEvent(event)

    def submit(self) -> None:
        e, requests = self.edits, self.backend.requests
        found = self._category()
        category = found.code if found else e["category"].text()
        recipient, when, notes = e["recipient"].text().strip(), e["when"].text(), e["notes"].text()
        self.buttons.setEnabled(False)
        self.runner.run(
            lambda: requests.add(recipient, category, when, notes), self._saved, self._refused
        )

    def _saved(self, view: RequestView) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(view)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_refusal(exc, self.errors, self.general_error, self.edits)
