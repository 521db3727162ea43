"""The members table: SQL-side search and paging, ID numbers masked unless the role may see."""

from __future__ import annotations

from typing import Any

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.i18n import N_, _
from timebank_desktop.services.member_search import MemberSummary
from timebank_desktop.services.members import MemberService
from timebank_desktop.ui.itemmodels.base import Column, PagedModel
from timebank_desktop.ui.tasks import TaskRunner

ROLE_LABELS = {"volunteer": N_("volunteer"), "recipient": N_("recipient"), "both": N_("both")}
GENDER_LABELS = {"M": N_("male"), "F": N_("female")}


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else phone


def member_columns(show_identity: bool) -> list[Column[MemberSummary]]:
    return [
        Column(lambda: _("Number"), lambda m: m.member_no),
        Column(lambda: _("Name"), lambda m: m.name),
        Column(lambda: _("Gender"), lambda m: _(GENDER_LABELS.get(m.gender, m.gender))),
        Column(lambda: _("Born"), lambda m: m.birth_date.isoformat()),
        Column(
            lambda: _("ID number"),
            (lambda m: m.id_number) if show_identity else (lambda m: m.id_masked),
        ),
        Column(
            lambda: _("Phone"),
            (lambda m: m.phone) if show_identity else (lambda m: mask_phone(m.phone)),
        ),
        Column(lambda: _("Role"), lambda m: _(ROLE_LABELS[m.role])),
        Column(
            lambda: _("Balance (h)"),
            lambda m: format_hours(m.balance_minutes),
            align_right=True,
            sort_key=lambda m: m.balance_minutes,
        ),
    ]


class MemberTableModel(PagedModel[MemberSummary]):
    NUMBER, NAME, GENDER, BORN, ID_NUMBER, PHONE, ROLE, BALANCE = range(8)

    def __init__(
        self,
        members: MemberService,
        runner: TaskRunner,
        show_identity: bool,
        page_size: int = 100,
        parent: Any = None,
    ) -> None:
        super().__init__(member_columns(show_identity), runner, page_size, parent)
        self.members = members
        self.query = ""

    def set_query(self, text: str) -> None:
        self.query = text.strip()
        self.reload()

    def fetch(self, offset: int, limit: int) -> list[MemberSummary]:
        return self.members.search(self.query, limit=limit, offset=offset)
