"""What follows a visit in the Sync page's visitor panel: an exchange for goods, a void.

- *Exchange for goods* (兑换, ``sync visit-redeem``): the visitor of the panel's ID number and
  home centre exchanges hours for a goods item (a catalogued item comes off its stock; any
  other text is kept as written), within the visitor's standing and the away allowance. A
  refusal shows its reason and nothing is written.
- *Void a visit* (``sync visit-void``): pick a visit the panel booked (or type the number of
  either of its transactions), give a reason, and confirm: both of the visit's transactions
  are reversed and the allowance here is given back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.minutes import format_hours, positive_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.ui.pages.base import Page
from timebank_desktop.ui.widgets import accessible, named

if TYPE_CHECKING:  # the sync machinery loads on first use, not at start-up
    from timebank_desktop.services.sync.visitor_list import VisitRow
    from timebank_desktop.services.sync.visitor_void import VisitVoided
    from timebank_desktop.services.sync.visitors import RedeemResult

Visitor = Callable[[], tuple[str, str | None, str]]  # ID number, home centre, name


class VisitOps(QWidget):
    """The exchange and void rows of the visitor panel."""

    def __init__(
        self,
        page: Page,
        visitor: Visitor,
        on_done: Callable[[str], None],
        on_booked: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.page, self.visitor = page, visitor
        self.on_done, self.on_booked = on_done, on_booked  # show a message; refresh figures
        self.hours = named(QLineEdit(), "visit_redeem_hours")
        self.item = named(QLineEdit(), "visit_redeem_item")
        self.redeem_button = named(QPushButton(), "visit_redeem")
        self.visits = named(QComboBox(), "visit_list")
        self.seq = named(QSpinBox(), "visit_seq")
        self.seq.setRange(1, 2_000_000_000)
        self.reason = named(QLineEdit(), "visit_void_reason")
        self.void_button = named(QPushButton(), "visit_void")
        self.redeem_button.clicked.connect(self.redeem)
        self.void_button.clicked.connect(self.void)
        self.item.returnPressed.connect(self.redeem)
        self.reason.returnPressed.connect(self.void)
        self.visits.currentIndexChanged.connect(self._visit_chosen)
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        redeem_row = QHBoxLayout()
        redeem_row.addWidget(self.item, 1)
        redeem_row.addWidget(self.redeem_button)
        void_row = QHBoxLayout()
        void_row.addWidget(self.reason, 1)
        void_row.addWidget(self.void_button)
        fields: tuple[QWidget | QHBoxLayout, ...] = (
            self.hours, redeem_row, self.visits, self.seq, void_row,
        )  # fmt: skip
        buddies = (self.hours, self.item, self.visits, self.seq, self.reason)
        for label, field, buddy in zip(self.labels, fields, buddies, strict=True):
            label.setBuddy(buddy)
            if isinstance(field, QWidget):
                form.addRow(label, field)
            else:
                form.addRow(label, field)
        for short in (self.hours, self.visits, self.seq):
            short.setMaximumWidth(360)
        may = page.backend.may  # the services refuse too; this spares a futile form
        redeem: tuple[QWidget, ...] = (self.hours, self.item, self.redeem_button)
        void: tuple[QWidget, ...] = (self.visits, self.seq, self.reason, self.void_button)
        for widget in redeem:
            widget.setEnabled(may(Permission.MOVE_HOURS))
        for widget in void:
            widget.setEnabled(may(Permission.VOID))
        self.retranslate()

    def retranslate(self) -> None:
        texts = (
            _("Hours to e&xchange:"), _("Goods &wanted:"), _("Visits &booked here:"),
            _("Transaction n&umber:"), _("Void rea&son:"),
        )  # fmt: skip
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.hours.setPlaceholderText(_("hours, e.g. 1.5"))
        self.item.setPlaceholderText(_("a catalogued item, or what was given"))
        self.reason.setPlaceholderText(_("why the visit is void (required)"))
        self.redeem_button.setText(_("Exch&ange for goods"))
        self.void_button.setText(_("Void visit…"))
        accessible(self.redeem_button, _("Exchange the visitor's hours for goods"))
        accessible(self.void_button, _("Void the chosen visit"))
        accessible(self.visits, _("Visits booked here"))
        accessible(self.seq, _("Either transaction number of the visit"))

    # ------------------------------------------------------------ the visits listed
    def reload(self) -> None:
        """List the latest visits booked here (the chosen number stays chosen)."""
        service = self.page.backend.visitors
        self.page.runner.run(service.recent, self._listed, self.page.report_error)

    def choose(self, seq: int) -> None:
        """A visit just booked: its number is the one to void (listed at the next reload)."""
        self.seq.setValue(seq)

    def _listed(self, rows: list[VisitRow]) -> None:
        chosen = self.seq.value()
        self.visits.blockSignals(True)
        self.visits.clear()
        for row in rows:
            kind = _("exchange for goods") if row.exchange else _("service")
            text = _("{seq}: {day} {no} ({home}) {hours} h, {kind}").format(
                seq=row.seq, day=row.day.isoformat(), no=row.visitor_no, home=row.home_centre,
                hours=format_hours(row.minutes), kind=kind,
            )  # fmt: skip
            if row.void:
                text = _("{visit} (void)").format(visit=text)
            self.visits.addItem(text, row.seq)
        found = self.visits.findData(chosen)
        self.visits.setCurrentIndex(found)  # -1: a number typed by hand, or nothing yet
        self.visits.blockSignals(False)

    def _visit_chosen(self, index: int) -> None:
        seq = self.visits.itemData(index)
        if isinstance(seq, int):
            self.seq.setValue(seq)

    # ------------------------------------------------------------ exchange
    def redeem(self) -> None:
        try:
            amount = positive_hours(self.hours.text().strip() or "0")
        except TimebankError as exc:
            self.on_done(exc.message)
            self.hours.setFocus()
            return
        from timebank_desktop.services.sync.visitors import RedeemInput

        id_number, home, name = self.visitor()
        data = RedeemInput(id_number, amount, self.item.text(), home, name)
        service = self.page.backend.visitors
        self.page.runner.run(lambda: service.redeem(data), self._redeemed, self._failed)

    def _redeemed(self, result: RedeemResult) -> None:
        text = _("Visitor {no} of centre {home}: {hours} h exchanged for {item} ({left} h left "
                 "here)").format(
            no=result.visitor_no, home=result.home_centre, item=result.item,
            hours=format_hours(result.amount_minutes), left=format_hours(result.remaining),
        )  # fmt: skip
        self.choose(result.clearing_seq)
        self.hours.clear()
        self.item.clear()
        self.on_done(text)
        self.on_booked()

    # ------------------------------------------------------------ void
    def void(self) -> None:
        seq, reason = self.seq.value(), self.reason.text().strip()
        if not reason:
            self.on_done(_("Give the reason the visit is void"))
            self.reason.setFocus()
            return
        if not self.page.prompts.confirm(
            self,
            _("Void visit"),
            _(
                "Void the visit of transaction {seq}? Both of its transactions are reversed: "
                "the hours go back and the visitor's allowance here is given back. A voided "
                "exchange does not put goods back on the stock."
            ).format(seq=seq),
        ):
            return
        service = self.page.backend.visitors
        self.page.runner.run(lambda: service.void(seq, reason), self._voided, self._failed)

    def _voided(self, result: VisitVoided) -> None:
        text = _("Visit of visitor {no} (centre {home}) voided: {hours} h reversed").format(
            no=result.visitor_no, home=result.home_centre, hours=format_hours(result.minutes)
        )
        if result.available is not None:
            text += " " + _("May honour {left} h for this visitor now").format(
                left=format_hours(result.available)
            )
        self.reason.clear()
        self.on_done(text)
        self.on_booked()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.on_done(exc.message)
