"""The policy tab of the settings page: every rule of DESIGN §5a, versioned by date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.errors import Problem, TimebankError, ValidationError
from timebank_desktop.domain.minutes import format_hours, hours_to_minutes
from timebank_desktop.domain.policy import MAX_LATE_ENTRY_DAYS, ROUNDING_UNITS, Policy
from timebank_desktop.i18n import _
from timebank_desktop.ui.form_errors import clear_problems, show_refusal
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

INTS = {
    "withdrawal_age": (40, 100),
    "unsigned_slip_days": (1, 3650),
    "min_volunteer_age": (10, 99),
    "late_entry_days": (1, MAX_LATE_ENTRY_DAYS),
}
HOURS = (
    "storage_cap_minutes",
    "daily_cap_minutes",
    "max_service_minutes",
    "overdraft_minutes",
    "away_allowance_minutes",
    "max_grant_minutes",
)
BOOLS = ("hardship_exception", "weighted", "require_signed_slip", "transfers_relatives_only")
ORDER = (
    "effective_from",
    "withdrawal_age",
    "hardship_exception",
    "storage_cap_minutes",
    "daily_cap_minutes",
    "max_service_minutes",
    "weighted",
    "rounding_unit",
    "require_signed_slip",
    "unsigned_slip_days",
    "late_entry_days",
    "overdraft_minutes",
    "max_grant_minutes",
    "transfers_relatives_only",
    "min_volunteer_age",
    "away_allowance_minutes",
)


class PolicyForm(QWidget):
    """Shows a `Policy`; ``save_requested(policy)`` with the edited version."""

    save_requested = Signal(object)

    def __init__(self, editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy: Policy | None = None
        self.widgets: dict[str, QWidget] = {}
        for key in ORDER:
            if key in INTS:
                spin = QSpinBox()
                spin.setRange(*INTS[key])
                widget: QWidget = spin
            elif key in BOOLS:
                widget = QCheckBox()
            elif key == "rounding_unit":
                combo = QComboBox()
                for unit in ROUNDING_UNITS:
                    combo.addItem(str(unit), unit)
                widget = combo
            else:
                widget = QLineEdit()
            widget.setEnabled(editable)
            self.widgets[key] = named(widget, f"policy_{key}")
        self.errors = {k: ErrorLabel(f"policy_{k}_error") for k in ORDER}
        self.general_error = ErrorLabel("policy_error")
        self.labels = {k: QLabel() for k in ORDER}
        form = QFormLayout()
        for key in ORDER:
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(self.widgets[key])
            box.addWidget(self.errors[key])
            form.addRow(self.labels[key], box)
        self.save = named(QPushButton(), "policy_save")
        self.save.setVisible(editable)
        self.save.clicked.connect(self.submit)
        inner = QWidget()
        inner.setMaximumWidth(720)  # a short form reads better than one across the screen
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(self.general_error)
        column.addWidget(self.save, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(inner)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "effective_from": _("In force from (YYYY-MM-DD):"),
            "withdrawal_age": _("Withdrawal age:"),
            "hardship_exception": _("Elders on the needs list may withdraw earlier"),
            "storage_cap_minutes": _("Storage cap per member (h):"),
            "daily_cap_minutes": _("Daily cap on credited hours (h):"),
            "max_service_minutes": _("Longest single service (h):"),
            "weighted": _("Weight hours by service category"),
            "rounding_unit": _("Rounding unit (minutes):"),
            "require_signed_slip": _("Credit only after the signed slip is back"),
            "unsigned_slip_days": _("Unsigned slips are exceptions after (days):"),
            "late_entry_days": _("Services may be entered up to (days after the service):"),
            "overdraft_minutes": _("Overdraft allowed (h):"),
            "max_grant_minutes": _("Largest single grant (h):"),
            "transfers_relatives_only": _("Transfers only to recorded spouse or direct relatives"),
            "min_volunteer_age": _("Youngest volunteer age:"),
            "away_allowance_minutes": _("Visitors' allowance at other centres (h):"),
        }
        for key, text in texts.items():
            widget = self.widgets[key]
            if isinstance(widget, QCheckBox):
                widget.setText(text)
                self.labels[key].setText("")
            else:
                self.labels[key].setText(text)
            accessible(widget, text)
        self.save.setText(_("Save the policy"))
        accessible(self.save, self.save.text())

    def show_policy(self, policy: Policy, today: date) -> None:
        self.policy = policy
        w = self.widgets
        w["effective_from"].setText(max(policy.effective_from, today).isoformat())  # type: ignore[attr-defined]
        for key in INTS:
            w[key].setValue(getattr(policy, key))  # type: ignore[attr-defined]
        for key in HOURS:
            w[key].setText(format_hours(getattr(policy, key)))  # type: ignore[attr-defined]
        for key in BOOLS:
            w[key].setChecked(getattr(policy, key))  # type: ignore[attr-defined]
        combo = w["rounding_unit"]
        combo.setCurrentIndex(max(combo.findData(policy.rounding_unit), 0))  # type: ignore[attr-defined]

    def edited(self) -> Policy:
        """The policy as edited, or a `ValidationError` naming the fields at fault."""
        assert self.policy is not None
        w = self.widgets
        problems: list[Problem] = []
        changes: dict[str, object] = {}
        try:
            changes["effective_from"] = date.fromisoformat(w["effective_from"].text().strip())  # type: ignore[attr-defined]
        except ValueError:
            problems.append(
                Problem("policy.date", _("Write the date as YYYY-MM-DD"), "effective_from")
            )
        for key in HOURS:
            try:
                changes[key] = hours_to_minutes(w[key].text(), key)  # type: ignore[attr-defined]
            except TimebankError as exc:
                problems.extend(exc.problems)
        for key in INTS:
            changes[key] = w[key].value()  # type: ignore[attr-defined]
        for key in BOOLS:
            changes[key] = w[key].isChecked()  # type: ignore[attr-defined]
        changes["rounding_unit"] = w["rounding_unit"].currentData()  # type: ignore[attr-defined]
        if problems:
            raise ValidationError.of(problems)
        return self.policy.with_changes(**changes)

    def submit(self) -> None:
        try:
            policy = self.edited()
        except TimebankError as exc:
            self.show_refusal(exc)
            return
        self.save_requested.emit(policy)

    def show_refusal(self, exc: TimebankError) -> None:
        show_refusal(exc, self.errors, self.general_error, self.widgets)

    def clear_errors(self) -> None:
        clear_problems(self.errors, self.general_error)
