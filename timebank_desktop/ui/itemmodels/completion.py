"""Members offered in the completion list of the volunteer and recipient fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from timebank_desktop.services.member_search import MemberSummary

Index = QModelIndex | QPersistentModelIndex


class MemberCompletionModel(QAbstractListModel):
    """Display: number, name, ID tail; edit role (what the field receives): the number."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberSummary] = []

    def set_rows(self, rows: list[MemberSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[MemberSummary]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        member = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{member.member_no}  {member.name}  …{member.id_number[-4:]}"
        if role == Qt.ItemDataRole.EditRole:
            return member.member_no
        if role == Qt.ItemDataRole.UserRole:
            return member.id
        return None
