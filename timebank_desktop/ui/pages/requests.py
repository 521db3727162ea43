"""需求: the open service requests, a new one registered, volunteers matched, requests closed.

Keys: Ctrl+Shift+N a new request; Ctrl+M (or Enter in the list) the ranked volunteers for the
chosen request; Ctrl+Shift+S closes it as served by a slip; Ctrl+Shift+X closes it without a
record. The search field (Ctrl+F) filters the list as you type; Down moves into the list.

"Record the service" on a matched volunteer emits ``record_requested(volunteer, recipient,
category)`` (the shell opens the service form filled in); when a record for that elder is then
saved (``record_saved``), the request is closed as served by its slip, once confirmed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.categories import CategoryInfo
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.records import RecordView
from timebank_desktop.services.service_requests import RequestView
from timebank_desktop.ui.dialogs.request import RequestDialog
from timebank_desktop.ui.dialogs.request_match import MatchDialog
from timebank_desktop.ui.itemmodels.requests import RequestModel, RequestRow, category_text
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.table_export import install_table_export
from timebank_desktop.ui.widgets import accessible, fit_columns, label_buttons, named


def _matches(row: RequestRow, text: str) -> bool:
    view = row.view
    fields = (view.id, view.recipient_no, view.recipient_name, view.category, view.when_text)
    haystack = " ".join((*fields, view.notes, category_text(row))).lower()
    return all(word in haystack for word in text.lower().split())


class RequestsPage(Page):
    """Emits ``record_requested(volunteer_no, recipient_no, category)``."""

    key = "requests"
    record_requested = Signal(str, str, str)

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.catalogue: tuple[CategoryInfo, ...] = ()
        self.all_rows: list[RequestRow] = []
        self.pending: RequestView | None = None  # the request a service is being recorded for
        self.model = RequestModel(self)
        self.search = named(QLineEdit(), "requests_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.count_label = named(QLabel(), "requests_count")
        self.table = named(QTableView(), "requests_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        install_table_export(self.table, self)
        self.may_record = self.backend.may(Permission.RECORD_SERVICES)
        self.add_button = named(QPushButton(), "requests_add")
        self.match_button = named(QPushButton(), "requests_match")
        self.serve_button = named(QPushButton(), "requests_serve")
        self.cancel_button = named(QPushButton(), "requests_cancel")
        actions = (
            (self.add_button, self.add_request, "Ctrl+Shift+N"),
            (self.match_button, self.match_request, "Ctrl+M"),
            (self.serve_button, self.close_served, "Ctrl+Shift+S"),
            (self.cancel_button, self.close_cancelled, "Ctrl+Shift+X"),
        )
        top = QHBoxLayout()
        for widget in (self.search_label, self.search, self.count_label):
            top.addWidget(widget)
        top.addStretch(1)
        bar = QHBoxLayout()  # a row of its own: the labels name their keys, and stay whole
        self.shortcuts: list[QShortcut] = []
        for button, slot, keys in actions:
            button.clicked.connect(slot)
            button.setVisible(self.may_record or button is self.match_button)
            bar.addWidget(button)
            shortcut = QShortcut(
                QKeySequence(keys),
                self,
                slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
            shortcut.setEnabled(self.may_record or button is self.match_button)
            self.shortcuts.append(shortcut)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(lambda _t: self._filter())
        self.search.returnPressed.connect(self._into_list)
        self.table.activated.connect(lambda _index: self.match_request())
        self.retranslate()

    def title(self) -> str:
        return _("Requests")

    def help_text(self) -> str:
        return _(
            "The service requests still open, the oldest first. Ctrl+Shift+N registers a new "
            "one (recipient, category, wanted date/time, notes). Ctrl+M or Enter on a request "
            "lists the volunteers best suited to it, each with the reasons for its place; "
            "Enter on a volunteer opens the service form filled in, and saving that record "
            "closes the request. A service recorded already: Ctrl+Shift+S closes the request "
            "with its slip number; Ctrl+Shift+X closes it without a record. Ctrl+F filters "
            "the list."
        )

    def retranslate(self) -> None:
        self.search_label.setText(_("Find:"))
        self.search.setPlaceholderText(_("number, recipient, category or notes"))
        accessible(self.search, _("Find a request"))
        accessible(self.table, _("Open service requests"))
        label_buttons(
            (self.add_button, _("New request… (Ctrl+Shift+N)")),
            (self.match_button, _("Match volunteers… (Ctrl+M)")),
            (self.serve_button, _("Served: close with slip… (Ctrl+Shift+S)")),
            (self.cancel_button, _("Close without record (Ctrl+Shift+X)")),
        )
        self.model.retranslate()
        fit_columns(self.table, (80, 150, 120, 160, 64))
        self._show_count()

    def search_field(self) -> QLineEdit:
        return self.search

    def activated(self) -> None:
        self.reload()

    # ------------------------------------------------------------ the list
    def reload(self, select_id: str | None = None) -> None:
        backend = self.backend

        def work() -> tuple[tuple[CategoryInfo, ...], list[RequestView]]:
            return backend.service_form.catalogue(), backend.requests.open_requests()

        def done(result: tuple[tuple[CategoryInfo, ...], list[RequestView]]) -> None:
            self.catalogue, views = result
            by_code = {c.code: c for c in self.catalogue}
            today = backend.ctx.today()
            self.all_rows = [
                RequestRow(v, by_code.get(v.category), (today - v.created_at.date()).days)
                for v in views
            ]
            self._filter(select_id)

        self.runner.run(work, done, self.report_error)

    def _filter(self, select_id: str | None = None) -> None:
        current = select_id or (row.view.id if (row := self.selected()) else None)
        text = self.search.text().strip()
        rows = [r for r in self.all_rows if _matches(r, text)] if text else self.all_rows
        self.model.set_rows(rows)
        self._show_count()
        for i, row in enumerate(rows):
            if row.view.id == current:
                self.table.selectRow(i)
                break

    def _show_count(self) -> None:
        self.count_label.setText(_("{n} open").format(n=self.model.rowCount()))

    def _into_list(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus():
            self._into_list()
            return
        super().keyPressEvent(event)

    def selected(self) -> RequestRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # ------------------------------------------------------------ actions
    def add_request(self) -> None:
        if not self.may_record:
            return
        dialog = RequestDialog(self.backend, self.runner, self.catalogue, parent=self)
        dialog.saved.connect(lambda view: self._changed(view, select=True))
        self.prompts.show_dialog(dialog)

    def match_request(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = MatchDialog(self.backend, self.runner, self.prompts, row, parent=self)
        dialog.closed_request.connect(self._changed)
        dialog.record_requested.connect(lambda member_no: self._record(row, member_no))
        self.prompts.show_dialog(dialog)

    def _record(self, row: RequestRow, volunteer_no: str) -> None:
        if not self.may_record:
            return
        self.pending = row.view
        self.record_requested.emit(volunteer_no, row.view.recipient_no, row.view.category)

    def record_saved(self, record: RecordView) -> None:
        """A service record was saved: if it serves the pending request's elder, close it."""
        pending = self.pending
        if pending is None or record.recipient_no != pending.recipient_no:
            return
        self.pending = None
        question = _("Close request {number} of {elder} as served by slip {slip}?").format(
            number=pending.id[:8], elder=pending.recipient_name, slip=record.slip_no
        )
        if not self.prompts.confirm(self, _("Close request"), question):
            return
        requests, ref, slip = self.backend.requests, pending.id, record.slip_no
        self.runner.run(
            lambda: requests.close(ref, slip), lambda _v: self.reload(), self.report_error
        )

    def close_served(self) -> None:
        row = self.selected()
        if row is None or not self.may_record:
            return
        slip = self.prompts.ask_text(
            self,
            _("Close request {number}").format(number=row.number),
            _("Slip number of the service to {elder}:").format(elder=row.view.recipient_name),
        )
        if slip and slip.strip():
            self._close(row, slip.strip())

    def close_cancelled(self) -> None:
        row = self.selected()
        if row is None or not self.may_record:
            return
        question = _("Close request {number} of {elder} without a service record?").format(
            number=row.number, elder=row.view.recipient_name
        )
        if self.prompts.confirm(self, _("Close request"), question):
            self._close(row, None)

    def _close(self, row: RequestRow, slip: str | None) -> None:
        requests, ref = self.backend.requests, row.view.id
        self.runner.run(lambda: requests.close(ref, slip), self._changed, self.report_error)

    def _changed(self, view: RequestView, select: bool = False) -> None:
        self.reload(view.id if select else None)
        self.table.setFocus()
