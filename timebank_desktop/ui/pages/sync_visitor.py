"""通兑: serve a visiting member of another centre, against the last district statement.

Staff type the visitor's ID number (only its member key is kept), pick the home centre, the
volunteer of this centre, the category, date and minutes. "Check" shows what this centre may
still honour; "Honour" books it through the clearing account of the home centre.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from timebank_desktop.domain.categories import CategoryInfo
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.servicetime import parse_date
from timebank_desktop.i18n import _, current_language
from timebank_desktop.ui.pages.base import Page
from timebank_desktop.ui.pages.sync_visit_ops import VisitOps
from timebank_desktop.ui.widgets import accessible, named

if TYPE_CHECKING:  # the sync machinery loads on first use, not at start-up
    from timebank_desktop.services.sync.visitors import VisitorStanding, VisitResult


class VisitorBox(QGroupBox):
    """The visitor form, part of the Sync page (it uses the page's backend and runner)."""

    def __init__(
        self, page: Page, on_booked: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.page = page
        self.on_booked = on_booked  # the page refreshes its figures
        self.setObjectName("sync_visitor")
        self.id_number = named(QLineEdit(), "visitor_id_number")
        self.home = named(QComboBox(), "visitor_home")
        self.volunteer = named(QLineEdit(), "visitor_volunteer")
        self.category = named(QComboBox(), "visitor_category")
        self.day = named(QLineEdit(), "visitor_date")
        self.minutes = named(QSpinBox(), "visitor_minutes")
        self.minutes.setRange(1, 24 * 60)
        self.minutes.setValue(60)
        self.name = named(QLineEdit(), "visitor_name")
        self.check_button = named(QPushButton(), "visitor_check")
        self.honour_button = named(QPushButton(), "visitor_honour")
        self.result = named(QLabel(), "visitor_result")
        self.result.setWordWrap(True)
        self.check_button.clicked.connect(self.check)
        self.honour_button.clicked.connect(self.honour)
        self.form = QFormLayout(self)
        self.labels = [QLabel() for _i in range(7)]
        for label, field in zip(
            self.labels,
            (self.id_number, self.home, self.volunteer, self.category, self.day, self.minutes,
             self.name),
            strict=True,
        ):  # fmt: skip
            label.setBuddy(field)
            field.setMaximumWidth(360)  # a short form reads better than one across the screen
            self.form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.honour_button)
        buttons.addStretch(1)
        self.form.addRow(buttons)
        self.ops = named(  # exchange for goods, void a visit
            VisitOps(self.page, self.visitor, self.result.setText, on_booked), "visit_ops"
        )
        self.form.addRow(self.ops)
        self.form.addRow(self.result)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Visiting member of another centre (通兑)"))
        texts = (
            _("&ID number:"), _("&Home centre:"), _("&Volunteer:"), _("Ca&tegory:"),
            _("&Date:"), _("Mi&nutes:"), _("Na&me (optional):"),
        )  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.check_button.setText(_("&Check balance"))
        self.honour_button.setText(_("Hon&our"))
        accessible(self.check_button, _("Check the visitor's balance"))
        accessible(self.honour_button, _("Honour the visitor's hours"))
        if hasattr(self, "ops"):  # not yet while the panel is built
            self.ops.retranslate()

    def set_centres(self, centres: tuple[tuple[str, str], ...], own: str) -> None:
        current = self.home.currentData()
        self.home.clear()
        for code, name in centres:
            if code != own:
                self.home.addItem(f"{code} {name}", code)
        found = self.home.findData(current)
        if found >= 0:
            self.home.setCurrentIndex(found)

    def set_categories(self, categories: tuple[CategoryInfo, ...]) -> None:
        self.category.clear()
        for cat in categories:
            if cat.active:
                self.category.addItem(cat.name(current_language()), cat.code)

    def set_today(self, day: date) -> None:
        """The page shows its figures afresh (opened, or after a booking): today's date, and
        the visits booked here."""
        if not self.day.text():
            self.day.setText(day.isoformat())
        self.ops.reload()

    # ------------------------------------------------------------ actions
    def visitor(self) -> tuple[str, str | None, str]:
        """The visitor of the form: ID number, home centre, name (for the exchange)."""
        return self.id_number.text(), self._home(), self.name.text()

    def _home(self) -> str | None:
        data = self.home.currentData()
        return str(data) if data else None

    def check(self) -> None:
        id_number, home = self.id_number.text(), self._home()
        service = self.page.backend.visitors
        self.page.runner.run(lambda: service.standing(id_number, home), self._shown, self._failed)

    def _shown(self, standing: VisitorStanding) -> None:
        self.result.setText(
            _(
                "Statement {seq}: balance {balance} h; honoured here since {since} h; "
                "may honour {left} h now"
            ).format(
                seq=standing.statement_seq,
                balance=format_hours(standing.statement_balance),
                since=format_hours(standing.honoured_since),
                left=format_hours(standing.available),
            )
        )

    def honour(self) -> None:
        try:
            day = parse_date(self.day.text(), self.page.backend.ctx.today(), "date")
        except TimebankError as exc:
            self._failed(exc)
            return
        from timebank_desktop.services.sync.visitors import VisitInput

        data = VisitInput(
            id_number=self.id_number.text(), volunteer=self.volunteer.text(),
            category=str(self.category.currentData() or ""), service_date=day,
            duration_minutes=self.minutes.value(), home_centre=self._home(),
            name=self.name.text(),
        )  # fmt: skip
        service = self.page.backend.visitors
        self.page.runner.run(lambda: service.honour(data), self._honoured, self._failed)

    def _honoured(self, result: VisitResult) -> None:
        self.result.setText(
            _("Visitor {no} of centre {home}: {hours} h honoured ({left} h left here)").format(
                no=result.visitor_no,
                home=result.home_centre,
                hours=format_hours(result.credited_minutes),
                left=format_hours(result.remaining),
            )
        )
        self.ops.choose(result.clearing_seq)
        self.id_number.clear()
        self.name.clear()
        self.id_number.setFocus()
        self.on_booked()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.result.setText(exc.message)
