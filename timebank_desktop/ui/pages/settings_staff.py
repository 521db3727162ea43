"""The staff tab (administrators only): users, roles, new users."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.roles import Role
from timebank_desktop.i18n import _
from timebank_desktop.services.auth import StaffView
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.itemmodels.base import ROW_ROLE
from timebank_desktop.ui.itemmodels.small import StaffModel
from timebank_desktop.ui.pages.settings_table_tab import TableFormTab
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import accessible, label_buttons, named

NEW_FIELDS = ("username", "display_name", "password")


class StaffTab(TableFormTab[StaffModel]):
    def __init__(
        self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__("staff", StaffModel, NEW_FIELDS, backend, runner, parent)
        self.edits["password"].setEchoMode(QLineEdit.EchoMode.Password)
        self.role = named(QComboBox(), "staff_role")
        for role in Role:
            self.role.addItem("", role.value)
        self.add_field("role", self.role)
        self.active = named(QCheckBox(), "staff_active")
        self.active.setChecked(True)
        self.form.addRow("", self.active)
        self.add_button = named(QPushButton(), "staff_add")
        self.set_role_button = named(QPushButton(), "staff_set_role")
        self.add_button.clicked.connect(self.add_user)
        self.set_role_button.clicked.connect(self.set_role)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.set_role_button)
        buttons.addStretch(1)
        editor = self.form_panel()
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
        label_buttons(
            (self.add_button, _("Add user")),
            (self.set_role_button, _("Change role of the selected user")),
        )
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
        self.clear_form()
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
