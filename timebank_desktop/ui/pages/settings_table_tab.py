"""What the staff and goods tabs of Settings share: a table of what there is over a form that
adds one more (line edits with their reasons beside them), cleared after a save; a refusal lands
beside the field at fault."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QTableView, QWidget

from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.form_errors import clear_problems, field_row, show_refusal
from timebank_desktop.ui.itemmodels.base import RowsModel
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, named

M = TypeVar("M", bound=RowsModel[Any])


class TableFormTab(QWidget, Generic[M]):
    """Object names: ``settings_{prefix}`` (the tab), ``{prefix}_table``, ``{prefix}_{field}``,
    ``{prefix}_{field}_error`` and ``{prefix}_error`` (reasons that belong to no field)."""

    def __init__(
        self,
        prefix: str,
        model_type: Callable[[QWidget], M],
        fields: Sequence[str],
        backend: Backend,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"settings_{prefix}")
        self.prefix, self.backend, self.runner = prefix, backend, runner
        self.model = model_type(self)
        self.table = named(QTableView(), f"{prefix}_table")
        self.table.setModel(self.model)
        configure_table(self.table)
        self.edits = {k: named(QLineEdit(), f"{prefix}_{k}") for k in fields}
        self.errors: dict[str, ErrorLabel] = {}
        self.general_error = ErrorLabel(f"{prefix}_error")
        self.labels: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self._focus: dict[str, QWidget] = {}
        for key, edit in self.edits.items():
            self.add_field(key, edit)

    def add_field(self, key: str, widget: QWidget) -> None:
        """A form row for ``widget`` with its reason under it (a refusal about ``key``)."""
        self.errors[key] = ErrorLabel(f"{self.prefix}_{key}_error")
        self.labels[key] = field_row(self.form, widget, self.errors[key])
        self._focus[key] = widget

    def form_panel(self) -> QWidget:
        """The form, not wider than a form needs to be."""
        panel = QWidget()
        panel.setLayout(self.form)
        panel.setMaximumWidth(640)
        return panel

    def clear_form(self) -> None:
        for edit in self.edits.values():
            edit.clear()
        clear_problems(self.errors, self.general_error)

    def _refused(self, exc: BaseException) -> None:
        show_refusal(exc, self.errors, self.general_error, self._focus)
