"""One table per sheet, streamed, with the conventions every workbook sheet follows.

Header row frozen and bold, autofilter over the table, column widths fitted to what is
written (CJK characters count double), A4 landscape fitted to the page width with the header
row repeated on every printed page, and a footer with the centre, the period and
"page n of m".

openpyxl's write-only mode writes column widths before the first row, so a table's rows are
produced twice: once to measure, once to write. Rows are cheap tuples of plain values
(`cells.CellValue`); nothing is kept in memory between the passes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from timebank_desktop.exports.atomic import atomic_write_path
from timebank_desktop.exports.excel.cells import CellValue, Hours, display_width, header_cell
from timebank_desktop.exports.excel.cells import value_width as _value_width
from timebank_desktop.exports.excel.progress import Ticker
from timebank_desktop.exports.excel.rowcells import stream_cells
from timebank_desktop.i18n import translate

MIN_WIDTH = 6
MAX_WIDTH = 60
PADDING = 2
PAPER_A4 = "9"

Rows = Iterable[Sequence[CellValue]]


@dataclass(frozen=True, slots=True)
class PageFooter:
    """What the printed footer says: centre, period (``"2025-03"``) and the page number."""

    centre: str
    period: str
    language: str = "zh_CN"

    def text(self) -> str:
        """The centre footer in Excel's header/footer codes (``&P`` page, ``&N`` pages)."""
        template = translate("{centre}  {period}  page &P of &N", self.language)
        centre = self.centre.replace("&", "&&")
        return template.format(centre=centre, period=self.period.replace("&", "&&"))


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A sheet holding one table.

    ``rows`` is called twice (measure, then write) and must give the same rows both times.
    ``tail`` rows (totals, other blocks) follow the table outside the autofilter; ``notes``
    follow them and are not measured (long text that may run over the empty cells beside).
    """

    title: str
    headers: Sequence[str]
    rows: Callable[[], Rows]
    tail: Sequence[Sequence[CellValue]] = ()
    notes: Sequence[Sequence[CellValue]] = ()
    freeze: str = "A2"
    grid_lines: bool = True
    min_widths: Sequence[int] = field(default_factory=tuple)


def fit_widths(
    headers: Sequence[str], rows: Rows, min_widths: Sequence[int] = ()
) -> tuple[list[int], int]:
    """Column widths fitting the header and every value, and the number of rows measured."""
    widths = [display_width(h) for h in headers]
    count = 0
    for row in rows:
        count += 1
        if len(row) > len(widths):
            widths += [0] * (len(row) - len(widths))
        for index, value in enumerate(row):
            kind = type(value)  # the common kinds inline: this runs for every value
            if kind is str:
                width = display_width(value)  # type: ignore[arg-type]
            elif kind is Hours:
                minutes = value.minutes  # type: ignore[union-attr]
                width = len(str(abs(minutes) // 60)) + 3 + (minutes < 0)
            else:
                width = _value_width(value)
            if width > widths[index]:
                widths[index] = width
    for index, floor in enumerate(min_widths):
        if index < len(widths):
            widths[index] = max(widths[index], floor)
    return [min(max(w + PADDING, MIN_WIDTH), MAX_WIDTH) for w in widths], count


def set_up_page(ws: Any, columns: int, rows: int, footer: PageFooter, freeze: str = "A2") -> None:
    """Freeze the header, filter the table, A4 landscape, repeat the header, add the footer.

    ``rows`` counts the table's data rows (the header excluded); ``freeze`` is the first
    cell that scrolls (``"B2"`` also keeps the first column in view).
    """
    ws.freeze_panes = freeze
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = footer.text()


def write_table_sheet(wb: Workbook, spec: TableSpec, footer: PageFooter, ticker: Ticker) -> Any:
    """Add ``spec`` to the write-only workbook ``wb`` and stream its rows; return the sheet."""
    all_rows = _chain(spec.rows(), spec.tail)
    widths, total = fit_widths(spec.headers, all_rows, spec.min_widths)
    ws = wb.create_sheet(spec.title)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    set_up_page(ws, len(spec.headers), total - len(spec.tail), footer, spec.freeze)
    ws.print_options.gridLines = spec.grid_lines
    stream_cells(ws)  # from here on, ws.append takes rows of CellValue
    ws.append([header_cell(ws, h) for h in spec.headers])
    for row in _chain(_chain(spec.rows(), spec.tail), spec.notes):
        ws.append(row if isinstance(row, list | tuple) else list(row))
        ticker.tick()
    ticker.checkpoint()
    return ws


def save_streamed(target: str | os.PathLike[str], build: Callable[[Workbook], None]) -> None:
    """Build a write-only workbook with ``build`` and save it atomically to ``target``.

    If ``build`` or the save raises (an error, `ExportCancelled`), nothing is left under
    ``target`` (an existing file stays as it was) and openpyxl's temporary files are removed.
    """
    wb = Workbook(write_only=True)
    try:
        with atomic_write_path(target) as tmp:
            build(wb)
            wb.save(tmp)
    except BaseException:
        discard_workbook(wb)
        raise


def discard_workbook(wb: Workbook) -> None:
    """Close and delete the temporary files of an unsaved write-only workbook (on cancel)."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        rows = getattr(ws, "_rows", None)
        with contextlib.suppress(Exception):  # best effort: we are already failing
            if rows is not None:  # the row stream first, while its file is still open
                rows.close()
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


def _chain(first: Rows, second: Rows) -> Rows:
    yield from first
    yield from second
