"""服务记录: every service record, filtered; returned slips confirmed by number (Ctrl+R)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.record_list import STATUSES, RecordFilter, RecordRow
from timebank_desktop.services.records import RecordView
from timebank_desktop.ui.dialogs.print_preview import DocumentPreview
from timebank_desktop.ui.dialogs.slip_control import SlipControlDialog
from timebank_desktop.ui.itemmodels.base import ROW_ROLE
from timebank_desktop.ui.itemmodels.records import STATUS_LABELS, RecordTableModel
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.pages.records_disputes import RecordDisputes
from timebank_desktop.ui.table_export import install_table_export
from timebank_desktop.ui.widgets import accessible, fit_columns, named

DEBOUNCE_MS = 150


def configure_table(view: QTableView) -> None:
    """Fast, fixed row heights; no resizing to contents (it reads every row)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.verticalHeader().setSectionResizeMode(view.verticalHeader().ResizeMode.Fixed)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)


class RecordsPage(Page):
    key = "records"

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.model = RecordTableModel(
            self.backend.record_list,
            self.runner,
            parent=self,
            categories=self.backend.categories.list,
        )
        self.model.on_error = self.report_error
        self.month = named(QComboBox(), "records_month")
        self.status = named(QComboBox(), "records_status")
        self.volunteer = named(QLineEdit(), "records_volunteer")
        self.volunteer.setClearButtonEnabled(True)
        self.table = named(QTableView(), "records_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        install_table_export(self.table, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.paper = DocumentPreview(self.backend, self.runner, self.prompts, deps.settings, self)
        self.print_button = named(QPushButton(), "records_print_slips")
        self.unsigned_button = named(QPushButton(), "records_print_unsigned")
        self.reconcile_button = named(QPushButton(), "records_reconcile")
        may_print = self.backend.may(Permission.RECORD_SERVICES)
        self.print_button.setVisible(may_print)
        self.unsigned_button.setVisible(may_print)
        self.print_button.clicked.connect(self.print_selected)
        self.unsigned_button.clicked.connect(self.print_unsigned)
        self.reconcile_button.clicked.connect(self.show_reconciliation)
        self.slip = named(QLineEdit(), "records_slip")
        self.slip.setMinimumWidth(300)
        self.volunteer.setMinimumWidth(220)
        self.slip_result = named(QLabel(), "records_slip_result")
        self.void_button = named(QPushButton(), "records_void")
        self.void_button.setVisible(self.backend.may(Permission.VOID))
        self.void_button.clicked.connect(self.void_selected)
        self.confirm_ok = self.backend.may(Permission.RECORD_SERVICES)
        self.slip.setEnabled(self.confirm_ok)
        self._labels = {k: QLabel() for k in ("month", "status", "volunteer", "slip")}
        self.disputes = RecordDisputes(self)  # open / list / decide disputes (纠纷)
        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.volunteer.textEdited.connect(lambda _t: self._timer.start())
        self.month.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.slip.returnPressed.connect(self.confirm_slip)
        self._stale = True
        self._months: list[Month] = []
        self.retranslate()

    def _build(self) -> None:
        filters = QHBoxLayout()
        for key, widget in (
            ("month", self.month),
            ("status", self.status),
            ("volunteer", self.volunteer),
        ):
            self._labels[key].setBuddy(widget)
            filters.addWidget(self._labels[key])
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.void_button)
        for button in self.disputes.buttons:
            filters.addWidget(button)
        slips = QHBoxLayout()
        self._labels["slip"].setBuddy(self.slip)
        slips.addWidget(self._labels["slip"])
        slips.addWidget(self.slip)
        slips.addWidget(self.slip_result, 1)
        for button in (self.print_button, self.unsigned_button, self.reconcile_button):
            slips.addWidget(button)  # the slip row: what concerns paper slips
        self.slip_result.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addLayout(slips)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        self.month.addItem("", None)
        for status in (None, *STATUSES):
            self.status.addItem("", status)

    def title(self) -> str:
        return _("Service records")

    def help_text(self) -> str:
        text = _(
            "All service records, newest first. Filter by month, status and volunteer. "
            "Ctrl+R puts the cursor in the slip field: type or scan the number of a returned, "
            "signed slip and press Enter to credit its hours; the field clears for the next "
            "one. Administrators can void a record with a reason (its hours are reversed). "
            "Print slips for the selected records, or every unsigned slip of the month chosen "
            "in the filter (three to a sheet); the slip reconciliation counts that month's "
            "slips issued, confirmed, voided and outstanding."
        )
        return f"{text} {self.disputes.help_text()}"

    def retranslate(self) -> None:
        texts = {
            "month": _("Month:"),
            "status": _("Status:"),
            "volunteer": _("Volunteer:"),
            "slip": _("Returned slip (Ctrl+R):"),
        }
        for key, text in texts.items():
            self._labels[key].setText(text)
        accessible(self.month, _("Month"))
        accessible(self.status, _("Status"))
        accessible(self.volunteer, _("Volunteer"))
        accessible(self.slip, _("Returned slip number"))
        accessible(self.table, _("Service records"))
        self.volunteer.setPlaceholderText(_("name, initials or number"))
        self.slip.setPlaceholderText(_("type or scan the slip number, then Enter"))
        self.month.setItemText(0, _("all months"))
        self.status.setItemText(0, _("any status"))
        for i, status in enumerate(STATUSES, start=1):
            self.status.setItemText(i, _(STATUS_LABELS[status]))
        self.void_button.setText(_("Void…"))
        accessible(self.void_button, _("Void the selected record"))
        self.print_button.setText(_("Print slips…"))
        self.unsigned_button.setText(_("Print the month's unsigned slips…"))
        self.reconcile_button.setText(_("Slip reconciliation…"))
        accessible(self.print_button, _("Print the slips of the selected records"))
        accessible(self.unsigned_button, self.unsigned_button.text())
        accessible(self.reconcile_button, self.reconcile_button.text())
        self.disputes.retranslate()
        self.model.retranslate()
        fit_columns(self.table, (80, 88, 130, 130, 90, 64, 64, 120, 72))

    def search_field(self) -> QLineEdit:
        return self.volunteer

    def focus_initial(self) -> None:
        if self.confirm_ok:
            self.focus_slip()
        else:
            self.focus_search()

    def focus_slip(self) -> None:
        self.slip.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.slip.selectAll()

    def activated(self) -> None:
        if self._stale:
            self._stale = False
            self.disputes.refresh_count()
            self.runner.run(
                self.backend.record_list.months, self._months_loaded, self.report_error
            )

    def invalidate(self) -> None:
        """Records changed elsewhere: reload when next shown (or now, if visible)."""
        self._stale = True
        if self.isVisible():
            self.activated()

    def _months_loaded(self, months: list[Month]) -> None:
        chosen = self.month.currentData()
        self.month.blockSignals(True)
        while self.month.count() > 1:
            self.month.removeItem(1)
        for month in months:
            self.month.addItem(str(month), month)
        index = self.month.findData(chosen) if chosen is not None else 0
        self.month.setCurrentIndex(max(index, 0))
        self.month.blockSignals(False)
        self.apply_filter()

    def current_filter(self) -> RecordFilter:
        return RecordFilter(
            month=self.month.currentData(),
            status=self.status.currentData(),
            volunteer=self.volunteer.text(),
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())

    # ------------------------------------------------------------ returned slips
    def confirm_slip(self) -> None:
        """Enter in the slip field: confirm it, show ✓ or the reason, clear for the next."""
        number = self.slip.text().strip()
        if not number:
            return
        self.slip.clear()
        records = self.backend.records
        self.runner.run(lambda: records.confirm(number), self._confirmed, self._not_confirmed)

    def _confirmed(self, view: RecordView) -> None:
        self.slip_result.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.slip_result.setText(
            _("✓ {slip}: {hours} h credited to {volunteer}").format(
                slip=view.slip_no,
                hours=format_hours(view.credited_minutes),
                volunteer=view.volunteer_name,
            )
        )
        self.apply_filter()

    def _not_confirmed(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.slip_result.setStyleSheet("color: #b00020; font-weight: bold;")
        self.slip_result.setText(_("✗ {reason}").format(reason=exc.message))
        self.slip.setFocus()

    # ------------------------------------------------------------ void
    def selected_row(self) -> RecordRow | None:
        index = self.table.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    def void_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            self.prompts.info(self, _("Void"), _("Select a record first"))
            return
        reason = self.prompts.ask_text(
            self,
            _("Void slip {slip}").format(slip=row.slip_no),
            _("Why is this record void? (its hours are reversed)"),
        )
        if reason is None:
            return
        records = self.backend.records
        self.runner.run(
            lambda: records.void(row.slip_no, reason),
            lambda _view: self.apply_filter(),
            self.report_error,
        )

    # ------------------------------------------------------------ paper
    def selected_rows(self) -> list[RecordRow]:
        rows = self.table.selectionModel().selectedRows()
        found = [self.model.data(index, ROW_ROLE) for index in rows]
        return [row for row in found if row is not None]

    def print_selected(self) -> None:
        rows = self.selected_rows()
        if not rows:
            self.prompts.info(self, _("Print slips"), _("Select one or more records first"))
            return
        self.paper.slips([row.slip_no for row in rows])

    def _chosen_month(self, title: str) -> Month | None:
        month: Month | None = self.month.currentData()
        if month is None:
            self.prompts.info(self, title, _("Choose a month in the filter first"))
        return month

    def print_unsigned(self) -> None:
        month = self._chosen_month(_("Print the month's unsigned slips"))
        if month is not None:
            self.paper.unsigned_slips(month)

    def show_reconciliation(self) -> None:
        month = self._chosen_month(_("Slip reconciliation"))
        if month is None:
            return
        paper = self.backend.paper

        def opened(data: object) -> None:
            dialog = SlipControlDialog(month, data, self)  # type: ignore[arg-type]
            dialog.print_requested.connect(self.paper.reconciliation)
            self.prompts.show_dialog(dialog)

        self.runner.run(lambda: paper.reconciliation(month), opened, self.report_error)
