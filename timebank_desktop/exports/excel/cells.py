"""Cell values for the workbooks: typed wrappers, formula-safe text and display widths.

Writers put plain Python values in their rows and the sheet writer (`sheet`, through
`rowcells`) turns each one into a cell by its type:

- ``str``: user or label text, always stored as text, never as a formula (text a spreadsheet
  could read as one, `is_formula_like`, gets the quote-prefix flag);
- ``int``, ``float``, ``Decimal``: a number, stored as a number (``bool`` as TRUE/FALSE);
- `Hours`: integer minutes, stored as the number ``minutes / 60`` formatted ``0.00``;
- ``datetime.date``: a real date formatted ``yyyy-mm-dd`` (a ``datetime`` with the time);
- `Formula`: a formula the writer built itself (never from user text);
- `Heading`: a bold label (section titles on the summary sheet);
- ``None``: an empty cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

HOURS_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's limit for one cell
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
HOURS_FORMAT_ID = 2  # Excel's built-in number format "0.00" (BUILTIN_FORMATS[2])

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center")


@dataclass(frozen=True, slots=True)
class Hours:
    """Integer minutes, written as hours with two decimals."""

    minutes: int


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula built by the writer (``"=SUM(B2:B9)"``); ``hours`` formats it ``0.00``."""

    text: str
    hours: bool = False
    width: int = 4


@dataclass(frozen=True, slots=True)
class Heading:
    """A bold text label."""

    text: str


CellValue = str | int | float | Decimal | Hours | date | Formula | Heading | None
SHEET_TITLE_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (=, +, -, @, tab, CR)."""
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """``text`` without the control characters XML cannot hold, cut to Excel's cell limit."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text[:MAX_TEXT]


def csv_text(text: str) -> str:
    """``text`` for a CSV field: a leading ``'`` defuses a formula (OWASP's advice)."""
    text = clean_text(text)
    return "'" + text if is_formula_like(text) else text


def hours_text(minutes: int) -> str:
    """Minutes as ``"1.50"`` (CSV, widths)."""
    return f"{Decimal(minutes) / 60:.2f}"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: CJK (wide and full-width) characters count 2."""
    if text.isascii():
        return len(text)
    return _wide_width(text)


@lru_cache(maxsize=8192)  # names and categories recur on every row that mentions them
def _wide_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def value_width(value: CellValue) -> int:
    """Display width of a row value as it will appear in the cell."""
    kind = type(value)
    if kind is str:
        return display_width(value)  # type: ignore[arg-type]
    if kind is Hours:
        return _hours_width(value.minutes)  # type: ignore[union-attr]
    if value is None:
        return 0
    if isinstance(value, Heading):
        return display_width(value.text)
    if isinstance(value, Formula):
        return value.width
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.10g}")
    if isinstance(value, str):  # a str subclass
        return display_width(value)
    return len(str(value))


def _hours_width(minutes: int) -> int:
    # "h.mm": the whole hours never round up (the fraction is at most 59/60 ≈ 0.98)
    return len(str(abs(minutes) // 60)) + 3 + (minutes < 0)


def header_cell(ws: Any, text: str) -> WriteOnlyCell:
    """A bold, shaded, centred header cell (always text)."""
    cell = WriteOnlyCell(ws, clean_text(text))
    cell.data_type = "s"
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = HEADER_ALIGN
    return cell


def sheet_title(text: str, fallback: str = "Sheet") -> str:
    """``text`` made a valid sheet name: no ``[]:*?/\\``, no edge quotes, 31 characters."""
    title = _SHEET_FORBIDDEN.sub(" ", clean_text(text)).strip().strip("'").strip()
    return title[:SHEET_TITLE_MAX] or fallback
