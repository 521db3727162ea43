"""Any list in the GUI exports to Excel and CSV from its context menu (one line per table).

``install_table_export(view, page)`` gives a `QTableView` a context menu with "Export to
Excel…" and "Export to CSV…". The rows are the ones the list shows, in its order and visible
columns; a lazily paged list (`PagedModel`) is exported whole, fetching its remaining pages on
the worker with the list's current filter. Right-aligned numbers become numbers and ISO dates
real dates in Excel; user text stays text. The file is written on the task runner with a
progress dialog whose Cancel leaves no file behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QStandardPaths, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView, QWidget

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.exports.excel.progress import ExportCancelled
from timebank_desktop.i18n import _, current_language
from timebank_desktop.ui.itemmodels.base import PagedModel
from timebank_desktop.ui.pages.base import Page
from timebank_desktop.ui.tasks import Cancelled, TaskControl

if TYPE_CHECKING:  # openpyxl loads when a list is exported, not at start-up
    from timebank_desktop.exports.excel.cells import CellValue

Row = list["CellValue"]
PAGE = 2000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def cell_value(text: Any, numeric: bool) -> CellValue:
    """A shown value as a cell: numbers in right-aligned columns, ISO dates, else text."""
    if text is None:
        return None
    value = str(text)
    if numeric and _NUMBER.fullmatch(value):
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return value
        return int(number) if "." not in value else number
    if _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def suggested_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def safe_file_name(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", title).strip("_") or "export"


class TableExport(QObject):
    """The export menu of one table view (kept as the view's child)."""

    def __init__(self, view: QTableView, page: Page, title: Callable[[], str]) -> None:
        super().__init__(view)
        self.setObjectName(f"{view.objectName()}_export")
        self.view, self.page, self.title = view, page, title
        self.last_path: Path | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._popup)

    # ------------------------------------------------------------ menu
    def menu(self) -> QMenu:
        """The context menu, with texts in the current language."""
        menu = QMenu(self.view)
        menu.setObjectName(f"{self.view.objectName()}_menu")
        excel = QAction(_("Export to Excel…"), menu)
        excel.setObjectName("export_xlsx")
        excel.triggered.connect(self.export_xlsx)
        csv = QAction(_("Export to CSV…"), menu)
        csv.setObjectName("export_csv")
        csv.triggered.connect(self.export_csv)
        menu.addAction(excel)
        menu.addAction(csv)
        return menu

    def _popup(self, point: QPoint) -> None:
        menu = self.menu()
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.view.viewport().mapToGlobal(point))

    # ------------------------------------------------------------ rows
    def headers(self) -> list[str]:
        model = self.view.model()
        return [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in self._columns()]

    def _columns(self) -> list[int]:
        model = self.view.model()
        return [c for c in range(model.columnCount()) if not self.view.isColumnHidden(c)]

    def row_source(self) -> Callable[[], list[Row]]:
        """What to export, as a function for the worker thread (the list's rows, all of them)."""
        model = self.view.model()
        columns = self._columns()
        if isinstance(model, PagedModel):
            shown = model.rows()
            cols = [model.columns[c] for c in columns]
            more = model.canFetchMore(model.index(-1, -1)) or model.loading

            def fetch_all() -> list[Row]:
                rows = list(shown)
                while more:
                    page = model.fetch(len(rows), PAGE)
                    rows.extend(page)
                    if len(page) < PAGE:
                        break
                return [[cell_value(c.text(r), c.align_right) for c in cols] for r in rows]

            return fetch_all
        snapshot: list[Row] = []
        right = int(Qt.AlignmentFlag.AlignRight)
        for r in range(model.rowCount()):
            row: Row = []
            for c in columns:
                index = model.index(r, c)
                align = model.data(index, Qt.ItemDataRole.TextAlignmentRole)
                numeric = bool(int(align or 0) & right)
                row.append(cell_value(model.data(index, Qt.ItemDataRole.DisplayRole), numeric))
            snapshot.append(row)
        return lambda: snapshot

    # ------------------------------------------------------------ export
    def export_xlsx(self) -> None:
        self._export("xlsx", _("Export to Excel"), _("Excel workbooks (*.xlsx)"))

    def export_csv(self) -> None:
        self._export("csv", _("Export to CSV"), _("CSV files (*.csv)"))

    def _export(self, suffix: str, caption: str, pattern: str) -> None:
        title = self.title()
        suggested = suggested_folder() / f"{safe_file_name(title)}.{suffix}"
        chosen = self.page.prompts.save_file(self.page, caption, suggested, pattern)
        if chosen is None:
            return
        target = (
            chosen if chosen.suffix.lower() == f".{suffix}" else chosen.with_suffix(f".{suffix}")
        )
        headers, source = self.headers(), self.row_source()
        centre, language = self.page.backend.centre, current_language()
        control = TaskControl(self)
        dialog = self.page.prompts.progress(
            self.page, _("Exporting {title}…").format(title=title), control
        )
        control.watch()

        def work() -> int:
            from timebank_desktop.exports.excel.tables import write_table_csv, write_table_xlsx

            rows = source()
            cancel = lambda: control.cancelled  # noqa: E731
            if suffix == "xlsx":
                write_table_xlsx(
                    title, headers, rows, target, footer_centre=centre.get().name,
                    progress=control.progress, cancel=cancel, language=language,
                )  # fmt: skip
            else:
                write_table_csv(headers, rows, target, progress=control.progress, cancel=cancel)
            return len(rows)

        def finished() -> None:
            control.stop()
            dialog.close()
            dialog.deleteLater()

        def done(count: int) -> None:
            finished()
            self.last_path = target
            self.page.prompts.info(
                self.page,
                caption,
                _("{count} rows exported to {path}").format(count=count, path=target),
            )

        def failed(exc: BaseException) -> None:
            finished()
            if isinstance(exc, Cancelled | ExportCancelled):
                return
            if not isinstance(exc, TimebankError | OSError):
                raise exc
            message = exc.message if isinstance(exc, TimebankError) else str(exc)
            self.page.prompts.error(self.page, caption, message)

        self.page.runner.run(work, done, failed)


def install_table_export(
    view: QTableView, page: Page, title: Callable[[], str] | None = None
) -> TableExport:
    """Give ``view`` the Excel/CSV export context menu; ``title`` names the sheet and file
    (the page's title by default)."""
    return TableExport(view, page, title or page.title)


def table_exports(widget: QWidget) -> Sequence[TableExport]:
    """Every export menu installed under ``widget`` (for tests and the shell)."""
    return widget.findChildren(TableExport)
