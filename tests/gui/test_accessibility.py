"""Every interactive widget has a stable objectName and a name a screen reader speaks.

The spoken name is what Qt's accessibility gives assistive technology: the accessible name
set on the widget, else its buddy label or its own text. Qt's internal parts (headers, the
popup lists of combo boxes, corner and clear buttons) are not ours to name.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

from tests.gui.conftest import MakeWindow

INTERACTIVE = (
    QLineEdit,
    QAbstractButton,
    QComboBox,
    QAbstractItemView,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
)


def _ours(widget: QWidget) -> bool:
    if isinstance(widget, QHeaderView) or widget.objectName().startswith("qt_"):
        return False
    if isinstance(widget, QToolButton) and not widget.objectName():
        return False  # a table's corner button, a line edit's clear button
    if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
        return False  # the editor inside a combo box or spin box
    return not widget.window().inherits("QComboBoxPrivateContainer")  # a combo's popup list


def _spoken(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def _problems(root: QWidget) -> list[str]:
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not _ours(widget):
            continue
        if not widget.objectName() or not _spoken(widget).strip():
            found.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return found


@pytest.mark.parametrize("role", ["admin", "clerk", "viewer"])
def test_every_interactive_widget_is_named(make_window: MakeWindow, role: str) -> None:
    window = make_window(role)
    for code in ("zh_CN", "en"):
        window.set_language(code)
        assert _problems(window) == []


def test_an_unnamed_field_is_found(make_window: MakeWindow) -> None:
    window = make_window("admin")
    QLineEdit(window.pages["members"])
    assert _problems(window) == ["QLineEdit ''"]
