"""One member in detail: identity (masked unless the role may see it), relatives, passbook."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QTableView, QVBoxLayout, QWidget

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.i18n import _
from timebank_desktop.services.accounts import Movement
from timebank_desktop.services.members import MemberDetail
from timebank_desktop.ui.dialogs.member import RELATION_LABELS
from timebank_desktop.ui.itemmodels.members import GENDER_LABELS, ROLE_LABELS, mask_phone
from timebank_desktop.ui.itemmodels.small import HistoryModel
from timebank_desktop.ui.widgets import accessible, named

FIELDS = (
    "number",
    "name",
    "gender",
    "born",
    "id_number",
    "phone",
    "role",
    "address",
    "relatives",
    "balance",
)


class MemberDetailPanel(QWidget):
    def __init__(self, show_identity: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("member_detail")
        self.show_identity = show_identity
        self.detail: MemberDetail | None = None
        self.values = {k: named(QLabel(), f"member_detail_{k}") for k in FIELDS}
        self.labels = {k: QLabel() for k in FIELDS}
        self.values["balance"].setStyleSheet("font-size: 16pt; font-weight: bold;")
        for value in self.values.values():
            value.setWordWrap(True)
        form = QFormLayout()
        for key in FIELDS:
            form.addRow(self.labels[key], self.values[key])
        self.history = HistoryModel(self)
        self.history_view = named(QTableView(), "member_detail_history")
        self.history_view.setModel(self.history)
        self.history_view.verticalHeader().hide()
        self.history_view.horizontalHeader().setStretchLastSection(True)
        self.history_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history_view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "number": _("Member number:"),
            "name": _("Name:"),
            "gender": _("Gender:"),
            "born": _("Born:"),
            "id_number": _("ID number:"),
            "phone": _("Phone:"),
            "role": _("Role:"),
            "address": _("Address:"),
            "relatives": _("Relatives:"),
            "balance": _("Balance:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            accessible(self.values[key], text)
        self.history_label.setText(_("Passbook (running balance)"))
        accessible(self.history_view, _("Passbook"))
        self.history.retranslate()
        if self.detail is not None:
            self.show_member(self.detail, self.history.rows())

    def clear(self) -> None:
        self.detail = None
        for value in self.values.values():
            value.clear()
        self.history.set_rows([])

    def show_member(self, detail: MemberDetail, movements: list[Movement]) -> None:
        self.detail = detail
        s = detail.summary
        relatives = "、".join(
            f"{r.name}（{_(RELATION_LABELS.get(r.relation, r.relation))}，{r.member_no}）"
            for r in detail.relatives
        )
        shown = {
            "number": s.member_no,
            "name": s.name,
            "gender": _(GENDER_LABELS.get(s.gender, s.gender)),
            "born": s.birth_date.isoformat(),
            "id_number": s.id_number if self.show_identity else s.id_masked,
            "phone": s.phone if self.show_identity else mask_phone(s.phone),
            "role": _(ROLE_LABELS[s.role]),
            "address": detail.address,
            "relatives": relatives or _("none recorded"),
            "balance": _("{hours} h").format(hours=format_hours(s.balance_minutes)),
        }
        for key, text in shown.items():
            self.values[key].setText(text)
        self.history.set_rows(movements)
        if movements:
            self.history_view.scrollToBottom()
