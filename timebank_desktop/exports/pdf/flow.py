"""Paged documents: a cursor down A4 pages, tables that repeat their header on each page, and
"page n of m" footers (the canvas keeps each page until the total is known).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from timebank_desktop.exports.pdf import layout
from timebank_desktop.exports.pdf.fonts import register_cjk_font
from timebank_desktop.exports.pdf.layout import GREY, SHADE, t

BODY = 10.5
SMALL = 8.0
ROW = 6.2 * mm


class PagedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """A canvas that holds its pages until `save` so each footer can say "page n of m"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.footer: Callable[[Any, int, int], None] = lambda _c, _n, _m: None
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab names it so
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Draw every held page with its footer, then write the file."""
        if self._code:  # the page being drawn has not been ended yet
            self.showPage()
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self.footer(self, number, total)
            Canvas.showPage(self)
        Canvas.save(self)


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: title, width in points and alignment (``"l"``, ``"r"`` or ``"c"``)."""

    title: str
    width: float
    align: str = "l"


class Flow:
    """Content flowing down A4 portrait pages between a running header and a footer."""

    def __init__(self, canvas: Any, language: str, running_header: str, footer_left: str):
        self.canvas = canvas
        self.language = language
        self.page_width: float = A4[0]
        self.page_height: float = A4[1]
        self.left: float = 18 * mm
        self.right: float = self.page_width - 18 * mm
        self.bottom: float = 20 * mm
        self.running_header = running_header
        self.footer_left = footer_left
        self.y = self.page_height - 18 * mm
        canvas.footer = self._footer
        self._page_started = False

    @property
    def room(self) -> float:
        """The width between the margins."""
        return self.right - self.left

    def _footer(self, canvas: Any, number: int, total: int) -> None:
        layout.text(canvas, self.left, 11 * mm, self.footer_left, SMALL, GREY)
        page = t("Page {n} of {m}", self.language).format(n=number, m=total)
        canvas.setFont(register_cjk_font(), SMALL)
        canvas.drawRightString(self.right, 11 * mm, page)

    def new_page(self) -> None:
        """End this page and start the next under the running header."""
        self.canvas.showPage()
        self.y = self.page_height - 14 * mm
        layout.text(self.canvas, self.left, self.y, self.running_header, SMALL, GREY)
        layout.hline(self.canvas, self.left, self.right, self.y - 2 * mm)
        self.y -= 8 * mm

    def need(self, height: float) -> bool:
        """Start a new page unless ``height`` points still fit; True when a page was started."""
        if self.y - height < self.bottom:
            self.new_page()
            return True
        return False

    def skip(self, height: float) -> None:
        """Move the cursor down."""
        self.y -= height

    def title(self, value: str, size: float = 18) -> None:
        """A centred document title."""
        self.y -= size
        layout.text_centre(self.canvas, self.page_width / 2, self.y, value, size)
        self.y -= size * 0.8

    def heading(self, value: str, size: float = 13) -> None:
        """A section heading, kept with at least three lines of what follows."""
        self.need(size * 1.6 + 3 * ROW + 4 * mm)
        self.y -= size * 1.3 + 4 * mm
        layout.text(self.canvas, self.left, self.y, value, size)
        self.y -= size * 0.6

    def line(self, value: str, size: float = BODY) -> None:
        """One line of text, cut to the page width."""
        self.need(size * 1.5)
        self.y -= size * 1.5
        layout.text(self.canvas, self.left, self.y, layout.fit(value, size, self.room), size)

    def paragraph(self, value: str, size: float = BODY, leading: float = 1.6) -> None:
        """Wrapped text."""
        for piece in layout.wrap(value, size, self.room):
            self.line_at(piece, size, leading)

    def line_at(self, value: str, size: float, leading: float) -> None:
        """One already fitted line with the given leading."""
        self.need(size * leading)
        self.y -= size * leading
        layout.text(self.canvas, self.left, self.y, value, size)

    def pairs(
        self, items: Sequence[tuple[str, str]], columns: int = 2, size: float = BODY
    ) -> None:
        """``label：value`` pairs in a grid of ``columns``."""
        cell = self.room / columns
        for start in range(0, len(items), columns):
            self.need(size * 1.7)
            self.y -= size * 1.7
            for offset, (label, value) in enumerate(items[start : start + columns]):
                x = self.left + offset * cell
                layout.label_value(self.canvas, x, self.y, label, value, size, cell - 4)

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[str]],
        size: float = 9.5,
        shade_rows: Sequence[int] = (),
    ) -> None:
        """A ruled table; its header row is drawn again at the top of every new page.

        ``shade_rows`` are indexes of rows (totals, opening/closing lines) drawn on grey.
        """
        self.need(2 * ROW)
        self._table_header(columns, size)
        shaded = set(shade_rows)
        for index, row in enumerate(rows):
            if self.need(ROW):
                self._table_header(columns, size)
            self._table_row(columns, row, size, index in shaded)
        layout.hline(self.canvas, self.left, self.left + sum(c.width for c in columns), self.y)

    def _table_header(self, columns: Sequence[Column], size: float) -> None:
        self._table_row(columns, [c.title for c in columns], size, True, header=True)

    def _table_row(
        self,
        columns: Sequence[Column],
        cells: Sequence[str],
        size: float,
        shade: bool,
        header: bool = False,
    ) -> None:
        canvas, x, top = self.canvas, self.left, self.y
        total = sum(c.width for c in columns)
        if shade:
            canvas.setFillColor(SHADE)
            canvas.rect(x, top - ROW, total, ROW, stroke=0, fill=1)
        canvas.setStrokeColor(layout.RULE)
        canvas.setLineWidth(0.4)
        canvas.line(x, top, x + total, top)
        if header:
            canvas.line(x, top - ROW, x + total, top - ROW)
        baseline = top - ROW + (ROW - size) / 2 + size * 0.15
        for column, cell in zip(columns, cells, strict=True):
            value = layout.fit(cell, size, column.width - 6)
            if column.align == "r" and not header:
                layout.text_right(canvas, x + column.width - 3, baseline, value, size)
            elif column.align == "c" or header:
                layout.text_centre(canvas, x + column.width / 2, baseline, value, size)
            else:
                layout.text(canvas, x + 3, baseline, value, size)
            x += column.width
        self.y -= ROW


def widths(total: float, shares: Sequence[float]) -> list[float]:
    """Split ``total`` points in proportion to ``shares``."""
    whole = sum(shares)
    return [total * share / whole for share in shares]


def signatures(flow: Flow, labels: Sequence[str], size: float = 11) -> None:
    """Signature lines side by side, each with a line for the date below it."""
    flow.need(24 * mm)
    flow.skip(10 * mm)
    cell = flow.room / len(labels)
    date_label = t("Date", flow.language)
    for index, label in enumerate(labels):
        x = flow.left + index * cell
        layout.signature_line(flow.canvas, x, flow.y, label, cell - 8 * mm, size)
        layout.signature_line(flow.canvas, x, flow.y - 9 * mm, date_label, cell - 8 * mm, size)
    flow.skip(12 * mm)


def nothing(flow: Flow) -> None:
    """The line shown for an empty list."""
    flow.line(t("None", flow.language))
