"""Small building blocks shared by pages and dialogs: names, inline errors, fonts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTableView, QWidget

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.resources import cjk_font_path

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str) -> W:
    """Give ``widget`` its stable object name (the handle for tests and automation)."""
    widget.setObjectName(object_name)
    return widget


def accessible(widget: QWidget, text: str) -> None:
    """The name a screen reader speaks (also set again on every language switch)."""
    widget.setAccessibleName(text.replace("&", "").rstrip(":：").strip())


class ErrorLabel(QLabel):
    """The reason beside a field, in red; empty (and hidden) when the field is fine."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setStyleSheet("color: #b00020;")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


def show_problems(
    exc: TimebankError, errors: dict[str, ErrorLabel], fallback: ErrorLabel
) -> str | None:
    """Put each problem beside its field; return the first field at fault (None: fallback)."""
    for label in errors.values():
        label.clear_message()
    fallback.clear_message()
    first: str | None = None
    messages: dict[str, list[str]] = {}
    unplaced: list[str] = []
    for problem in exc.problems or ():
        if problem.field in errors:
            messages.setdefault(problem.field, []).append(problem.message)
            first = first or problem.field
        else:
            unplaced.append(problem.message)
    if not exc.problems:
        unplaced.append(exc.message)
    for field, texts in messages.items():
        errors[field].show_message("；".join(texts) if _is_zh(texts) else "; ".join(texts))
    if unplaced:
        fallback.show_message("\n".join(unplaced))
    return first


def _is_zh(texts: Iterable[str]) -> bool:
    return any(ord(ch) > 0x2E80 for text in texts for ch in text)


def load_cjk_font(app: QApplication) -> str | None:
    """Load the shipped CJK font and make it the application font; its family, or None."""
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    font = QFont(families[0])
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return families[0]


def fit_columns(view: QTableView, widths: Sequence[int]) -> None:
    """Each column at least its given width and wide enough for its header (any language)."""
    model = view.model()
    metrics = view.horizontalHeader().fontMetrics()
    for column, width in enumerate(widths):
        header = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        view.setColumnWidth(column, max(width, metrics.horizontalAdvance(header) + 20))


def label_buttons(*captions: tuple[QAbstractButton, str]) -> None:
    """Each button's caption, which a screen reader speaks too (set again on a language switch)."""
    for button, text in captions:
        button.setText(text)
        accessible(button, text)
