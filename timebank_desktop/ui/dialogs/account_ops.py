"""Grant, transfer to a relative, donation, redemption: one dialog, fields by operation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from timebank_desktop.domain.minutes import format_hours, positive_hours
from timebank_desktop.domain.policy import FUNDING_LABELS, FUNDING_SOURCES
from timebank_desktop.i18n import N_, _
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.form_errors import field_row, form_dialog_frame, show_refusal
from timebank_desktop.ui.goods_picker import GoodsPicker
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

OPERATIONS = ("grant", "transfer", "donation", "redemption")
OPERATION_TITLES = {
    "grant": N_("Grant hours from the community pool"),
    "transfer": N_("Transfer hours to a relative"),
    "donation": N_("Donate hours to the community pool"),
    "redemption": N_("Exchange hours for goods"),
}
FIELDS = ("member", "relative", "hours", "funding", "item", "memo")
NEEDS = {
    "grant": ("member", "hours", "funding", "memo"),
    "transfer": ("member", "relative", "hours", "memo"),
    "donation": ("member", "hours", "memo"),
    "redemption": ("member", "item", "hours"),  # the goods first: they fill in the price
}


class AccountOperationDialog(QDialog):
    """Emits ``booked(kind)`` after the service booked the movement."""

    booked = Signal(str)

    def __init__(
        self,
        kind: str,
        backend: Backend,
        runner: TaskRunner,
        member_no: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"account_{kind}_dialog")
        self.setMinimumWidth(420)
        self.kind, self.backend, self.runner = kind, backend, runner
        self.widgets: dict[str, QWidget] = {}
        self.goods: GoodsPicker | None = None
        for key in FIELDS:
            widget: QWidget = QComboBox() if key == "funding" else QLineEdit()
            if key == "item" and kind == "redemption":
                widget = self.goods = GoodsPicker(backend, runner)
                self.goods.picked.connect(self._goods_picked)
            self.widgets[key] = named(widget, f"account_{key}")
        for source in FUNDING_SOURCES:
            self.widgets["funding"].addItem("", source)  # type: ignore[attr-defined]
        self.edit("member").setText(member_no)
        self.errors = {k: ErrorLabel(f"account_{k}_error") for k in FIELDS}
        self.general_error = ErrorLabel("account_error")
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in NEEDS[kind]:
            self.labels[key] = field_row(form, self.widgets[key], self.errors[key])
        self.buttons = form_dialog_frame(
            self, form, self.general_error, "account_buttons", self.submit
        )
        self.retranslate()
        first = "item" if kind == "redemption" else "hours"  # after the member
        self.widgets[first if member_no else "member"].setFocus()

    def edit(self, key: str) -> QLineEdit:
        widget = self.widgets[key]
        assert isinstance(widget, QLineEdit)
        return widget

    def retranslate(self) -> None:
        self.setWindowTitle(_(OPERATION_TITLES[self.kind]))
        texts = {
            "member": _("Member (number):") if self.kind != "transfer" else _("From (number):"),
            "relative": _("To the relative (number):"),
            "hours": _("Hours:"),
            "funding": _("Funding source:"),
            "item": _("Goods:"),
            "memo": _("Note:"),
        }
        for key, label in self.labels.items():
            label.setText(texts[key])
            accessible(self.widgets[key], texts[key])
        combo = self.widgets["funding"]
        for i, source in enumerate(FUNDING_SOURCES):
            combo.setItemText(i, _(FUNDING_LABELS[source]))  # type: ignore[attr-defined]
        self.edit("hours").setPlaceholderText(_("e.g. 1.5"))
        if self.goods is not None:
            self.goods.retranslate()

    def _goods_picked(self, price_minutes: int) -> None:
        """A catalogue item was chosen: one of it costs its price."""
        self.edit("hours").setText(format_hours(price_minutes))

    def _work(self) -> Callable[[], object]:
        accounts: AccountService = self.backend.accounts
        member, relative = self.edit("member").text().strip(), self.edit("relative").text().strip()
        hours_text, memo = self.edit("hours").text(), self.edit("memo").text()
        item = self.goods.item_name() if self.goods is not None else self.edit("item").text()
        funding = self.widgets["funding"].currentData()  # type: ignore[attr-defined]
        kind = self.kind

        def work() -> object:
            amount = positive_hours(hours_text, "hours")
            if kind == "grant":
                return accounts.grant(member, amount, memo, funding)
            if kind == "transfer":
                return accounts.transfer(member, relative, amount, memo)
            if kind == "donation":
                return accounts.donate(member, amount, memo)
            return accounts.redeem(member, amount, item)

        return work

    def submit(self) -> None:
        self.buttons.setEnabled(False)
        self.runner.run(self._work(), self._booked, self._refused)

    def _booked(self, _posted: object) -> None:
        self.buttons.setEnabled(True)
        self.booked.emit(self.kind)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        aliases = {"from": "member", "to": "relative" if self.kind == "transfer" else "member"}
        fields = {**{k: k for k in NEEDS[self.kind]}, **aliases}
        errors = {field: self.errors[key] for field, key in fields.items()}
        widgets = {field: self.widgets[key] for field, key in fields.items()}
        show_refusal(exc, errors, self.general_error, widgets)
