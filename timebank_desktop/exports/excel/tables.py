"""Any list the GUI shows, exported to Excel or CSV from its context menu.

Both writers take the headers and the rows as displayed (values typed as in `cells`: text,
numbers, `Hours`, dates), keep user text from ever becoming a formula, report progress,
honour cancel and write atomically. CSV is UTF-8 with a byte-order mark, so Excel opens
Chinese text correctly, and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

from timebank_desktop.exports.atomic import atomic_write
from timebank_desktop.exports.excel.cells import (
    CellValue,
    Formula,
    Heading,
    Hours,
    csv_text,
    hours_text,
    sheet_title,
)
from timebank_desktop.exports.excel.progress import CancelFn, ProgressFn, Ticker
from timebank_desktop.exports.excel.sheet import (
    PageFooter,
    TableSpec,
    save_streamed,
    write_table_sheet,
)

TableRows = Sequence[Sequence[CellValue]] | Callable[[], Iterable[Sequence[CellValue]]]


def _row_source(rows: TableRows) -> Callable[[], Iterable[Sequence[CellValue]]]:
    if callable(rows):
        return rows
    return lambda: rows


def write_table_xlsx(
    title: str,
    headers: Sequence[str],
    rows: TableRows,
    path: str | os.PathLike[str],
    *,
    footer_centre: str = "",
    period: str = "",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    language: str = "zh_CN",
) -> None:
    """Write one table as a one-sheet workbook.

    Args:
        title: the sheet's name (made valid: 31 characters, no ``[]:*?/\\``).
        headers: column headers, already in the user's language.
        rows: the rows, or a function giving them; it is read twice (widths, then cells).
        path: the ``.xlsx`` to write, atomically.
        footer_centre: the centre named in the printed footer (with ``period``).
        period: a month or date range for the footer.
        progress: called now and then with (rows written, rows in all).
        cancel: returning True stops the export with `ExportCancelled`; no file is left.
        language: the footer's language.
    """
    source = _row_source(rows)
    total = len(rows) if isinstance(rows, Sequence) else 0
    ticker = Ticker(total, progress, cancel)
    footer = PageFooter(footer_centre or title, period, language)
    spec = TableSpec(sheet_title(title), list(headers), source)

    def build(wb: Workbook) -> None:
        ticker.checkpoint()
        wb.properties.title = title
        write_table_sheet(wb, spec, footer, ticker)

    save_streamed(path, build)
    ticker.finish()


def csv_field(value: CellValue) -> str:
    """One CSV field: formula-like text defused with ``'``, hours as ``"1.50"``, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, Hours):
        return hours_text(value.minutes)
    if isinstance(value, Heading):
        return csv_text(value.text)
    if isinstance(value, Formula):
        raise TypeError("formulas cannot be written to CSV")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | int | Decimal):
        return str(value)
    return repr(value)  # float: the shortest text that reads back as the same number


def write_table_csv(
    headers: Sequence[str],
    rows: TableRows,
    path: str | os.PathLike[str],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> None:
    """Write ``headers`` and ``rows`` as CSV (UTF-8 with BOM, CRLF), atomically.

    ``rows`` is read once. Cancel (`ExportCancelled`) or an error leaves no file.
    """
    source = _row_source(rows)
    total = len(rows) if isinstance(rows, Sequence) else 0
    ticker = Ticker(total, progress, cancel)
    with atomic_write(path) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        try:
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow([csv_text(h) for h in headers])
            for row in source():
                writer.writerow([csv_field(v) for v in row])
                ticker.tick()
            ticker.checkpoint()
            text.flush()
        finally:
            text.detach()  # atomic_write flushes, syncs and closes the file itself
    ticker.finish()
