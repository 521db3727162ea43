"""What every page offers the shell: a title, help, a search field, retranslation."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit, QWidget

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import _
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import TaskRunner


@dataclass
class PageDeps:
    """What a page needs, passed in by the shell (no globals)."""

    backend: Backend
    runner: TaskRunner
    prompts: Prompts
    settings: QSettings


class Page(QWidget):
    """A page of the main window. Subclasses set ``key`` and implement the hooks."""

    key = "page"

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deps = deps
        self.backend, self.runner, self.prompts = deps.backend, deps.runner, deps.prompts
        self.setObjectName(f"page_{self.key}")

    def title(self) -> str:
        raise NotImplementedError

    def help_text(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        """Set every visible text again in the current language (typed text stays)."""

    def search_field(self) -> QLineEdit | None:
        return None

    def focus_search(self) -> bool:
        field = self.search_field()
        if field is None:
            return False
        field.setFocus()
        field.selectAll()
        return True

    def focus_initial(self) -> None:
        """Where the cursor goes when the page is chosen (its search field by default)."""
        self.focus_search()

    def activated(self) -> None:
        """The page has just been shown: refresh what may have changed."""

    def report_error(self, exc: BaseException) -> None:
        """A refusal from a service, shown in a message box (for work without a form)."""
        if not isinstance(exc, TimebankError):
            raise exc
        self.prompts.error(self, _("Time bank"), exc.message)
