"""Typing as a person would: keys go to whichever widget has the focus.

Chinese characters go through ``QTest.sendKeyEvent`` one by one with the character as the
event's text (``qtbot.keyClicks`` with Chinese aborts the process in Qt's qasciikey.cpp).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def focus() -> QWidget:
    """Where Qt delivers a key press: an open popup (a completion list) first."""
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def focus_name() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def type_text(qtbot: Any, text: str) -> None:
    """Type ``text`` into the focused widget."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(focus(), ch)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                focus(),
                Qt.Key.Key_unknown,
                ch,
                Qt.KeyboardModifier.NoModifier,
            )


def press(
    qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focus(), key, modifier)


def ctrl(qtbot: Any, key: Qt.Key) -> None:
    press(qtbot, key, Qt.KeyboardModifier.ControlModifier)


def activate(qtbot: Any, window: QWidget) -> None:
    """Make ``window`` the active window (the window manager's part) and wait until it is."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def open_account_dialog(qtbot: Any, window: Any, prompts: Any, number: str, kind: str) -> Any:
    """On the Accounts page, type ``number`` + Enter, then click the ``kind`` button (grant,
    transfer, donation, redemption); return the dialog it opened."""
    activate(qtbot, window)
    page = window.show_page("accounts")
    type_text(qtbot, number)
    press(qtbot, Qt.Key.Key_Return)
    page.buttons[kind].click()
    return prompts.dialogs[-1]
