"""需求登记 tables: the open service requests, and the volunteers ranked for one of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from timebank_desktop.domain.categories import CategoryInfo
from timebank_desktop.i18n import _, current_language
from timebank_desktop.services.request_match import Candidate
from timebank_desktop.services.service_requests import RequestView
from timebank_desktop.ui.itemmodels.base import Column, RowsModel

SHORT_ID = 8  # the service accepts the first 8 characters of a request's id


@dataclass(frozen=True, slots=True)
class RequestRow:
    """An open request as the page lists it: its category named, its age in days."""

    view: RequestView
    category: CategoryInfo | None
    age_days: int

    @property
    def number(self) -> str:
        return self.view.id[:SHORT_ID]


def category_text(row: RequestRow) -> str:
    return row.category.name(current_language()) if row.category else row.view.category


def _age(row: RequestRow) -> str:
    return _("today") if row.age_days <= 0 else _("{n} d").format(n=row.age_days)


class RequestModel(RowsModel[RequestRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("Number"), lambda r: r.number),
                Column(
                    lambda: _("Recipient"),
                    lambda r: f"{r.view.recipient_name} ({r.view.recipient_no})",
                ),
                Column(lambda: _("Category"), category_text),
                Column(lambda: _("Wanted"), lambda r: r.view.when_text),
                Column(lambda: _("Waiting"), _age, True, lambda r: r.age_days),
                Column(lambda: _("Notes"), lambda r: r.view.notes),
            ],
            parent,
        )


def joined(reasons: tuple[str, ...]) -> str:
    return ("；" if current_language().startswith("zh") else "; ").join(reasons)


@dataclass(frozen=True, slots=True)
class RankedCandidate:
    rank: int
    candidate: Candidate


class CandidateModel(RowsModel[RankedCandidate]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("Rank"), lambda r: str(r.rank), True, lambda r: r.rank),
                Column(lambda: _("Member no."), lambda r: r.candidate.member_no),
                Column(lambda: _("Name"), lambda r: r.candidate.name),
                Column(lambda: _("Score"), lambda r: str(r.candidate.score), True),
                Column(lambda: _("Reasons"), lambda r: joined(r.candidate.reasons)),
            ],
            parent,
        )
