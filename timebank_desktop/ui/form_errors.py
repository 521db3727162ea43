"""A form's field errors in one place: the row that holds a field and its reason, the refusal
that lands beside the field at fault (which then takes the focus), clearing them again, and the
frame of a form dialog (form, general reason, OK/Cancel)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
from timebank_desktop.ui.widgets import ErrorLabel, named, show_problems


def field_row(form: QFormLayout, widget: QWidget, error: ErrorLabel) -> QLabel:
    """Add ``widget`` with its error label under it; return the (buddied) label to translate."""
    box = QVBoxLayout()
    box.setSpacing(0)
    box.addWidget(widget)
    box.addWidget(error)
    label = QLabel()
    label.setBuddy(widget)
    form.addRow(label, box)
    return label


def clear_problems(errors: Mapping[str, ErrorLabel], general: ErrorLabel) -> None:
    """Hide every field's reason and the general one."""
    for error in errors.values():
        error.clear_message()
    general.clear_message()


def focus_field(widget: QWidget) -> None:
    """Put the cursor in the field at fault, its text selected so typing replaces it."""
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        widget.selectAll()


def show_refusal(
    exc: BaseException,
    errors: Mapping[str, ErrorLabel],
    general: ErrorLabel,
    widgets: Mapping[str, QWidget],
) -> str | None:
    """Show a refusal beside its fields and focus the first one at fault (re-raise non-refusals).

    ``widgets`` maps a problem's field name to the widget that takes the focus; a field without
    a widget there keeps its message but moves no focus. Returns the first field at fault.
    """
    if not isinstance(exc, TimebankError):
        raise exc
    first = show_problems(exc, dict(errors), general)
    if first is not None and first in widgets:
        focus_field(widgets[first])
    return first


def form_dialog_frame(
    dialog: QDialog,
    form: QFormLayout,
    general: ErrorLabel,
    name: str,
    submit: Callable[[], None],
    save: bool = False,
) -> QDialogButtonBox:
    """Lay out a form dialog: the form, the reason that belongs to no field, then OK (or Save)
    and Cancel; OK submits, Cancel (Esc) closes. Returns the buttons (object name ``name``)."""
    ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = named(QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel), name)
    buttons.accepted.connect(submit)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(general)
    layout.addWidget(buttons)
    return buttons
