"""One member in detail: identity (masked unless the role may see it), relatives, passbook."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.accounts import Movement
from timebank_desktop.services.members import MemberDetail
from timebank_desktop.services.volunteers import CertificateView, PolicyView
from timebank_desktop.ui.dialogs.member import RELATION_LABELS
from timebank_desktop.ui.dialogs.print_preview import DocumentPreview
from timebank_desktop.ui.dialogs.volunteer import VolunteerRecordDialog
from timebank_desktop.ui.itemmodels.members import GENDER_LABELS, ROLE_LABELS, mask_phone
from timebank_desktop.ui.itemmodels.small import HistoryModel
from timebank_desktop.ui.pages.base import Page
from timebank_desktop.ui.pages.member_volunteer import VolunteerSection
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.widgets import accessible, fit_columns, named

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
        configure_table(self.history_view)
        for hidden in (HistoryModel.SEQ, HistoryModel.NOTE):  # a narrow panel: the essentials
            self.history_view.setColumnHidden(hidden, True)
        self.history_label = QLabel()
        self.paper: DocumentPreview | None = None
        self.paper_buttons = {
            key: named(QPushButton(), f"member_detail_{key}")
            for key in ("statement", "certificate", "honour")
        }
        paper_row = QHBoxLayout()
        for key, button in self.paper_buttons.items():
            button.setEnabled(False)
            button.clicked.connect(lambda _checked=False, k=key: self.print_document(k))
            paper_row.addWidget(button)
        paper_row.addStretch(1)
        self.volunteer = VolunteerSection()
        self.volunteer.add_requested.connect(self.add_volunteer_record)
        self.volunteer.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(paper_row)
        layout.addWidget(self.volunteer)
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
        self.history_label.setText(_("Passbook in hours (running balance)"))
        self.paper_buttons["statement"].setText(_("Statement…"))
        self.paper_buttons["certificate"].setText(_("Service certificate…"))
        self.paper_buttons["honour"].setText(_("Honour certificate…"))
        tips = {
            "statement": _("Print the member's passbook statement"),
            "certificate": _("Issue and print a numbered volunteer service certificate"),
            "honour": _("Issue the honour certificate of the star level reached"),
        }
        for key, button in self.paper_buttons.items():
            button.setToolTip(tips[key])
            accessible(button, tips[key])
        accessible(self.history_view, _("Passbook"))
        self.history.retranslate()
        fit_columns(self.history_view, (0, 80, 60, 96, 0, 48, 48))
        self.volunteer.retranslate()
        if self.detail is not None:
            self.show_member(self.detail, self.history.rows())

    def clear(self) -> None:
        self.detail = None
        for button in self.paper_buttons.values():
            button.setEnabled(False)
        for value in self.values.values():
            value.clear()
        self.history.set_rows([])
        self.volunteer.clear()
        self.volunteer.hide()

    def show_member(self, detail: MemberDetail, movements: list[Movement]) -> None:
        self.detail = detail
        s = detail.summary
        relatives = _("; ").join(
            _("{name} ({relation}, {number})").format(
                name=r.name,
                relation=_(RELATION_LABELS.get(r.relation, r.relation)),
                number=r.member_no,
            )
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
        self._enable_paper(s.is_volunteer)
        self.history.set_rows(movements)
        if movements:
            self.history_view.scrollToBottom()
        self.volunteer.setVisible(s.is_volunteer)
        if s.is_volunteer:
            self.load_volunteer()

    # ------------------------------------------------------------ certificates, insurance
    def load_volunteer(self) -> None:
        """Fetch the shown volunteer's certificates and policies into the section."""
        page = self._page()
        if self.detail is None or page is None:
            return
        volunteers, member_no = page.backend.volunteers, self.detail.summary.member_no
        today = page.backend.ctx.today()
        self.volunteer.set_editable(page.backend.may(Permission.EDIT_MEMBERS))

        def work() -> tuple[list[CertificateView], list[PolicyView]]:
            return volunteers.certificates(member_no), volunteers.policies(member_no)

        def shown(found: tuple[list[CertificateView], list[PolicyView]]) -> None:
            if self.detail is not None and self.detail.summary.member_no == member_no:
                self.volunteer.show_entries(*found, today)

        page.runner.run(work, shown, page.report_error)

    def add_volunteer_record(self, kind: str) -> None:
        """Open the certificate or insurance dialog for the shown volunteer."""
        page = self._page()
        if self.detail is None or page is None:
            return
        dialog = VolunteerRecordDialog(
            kind, page.backend, page.runner, self.detail.summary.member_no, self
        )
        dialog.saved.connect(lambda _kind: self.load_volunteer())
        page.prompts.show_dialog(dialog)

    # ------------------------------------------------------------ paper
    def _page(self) -> Page | None:
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, Page):
            widget = widget.parentWidget()
        return widget

    def _enable_paper(self, volunteer: bool) -> None:
        page = self._page()
        may = page.backend.may if page is not None else (lambda _p: False)
        self.paper_buttons["statement"].setEnabled(may(Permission.EXPORT))
        for key in ("certificate", "honour"):
            self.paper_buttons[key].setEnabled(volunteer and may(Permission.RECORD_SERVICES))

    def print_document(self, kind: str) -> None:
        """Preview the member's statement, service certificate or honour certificate."""
        page = self._page()
        if self.detail is None or page is None:
            return
        if self.paper is None:
            self.paper = DocumentPreview(
                page.backend, page.runner, page.prompts, page.deps.settings, self
            )
        summary = self.detail.summary
        member_no = summary.member_no
        if kind != "statement" and not page.prompts.confirm(
            self,
            _("Issue a certificate"),
            _(
                "Issue a numbered certificate for {name} ({member_no})? Its number is recorded "
                "in the certificate register."
            ).format(name=summary.name, member_no=member_no),
        ):
            return
        {
            "statement": self.paper.statement,
            "certificate": self.paper.certificate,
            "honour": self.paper.honour,
        }[kind](member_no)
