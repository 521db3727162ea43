"""Printing our PDFs with Qt: pages rendered by QtPdf and painted onto a `QPrinter`.

The printer is chosen through a `PrinterChooser`: the real one is the system print dialog;
tests (and "print to file") use `PdfFileChooser`, which never opens a window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from timebank_desktop.domain.errors import StorageError
from timebank_desktop.i18n import _

MAX_DPI = 300  # pages are rasterised at most this fine: sharp on paper, bounded in memory


class PrinterChooser:
    """Asks where and how to print: the system print dialog."""

    def choose(self, parent: QWidget | None, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, parent)
        dialog.setObjectName("print_dialog")
        return bool(dialog.exec() == QDialog.DialogCode.Accepted)


class PdfFileChooser(PrinterChooser):
    """Prints to a PDF file without asking (tests, and machines with no printer)."""

    def __init__(self, path: Path, dpi: int = 96) -> None:
        self.path, self.dpi = path, dpi
        self.asked = 0

    def choose(self, parent: QWidget | None, printer: QPrinter) -> bool:
        self.asked += 1
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        printer.setResolution(self.dpi)
        return True


def new_printer(document: QPdfDocument, title: str) -> QPrinter:
    """A printer set up for ``document``: A4, the first page's orientation, no extra margin."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    if document.pageCount():
        size = document.pagePointSize(0)
        landscape = size.width() > size.height()
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )
    return printer


def render_page(document: QPdfDocument, page: int, size: QSize) -> QImage:
    """Page ``page`` at ``size`` pixels on white (QtPdf renders onto transparency)."""
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def page_pixels(document: QPdfDocument, page: int, dpi: float) -> QSize:
    points: QSizeF = document.pagePointSize(page)
    return QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))


def print_pdf(document: QPdfDocument, printer: QPrinter, max_dpi: int = MAX_DPI) -> int:
    """Paint every page of ``document`` onto ``printer``, fitted to the paper; pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        raise StorageError(_("The printer could not be opened"))
    try:
        dpi = min(printer.resolution(), max_dpi)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            image = render_page(document, page, page_pixels(document, page, dpi))
            area = QRectF(painter.viewport())
            scale = min(area.width() / image.width(), area.height() / image.height())
            width, height = image.width() * scale, image.height() * scale
            target = QRectF(
                area.x() + (area.width() - width) / 2,
                area.y() + (area.height() - height) / 2,
                width,
                height,
            )
            painter.drawImage(target, image)
    finally:
        painter.end()
    return document.pageCount()
