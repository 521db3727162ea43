"""The main window: a shell of navigation, menus, shortcuts and a status bar around the pages.

Pages do the work; this class only wires them: Ctrl+1…Ctrl+9 choose a page, Ctrl+N opens an
empty service form, Ctrl+F focuses the current page's search, Ctrl+R the returned-slip field,
F1 shows the current page's help.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import LANGUAGES, _, current_language, set_language
from timebank_desktop.services.records import RecordView
from timebank_desktop.services.verify import VerifyReport
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.dialogs.print_preview import DocumentPreview
from timebank_desktop.ui.pages.accounts import AccountsPage
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.pages.dashboard import DashboardPage
from timebank_desktop.ui.pages.members import MembersPage
from timebank_desktop.ui.pages.records import RecordsPage
from timebank_desktop.ui.pages.reports import ReportsPage
from timebank_desktop.ui.pages.requests import RequestsPage
from timebank_desktop.ui.pages.service_form import ServiceFormPage
from timebank_desktop.ui.pages.settings import SettingsPage
from timebank_desktop.ui.pages.sync import SyncPage
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.qt_translations import use_qt_language
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import named

log = logging.getLogger(__name__)

PAGE_CLASSES: tuple[type[Page], ...] = (
    DashboardPage,
    MembersPage,
    ServiceFormPage,
    RecordsPage,
    AccountsPage,
    ReportsPage,
    SyncPage,
    SettingsPage,
    RequestsPage,
)
PAGE_KEYS = tuple(cls.key for cls in PAGE_CLASSES)

SlipPrinter = Callable[[RecordView], None]


class MainWindow(QMainWindow):
    """Emits ``language_changed(code)``, ``slip_print_requested(view)``, ``closing``."""

    language_changed = Signal(str)
    slip_print_requested = Signal(object)
    closing = Signal()

    def __init__(
        self,
        backend: Backend,
        runner: TaskRunner,
        prompts: Prompts,
        settings: QSettings,
        verify_at_start: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.backend, self.runner, self.prompts, self.settings = backend, runner, prompts, settings
        self.paper = DocumentPreview(backend, runner, prompts, settings, self)
        self.slip_printer: SlipPrinter | None = lambda view: self.paper.slips([view.slip_no])
        deps = PageDeps(backend, runner, prompts, settings)
        self.service_page = ServiceFormPage(deps)
        self.records_page = RecordsPage(deps)
        self.settings_page = SettingsPage(deps)
        made: dict[type[Page], Page] = {
            ServiceFormPage: self.service_page,
            RecordsPage: self.records_page,
            SettingsPage: self.settings_page,
        }
        self.pages: dict[str, Page] = {cls.key: made.get(cls) or cls(deps) for cls in PAGE_CLASSES}
        self._attach_district_mode(deps)
        self.nav = named(QListWidget(), "nav")
        self.nav.setFixedWidth(132)
        self.nav.setStyleSheet(
            "#nav { font-size: 11pt; } #nav::item { padding: 6px 8px; }"
            "#nav::item:selected { background: #2f6ea5; color: white; }"
        )
        self.stack = named(QStackedWidget(), "pages")
        for page in self.pages.values():
            self.stack.addWidget(page)
            self.nav.addItem(QListWidgetItem())
        self.nav.currentRowChanged.connect(self._page_chosen)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self._build_menus()
        self._wire_pages()
        self.retranslate()
        self._restore_geometry()
        self.show_page("dashboard")
        if verify_at_start:
            self.check_integrity()

    # ------------------------------------------------------------ building
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("status_bar")
        self.centre_label = named(QLabel(), "status_centre")
        self.user_label = named(QLabel(), "status_user")
        self.database_label = named(QLabel(), "status_database")
        self.integrity_label = named(QLabel(), "status_integrity")
        for label in (self.centre_label, self.user_label, self.database_label):
            bar.addPermanentWidget(label)
            label.setStyleSheet("padding: 0 10px; border-right: 1px solid #bbb;")
        bar.addPermanentWidget(self.integrity_label)
        self.integrity_label.setContentsMargins(10, 0, 6, 0)
        self._integrity: VerifyReport | str | None = None
        self._centre_text = ""
        self.runner.run(self.backend.centre.get, self._centre_loaded, lambda _exc: None)

    def _centre_loaded(self, info: object) -> None:
        self._centre_text = f"{info.name} ({info.code})"  # type: ignore[attr-defined]
        self._update_status()

    def _action(self, name: str, slot: Callable[[], object], keys: str = "") -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        settings_page = self.settings_page
        self.menus: dict[str, QMenu] = {}
        for key in ("file", "go", "records", "edit", "language", "help"):
            self.menus[key] = self.menuBar().addMenu("")
            self.menus[key].setObjectName(f"menu_{key}")
        self.actions_by_name: dict[str, QAction] = {}

        def add(menu: str, name: str, slot: Callable[[], object], keys: str = "") -> None:
            action = self._action(name, slot, keys)
            self.menus[menu].addAction(action)
            self.actions_by_name[name] = action

        add("file", "action_backup", settings_page.backup_now)
        add("file", "action_restore", settings_page.restore)
        add("file", "action_quit", self.close, "Ctrl+Q")
        for number, key in enumerate(PAGE_KEYS, start=1):
            add("go", f"action_page_{key}", partial(self.show_page, key), f"Ctrl+{number}")
        add("records", "action_new_record", self.new_record, "Ctrl+N")
        add("records", "action_confirm_slip", self.focus_slip, "Ctrl+R")
        add("edit", "action_find", self.focus_search, "Ctrl+F")
        group = QActionGroup(self)
        for code in LANGUAGES:
            add("language", f"action_language_{code}", partial(self.set_language, code))
            action = self.actions_by_name[f"action_language_{code}"]
            action.setCheckable(True)
            group.addAction(action)
        add("help", "action_help", self.show_help, "F1")

    def _wire_pages(self) -> None:
        self.service_page.record_saved.connect(self._record_saved)
        self.service_page.print_requested.connect(self._print_slip)
        self.settings_page.language_chosen.connect(self.set_language)
        requests_page = self.pages["requests"]
        if isinstance(requests_page, RequestsPage):  # a matched request → the form, filled in
            requests_page.record_requested.connect(self.record_for_request)
            self.service_page.record_saved.connect(requests_page.record_saved)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Time bank — community mutual aid"))
        for row, page in enumerate(self.pages.values()):
            item = self.nav.item(row)
            item.setText(page.title())
            item.setToolTip(f"Ctrl+{row + 1}")
        self.nav.setAccessibleName(_("Pages"))
        titles = {
            "file": _("&File"),
            "go": _("&Go"),
            "records": _("&Records"),
            "edit": _("&Edit"),
            "language": _("&Language"),
            "help": _("&Help"),
        }
        for key, text in titles.items():
            self.menus[key].setTitle(text)
        texts = {
            "action_backup": _("Back up now…"),
            "action_restore": _("Restore from a backup…"),
            "action_quit": _("Quit"),
            "action_new_record": _("New service record"),
            "action_confirm_slip": _("Confirm a returned slip"),
            "action_find": _("Find"),
            "action_help": _("Help for this page"),
        }
        for key, page in self.pages.items():
            texts[f"action_page_{key}"] = page.title()
        for code, label in LANGUAGES.items():
            texts[f"action_language_{code}"] = label
            self.actions_by_name[f"action_language_{code}"].setChecked(code == current_language())
        for name, text in texts.items():
            self.actions_by_name[name].setText(text)
        for page in self.pages.values():
            page.retranslate()
        self._update_status()

    # ------------------------------------------------------------ navigation
    def show_page(self, key: str) -> Page:
        row = PAGE_KEYS.index(key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def current_page(self) -> Page:
        return self.pages[PAGE_KEYS[self.stack.currentIndex()]]

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.current_page()
        page.activated()
        page.focus_initial()

    def new_record(self) -> None:
        self.show_page("service")
        self.service_page.new_record()

    def record_for_request(self, volunteer: str, recipient: str, category: str) -> None:
        self.show_page("service")
        self.service_page.prefill(volunteer, recipient, category)

    def focus_slip(self) -> None:
        self.show_page("records")
        self.records_page.focus_slip()

    def focus_search(self) -> None:
        self.current_page().focus_search()

    def show_help(self) -> None:
        page = self.current_page()
        self.prompts.info(self, _("Help: {page}").format(page=page.title()), page.help_text())

    # ------------------------------------------------------------ language
    def set_language(self, code: str) -> None:
        """Switch every text to ``code``; what is typed in the forms stays."""
        if code not in LANGUAGES:
            return
        set_language(code)
        use_qt_language(code)
        self.settings.setValue("language", code)
        self.retranslate()
        self.language_changed.emit(code)

    # ------------------------------------------------------------ status
    def _update_status(self) -> None:
        actor = self.backend.actor
        self.centre_label.setText(self._centre_text)
        self.user_label.setText(
            _("{user} ({role})").format(
                user=actor.display_name or actor.username, role=actor.role.label
            )
        )
        database = self.backend.database
        self.database_label.setText(database.name if database else "")
        self.database_label.setToolTip(str(database) if database else "")
        report = self._integrity
        if report is None:
            text = _("Checking the ledger…")
        elif isinstance(report, str):
            text = report
        elif report.ok:
            text = _("Ledger intact ✓ ({n} transactions)").format(n=report.transactions)
        else:
            text = _("Ledger DAMAGED: {problem}").format(problem=report.first_problem)
        self.integrity_label.setText(text)
        self.integrity_label.setStyleSheet(
            "color: #b00020; font-weight: bold;"
            if isinstance(report, VerifyReport) and not report.ok
            else "color: #1b5e20;"
            if isinstance(report, VerifyReport)
            else ""
        )

    def check_integrity(self) -> None:
        """Run `verify` in the background and show the outcome in the status bar."""
        self._integrity = None
        self._update_status()

        def failed(exc: BaseException) -> None:
            message = exc.message if isinstance(exc, TimebankError) else str(exc)
            self._integrity = _("Ledger check failed: {reason}").format(reason=message)
            self._update_status()

        def done(report: VerifyReport) -> None:
            self._integrity = report
            self._update_status()

        self.runner.run(self.backend.verify.run, done, failed)

    # ------------------------------------------------------------ records and slips
    def _record_saved(self, view: RecordView) -> None:
        self.statusBar().showMessage(_("Saved slip {slip}").format(slip=view.slip_no), 10_000)
        self.records_page.invalidate()

    def _attach_district_mode(self, deps: PageDeps) -> None:
        """District mode on the Sync page, for an administrator on a district computer."""
        sync_page = self.pages["sync"]
        if deps.backend.paths.district_target() is None or not isinstance(sync_page, SyncPage):
            return
        from timebank_desktop.ui.pages.district import attach_district_mode  # openpyxl: late

        attach_district_mode(sync_page, deps)

    def _print_slip(self, view: RecordView) -> None:
        """Ctrl+P: hand the saved record to the slip printer (the paper module's hook)."""
        self.slip_print_requested.emit(view)
        if self.slip_printer is not None:
            self.slip_printer(view)
        else:
            self.statusBar().showMessage(
                _("Saved slip {slip}; printing comes with the paper module").format(
                    slip=view.slip_no
                ),
                15_000,
            )

    # ------------------------------------------------------------ geometry and exit
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 780)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.sync()
        self.runner.wait()
        self.settings_page.backup_on_exit()
        self.closing.emit()
        super().closeEvent(event)
