"""匹配: the volunteers ranked for one service request, each with the reasons for its place.

The list has the focus. Enter (or "Record the service") on a volunteer asks for the service
form filled with that volunteer, the elder and the category; Ctrl+Shift+S closes the request
as served by the slip of a service already recorded (the service checks it is for this
elder). Esc closes the dialog without changes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.request_match import Candidate
from timebank_desktop.services.service_requests import RequestView
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.itemmodels.requests import (
    CandidateModel,
    RankedCandidate,
    RequestRow,
    category_text,
)
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, fit_columns, label_buttons, named

LIMIT = 10


class MatchDialog(QDialog):
    """Emits ``closed_request(view)`` when the request was closed from here, and
    ``record_requested(member_no)`` for a service by the chosen volunteer."""

    closed_request = Signal(object)
    record_requested = Signal(str)

    def __init__(
        self,
        backend: Backend,
        runner: TaskRunner,
        prompts: Prompts,
        request: RequestRow,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("match_dialog")
        self.resize(820, 420)
        self.backend, self.runner, self.prompts, self.request = backend, runner, prompts, request
        self.heading = named(QLabel(), "match_heading")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.model = CandidateModel(self)
        self.table = named(QTableView(), "match_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        self.reasons = named(QLabel(), "match_reasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error = ErrorLabel("match_error")
        self.record_button = named(QPushButton(), "match_record")
        self.record_button.clicked.connect(self.record_chosen)
        self.serve_button = named(QPushButton(), "match_serve")
        self.serve_button.clicked.connect(self.serve_chosen)
        self.serve_shortcut = QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.serve_chosen)
        self.may_record = backend.may(Permission.RECORD_SERVICES)  # a viewer only looks
        self.serve_shortcut.setEnabled(self.may_record)
        self.buttons = named(
            QDialogButtonBox(QDialogButtonBox.StandardButton.Close), "match_buttons"
        )
        self.buttons.addButton(self.record_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.serve_button, QDialogButtonBox.ButtonRole.ActionRole)
        for button in (self.record_button, self.serve_button):  # after addButton (it shows)
            button.setVisible(self.may_record)
        self.buttons.rejected.connect(self.reject)
        self.table.activated.connect(lambda _index: self.record_chosen())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_reasons())
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reasons)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.day: date | None = None
        self.retranslate()
        self.load()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Match volunteers"))
        label_buttons(
            (self.record_button, _("Record the service… (Enter)")),
            (self.serve_button, _("Already served: close with slip… (Ctrl+Shift+S)")),
        )
        accessible(self.table, _("Suggested volunteers"))
        self._show_heading()
        self._show_reasons()
        self.model.retranslate()
        fit_columns(self.table, (48, 80, 80, 56))

    def _show_heading(self) -> None:
        view = self.request.view
        text = _("Request {number}: {category} for {name} ({member})").format(
            number=self.request.number,
            category=category_text(self.request),
            name=view.recipient_name,
            member=view.recipient_no,
        )
        if self.day is not None:
            text += "\n" + _("Volunteers ranked for {day}, the best first").format(
                day=self.day.isoformat()
            )
        self.heading.setText(text)

    def _show_reasons(self) -> None:
        """The chosen volunteer's reasons in full (the table cell may be cut short)."""
        candidate = self.chosen()
        if candidate is None:
            self.reasons.setText("")
            return
        lines = [
            _("Why {name} ({member}):").format(name=candidate.name, member=candidate.member_no)
        ]
        lines += [f"• {reason}" for reason in candidate.reasons]
        self.reasons.setText("\n".join(lines))
        accessible(self.reasons, " ".join(lines))

    def load(self) -> None:
        matching, ref = self.backend.matching, self.request.view.id
        self.runner.run(lambda: matching.match(ref, LIMIT), self._loaded, self._failed)

    def _loaded(self, result: tuple[date, list[Candidate]]) -> None:
        self.day, candidates = result
        self.model.set_rows([RankedCandidate(i, c) for i, c in enumerate(candidates, 1)])
        self._show_heading()
        if not candidates:
            self.error.show_message(_("No active volunteer to suggest"))
        self.serve_button.setEnabled(bool(candidates))
        self.record_button.setEnabled(bool(candidates))
        self.table.setFocus()
        if candidates:
            self.table.selectRow(0)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.error.show_message(exc.message)

    def chosen(self) -> Candidate | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row.candidate if row is not None else None

    def record_chosen(self) -> None:
        """Ask for the service form filled in for the chosen volunteer (the dialog closes)."""
        candidate = self.chosen()
        if candidate is None or not self.may_record:
            return
        self.accept()
        self.record_requested.emit(candidate.member_no)

    def serve_chosen(self) -> None:
        """Close the request as served by the slip of the chosen volunteer's service."""
        candidate = self.chosen()
        if candidate is None or not self.may_record:
            return
        slip = self.prompts.ask_text(
            self,
            _("Served by {name}").format(name=candidate.name),
            _("Slip number of {name}'s service to {elder}:").format(
                name=candidate.name, elder=self.request.view.recipient_name
            ),
        )
        if not slip or not slip.strip():
            return
        requests, ref = self.backend.requests, self.request.view.id
        self.runner.run(lambda: requests.close(ref, slip.strip()), self._closed, self._failed)

    def _closed(self, view: RequestView) -> None:
        self.closed_request.emit(view)
        self.accept()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self.record_chosen()
            return
        super().keyPressEvent(event)
