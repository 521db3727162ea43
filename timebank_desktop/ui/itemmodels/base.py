"""Two table models the others build on: a small list held whole, and a lazily paged one.

Columns are declared once as `Column` values (a translated header and how to show a row), so
each concrete model is a short list of columns. The paged model holds only the rows fetched so
far and asks for the next page through the task runner when the view scrolls near the end
(``canFetchMore``/``fetchMore``), so a table of 200,000 members opens as fast as one of 100.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from timebank_desktop.ui.tasks import TaskRunner

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header (called at display time, so it follows the language)."""

    header: Callable[[], str]
    text: Callable[[R], str]
    align_right: bool = False
    sort_key: Callable[[R], Any] | None = None


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table of frozen rows; ``ROW_ROLE`` gives the row object itself."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)  # the tooltip shows a cell cut short by its column
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.text(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header()
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def retranslate(self) -> None:
        """Headers and translated cells follow a language switch."""
        if self.columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self.columns) - 1),
                [Qt.ItemDataRole.DisplayRole],
            )


class PagedModel(RowsModel[R]):
    """Rows fetched a page at a time through ``fetch(offset, limit)`` on the task runner.

    ``first_page(more)`` follows each reload once its first page is in: ``more`` is False when
    that page holds every row (so the rows need no separate count).
    """

    first_page = Signal(bool)

    def __init__(
        self,
        columns: Sequence[Column[R]],
        runner: TaskRunner,
        page_size: int = 200,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self.runner, self.page_size = runner, page_size
        self._more = False
        self._loading = False
        self._generation = 0
        self.on_error: Callable[[BaseException], None] | None = None

    def fetch(self, offset: int, limit: int) -> list[R]:
        """The rows of one page (runs on the worker thread): subclasses implement it."""
        raise NotImplementedError

    def reload(self) -> None:
        """Forget every row and fetch the first page again (a new filter or search)."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._more, self._loading = False, False  # nothing is fetched inside the reset
        self.endResetModel()
        self._more = True
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or not self._more or self._loading:
            return
        self._loading = True
        generation, offset, limit = self._generation, len(self._rows), self.page_size
        self.runner.run(
            lambda: self.fetch(offset, limit),
            lambda rows: self._arrived(generation, rows),
            lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, rows: list[R]) -> None:
        if generation != self._generation:
            return
        self._more = len(rows) == self.page_size
        first = len(self._rows)
        if rows:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._loading = False  # only now: a view may ask for more while rows go in
        if first == 0:
            self.first_page.emit(self._more)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading, self._more = False, False
        if self.on_error is not None:
            self.on_error(exc)

    @property
    def loading(self) -> bool:
        return self._loading
