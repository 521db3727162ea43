"""A line edit that finds members as you type: a completion list fed by the member search.

Staff type a member number, an ID tail, a name or pinyin initials; after a short pause the
list shows the matches (Down and Enter pick one, which puts the member number in the field).
A member number or a full ID number shows no list, so "M000001" then Tab just moves on.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLabel, QLineEdit

from timebank_desktop.domain import idnumber
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import _
from timebank_desktop.services.member_search import MemberSummary
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.itemmodels.completion import MemberCompletionModel
from timebank_desktop.ui.tasks import TaskRunner

DEBOUNCE_MS = 150
_EXACT = re.compile(r"[Mm]\d{6}")


class MemberPicker(QObject):
    """Adds completion and a resolved-name hint to ``edit``; ``picked`` after a choice."""

    picked = Signal(str)

    def __init__(
        self,
        edit: QLineEdit,
        hint: QLabel,
        backend: Backend,
        runner: TaskRunner,
        role: str | None,
        field: str,
    ) -> None:
        super().__init__(edit)
        self.edit, self.hint, self.backend, self.runner = edit, hint, backend, runner
        self.role, self.field = role, field
        self.model = MemberCompletionModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setObjectName(f"{edit.objectName()}_completer")
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._popup().setObjectName(f"{edit.objectName()}_list")
        self._popup().installEventFilter(self)
        edit.setCompleter(self.completer)
        self.completer.activated[str].connect(self._activated)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        edit.textEdited.connect(self._edited)
        edit.textChanged.connect(self._changed)
        edit.editingFinished.connect(self.resolve_hint)
        self._generation = 0
        self._hint_for: str | None = None  # the text the hint names

    def _popup(self) -> QAbstractItemView:
        popup = self.completer.popup()
        assert popup is not None
        return popup

    # ------------------------------------------------------------ typing
    def _edited(self, text: str) -> None:
        self.hint.setText("")
        self._generation += 1
        if (
            not text.strip()
            or _EXACT.fullmatch(text.strip())
            or idnumber.looks_like_id_number(text)
        ):
            self._timer.stop()
            self._popup().hide()
            return
        self._timer.start()

    def search_now(self) -> None:
        """Fetch the matches for the current text (the debounce timer calls this)."""
        text, generation = self.edit.text(), self._generation
        lookup = self.backend.lookup
        self.runner.run(
            lambda: lookup.suggestions(text, self.role),
            lambda rows: self._show(rows, generation),
            lambda _exc: None,
        )

    def _show(self, rows: list[MemberSummary], generation: int) -> None:
        if generation != self._generation:
            return  # the text changed meanwhile
        self.model.set_rows(rows)
        if rows and self.edit.hasFocus():
            self.completer.complete()
        else:
            self._popup().hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab in the open list leaves it and moves on, like Tab in the field."""
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key()
            in (
                Qt.Key.Key_Tab,
                Qt.Key.Key_Backtab,
            )
        ):
            self._popup().hide()
            if event.key() == Qt.Key.Key_Tab:
                self.picked.emit(self.edit.text())
            return True
        return False

    def _activated(self, member_no: str) -> None:
        self._generation += 1
        self.edit.setText(member_no)
        self.resolve_hint()
        self.picked.emit(member_no)

    def _changed(self, text: str) -> None:
        """Any change (typed, cleared, set by a refusal or a language switch) drops a hint
        that named someone else; the hint comes back once the new text resolves."""
        if text != self._hint_for:
            self.hint.setText("")

    # ------------------------------------------------------------ hint
    def resolve_hint(self) -> None:
        """Show whom the field names (or nothing while it is ambiguous)."""
        text = self.edit.text()
        if not text.strip():
            self.hint.setText("")
            return
        lookup = self.backend.lookup

        def done(member: MemberSummary) -> None:
            if self.edit.text() == text:
                self._hint_for = text
                self.hint.setText(
                    _("{name} ({number})").format(name=member.name, number=member.member_no)
                )

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TimebankError):
                raise exc
            if self.edit.text() == text:
                self.hint.setText("")

        self.runner.run(lambda: lookup.resolve(text, self.field, self.role), done, failed)
