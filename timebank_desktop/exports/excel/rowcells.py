"""Row values (`cells.CellValue`) to openpyxl cells, without openpyxl's per-value guessing.

openpyxl's write-only sheet turns every appended value into a cell by guessing its type
(`Cell._bind_value`: type tests, string checks, a date format set per date), and a value that
is already a styled cell (hours, quote-prefixed text) costs a caught exception and a fresh
cell. `RowCells` knows the types and fills one cell per style that it keeps for the whole
sheet: openpyxl writes each cell before asking for the next value, so a cell can be reused
at once (openpyxl itself reuses one unstyled cell the same way).

`stream_cells(ws)` installs it as the sheet's ``_values_to_row`` (the hook openpyxl 3.1's
write-only worksheet calls for every appended row), after which ``ws.append(row)`` takes rows
of `CellValue` and ready-made cells (`cells.header_cell`). The cells written are the ones
`cells` describes: text always as text (quote-prefixed when it could read as a formula),
numbers as numbers, `Hours` as ``minutes / 60`` in Excel's built-in ``0.00`` format, dates
``yyyy-mm-dd``, `Formula` as a formula, `Heading` bold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell, get_time_format
from openpyxl.styles.cell_style import StyleArray

from timebank_desktop.exports.excel.cells import (
    FORMULA_TRIGGERS,
    HEADER_FONT,
    HOURS_FORMAT_ID,
    CellValue,
    Formula,
    Heading,
    Hours,
    clean_text,
)

_PLAIN, _HOURS, _QUOTED, _HEADING, _DATE, _DATETIME = range(6)


def _styled_cell(ws: Any, style: int) -> Cell:
    """A reusable cell of ``ws`` carrying one of the styles above."""
    cell = Cell(ws)
    if style == _HOURS:
        array = StyleArray()
        array.numFmtId = HOURS_FORMAT_ID  # what number_format = "0.00" gives, without lookups
        cell._style = array
    elif style == _QUOTED:
        cell.quotePrefix = True
    elif style == _HEADING:
        cell.font = HEADER_FONT
    elif style == _DATE:
        cell.number_format = get_time_format(date)  # as openpyxl formats a bare date
    elif style == _DATETIME:
        cell.number_format = get_time_format(datetime)
    return cell


class RowCells:
    """Turns one sheet's rows of `CellValue` into cells, reusing one cell per style.

    Styled cells are made on first use, so a sheet without dates registers no date format.
    """

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self._cells: list[Cell | None] = [None] * 6
        self._plain = self._cell(_PLAIN)

    def _cell(self, style: int) -> Cell:
        cell = self._cells[style]
        if cell is None:
            cell = self._cells[style] = _styled_cell(self._ws, style)
        return cell

    def row(self, values: Iterable[CellValue | Cell], row_idx: int) -> Iterator[Cell]:
        """The cells of row ``row_idx``; each is written before the next one is made."""
        plain = self._plain
        for column, value in enumerate(values, 1):
            kind = type(value)
            if kind is str:
                text = clean_text(value)  # type: ignore[arg-type]
                cell = self._cell(_QUOTED) if text.startswith(FORMULA_TRIGGERS) else plain
                cell.data_type = "s"
                cell._value = text
            elif kind is Hours:
                cell = self._cell(_HOURS)
                cell.data_type = "n"
                cell._value = value.minutes / 60  # type: ignore[union-attr]
            elif kind is int or kind is float:
                cell = plain
                cell.data_type = "n"
                cell._value = value
            elif kind is date:
                cell = self._cell(_DATE)
                cell.data_type = "d"
                cell._value = value
            elif value is None:
                continue
            else:
                cell = self._other(value)
            cell.column = column
            cell.row = row_idx
            yield cell

    def _other(self, value: Any) -> Cell:
        """The cell for the less common values (and for subclasses of the common types)."""
        if isinstance(value, Cell):  # made by the caller (a header cell)
            return value
        if isinstance(value, Formula):
            cell = self._cell(_HOURS) if value.hours else self._plain
            cell.data_type = "f"
            cell._value = value.text
            return cell
        if isinstance(value, Heading):
            cell = self._cell(_HEADING)
            cell.data_type = "s"
            cell._value = clean_text(value.text)
            return cell
        if isinstance(value, str):  # a str subclass (an enum's value): still text
            text = clean_text(value)
            cell = self._cell(_QUOTED) if text.startswith(FORMULA_TRIGGERS) else self._plain
            cell.data_type = "s"
            cell._value = text
            return cell
        if isinstance(value, bool):
            cell = self._plain
            cell.data_type = "b"
            cell._value = value
            return cell
        if isinstance(value, int | float | Decimal):
            cell = self._plain
            cell.data_type = "n"
            cell._value = value
            return cell
        if isinstance(value, date):
            cell = self._cell(_DATETIME if isinstance(value, datetime) else _DATE)
            cell.data_type = "d"
            cell._value = value
            return cell
        cell = Cell(self._ws)
        cell.value = value  # anything else: openpyxl's own rules (or its error)
        return cell


def stream_cells(ws: Any) -> Callable[[Iterable[CellValue | Cell], int], Iterator[Cell]]:
    """Make ``ws`` (a write-only sheet, nothing appended yet) take rows of `CellValue`."""
    convert = RowCells(ws).row
    ws._values_to_row = convert
    return convert
