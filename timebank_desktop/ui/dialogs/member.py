"""Add or edit a member, and record a household relation; problems shown beside the fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import N_, _
from timebank_desktop.services.member_search import MemberSummary
from timebank_desktop.services.members import RELATIONS, MemberDetail, MemberInput
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.form_errors import field_row, form_dialog_frame, show_refusal
from timebank_desktop.ui.itemmodels.members import ROLE_LABELS
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

TEXT_FIELDS = ("name", "id_number", "phone", "address", "emergency_contact", "notes")
RELATION_LABELS = {
    "spouse": N_("spouse"),
    "parent": N_("parent"),
    "child": N_("child"),
    "grandparent": N_("grandparent"),
    "grandchild": N_("grandchild"),
    "sibling": N_("sibling"),
}


class MemberDialog(QDialog):
    """Emits ``saved(summary)`` once the service accepted the member."""

    saved = Signal(object)

    def __init__(
        self,
        backend: Backend,
        runner: TaskRunner,
        detail: MemberDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("member_dialog")
        self.setMinimumWidth(440)
        self.backend, self.runner, self.detail = backend, runner, detail
        self.edits = {k: named(QLineEdit(), f"member_{k}") for k in TEXT_FIELDS}
        self.role = named(QComboBox(), "member_role")
        for role in ROLE_LABELS:
            self.role.addItem("", role)
        self.lives_alone = named(QCheckBox(), "member_lives_alone")
        self.needs_list = named(QCheckBox(), "member_on_needs_list")
        self.errors = {k: ErrorLabel(f"member_{k}_error") for k in (*TEXT_FIELDS, "role")}
        self.general_error = ErrorLabel("member_error")
        form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for key in ("name", "id_number", "phone"):
            self.labels[key] = field_row(form, self.edits[key], self.errors[key])
        self.labels["role"] = field_row(form, self.role, self.errors["role"])
        for key in ("address", "emergency_contact", "notes"):
            self.labels[key] = field_row(form, self.edits[key], self.errors[key])
        form.addRow("", self.lives_alone)
        form.addRow("", self.needs_list)
        self.buttons = form_dialog_frame(
            self, form, self.general_error, "member_buttons", self.submit, save=True
        )
        if detail is not None:
            self._fill(detail)
        self.retranslate()
        self.edits["name"].setFocus()

    def _fill(self, detail: MemberDetail) -> None:
        s = detail.summary
        values = {
            "name": s.name,
            "id_number": s.id_number,
            "phone": s.phone,
            "address": detail.address,
            "emergency_contact": detail.emergency_contact,
            "notes": detail.notes,
        }
        for key, value in values.items():
            self.edits[key].setText(value)
        self.role.setCurrentIndex(max(self.role.findData(s.role), 0))
        self.lives_alone.setChecked(detail.lives_alone)
        self.needs_list.setChecked(detail.on_needs_list)

    def retranslate(self) -> None:
        self.setWindowTitle(
            _("Edit member {number}").format(number=self.detail.summary.member_no)
            if self.detail
            else _("New member")
        )
        texts = {
            "name": _("Name:"),
            "id_number": _("Resident ID number:"),
            "phone": _("Phone:"),
            "role": _("Role:"),
            "address": _("Address:"),
            "emergency_contact": _("Emergency contact:"),
            "notes": _("Notes:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            accessible(self.role if key == "role" else self.edits[key], text)
        for i, role in enumerate(ROLE_LABELS.values()):
            self.role.setItemText(i, _(role))
        self.lives_alone.setText(_("Lives alone"))
        self.needs_list.setText(_("On the needs list (may withdraw before the age)"))
        accessible(self.lives_alone, self.lives_alone.text())
        accessible(self.needs_list, self.needs_list.text())

    def value(self) -> MemberInput:
        e = self.edits
        base: dict[str, Any] = dict(
            name=e["name"].text(),
            id_number=e["id_number"].text().strip(),
            phone=e["phone"].text().strip(),
            role=self.role.currentData(),
            address=e["address"].text(),
            emergency_contact=e["emergency_contact"].text(),
            lives_alone=self.lives_alone.isChecked(),
            on_needs_list=self.needs_list.isChecked(),
            notes=e["notes"].text(),
        )
        if self.detail is not None:
            d = self.detail
            return MemberInput(
                **base,
                disability_level=d.disability_level,
                skills=d.skills,
                availability=d.availability,
                consent_date=d.consent_date,
                joined_on=d.joined_on,
            )
        return MemberInput(**base)

    def submit(self) -> None:
        data, members = self.value(), self.backend.members
        number = self.detail.summary.member_no if self.detail else None
        work = (lambda: members.edit(number, data)) if number else (lambda: members.add(data))
        self.buttons.setEnabled(False)
        self.runner.run(work, self._saved, self._refused)

    def _saved(self, summary: MemberSummary) -> None:
        self.buttons.setEnabled(True)
        self.saved.emit(summary)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_refusal(exc, self.errors, self.general_error, {**self.edits, "role": self.role})


class RelationDialog(QDialog):
    """``relative`` is the member's spouse, parent, child, …; emits ``saved``."""

    saved = Signal()

    def __init__(
        self, backend: Backend, runner: TaskRunner, member_no: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("relation_dialog")
        self.setMinimumWidth(440)
        self.backend, self.runner, self.member_no = backend, runner, member_no
        self.relative = named(QLineEdit(), "relation_relative")
        self.relation = named(QComboBox(), "relation_kind")
        for relation in RELATIONS:
            self.relation.addItem("", relation)
        self.error = ErrorLabel("relation_error")
        form = QFormLayout()
        self.relative_label, self.relation_label = QLabel(), QLabel()
        form.addRow(self.relative_label, self.relative)
        form.addRow(self.relation_label, self.relation)
        self.buttons = form_dialog_frame(
            self, form, self.error, "relation_buttons", self.submit, save=True
        )
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Relative of {number}").format(number=self.member_no))
        self.relative_label.setText(_("Relative (member number):"))
        self.relation_label.setText(_("The relative is the member's:"))
        accessible(self.relative, _("Relative (member number)"))
        accessible(self.relation, _("Relation"))
        for i, relation in enumerate(RELATIONS):
            self.relation.setItemText(i, _(RELATION_LABELS[relation]))

    def submit(self) -> None:
        relative, relation = self.relative.text().strip(), self.relation.currentData()
        members, number = self.backend.members, self.member_no
        self.runner.run(
            lambda: members.add_relation(number, relative, relation),
            self._saved,
            self._refused,
        )

    def _saved(self, _result: object) -> None:
        self.saved.emit()
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.error.show_message(exc.message)
        self.relative.setFocus()
