"""成员: every member, searched as you type on the database side, with one member in detail.

The table holds only the pages fetched so far (200,000 members open as fast as 100): fixed row
heights and no resizing to contents keep it smooth.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.accounts import Movement
from timebank_desktop.services.member_search import MemberSummary
from timebank_desktop.services.members import MemberDetail
from timebank_desktop.ui.dialogs.member import MemberDialog, RelationDialog
from timebank_desktop.ui.itemmodels.base import ROW_ROLE
from timebank_desktop.ui.itemmodels.members import MemberTableModel
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.pages.member_detail import MemberDetailPanel
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.table_export import install_table_export
from timebank_desktop.ui.widgets import accessible, fit_columns, label_buttons, named

DEBOUNCE_MS = 150


class MembersPage(Page):
    key = "members"

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        show_identity = self.backend.may(Permission.SEE_IDENTITY)
        self.model = MemberTableModel(
            self.backend.members, self.runner, show_identity, parent=self
        )
        self.model.on_error = self.report_error
        self._counting: str | None = None
        self.model.first_page.connect(self._first_page)
        self.search = named(QLineEdit(), "members_search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.count_label = named(QLabel(), "members_count")
        self.table = named(QTableView(), "members_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        self.detail = MemberDetailPanel(show_identity)
        install_table_export(self.table, self)
        install_table_export(self.detail.history_view, self, lambda: _("Passbook"))
        may_edit = self.backend.may(Permission.EDIT_MEMBERS)
        self.add_button = named(QPushButton(), "members_add")
        self.edit_button = named(QPushButton(), "members_edit")
        self.relation_button = named(QPushButton(), "members_relation")
        for button in (self.add_button, self.edit_button, self.relation_button):
            button.setVisible(may_edit)
        self.add_button.clicked.connect(self.add_member)
        self.edit_button.clicked.connect(self.edit_member)
        self.relation_button.clicked.connect(self.add_relation)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        top = QHBoxLayout()
        for widget in (self.search_label, self.search, self.count_label):
            top.addWidget(widget)
        top.addStretch(1)
        for button in (self.add_button, self.edit_button, self.relation_button):
            top.addWidget(button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        self.detail.setMaximumWidth(450)  # the rest goes to the list
        split.setSizes([700, 450])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_search)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._enter_in_search)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.new_shortcut = QShortcut(
            QKeySequence("Ctrl+Shift+N"),
            self,
            self.add_member,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.new_shortcut.setEnabled(may_edit)
        self._loaded = False
        self._count: int | None = None
        self.retranslate()

    def title(self) -> str:
        return _("Member list")

    def help_text(self) -> str:
        return _(
            "Find a member by name, pinyin initials (张三 → zs), phone or ID tail, or member "
            "number as you type (Ctrl+F). Down moves into the list; the member's details, "
            "relatives and passbook show on the right. Staff who may edit members add and "
            "edit them here, and record household relations for transfers."
        )

    def retranslate(self) -> None:
        self.search_label.setText(_("Find:"))
        self.search.setPlaceholderText(_("name, initials, phone/ID tail or number"))
        accessible(self.search, _("Find a member"))
        accessible(self.table, _("Member list"))
        label_buttons(
            (self.add_button, _("New member… (Ctrl+Shift+N)")),
            (self.edit_button, _("Edit…")),
            (self.relation_button, _("Add relative…")),
        )
        self._show_count()
        self.model.retranslate()
        fit_columns(self.table, (72, 56, 40, 78, 136, 92, 76, 56))
        self.detail.retranslate()

    def search_field(self) -> QLineEdit:
        return self.search

    def activated(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.apply_search()

    # ------------------------------------------------------------ searching
    def apply_search(self) -> None:
        self._timer.stop()
        text = self.search.text()
        self._count = None
        self._show_count()
        self._counting = text  # counted once the first page is in (see _first_page)
        self.model.set_query(text)

    def _first_page(self, more: bool) -> None:
        """The first page is in: a short one is the whole count; else count in SQL, after it."""
        text, self._counting = self._counting, None
        if text is None:
            return
        if not more:
            self._counted(text, self.model.rowCount())
            return
        members = self.backend.members
        self.runner.run(
            lambda: members.count(text), lambda n: self._counted(text, n), lambda _e: None
        )

    def _counted(self, text: str, count: int) -> None:
        if text == self.search.text():
            self._count = count
            self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(
            "" if self._count is None else _("{n} members").format(n=self._count)
        )

    def _enter_in_search(self) -> None:
        self.apply_search()
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------ detail
    def selected(self) -> MemberSummary | None:
        index = self.table.currentIndex()
        return self.model.data(index, ROW_ROLE) if index.isValid() else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        member = self.selected()
        if member is None:
            self.detail.clear()
            return
        self.show_member(member.member_no)

    def show_member(self, member_no: str) -> None:
        """Load one member's details and passbook into the panel."""
        backend = self.backend

        def work() -> tuple[MemberDetail, list[Movement]]:
            _opening, movements = backend.accounts.history(member_no)
            return backend.members.get(member_no), movements

        self.runner.run(work, lambda r: self.detail.show_member(*r), self.report_error)

    # ------------------------------------------------------------ editing
    def add_member(self) -> None:
        dialog = MemberDialog(self.backend, self.runner, parent=self)
        dialog.saved.connect(self._member_saved)
        self.prompts.show_dialog(dialog)

    def edit_member(self) -> None:
        member = self.selected()
        if member is None:
            return
        members, runner = self.backend.members, self.runner

        def opened(detail: MemberDetail) -> None:
            dialog = MemberDialog(self.backend, runner, detail, parent=self)
            dialog.saved.connect(self._member_saved)
            self.prompts.show_dialog(dialog)

        runner.run(lambda: members.get(member.member_no), opened, self.report_error)

    def add_relation(self) -> None:
        member = self.selected()
        if member is None:
            return
        dialog = RelationDialog(self.backend, self.runner, member.member_no, parent=self)
        dialog.saved.connect(lambda: self.show_member(member.member_no))
        self.prompts.show_dialog(dialog)

    def _member_saved(self, summary: MemberSummary) -> None:
        self.search.setText(summary.member_no)
        self.apply_search()
        self.table.selectRow(0)
