"""报表: the monthly Excel report for the district, and month close (administrators only).

Pick a month, export its workbook to a chosen file (on the task runner, with progress and
Cancel, which leaves no file behind), then open the file or its folder. An administrator
closes the next month due: it becomes read-only and later entries for it show as late.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.excel.monthly_data import MonthlyReport
from timebank_desktop.exports.excel.progress import ExportCancelled
from timebank_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, current_language
from timebank_desktop.services.month_close import ClosedMonth
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.tasks import Cancelled, TaskControl
from timebank_desktop.ui.widgets import accessible, named

MONTHS_SHOWN = 36
CloseState = tuple[Month | None, Month | None]  # (closed through, next to close)


def _documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class ReportsPage(Page):
    key = "reports"

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl  # tests replace it
        self.last_file: Path | None = None
        self.may_close = self.backend.may(Permission.CLOSE_MONTH)
        self.heading = named(QLabel(), "reports_heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.month_label = QLabel()
        self.month = named(QComboBox(), "reports_month")
        self.language_label = QLabel()
        self.language = named(QComboBox(), "reports_language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(DEFAULT_LANGUAGE))  # reports: 中文
        self.export_button = named(QPushButton(), "reports_export")
        self.export_button.clicked.connect(self.export_monthly)
        self.status = named(QLabel(), "reports_status")
        self.status.setWordWrap(True)
        self.open_file_button = named(QPushButton(), "reports_open_file")
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button = named(QPushButton(), "reports_open_folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_box = named(QGroupBox(), "reports_close_box")
        self.close_status = named(QLabel(), "reports_close_status")
        self.close_status.setWordWrap(True)
        self.close_button = named(QPushButton(), "reports_close_month")
        self.close_button.clicked.connect(self.close_month)
        self.close_box.setVisible(self.may_close)
        self._close_state: CloseState = (None, None)
        self._build()
        self._fill_months()
        self._set_opened(None)
        self.retranslate()
        if self.may_close:
            self.refresh_close_state()

    def _build(self) -> None:
        picker = QHBoxLayout()
        picker.addWidget(self.month_label)
        picker.addWidget(self.month)
        picker.addWidget(self.language_label)
        picker.addWidget(self.language)
        picker.addWidget(self.export_button)
        picker.addStretch(1)
        opened = QHBoxLayout()
        opened.addWidget(self.open_file_button)
        opened.addWidget(self.open_folder_button)
        opened.addStretch(1)
        close = QVBoxLayout(self.close_box)
        close.addWidget(self.close_status)
        row = QHBoxLayout()
        row.addWidget(self.close_button)
        row.addStretch(1)
        close.addLayout(row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(picker)
        layout.addWidget(self.status)
        layout.addLayout(opened)
        layout.addSpacing(16)
        layout.addWidget(self.close_box)
        layout.addStretch(1)
        self.month_label.setBuddy(self.month)
        self.language_label.setBuddy(self.language)

    def _fill_months(self) -> None:
        current = Month.of(self.backend.ctx.today())
        month, months = current, []
        for _step in range(MONTHS_SHOWN):
            months.append(month)
            month = month.previous
        self.month.clear()
        for m in months:
            self.month.addItem(str(m), str(m))
        self.month.setCurrentIndex(1)  # the month that has just ended: the usual report

    # ------------------------------------------------------------ shell hooks
    def title(self) -> str:
        return _("Reports")

    def help_text(self) -> str:
        return _(
            "Export the monthly Excel report for the district: pick the month and choose where "
            "to save it. Administrators close a month once its report is final: the month "
            "becomes read-only, and entries made later for it appear as late in the month "
            "they were entered."
        )

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.month_label.setText(_("&Month:"))
        self.language_label.setText(_("Report &language:"))
        self.export_button.setText(_("&Export monthly report…"))
        self.open_file_button.setText(_("Open the file"))
        self.open_folder_button.setText(_("Open the folder"))
        self.close_box.setTitle(_("Month close"))
        self.close_button.setText(_("&Close month…"))
        accessible(self.month, _("Month"))
        accessible(self.language, _("Report language"))
        self._show_close_state()

    def focus_initial(self) -> None:
        self.month.setFocus()

    def activated(self) -> None:
        if self.may_close:
            self.refresh_close_state()

    def selected_month(self) -> Month:
        return Month.parse(str(self.month.currentData()))

    # ------------------------------------------------------------ export
    def export_monthly(self) -> None:
        month = self.selected_month()
        suggested = _documents() / _("Monthly report {month}.xlsx").format(month=month)
        target = self.prompts.save_file(
            self, _("Save the monthly report"), suggested, _("Excel workbooks (*.xlsx)")
        )
        if target is None:
            return
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        service, language = self.backend.monthly_report, str(self.language.currentData())
        control = TaskControl(self)
        dialog = self.prompts.progress(
            self, _("Writing the monthly report {month}…").format(month=month), control
        )
        control.watch()
        self.export_button.setEnabled(False)
        self.status.setText(_("Writing the monthly report {month}…").format(month=month))

        def finished() -> None:
            control.stop()
            dialog.close()
            dialog.deleteLater()
            self.export_button.setEnabled(True)

        def done(report: MonthlyReport) -> None:
            finished()
            credited = sum(s.credited_minutes for s in report.services)
            self.status.setText(
                _("Monthly report {month} saved to {path}: {services} services, {hours} h").format(
                    month=month,
                    path=target,
                    services=len(report.services),
                    hours=format_hours(credited),
                )
            )
            self._set_opened(target)

        def failed(exc: BaseException) -> None:
            finished()
            if isinstance(exc, Cancelled | ExportCancelled):
                self.status.setText(_("The export was cancelled; no file was written."))
                return
            self.status.setText("")
            if isinstance(exc, OSError):
                self.prompts.error(self, _("Reports"), str(exc))
                return
            self.report_error(exc)

        self.runner.run(
            lambda: service.export(
                month, target, control.progress, lambda: control.cancelled, language
            ),
            done,
            failed,
        )

    def _set_opened(self, path: Path | None) -> None:
        self.last_file = path
        self.open_file_button.setEnabled(path is not None)
        self.open_folder_button.setEnabled(path is not None)

    def open_file(self) -> None:
        if self.last_file is not None:
            self.open_url(QUrl.fromLocalFile(str(self.last_file)))

    def open_folder(self) -> None:
        if self.last_file is not None:
            self.open_url(QUrl.fromLocalFile(str(self.last_file.parent)))

    # ------------------------------------------------------------ month close
    def refresh_close_state(self) -> None:
        closes = self.backend.month_close

        def work() -> CloseState:
            return closes.closed_through(), closes.next_to_close()

        def done(state: CloseState) -> None:
            self._close_state = state
            self._show_close_state()

        self.runner.run(work, done, self.report_error)

    def _show_close_state(self) -> None:
        through, due = self._close_state
        parts = [
            _("Closed through {month}.").format(month=through)
            if through
            else _("No month is closed yet.")
        ]
        parts.append(
            _("Next month to close: {month}.").format(month=due)
            if due
            else _("Every month that has ended is closed.")
        )
        self.close_status.setText(("" if current_language() == "zh_CN" else " ").join(parts))
        self.close_button.setEnabled(due is not None)

    def close_month(self) -> None:
        due = self._close_state[1]
        if due is None or not self.may_close:
            return
        if not self.prompts.confirm(
            self,
            _("Month close"),
            _(
                "Close {month}? It becomes read-only: entries made later for it are booked in "
                "the open month and shown as late. This cannot be undone."
            ).format(month=due),
        ):
            return
        closes = self.backend.month_close

        def done(closed: ClosedMonth) -> None:
            self.prompts.info(
                self,
                _("Month close"),
                _("{month} is closed. Closing hash: {hash}").format(
                    month=closed.month, hash=closed.head_hash
                ),
            )
            self.refresh_close_state()

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TimebankError):
                raise exc
            self.report_error(exc)
            self.refresh_close_state()

        self.runner.run(lambda: closes.close(due), done, failed)
