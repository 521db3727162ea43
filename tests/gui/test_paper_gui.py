"""Paper in the GUI: the print preview (QtPdf pages, print to a printer, save as PDF), Ctrl+P on
the service form, slips and slip control on the records page, statement and certificates on
the member detail. Printing goes to a PDF file through `PdfFileChooser`: no dialog blocks."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import ctrl, press, type_text
from tests.helpers import add_member, serve
from tests.unit.exports_pdf.pdf_factories import need
from timebank_desktop.domain.months import Month
from timebank_desktop.models import ServiceRecord
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.paper.certificates import CertificateService
from timebank_desktop.services.paper.desk import PaperDesk
from timebank_desktop.services.records import RecordService, RecordView
from timebank_desktop.ui.dialogs.print_preview import PrintPreviewDialog
from timebank_desktop.ui.dialogs.slip_control import SlipControlDialog
from timebank_desktop.ui.mainwindow import MainWindow
from timebank_desktop.ui.printing import PdfFileChooser, render_page

KEY = Qt.Key


def _people(centre: AppContext) -> tuple[str, str]:
    return add_member(centre, "张三", date(1960, 3, 1)), add_member(
        centre, "李奶奶", date(1940, 1, 1), "recipient"
    )


def _preview(prompts: ScriptedPrompts) -> PrintPreviewDialog:
    dialog = prompts.dialogs[-1]
    assert isinstance(dialog, PrintPreviewDialog)
    return dialog


def _pdf_pages(path: Path) -> int:
    done = subprocess.run([need("pdfinfo"), str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def _printed(ctx: AppContext, slip_no: str) -> int:
    with ctx.read() as session:
        return int(
            session.scalar(
                select(ServiceRecord.slip_printed).where(ServiceRecord.slip_no == slip_no)
            )
        )


def _inked(dialog: PrintPreviewDialog) -> int:
    """Dark pixels on the first page: Chinese text drawn with the embedded font."""
    image = render_page(dialog.pdf, 0, QSize(420, 300))
    dark = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if QColor(image.pixel(x, y)).lightness() < 128:
                dark += 1
    return dark


# ---------------------------------------------------------------- the dialog itself
def test_preview_shows_pages_prints_and_saves(
    qtbot: Any, centre: AppContext, make_window: MakeWindow, prompts: ScriptedPrompts,
    tmp_path: Path,
) -> None:  # fmt: skip
    vol, rec = _people(centre)
    views = [serve(centre, vol, rec, 60, day=date(2026, 11, d), signed=False) for d in (2, 3)]
    window = make_window()
    window.paper.slips([v.slip_no for v in views])
    dialog = _preview(prompts)
    assert dialog.pdf.status() == QPdfDocument.Status.Ready
    assert dialog.page_count == 2
    assert dialog.pages_label.text() == "2 pages"
    assert views[0].slip_no in dialog.document.summary
    assert _inked(dialog) > 200
    assert _printed(centre, views[0].slip_no) == 0  # a preview is not a print
    printed: list[int] = []
    dialog.printed.connect(printed.append)
    out = tmp_path / "printer.pdf"
    dialog.chooser = PdfFileChooser(out)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed == [2] and _pdf_pages(out) == 2
    assert dialog.status.text() == "2 pages sent to the printer"
    assert _printed(centre, views[0].slip_no) == _printed(centre, views[1].slip_no) == 1
    prompts.answers["save_file"] = [tmp_path / "copy"]
    saved: list[Path] = []
    dialog.saved.connect(saved.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [tmp_path / "copy.pdf"]
    assert saved[0].read_bytes() == dialog.document.data
    assert window.settings.value("paper/folder") == str(tmp_path)
    assert _printed(centre, views[1].slip_no) == 2


def test_cancelled_print_and_save_do_nothing(
    qtbot: Any, centre: AppContext, make_window: MakeWindow, prompts: ScriptedPrompts,
    tmp_path: Path,
) -> None:  # fmt: skip
    vol, rec = _people(centre)
    view = serve(centre, vol, rec, 60)
    window = make_window()
    window.paper.slips([view.slip_no])
    dialog = _preview(prompts)

    class Cancel(PdfFileChooser):
        def choose(self, parent: Any, printer: Any) -> bool:
            self.asked += 1
            return False

    dialog.chooser = Cancel(tmp_path / "no.pdf")
    assert dialog.print_document() is False
    dialog.save_as()  # the scripted save dialog answers None: cancelled
    assert list(tmp_path.glob("*.pdf")) == []
    assert dialog.status.text() == ""


# ---------------------------------------------------------------- service form: Ctrl+P
def test_ctrl_p_on_the_service_form_previews_the_saved_slip(
    qtbot: Any, centre: AppContext, make_window: MakeWindow, prompts: ScriptedPrompts,
    tmp_path: Path,
) -> None:  # fmt: skip
    _people(centre)
    window = make_window("clerk")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    ctrl(qtbot, KEY.Key_N)
    for text in ["M000001", "M000002", "meals", "2026-11-19", "9:00", "10:30"]:
        type_text(qtbot, text)
        press(qtbot, KEY.Key_Tab)
    ctrl(qtbot, KEY.Key_P)
    dialog = _preview(prompts)
    slip = dialog.document.summary
    assert dialog.page_count == 1 and slip in window.service_page.last_saved.text()
    dialog.chooser = PdfFileChooser(tmp_path / "slip.pdf")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    ctrl(qtbot, KEY.Key_P)  # Ctrl+P again, in the preview: print
    assert dialog.chooser.asked == 1
    assert _pdf_pages(tmp_path / "slip.pdf") == 1
    with qtbot.waitSignal(dialog.rejected):
        press(qtbot, KEY.Key_Escape)  # Esc closes the preview


# ---------------------------------------------------------------- records page
def _records(window: MainWindow, month: Month | None = None) -> Any:
    page = window.show_page("records")
    if month is not None:
        months = [page.month.itemData(i) for i in range(page.month.count())]
        page.month.setCurrentIndex(months.index(month))
    return page


def test_records_page_prints_selected_and_unsigned_slips(
    qtbot: Any, centre: AppContext, make_window: MakeWindow, prompts: ScriptedPrompts
) -> None:
    vol, rec = _people(centre)
    for day in (3, 4, 5, 6):
        serve(centre, vol, rec, 30, day=date(2026, 11, day), signed=day == 4)
    window = make_window("clerk")
    page = _records(window)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert prompts.messages("info")[-1][1] == "Select one or more records first"
    model = page.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 2):
        model.select(page.model.index(row, 0), flags)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    dialog = _preview(prompts)
    assert dialog.page_count == 2 and len(dialog.document.summary.split()) == 2
    qtbot.mouseClick(page.unsigned_button, Qt.MouseButton.LeftButton)
    assert prompts.messages("info")[-1][1] == "Choose a month in the filter first"
    _records(window, Month(2026, 11))
    qtbot.mouseClick(page.unsigned_button, Qt.MouseButton.LeftButton)
    batch = _preview(prompts)
    assert batch is not dialog
    assert batch.document.title == "Unsigned slips of 2026-11 (3)"
    assert batch.page_count == 1  # three to a sheet


def test_a_voided_record_is_refused_with_its_reason(
    qtbot: Any, centre: AppContext, make_window: MakeWindow, prompts: ScriptedPrompts
) -> None:
    vol, rec = _people(centre)
    view = serve(centre, vol, rec, 30)
    RecordService(centre).void(view.slip_no, "duplicate")
    window = make_window()
    page = _records(window)
    page.table.selectRow(0)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert prompts.messages("error")[-1][1] == (
        f"Slip {view.slip_no} was voided and cannot be printed"
    )
    assert not any(isinstance(d, PrintPreviewDialog) for d in prompts.dialogs)


def test_slip_reconciliation_view_and_pdf(
    qtbot: Any, qtmodeltester: Any, centre: AppContext, make_window: MakeWindow,
    prompts: ScriptedPrompts,
) -> None:  # fmt: skip
    vol, rec = _people(centre)
    serve(centre, vol, rec, 30, day=date(2026, 11, 3))
    late: RecordView = serve(centre, vol, rec, 30, day=date(2026, 11, 4), signed=False)
    window = make_window("viewer")
    page = _records(window, Month(2026, 11))
    assert not page.print_button.isVisibleTo(page) and page.reconcile_button.isVisibleTo(page)
    qtbot.mouseClick(page.reconcile_button, Qt.MouseButton.LeftButton)
    control = prompts.dialogs[-1]
    assert isinstance(control, SlipControlDialog)
    shown = {k: v.text() for k, v in control.values.items()}
    assert shown == {"issued": "2", "confirmed": "1", "voided": "0", "outstanding": "1"}
    qtmodeltester.check(control.model)
    model = control.model
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in (0, 1, 4)] == [late.slip_no, "2026-11-04", "0"]
    assert "adds up" in control.check.text()
    qtbot.mouseClick(control.print_button, Qt.MouseButton.LeftButton)
    dialog = _preview(prompts)
    assert dialog.document.title == "Slip reconciliation 2026-11" and dialog.page_count == 1


# ---------------------------------------------------------------- member detail
def test_member_detail_prints_statement_and_certificates(
    qtbot: Any, centre: AppContext, make_window: MakeWindow, prompts: ScriptedPrompts
) -> None:
    vol, rec = _people(centre)
    serve(centre, vol, rec, 90)
    window = make_window("clerk")
    page = window.show_page("members")
    page.table.selectRow(0)
    panel = page.detail
    assert panel.detail is not None and panel.detail.summary.member_no == vol
    buttons = panel.paper_buttons
    assert all(b.isEnabled() for b in buttons.values())
    qtbot.mouseClick(buttons["statement"], Qt.MouseButton.LeftButton)
    assert _preview(prompts).document.title == "Statement of 张三 (M000001)"
    qtbot.mouseClick(buttons["certificate"], Qt.MouseButton.LeftButton)  # asked: no
    assert CertificateService(centre).register() == []
    prompts.answers["confirm"] = [True, True]
    qtbot.mouseClick(buttons["certificate"], Qt.MouseButton.LeftButton)
    certificate = _preview(prompts)
    assert certificate.document.title == "Volunteer service certificate ZM-2026-0001"
    assert [r.doc_no for r in CertificateService(centre).register()] == ["ZM-2026-0001"]
    qtbot.mouseClick(buttons["honour"], Qt.MouseButton.LeftButton)
    assert "the first star needs 100 h" in prompts.messages("error")[-1][1]
    page.table.selectRow(1)  # the elder: no certificates
    assert panel.detail is not None and panel.detail.summary.member_no == rec
    assert buttons["statement"].isEnabled() and not buttons["certificate"].isEnabled()


def test_desk_documents_are_in_chinese_by_default(centre: AppContext) -> None:
    vol, rec = _people(centre)
    serve(centre, vol, rec, 90)
    document = PaperDesk(centre).statement(vol)
    assert document.filename == "statement-M000001-2026-11-20.pdf"
    assert document.data.startswith(b"%PDF")
