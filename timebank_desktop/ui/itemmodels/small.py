"""Small tables held whole: a member's passbook, categories, staff users."""

from __future__ import annotations

from typing import Any

from timebank_desktop.domain.categories import CategoryInfo
from timebank_desktop.domain.ledger import GOODS_ACCOUNT, POOL_ACCOUNT, TxKind
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.i18n import N_, _, current_language
from timebank_desktop.services.accounts import Movement
from timebank_desktop.services.auth import StaffView
from timebank_desktop.ui.itemmodels.base import Column, RowsModel


def _kind(kind: str) -> str:
    try:
        return TxKind(kind).label
    except ValueError:
        return kind


SYSTEM_ACCOUNTS = {POOL_ACCOUNT: N_("community pool"), GOODS_ACCOUNT: N_("goods")}


def counterparty(code: str) -> str:
    """The other side of a movement: a member number, or the pool or goods in words."""
    return _(SYSTEM_ACCOUNTS[code]) if code in SYSTEM_ACCOUNTS else code


def _signed_hours(minutes: int) -> str:
    text = format_hours(minutes)
    return f"+{text}" if minutes > 0 else text


def _note(movement: Movement) -> str:
    """The memo; a late entry (dated in a month closed before it was booked) says so."""
    if movement.booked_on == movement.value_date:
        return movement.memo
    late = _("late entry, booked on {date}").format(date=movement.booked_on.isoformat())
    return f"{movement.memo} ({late})" if movement.memo else late


class HistoryModel(RowsModel[Movement]):
    """A passbook in date order: each movement with the running balance after it."""

    SEQ, NOTE = 0, 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("No."), lambda m: str(m.seq), True, lambda m: m.seq),
                Column(lambda: _("Date"), lambda m: m.value_date.isoformat()),
                Column(lambda: _("Kind"), lambda m: _kind(m.kind)),
                Column(lambda: _("Counterparty"), lambda m: counterparty(m.counterparty)),
                Column(lambda: _("Note"), _note),
                Column(lambda: _("Change"), lambda m: _signed_hours(m.amount), True),
                Column(
                    lambda: _("Balance after"),
                    lambda m: format_hours(m.running_balance),
                    True,
                ),
            ],
            parent,
        )


class CategoryModel(RowsModel[CategoryInfo]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("Code"), lambda c: c.code),
                Column(lambda: _("Name"), lambda c: c.name(current_language())),
                Column(lambda: _("Initials"), lambda c: c.initials),
                Column(lambda: _("Weight"), lambda c: c.weight_text, True),
                Column(lambda: _("In use"), lambda c: _("yes") if c.active else _("no")),
            ],
            parent,
        )


class StaffModel(RowsModel[StaffView]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("User name"), lambda s: s.username),
                Column(lambda: _("Full name"), lambda s: s.display_name),
                Column(lambda: _("Role"), lambda s: s.role.label),
                Column(lambda: _("Active"), lambda s: _("yes") if s.active else _("no")),
            ],
            parent,
        )
