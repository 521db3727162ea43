"""Print preview (打印预览): the PDF's pages shown with QtPdf, printed through the system print
dialog (Ctrl+P) or saved as a PDF file (Ctrl+S).

`DocumentPreview` is what pages use: it renders a document on the worker thread through a
`PaperDesk` call and opens the dialog with ``prompts.show_dialog`` (never a blocking
``exec``). The dialog's ``chooser`` picks the printer; tests set a `PdfFileChooser`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.months import Month
from timebank_desktop.i18n import _
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.printing import MAX_DPI, PrinterChooser, new_printer, print_pdf
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import Cancelled, TaskControl, TaskRunner
from timebank_desktop.ui.widgets import accessible, label_buttons, named

if TYPE_CHECKING:  # reportlab loads when something is printed, not at start-up
    from timebank_desktop.services.paper.desk import Rendered

FOLDER_KEY = "paper/folder"


class PrintPreviewDialog(QDialog):
    """Shows one document; emits ``printed(pages)`` and ``saved(path)``."""

    printed = Signal(int)
    saved = Signal(object)

    def __init__(
        self,
        document: Rendered,
        backend: Backend,
        runner: TaskRunner,
        prompts: Prompts,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("print_preview")
        self.document, self.backend, self.runner = document, backend, runner
        self.prompts, self.settings = prompts, settings
        self.chooser: PrinterChooser = PrinterChooser()
        self.print_dpi = MAX_DPI
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(document.data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf = QPdfDocument(self)
        self.pdf.load(self._buffer)
        self.view = named(QPdfView(self), "print_preview_view")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.zoom = named(QComboBox(), "print_preview_zoom")
        self.zoom.addItem("", QPdfView.ZoomMode.FitToWidth)
        self.zoom.addItem("", QPdfView.ZoomMode.FitInView)
        self.zoom.currentIndexChanged.connect(self._zoom_chosen)
        self.pages_label = named(QLabel(), "print_preview_pages")
        self.status = named(QLabel(), "print_preview_status")
        self.print_button = named(QPushButton(), "print_preview_print")
        self.save_button = named(QPushButton(), "print_preview_save")
        self.close_button = named(QPushButton(), "print_preview_close")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        for keys, slot in (("Ctrl+P", self.print_document), ("Ctrl+S", self.save_as)):
            QShortcut(QKeySequence(keys), self, slot)
        self._build()
        self.retranslate()
        self.resize(900, 1000)
        self.print_button.setDefault(True)
        self.print_button.setFocus()  # Enter prints; Esc closes

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.pages_label)
        top.addWidget(self.zoom)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.save_button)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Print preview — {title}").format(title=self.document.title))
        self.pages_label.setText(_("{n} pages").format(n=self.page_count))
        self.zoom.setItemText(0, _("Fit width"))
        self.zoom.setItemText(1, _("Whole page"))
        accessible(self.view, _("Pages of {title}").format(title=self.document.title))
        accessible(self.zoom, _("Zoom"))
        label_buttons(
            (self.print_button, _("Print… (Ctrl+P)")),
            (self.save_button, _("Save as PDF… (Ctrl+S)")),
            (self.close_button, _("Close")),
        )

    @property
    def page_count(self) -> int:
        return int(self.pdf.pageCount())

    def _zoom_chosen(self, _index: int) -> None:
        self.view.setZoomMode(self.zoom.currentData())

    # ------------------------------------------------------------ actions
    def print_document(self) -> bool:
        """Ask for a printer (the system dialog) and print every page; False if cancelled."""
        printer = new_printer(self.pdf, self.document.title)
        if not self.chooser.choose(self, printer):
            return False
        try:
            pages = print_pdf(self.pdf, printer, self.print_dpi)
        except TimebankError as exc:
            self.prompts.error(self, _("Print"), exc.message)
            return False
        self.status.setText(_("{n} pages sent to the printer").format(n=pages))
        self.printed.emit(pages)
        return True

    def _folder(self) -> Path:
        chosen = self.settings.value(FOLDER_KEY) if self.settings is not None else None
        return Path(str(chosen)) if chosen else Path.home()

    def save_as(self) -> None:
        """Ask for a file name and save the PDF there (atomically, on the worker)."""
        path = self.prompts.save_file(
            self,
            _("Save as PDF"),
            self._folder() / self.document.filename,
            _("PDF documents (*.pdf)"),
        )
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".pdf")
        paper, document = self.backend.paper, self.document

        def done(saved: Path) -> None:
            if self.settings is not None:
                self.settings.setValue(FOLDER_KEY, str(saved.parent))
            self.status.setText(_("Saved as {path}").format(path=saved))
            self.saved.emit(saved)

        self.runner.run(lambda: paper.save(document, path), done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.prompts.error(self, _("Save as PDF"), exc.message)


class DocumentPreview(QObject):
    """Renders a document off the GUI thread and opens its preview; refusals are shown."""

    opened = Signal(object)

    def __init__(
        self,
        backend: Backend,
        runner: TaskRunner,
        prompts: Prompts,
        settings: QSettings | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.backend, self.runner, self.prompts = backend, runner, prompts
        self.settings, self.widget = settings, parent
        self.last: PrintPreviewDialog | None = None

    def show(self, make: Callable[[], Rendered]) -> None:
        """Run ``make`` on the worker; preview what it renders, or show why it was refused."""
        self.runner.run(make, self._open, self._failed)

    def _open(self, document: Rendered) -> None:
        dialog = PrintPreviewDialog(
            document, self.backend, self.runner, self.prompts, self.settings, self.widget
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if document.slip_numbers:  # a slip counts as printed once it reached paper or a file
            paper, runner, failed = self.backend.paper, self.runner, self._failed
            dialog.printed.connect(
                lambda _n: runner.run(
                    lambda: paper.slips_printed(document, "printer"), None, failed
                )
            )
            dialog.saved.connect(
                lambda _p: runner.run(lambda: paper.slips_printed(document, "file"), None, failed)
            )
        self.last = dialog
        self.prompts.show_dialog(dialog)
        self.opened.emit(dialog)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.prompts.error(self.widget, _("Print"), exc.message)

    # ------------------------------------------------------------ the documents
    def slips(self, refs: list[str], per_page: int = 1) -> None:
        paper = self.backend.paper
        self.show(lambda: paper.slips(refs, per_page))

    def unsigned_slips(self, month: Month) -> None:
        """A month's batch can be long: it shows progress and can be cancelled."""
        paper = self.backend.paper
        control = TaskControl(self)
        label = _("Preparing the unsigned slips of {month}…").format(month=month)
        dialog = self.prompts.progress(self.widget, label, control)
        control.watch()

        def finished() -> None:
            control.stop()
            dialog.close()
            dialog.deleteLater()

        def done(document: Rendered) -> None:
            finished()
            self._open(document)

        def failed(exc: BaseException) -> None:
            finished()
            if not isinstance(exc, Cancelled):  # cancelled: nothing to show, nothing counted
                self._failed(exc)

        self.runner.run(
            lambda: paper.unsigned_slips(month, progress=control.progress), done, failed
        )

    def statement(self, member_no: str) -> None:
        paper = self.backend.paper
        self.show(lambda: paper.statement(member_no))

    def certificate(self, member_no: str) -> None:
        paper = self.backend.paper
        self.show(lambda: paper.certificate(member_no))

    def honour(self, member_no: str) -> None:
        paper = self.backend.paper
        self.show(lambda: paper.honour(member_no))

    def reconciliation(self, month: Month) -> None:
        paper = self.backend.paper
        self.show(lambda: paper.reconciliation_pdf(month))
