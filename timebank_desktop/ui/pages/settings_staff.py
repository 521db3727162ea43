"""The staff tab (administrators only): users, roles, new users."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.roles import Role
from timebank_desktop.i18n import _
from timebank_desktop.services.auth import StaffView
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.form_errors import clear_problems, show_refusal
from timebank_desktop.ui.itemmodels.base import ROW_ROLE
from timebank_desktop.ui.itemmodels.small import StaffModel
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

NEW_FIELDS = ("username", "display_name", "password")


class StaffTab(QWidget):
    def __init__(
        self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_staff")
        self.backend, self.runner = backend, runner
        self.model = StaffModel(self)
        self.table = named(QTableView(), "staff_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.edits = {k: named(QLineEdit(), f"staff_{k}") for k in NEW_FIELDS}
        self.edits["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.role = named(QComboBox(), "staff_role")
        for role in Role:
            self.role.addItem("", role.value)
        self.active = named(QCheckBox(), "staff_active")
        self.active.setChecked(True)
        self.errors = {k: ErrorLabel(f"staff_{k}_error") for k in (*NEW_FIELDS, "role")}
        self.general_error = ErrorLabel("staff_error")
        self.add_button = named(QPushButton(), "staff_add")
        self.set_role_button = named(QPushButton(), "staff_set_role")
        self.add_button.clicked.connect(self.add_user)
        self.set_role_button.clicked.connect(self.set_role)
        self.labels = {k: QLabel() for k in (*NEW_FIELDS, "role")}
        form = QFormLayout()
        for key in NEW_FIELDS:
            box = QVBoxLayout()
            box.addWidget(self.edits[key])
            box.addWidget(self.errors[key])
            form.addRow(self.labels[key], box)
        form.addRow(self.labels["role"], self.role)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.set_role_button)
        buttons.addStretch(1)
        editor = QWidget()
        editor.setMaximumWidth(640)
        editor.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(editor)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "username": _("User name:"),
            "display_name": _("Full name:"),
            "password": _("Password (new users):"),
            "role": _("Role:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            accessible(self.role if key == "role" else self.edits[key], text)
        for i, role in enumerate(Role):
            self.role.setItemText(i, role.label)
        self.active.setText(_("Active"))
        self.add_button.setText(_("Add user"))
        self.set_role_button.setText(_("Change role of the selected user"))
        for button in (self.add_button, self.set_role_button):
            accessible(button, button.text())
        accessible(self.active, _("Active"))
        accessible(self.table, _("Staff users"))
        self.model.retranslate()

    def load(self) -> None:
        self.runner.run(self.backend.staff.list, self.model.set_rows, self._refused)

    def add_user(self) -> None:
        staff = self.backend.staff
        username, name = self.edits["username"].text(), self.edits["display_name"].text()
        password, role = self.edits["password"].text(), self.role.currentData()
        self.runner.run(
            lambda: staff.add(username, name, role, password), self._added, self._refused
        )

    def _added(self, _view: StaffView) -> None:
        for edit in self.edits.values():
            edit.clear()
        clear_problems(self.errors, self.general_error)
        self.load()

    def set_role(self) -> None:
        index = self.table.currentIndex()
        user = self.model.data(index, ROW_ROLE) if index.isValid() else None
        if user is None:
            return
        staff, role, active = self.backend.staff, self.role.currentData(), self.active.isChecked()
        self.runner.run(
            lambda: staff.set_role(user.username, role, active),
            lambda _r: self.load(),
            self._refused,
        )

    def _refused(self, exc: BaseException) -> None:
        show_refusal(exc, self.errors, self.general_error, self.edits)
