"""Disputes (纠纷) on the Records page: open one about the selected record, list and decide.

Ctrl+D (or the button, or the table's context menu) opens a dispute about the selected record;
Ctrl+Shift+D opens the list of cases, where Enter or "Decide…" decides the selected one.
Upholding voids the record by a reversal of its hours (the confirmation says so); rejecting
leaves it standing. The records under an open case are counted on the button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.clock import local_time
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import N_, _
from timebank_desktop.ui.dialogs.dispute import DecideDisputeDialog, OpenDisputeDialog
from timebank_desktop.ui.itemmodels.base import ROW_ROLE
from timebank_desktop.ui.table_export import TableExport
from timebank_desktop.ui.widgets import accessible, named

if TYPE_CHECKING:  # the disputes service loads on first use
    from timebank_desktop.services.disputes import DisputeView
    from timebank_desktop.ui.pages.records import RecordsPage

OPEN_KEYS, LIST_KEYS = "Ctrl+D", "Ctrl+Shift+D"
STATUS_LABELS = {"open": N_("open"), "upheld": N_("upheld"), "rejected": N_("rejected")}


def _headers() -> list[str]:
    return [_("Case"), _("Slip"), _("Reason"), _("Status"), _("Opened"), _("Decision note")]


class DisputesDialog(QDialog):
    """The cases, open ones first by default; Enter or "Decide…" decides the selected one."""

    decide_requested = Signal(str, str)  # case number, slip number
    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disputes_dialog")
        self.setWindowTitle(_("Disputes"))
        self.resize(820, 420)
        self.cases: list[DisputeView] = []
        self.status = named(QComboBox(), "disputes_status")
        self.status.addItem(_("open cases"), "open")
        self.status.addItem(_("all cases"), None)
        self.status.currentIndexChanged.connect(lambda _i: self.reload_requested.emit())
        label = QLabel(_("&Show:"))
        label.setBuddy(self.status)
        self.table = named(QTableWidget(0, len(_headers())), "disputes_table")
        self.table.setHorizontalHeaderLabels(_headers())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _i: self.decide_selected())
        accessible(self.table, _("Dispute cases"))
        self.decide_button = named(QPushButton(_("&Decide…")), "disputes_decide")
        self.decide_button.setAutoDefault(False)
        self.decide_button.clicked.connect(self.decide_selected)
        self.message = named(QLabel(), "disputes_message")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.status)
        top.addStretch(1)
        top.addWidget(self.decide_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def wanted_status(self) -> str | None:
        data = self.status.currentData()
        return str(data) if data else None

    def show_cases(self, cases: list[DisputeView]) -> None:
        self.cases = cases
        self.table.setRowCount(len(cases))
        for row, case in enumerate(cases):
            values = (
                case.case_no, case.slip_no, case.reason,
                _(STATUS_LABELS.get(case.status, case.status)),
                local_time(case.opened_at).strftime("%Y-%m-%d %H:%M"), case.decision_note,
            )  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        if cases:
            self.table.selectRow(0)
        self.table.setFocus()

    def decide_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.cases):
            self.message.setText(_("Select a case first"))
            return
        case = self.cases[row]
        if case.status != "open":
            self.message.setText(_("Case {case} was already decided").format(case=case.case_no))
            return
        self.decide_requested.emit(case.case_no, case.slip_no)


class DisputedMark(QStyledItemDelegate):
    """The status cell of a record under an open dispute says so (the model is untouched)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.slips: set[str] = set()

    def initStyleOption(  # Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        row = index.data(ROW_ROLE)
        if row is not None and getattr(row, "slip_no", None) in self.slips:
            option.text = _("{status} · under dispute").format(status=option.text)


class RecordDisputes(QObject):
    """The dispute actions of the Records page (buttons, shortcuts, context menu)."""

    def __init__(self, page: RecordsPage) -> None:
        super().__init__(page)
        self.page = page
        self.may_open = page.backend.may(Permission.RECORD_SERVICES)
        self.may_decide = page.backend.may(Permission.VOID)
        self.open_button = named(QPushButton(), "records_open_dispute")
        self.list_button = named(QPushButton(), "records_disputes")
        self.open_button.setVisible(self.may_open)
        self.open_button.clicked.connect(self.open_dispute)
        self.list_button.clicked.connect(self.show_disputes)
        self.buttons = (self.open_button, self.list_button)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.open_shortcut = QShortcut(
            QKeySequence(OPEN_KEYS), page, self.open_dispute, context=context
        )
        self.list_shortcut = QShortcut(
            QKeySequence(LIST_KEYS), page, self.show_disputes, context=context
        )
        self.open_shortcut.setEnabled(self.may_open)
        self.dialog: DisputesDialog | None = None
        self.open_count = 0
        self.mark = DisputedMark(page.table)
        page.table.setItemDelegateForColumn(page.model.columnCount() - 1, self.mark)  # status
        self._take_over_context_menu()

    def retranslate(self) -> None:
        self.open_button.setText(_("Open dispute… ({keys})").format(keys=OPEN_KEYS))
        accessible(self.open_button, _("Open a dispute about the selected record"))
        self._show_count()

    def _show_count(self) -> None:
        text = _("Disputes… ({keys})").format(keys=LIST_KEYS)
        if self.open_count:
            text = _("Disputes: {n} open… ({keys})").format(n=self.open_count, keys=LIST_KEYS)
        self.list_button.setText(text)
        accessible(self.list_button, _("Dispute cases"))

    def help_text(self) -> str:
        return _(
            "Ctrl+D opens a dispute about the selected record (a reason is required); "
            "Ctrl+Shift+D lists the cases, where Enter decides the selected one: upheld voids "
            "the record by reversing its hours, rejected leaves it. Records under an open "
            "dispute say so in their status."
        )

    def refresh_count(self) -> None:
        """Count the open cases (on the button) and mark their records (in the list)."""
        service = self.page.backend.disputes

        def open_slips() -> set[str]:
            return {case.slip_no for case in service.list("open")}

        self.page.runner.run(open_slips, self._counted, lambda _e: None)

    def _counted(self, slips: set[str]) -> None:
        self.open_count = len(slips)
        self.mark.slips = slips
        self.page.table.viewport().update()
        self._show_count()

    # ------------------------------------------------------------ context menu
    def _take_over_context_menu(self) -> None:
        """The table's context menu: the dispute action above the export entries."""
        export = self.page.table.findChild(TableExport)
        if export is None:
            return
        self.export = export
        self.page.table.customContextMenuRequested.disconnect(export._popup)
        self.page.table.customContextMenuRequested.connect(self._popup)

    def context_menu(self) -> QMenu:
        menu = self.export.menu()
        if self.may_open:
            action = QAction(_("Open dispute…"), menu)
            action.setObjectName("open_dispute")
            action.triggered.connect(self.open_dispute)
            exports = menu.actions()
            if exports:
                menu.insertAction(exports[0], action)
                menu.insertSeparator(exports[0])
            else:
                menu.addAction(action)
        return menu

    def _popup(self, point: QPoint) -> None:
        menu = self.context_menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.page.table.viewport().mapToGlobal(point))

    # ------------------------------------------------------------ open
    def open_dispute(self) -> None:
        if not self.may_open:
            return
        row = self.page.selected_row()
        if row is None:
            self.page.prompts.info(self.page, _("Open dispute"), _("Select a record first"))
            return
        dialog = OpenDisputeDialog(row.slip_no, self.page)
        dialog.chosen.connect(lambda reason: self._open(row.slip_no, reason))
        self.page.prompts.show_dialog(dialog)

    def _open(self, slip_no: str, reason: str) -> None:
        service = self.page.backend.disputes
        self.page.runner.run(
            lambda: service.open(slip_no, reason), self._opened, self.page.report_error
        )

    def _opened(self, view: DisputeView) -> None:
        self.page.prompts.info(
            self.page,
            _("Open dispute"),
            _("Case {case} opened about slip {slip}").format(case=view.case_no, slip=view.slip_no),
        )
        self.refresh_count()

    # ------------------------------------------------------------ list and decide
    def show_disputes(self) -> None:
        if self.dialog is None:
            self.dialog = DisputesDialog(self.page)
            self.dialog.reload_requested.connect(self.reload)
            self.dialog.decide_requested.connect(self.decide)
        self.page.prompts.show_dialog(self.dialog)
        self.reload()

    def reload(self) -> None:
        dialog, service = self.dialog, self.page.backend.disputes
        if dialog is None:
            return
        status = dialog.wanted_status()
        self.page.runner.run(
            lambda: service.list(status), dialog.show_cases, self.page.report_error
        )
        self.refresh_count()

    def decide(self, case_no: str, slip_no: str) -> None:
        if not self.may_decide:
            self.page.prompts.info(
                self.page, _("Decide"), _("Only an administrator may decide a dispute")
            )
            return
        dialog = DecideDisputeDialog(case_no, slip_no, self.dialog or self.page)
        dialog.chosen.connect(lambda uphold, note: self._decide(case_no, slip_no, uphold, note))
        self.page.prompts.show_dialog(dialog)

    def _decide(self, case_no: str, slip_no: str, uphold: bool, note: str) -> None:
        if uphold and not self.page.prompts.confirm(
            self.page,
            _("Uphold case {case}").format(case=case_no),
            _(
                "Upholding voids slip {slip}: its hours are reversed (the volunteer's credit "
                "goes back). This cannot be undone. Uphold?"
            ).format(slip=slip_no),
        ):
            return
        service = self.page.backend.disputes
        self.page.runner.run(
            lambda: service.decide(case_no, uphold, note), self._decided, self.page.report_error
        )

    def _decided(self, view: DisputeView) -> None:
        if self.dialog is not None:
            text = (
                _("Case {case} upheld: slip {slip} is void")
                if view.status == "upheld"
                else _("Case {case} rejected: slip {slip} stands")
            )
            self.dialog.message.setText(text.format(case=view.case_no, slip=view.slip_no))
        self.reload()
        self.page.apply_filter()
