"""同步: the centre's sync files with the district (通存通兑).

Export to a folder or USB stick (a file dialog; the export runs on the task runner with
progress and Cancel, which leaves no file behind), import the district's configuration or
statement (the fingerprint is confirmed against the paper copy on first contact, the
passphrase asked for the member-key secret), this centre's enrolment file, the history of
exports with what the district has confirmed, and visiting members of other centres.

District mode (the district's own screens) is another module's work: it plugs into
`SyncPage.embed_district`, below the centre's sections.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.categories import CategoryInfo
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import _
from timebank_desktop.ui.itemmodels.sync_exports import ExportHistoryModel
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.pages.sync_visitor import VisitorBox
from timebank_desktop.ui.table_export import install_table_export
from timebank_desktop.ui.tasks import Cancelled, TaskControl
from timebank_desktop.ui.widgets import accessible, named

if TYPE_CHECKING:  # the sync machinery loads on first use, not at start-up
    from timebank_desktop.services.sync.export import ExportResult
    from timebank_desktop.services.sync.files import EnrolmentResult, FileSummary
    from timebank_desktop.services.sync.result import ImportResult
    from timebank_desktop.services.sync.status import SyncStatus

FOLDER_KEY = "sync/folder"


def _extension() -> str:
    from timebank_desktop.exports.sync import EXTENSION

    return EXTENSION


def _documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class SyncPage(Page):
    key = "sync"

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.status_info: SyncStatus | None = None
        self.heading = named(QLabel(), "sync_heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.keys = named(QLabel(), "sync_keys")
        self.keys.setWordWrap(True)
        self.keys.setTextInteractionFlags(self.keys.textInteractionFlags().TextSelectableByMouse)
        self.export_button = named(QPushButton(), "sync_export")
        self.import_button = named(QPushButton(), "sync_import")
        self.enrol_button = named(QPushButton(), "sync_enrolment")
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_file)
        self.enrol_button.clicked.connect(self.enrolment)
        self.message = named(QLabel(), "sync_message")
        self.message.setWordWrap(True)
        self.history_box = QGroupBox()
        self.history = ExportHistoryModel(self)
        self.table = named(QTableView(), "sync_history")
        self.table.setModel(self.history)
        install_table_export(self.table, self, lambda: _("Exports"))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        history = QVBoxLayout(self.history_box)
        history.addWidget(self.table)
        self.visitor = VisitorBox(self, self.refresh)
        self.district_area = QVBoxLayout()  # district mode plugs in here (embed_district)
        self._build()
        self.retranslate()

    def _build(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.export_button, self.import_button, self.enrol_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(self.keys)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.history_box, 1)
        layout.addWidget(self.visitor)
        layout.addLayout(self.district_area)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def embed_district(self, widget: QWidget) -> None:
        """Show the district's own screens (district mode) below the centre's sections."""
        self.district_area.addWidget(widget)

    # ------------------------------------------------------------ page hooks
    def title(self) -> str:
        return _("Sync")

    def help_text(self) -> str:
        return _(
            "Export this centre's signed sync file for the district (to a folder or a USB "
            "stick), import the district's configuration and statements, and honour the hours "
            "of visiting members of other centres. The first district configuration needs the "
            "district's fingerprint (compare it with the paper copy) and its passphrase."
        )

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.export_button.setText(_("&Export for the district…"))
        self.import_button.setText(_("&Import a district file…"))
        self.enrol_button.setText(_("Enrolment &file…"))
        accessible(self.export_button, _("Export for the district"))
        accessible(self.import_button, _("Import a district file"))
        accessible(self.enrol_button, _("Enrolment file"))
        self.history_box.setTitle(_("Exports"))
        self.history.headerDataChanged.emit(
            Qt.Orientation.Horizontal, 0, self.history.columnCount() - 1
        )
        self.visitor.retranslate()
        if self.status_info is not None:
            self._show_status(self.status_info)

    def focus_initial(self) -> None:
        self.export_button.setFocus()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        backend = self.backend
        self.runner.run(backend.sync_status.status, self._show_status, self.report_error)
        self.runner.run(backend.categories.list, self._categories, self.report_error)

    def _categories(self, categories: tuple[CategoryInfo, ...]) -> None:
        self.visitor.set_categories(categories)

    def _show_status(self, info: SyncStatus) -> None:
        self.status_info = info
        lines = [
            _("This centre: {code}, fingerprint {fingerprint}").format(
                code=info.centre_code, fingerprint=info.centre_fingerprint
            )
        ]
        if info.district is None:
            lines.append(_("No district configuration loaded yet"))
        else:
            lines.append(
                _("District {code} {name}: fingerprint {fingerprint}, configuration {seq}").format(
                    code=info.district.code, name=info.district.name,
                    fingerprint=info.district.fingerprint, seq=info.district.config_seq,
                )
            )  # fmt: skip
            self.visitor.set_centres(info.district.centres, info.centre_code)
        if info.statement is None:
            lines.append(_("No district statement imported yet"))
        else:
            lines.append(
                _("Last district statement: {seq}, covering this centre up to {head}").format(
                    seq=info.statement.seq, head=info.statement.head_seq
                )
            )
            lines.extend(info.statement.warnings)
        lines.append(
            _("Chain epoch {epoch}, transactions up to {seq}").format(
                epoch=info.epoch, seq=info.head_seq
            )
        )
        lines.append(_("Transactions not yet exported: {n}").format(n=info.pending))
        self.keys.setText("\n".join(lines))
        self.history.set_rows(info.exports)
        self.visitor.set_today(self.backend.ctx.today())

    # ------------------------------------------------------------ export
    def _folder(self) -> Path:
        saved = self.deps.settings.value(FOLDER_KEY)
        return Path(str(saved)) if saved else _documents()

    def export(self) -> None:
        info = self.status_info
        code = info.centre_code if info else "centre"
        extension = _extension()
        suggested = self._folder() / f"{code}-{self.backend.ctx.today():%Y%m%d}{extension}"
        target = self.prompts.save_file(
            self, _("Export for the district"), suggested, _("Sync files (*.tbsync)")
        )
        if target is None:
            return
        if target.suffix.lower() != extension:
            target = target.with_suffix(extension)
        self.deps.settings.setValue(FOLDER_KEY, str(target.parent))
        service = self.backend.sync_export
        control = TaskControl(self)
        dialog = self.prompts.progress(self, _("Writing the sync file…"), control)
        control.watch()
        self.export_button.setEnabled(False)

        def finished() -> None:
            control.stop()
            dialog.close()
            dialog.deleteLater()
            self.export_button.setEnabled(True)

        def done(result: ExportResult) -> None:
            finished()
            self.message.setText(result.message())
            self.refresh()

        def failed(exc: BaseException) -> None:
            finished()
            if isinstance(exc, Cancelled):
                self.message.setText(_("The export was cancelled; no file was written."))
            elif isinstance(exc, OSError):
                self.message.setText(str(exc))
            else:
                self.report_error(exc)

        self.runner.run(lambda: service.export(target, progress=control.progress), done, failed)

    # ------------------------------------------------------------ enrolment
    def enrolment(self) -> None:
        suggested = self._folder() / _("enrolment{ext}").format(ext=_extension())
        target = self.prompts.save_file(
            self, _("Enrolment file"), suggested, _("Sync files (*.tbsync)")
        )
        if target is None:
            return
        service = self.backend.sync_files
        self.runner.run(lambda: service.enrolment(target), self._enrolled, self.report_error)

    def _enrolled(self, result: EnrolmentResult) -> None:
        text = _(
            "Enrolment file written to {path}.\nFingerprint: {fingerprint}\nPrint this "
            "fingerprint, sign it and hand it to the district with the file."
        ).format(path=result.path, fingerprint=result.fingerprint)
        self.message.setText(text)
        self.prompts.info(self, _("Enrolment file"), text)

    # ------------------------------------------------------------ import
    def import_file(self) -> None:
        source = self.prompts.open_file(
            self, _("Import a district file"), self._folder(), _("Sync files (*.tbsync)")
        )
        if source is None:
            return
        service = self.backend.sync_files
        self.runner.run(
            lambda: service.inspect(source),
            lambda summary: self._inspected(source, summary),
            self.report_error,
        )

    def _inspected(self, source: Path, summary: FileSummary) -> None:
        fingerprint: str | None = None
        passphrase: str | None = None
        if summary.is_config and summary.first_contact:
            question = _(
                "First configuration of district {district}.\nIts fingerprint is\n{fingerprint}"
                "\nDoes it match the fingerprint on the district's paper copy?"
            ).format(district=summary.district, fingerprint=summary.fingerprint)
            if not self.prompts.confirm(self, _("District fingerprint"), question):
                self.message.setText(_("Not loaded: the fingerprint was not confirmed"))
                return
            fingerprint = summary.fingerprint
            self._ask_passphrase(lambda text: self._run_import(source, text, fingerprint))
            return
        self._run_import(source, passphrase, fingerprint)

    def _ask_passphrase(self, then: Callable[[str], None]) -> None:
        """A masked prompt (window-modal, not blocking); ``then`` gets a non-empty text."""
        dialog = QInputDialog(self)
        dialog.setObjectName("sync_passphrase")
        dialog.setWindowTitle(_("Passphrase"))
        dialog.setLabelText(_("Passphrase the district gave for the member-key secret:"))
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
        dialog.textValueSelected.connect(lambda text: then(text) if text else None)
        dialog.finished.connect(dialog.deleteLater)
        self.prompts.show_dialog(dialog)

    def _run_import(
        self,
        source: Path,
        passphrase: str | None,
        fingerprint: str | None,
        new_epoch: bool = False,
    ) -> None:
        from timebank_desktop.services.sync.epoch import EpochNeeded

        service = self.backend.sync_files
        control = TaskControl(self)
        dialog = self.prompts.progress(self, _("Importing the district file…"), control)
        control.watch()
        self.import_button.setEnabled(False)

        def finished() -> None:
            control.stop()
            dialog.close()
            dialog.deleteLater()
            self.import_button.setEnabled(True)

        def done(result: ImportResult) -> None:
            finished()
            self.message.setText("\n".join(result.lines()))
            if result.warnings:
                self.prompts.info(self, _("Sync"), "\n\n".join(result.lines()))
            self.refresh()

        def failed(exc: BaseException) -> None:
            finished()
            if isinstance(exc, Cancelled):
                self.message.setText(_("The import was cancelled; nothing was changed."))
                return
            if isinstance(exc, EpochNeeded):  # this database is behind the district's copy
                self.message.setText(exc.message)
                question = _("{reason}\n\nStart chain epoch {epoch} now?").format(
                    reason=exc.message, epoch=exc.epoch
                )
                if self.prompts.confirm(self, _("Chain epoch"), question):
                    self._run_import(source, passphrase, fingerprint, new_epoch=True)
                return
            if isinstance(exc, TimebankError):
                self.message.setText(exc.message)
            self.report_error(exc)

        self.runner.run(
            lambda: service.import_file(
                source,
                passphrase=passphrase,
                fingerprint=fingerprint,
                progress=control.progress,
                new_epoch=new_epoch,
            ),
            done,
            failed,
        )
