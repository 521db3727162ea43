"""Every modal prompt of the application goes through one injectable object.

Tests pass a scripted subclass, so nothing ever blocks on ``exec()`` in a test. Dialogs of our
own are shown window-modal with ``open()`` (never ``exec()``), through ``show_dialog``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from timebank_desktop.i18n import _
from timebank_desktop.ui.tasks import TaskControl


class Prompts:
    """The real prompts: Qt's standard dialogs."""

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def error(self, parent: QWidget | None, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok)
        box.setParent(parent, box.windowFlags())
        box.setObjectName("error_box")
        if details:
            box.setDetailedText(details)
            copy = box.addButton(_("Copy details"), QMessageBox.ButtonRole.ActionRole)
            copy.clicked.disconnect()
            copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        box.exec()

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(parent, title, label)
        return text if ok else None

    def open_file(
        self, parent: QWidget | None, title: str, folder: Path, pattern: str
    ) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(parent, title, str(folder), pattern)
        return Path(name) if name else None

    def save_file(
        self, parent: QWidget | None, title: str, suggested: Path, pattern: str
    ) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), pattern)
        return Path(name) if name else None

    def choose_folder(self, parent: QWidget | None, title: str, folder: Path) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, str(folder))
        return Path(name) if name else None

    def show_dialog(self, dialog: QDialog) -> None:
        """Show one of our dialogs window-modal without blocking (its signals do the rest)."""
        dialog.open()
        dialog.activateWindow()

    def progress(
        self, parent: QWidget | None, label: str, control: TaskControl
    ) -> QProgressDialog:
        """A non-blocking progress dialog whose Cancel cancels ``control``."""
        dialog = QProgressDialog(label, _("Cancel"), 0, 0, parent)
        dialog.setObjectName("progress_dialog")
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(control.cancel)

        def show(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))

        control.progressed.connect(show)
        return dialog
