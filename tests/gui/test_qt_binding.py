"""The Qt binding keeps Python's reference counts right.

PySide6 6.12.0 on Python 3.11 lost a reference to ``True`` on every signal emit. ``True`` has
some 7,000 references once the UI is imported, so after that many emits (an afternoon of
typing in the search fields, each keystroke emitting several signals) the interpreter freed
``True`` and aborted ("bool_dealloc: deallocating True or False"). It was also the cause of a
test-only abort at exit that looked unrelated. pyproject.toml pins a version without the bug;
this test fails on one that has it. (Python 3.12 made ``True`` immortal, which hides the bug.)
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Sender(QObject):
    plain = Signal()
    with_text = Signal(str)


def test_emitting_signals_keeps_every_reference_to_true_and_false() -> None:
    sender = _Sender()
    received: list[str] = []
    sender.with_text.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(50):
        sender.plain.emit()
        sender.with_text.emit("x")
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
    assert len(received) == 50
