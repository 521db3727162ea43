"""Pages other engineers build later (reports, sync): say what will come."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from timebank_desktop.i18n import _
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.widgets import named


class _Placeholder(Page):
    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.heading = named(QLabel(), f"{self.key}_heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.body = named(QLabel(), f"{self.key}_coming")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.title())
        self.body.setText(self.help_text())


class ReportsPage(_Placeholder):
    key = "reports"

    def title(self) -> str:
        return _("Reports")

    def help_text(self) -> str:
        return _(
            "Coming here: the monthly Excel report for the district, member statements "
            "(passbooks), volunteer service certificates and the slip reconciliation. "
            "Until then, use the command line: timebank report."
        )


class SyncPage(_Placeholder):
    key = "sync"

    def title(self) -> str:
        return _("Sync")

    def help_text(self) -> str:
        return _(
            "Coming here: export this centre's signed sync file for the district, import the "
            "district statement, and see which hours other centres honour for our members."
        )
