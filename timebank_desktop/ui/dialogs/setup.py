"""First start on an empty database: the centre and its first administrator (or the demo)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import Problem, ValidationError
from timebank_desktop.i18n import _
from timebank_desktop.services.auth import MIN_PASSWORD
from timebank_desktop.ui.form_errors import field_row, show_refusal
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

FIELDS = (
    "centre_code",
    "centre_name",
    "district_code",
    "username",
    "display_name",
    "password",
    "password_again",
)


@dataclass(frozen=True, slots=True)
class SetupInput:
    centre_code: str
    centre_name: str
    district_code: str
    username: str
    display_name: str
    password: str


Create = Callable[[SetupInput], None]


def check_passwords(password: str, again: str) -> list[Problem]:
    """The wizard's own checks before anything is written."""
    if len(password) < MIN_PASSWORD:
        text = _("The password needs at least {n} characters").format(n=MIN_PASSWORD)
        return [Problem("setup.password", text, "password")]
    if password != again:
        return [Problem("setup.mismatch", _("The two passwords differ"), "password_again")]
    return []


class SetupDialog(QDialog):
    """Emits ``created`` when the centre and administrator exist, or ``demo_requested``."""

    created = Signal()
    demo_requested = Signal()

    def __init__(
        self,
        create: Create,
        runner: TaskRunner,
        centre_exists: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setup_dialog")
        self._create, self._runner, self._centre_exists = create, runner, centre_exists
        self.intro = named(QLabel(), "setup_intro")
        self.intro.setWordWrap(True)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.form = QFormLayout()
        for key in FIELDS:
            edit = named(QLineEdit(), f"setup_{key}")
            if key.startswith("password"):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            error = ErrorLabel(f"setup_{key}_error")
            label = field_row(self.form, edit, error)
            self.edits[key], self.errors[key], self.labels[key] = edit, error, label
            edit.returnPressed.connect(self._next_or_create)
            if centre_exists and key in FIELDS[:3]:
                edit.hide()
                label.hide()
        self.general_error = ErrorLabel("setup_error")
        self.create_button = named(QPushButton(), "setup_create")
        self.create_button.setAutoDefault(False)
        self.create_button.clicked.connect(self.submit)
        self.demo_button = named(QPushButton(), "setup_demo")
        self.demo_button.setAutoDefault(False)
        self.demo_button.clicked.connect(self._demo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        for edit in self.edits.values():
            edit.setMinimumWidth(260)
        self.retranslate()
        self._visible_edits()[0].setFocus()

    def _visible_edits(self) -> list[QLineEdit]:
        return [self.edits[k] for k in FIELDS if not (self._centre_exists and k in FIELDS[:3])]

    def retranslate(self) -> None:
        self.setWindowTitle(_("Set up the time bank"))
        self.intro.setText(
            _("This database has no administrator yet. Create the first administrator.")
            if self._centre_exists
            else _(
                "Welcome. Enter your community centre and its first administrator, "
                "or open the demo centre to look around."
            )
        )
        texts = {
            "centre_code": _("Centre code:"),
            "centre_name": _("Centre name:"),
            "district_code": _("District code:"),
            "username": _("Administrator user name:"),
            "display_name": _("Administrator full name:"),
            "password": _("Password (at least 8 characters):"),
            "password_again": _("Password again:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            accessible(self.edits[key], text)
        self.edits["centre_code"].setPlaceholderText(_("e.g. DH01"))
        self.create_button.setText(_("Create the centre"))
        self.demo_button.setText(_("Open the demo centre"))
        accessible(self.create_button, self.create_button.text())
        accessible(self.demo_button, self.demo_button.text())

    def _next_or_create(self) -> None:
        edits = self._visible_edits()
        current = self.focusWidget()
        if current in edits and current is not edits[-1]:
            edits[edits.index(current) + 1].setFocus()
        else:
            self.submit()

    def value(self) -> SetupInput:
        e = self.edits
        return SetupInput(
            e["centre_code"].text().strip(),
            e["centre_name"].text().strip(),
            e["district_code"].text().strip(),
            e["username"].text().strip().lower(),
            e["display_name"].text().strip(),
            e["password"].text(),
        )

    def submit(self) -> None:
        problems = check_passwords(
            self.edits["password"].text(), self.edits["password_again"].text()
        )
        if problems:
            self._failed(ValidationError.of(problems))
            return
        data = self.value()
        self.create_button.setEnabled(False)
        self._runner.run(lambda: self._create(data), self._done, self._failed)

    def _done(self, _result: object) -> None:
        self.create_button.setEnabled(True)
        self.created.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.create_button.setEnabled(True)
        show_refusal(exc, self.errors, self.general_error, self.edits)

    def _demo(self) -> None:
        self.demo_requested.emit()
        self.accept()
