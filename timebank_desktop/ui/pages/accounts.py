"""账户: a member's balance and passbook, the pool's liability, and the hour movements."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.ledger import POOL_ACCOUNT
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.accounts import BalanceView, Movement
from timebank_desktop.ui.dialogs.account_ops import OPERATIONS, AccountOperationDialog
from timebank_desktop.ui.itemmodels.small import HistoryModel
from timebank_desktop.ui.member_picker import MemberPicker
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.table_export import install_table_export
from timebank_desktop.ui.widgets import accessible, fit_columns, label_buttons, named

PERMISSIONS = {
    "grant": Permission.GRANT,
    "transfer": Permission.MOVE_HOURS,
    "donation": Permission.MOVE_HOURS,
    "redemption": Permission.MOVE_HOURS,
}


class AccountsPage(Page):
    key = "accounts"

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.member = named(QLineEdit(), "accounts_member")
        self.member.setMinimumWidth(300)
        self.member_hint = named(QLabel(), "accounts_member_hint")
        self.picker = MemberPicker(
            self.member, self.member_hint, self.backend, self.runner, None, "member"
        )
        self.picker.picked.connect(lambda _no: self.show_account())
        self.member.returnPressed.connect(self.show_account)
        self.balance = named(QLabel(), "accounts_balance")
        self.balance.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.pool = named(QLabel(), "accounts_pool")
        self.error = named(QLabel(), "accounts_error")
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = {k: named(QPushButton(), f"accounts_{k}") for k in OPERATIONS}
        for kind, button in self.buttons.items():
            button.setVisible(self.backend.may(PERMISSIONS[kind]))
            button.clicked.connect(lambda _c=False, k=kind: self.open_operation(k))
        self.history = HistoryModel(self)
        self.history_view = named(QTableView(), "accounts_history")
        self.history_view.setModel(self.history)
        install_table_export(self.history_view, self, lambda: _("Passbook"))
        configure_table(self.history_view)
        self.history_view.horizontalHeader().setStretchLastSection(False)
        self.history_view.horizontalHeader().setSectionResizeMode(
            HistoryModel.NOTE, QHeaderView.ResizeMode.Stretch
        )
        self.member_label = QLabel()
        self.member_label.setBuddy(self.member)
        top = QHBoxLayout()
        for widget in (self.member_label, self.member, self.member_hint):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.pool)
        actions = QHBoxLayout()
        for button in self.buttons.values():
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.balance)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        layout.addWidget(self.history_view, 1)
        self._shown: BalanceView | None = None
        self._pool_minutes: int | None = None
        self.retranslate()

    def title(self) -> str:
        return _("Accounts")

    def help_text(self) -> str:
        return _(
            "Type a member (number, name or initials) and Enter to see the balance and "
            "passbook. Grant gives hours from the community pool (administrators), Transfer "
            "moves hours to a recorded spouse or direct relative, Donate gives hours to the "
            "pool, Exchange spends hours on goods. Hours are never exchanged for money."
        )

    def retranslate(self) -> None:
        self.member_label.setText(_("Member:"))
        accessible(self.member, _("Member"))
        self.member.setPlaceholderText(_("number, ID tail, name or initials"))
        texts = {
            "grant": _("Grant…"),
            "transfer": _("Transfer to a relative…"),
            "donation": _("Donate to the pool…"),
            "redemption": _("Exchange for goods…"),
        }
        label_buttons(*((self.buttons[kind], text) for kind, text in texts.items()))
        accessible(self.history_view, _("Passbook"))
        self.history.retranslate()
        fit_columns(self.history_view, (60, 88, 64, 124, 200, 72, 80))
        self._show_balance()

    def search_field(self) -> QLineEdit:
        return self.member

    def activated(self) -> None:
        self.refresh_pool()

    def refresh_pool(self) -> None:
        accounts = self.backend.accounts
        self.runner.run(
            lambda: accounts.system_balance(POOL_ACCOUNT), self._pool_loaded, self.report_error
        )

    def _pool_loaded(self, minutes: int) -> None:
        self._pool_minutes = minutes
        self._show_balance()

    def _show_balance(self) -> None:
        if self._pool_minutes is not None:
            self.pool.setText(
                _("Community pool owes {hours} h").format(
                    hours=format_hours(max(-self._pool_minutes, 0))
                )
            )
        shown = self._shown
        self.balance.setText(
            _("{name} ({number}): {hours} h").format(
                name=shown.name, number=shown.member_no, hours=format_hours(shown.balance_minutes)
            )
            if shown
            else ""
        )

    def show_account(self, ref: str | None = None) -> None:
        """Show a member's balance and passbook (the member field's text by default)."""
        text = (ref or self.member.text()).strip()
        if not text:
            return
        backend = self.backend

        def work() -> tuple[BalanceView, list[Movement]]:
            member = backend.lookup.resolve(text, "member")
            _opening, movements = backend.accounts.history(member.member_no)
            return backend.accounts.balance(member.member_no), movements

        self.runner.run(work, self._account_loaded, self._not_found)

    def _account_loaded(self, result: tuple[BalanceView, list[Movement]]) -> None:
        self._shown, movements = result
        self.error.clear()
        self.history.set_rows(movements)
        self.history_view.scrollToBottom()
        self._show_balance()

    def _not_found(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.error.setText(exc.message)

    def open_operation(self, kind: str) -> None:
        number = self._shown.member_no if self._shown else ""
        dialog = AccountOperationDialog(kind, self.backend, self.runner, number, parent=self)
        dialog.booked.connect(lambda _k: self._after_booking())
        self.prompts.show_dialog(dialog)

    def _after_booking(self) -> None:
        self.refresh_pool()
        if self._shown is not None:
            self.show_account(self._shown.member_no)
