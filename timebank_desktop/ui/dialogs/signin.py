"""Sign-in: focus in the user name, Tab to the password, Enter signs in; failures inline."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import _
from timebank_desktop.services.context import Actor
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

SignIn = Callable[[str, str], Actor]


class SignInDialog(QDialog):
    """Emits ``signed_in(actor)`` after a correct password, then closes."""

    signed_in = Signal(object)

    def __init__(
        self,
        sign_in: SignIn,
        runner: TaskRunner,
        centre_name: str,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signin_dialog")
        self._sign_in, self._runner, self._centre, self._demo = sign_in, runner, centre_name, demo
        self.username = named(QLineEdit(), "signin_username")
        self.password = named(QLineEdit(), "signin_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.heading = named(QLabel(), "signin_centre")
        self.demo_hint = named(QLabel(), "signin_demo_hint")
        self.demo_hint.setVisible(demo)
        self.error = ErrorLabel("signin_error")
        self.buttons = named(QDialogButtonBox(), "signin_buttons")
        self.ok = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("signin_ok")
        self.ok.setDefault(True)
        self.cancel = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setObjectName("signin_cancel")
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.username_label, self.password_label = QLabel(), QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        self.form.addRow(self.username_label, self.username)
        self.form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.demo_hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.username, self.password)
        self.setMinimumWidth(380)
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold; padding-bottom: 6px;")
        self.demo_hint.setStyleSheet(
            "background: #fff8e1; border: 1px solid #e0c36a; padding: 6px; margin-top: 4px;"
        )
        self.username.setFocus()
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign in — Time bank"))
        self.heading.setText(self._centre)
        self.username_label.setText(_("User name:"))
        self.password_label.setText(_("Password:"))
        accessible(self.username, _("User name"))
        accessible(self.password, _("Password"))
        self.demo_hint.setText(_("Demo centre: user admin, password demo"))
        self.ok.setText(_("Sign in"))
        self.cancel.setText(_("Cancel"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.username.setFocus()

    def attempt(self) -> None:
        """Check the password on the worker; sign in or say why not."""
        user, password = self.username.text(), self.password.text()
        self.ok.setEnabled(False)
        self._runner.run(lambda: self._sign_in(user, password), self._done, self._failed)

    def _done(self, actor: Actor) -> None:
        self.ok.setEnabled(True)
        self.error.clear_message()
        self.signed_in.emit(actor)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if not isinstance(exc, TimebankError):
            raise exc
        self.error.show_message(exc.message)
        self.password.clear()
        self.password.setFocus()
