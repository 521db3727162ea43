"""The scheme's rules (DESIGN §5a): every one a setting with a default, versioned by date."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from timebank_desktop.domain.categories import WEIGHT_ONE
from timebank_desktop.domain.errors import Problem, ValidationError
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.i18n import N_, _

ROUNDING_UNITS = (1, 5, 10, 15, 30, 60)
RELATIONS_DIRECT = ("spouse", "parent", "child", "grandparent", "grandchild")
FUNDING_SOURCES = ("government", "charity", "enterprise", "community")
MAX_LATE_ENTRY_DAYS = 3660  # ten years: the limit is there to catch a mistyped year

FUNDING_LABELS = {
    "government": N_("government"),
    "charity": N_("charity"),
    "enterprise": N_("enterprise"),
    "community": N_("community"),
}


@dataclass(frozen=True, slots=True)
class Policy:
    """One version of the rules, in force from ``effective_from``."""

    effective_from: date = date(2000, 1, 1)
    withdrawal_age: int = 60
    hardship_exception: bool = True
    storage_cap_minutes: int = 1500 * 60
    daily_cap_minutes: int = 8 * 60
    max_service_minutes: int = 8 * 60
    weighted: bool = False
    rounding_unit: int = 1
    require_signed_slip: bool = True
    unsigned_slip_days: int = 30
    overdraft_minutes: int = 0
    transfers_relatives_only: bool = True
    transfer_relations: tuple[str, ...] = RELATIONS_DIRECT
    funding_sources: tuple[str, ...] = FUNDING_SOURCES
    min_volunteer_age: int = 16
    away_allowance_minutes: int = 10 * 60
    late_entry_days: int = 90
    max_grant_minutes: int = 100 * 60
    extra: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------ credit
    def credited(self, duration: int, weight_permille: int) -> int:
        """Credited minutes: duration × weight (when weighted), rounded down to the unit."""
        weight = weight_permille if self.weighted else WEIGHT_ONE
        raw = duration * weight // WEIGHT_ONE
        return raw - raw % self.rounding_unit

    def effective_weight(self, weight_permille: int) -> int:
        return weight_permille if self.weighted else WEIGHT_ONE

    def may_withdraw(self, age: int, on_needs_list: bool) -> bool:
        return age >= self.withdrawal_age or (self.hardship_exception and on_needs_list)

    def earliest_entry(self, today: date) -> date:
        """The oldest service date that may still be entered today (``late_entry_days``)."""
        return today - timedelta(days=self.late_entry_days)

    def late_entry_problem(self, day: date, today: date, field: str = "date") -> Problem | None:
        """Why a service dated ``day`` may not be entered today, or None when it may."""
        if day >= self.earliest_entry(today):
            return None
        return Problem(
            "service.too_old",
            _(
                "The service date {date} is more than {days} days ago, the policy's limit for "
                "late entries; an administrator can change the limit in Settings → Policy"
            ).format(date=day.isoformat(), days=self.late_entry_days),
            field,
        )

    def grant_problem(self, amount: int, field: str = "hours") -> Problem | None:
        """Why a single grant of ``amount`` minutes is refused, or None when it is allowed."""
        if amount <= self.max_grant_minutes:
            return None
        return Problem(
            "grant.too_large",
            _(
                "A single grant may be at most {hours} h (policy); an administrator can change "
                "the limit in Settings → Policy"
            ).format(hours=format_hours(self.max_grant_minutes)),
            field,
        )

    # ------------------------------------------------------------ storage
    def to_json(self) -> str:
        data = asdict(self)
        data["effective_from"] = self.effective_from.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Policy:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["effective_from"] = date.fromisoformat(values["effective_from"])
        for key in ("transfer_relations", "funding_sources"):
            if key in values:
                values[key] = tuple(values[key])
        policy = cls(**values)
        policy.check()
        return policy

    def with_changes(self, **changes: Any) -> Policy:
        policy = replace(self, **changes)
        policy.check()
        return policy

    def problems(self) -> list[Problem]:
        found: list[Problem] = []

        def bad(name: str, message: str) -> None:
            found.append(Problem(f"policy.{name}", message, name))

        if self.withdrawal_age not in range(40, 101):
            bad("withdrawal_age", _("The withdrawal age must be between 40 and 100"))
        if self.rounding_unit not in ROUNDING_UNITS:
            bad("rounding_unit", _("The rounding unit must be 1, 5, 10, 15, 30 or 60 minutes"))
        for name in (
            "storage_cap_minutes",
            "daily_cap_minutes",
            "max_service_minutes",
            "max_grant_minutes",
        ):
            if getattr(self, name) <= 0:
                bad(name, _("A cap must be more than zero"))
        if self.unsigned_slip_days < 1:
            bad("unsigned_slip_days", _("The days for unsigned slips must be at least 1"))
        if self.late_entry_days not in range(1, MAX_LATE_ENTRY_DAYS + 1):
            bad(
                "late_entry_days",
                _("Late entries must be allowed for 1 to {n} days").format(n=MAX_LATE_ENTRY_DAYS),
            )
        if self.overdraft_minutes < 0 or self.away_allowance_minutes < 0:
            bad("overdraft_minutes", _("An allowance cannot be negative"))
        unknown = set(self.transfer_relations) - set(RELATIONS_DIRECT) - {"sibling"}
        if unknown:
            bad("transfer_relations", _("Unknown relation in the transfer rule"))
        return found

    def check(self) -> None:
        found = self.problems()
        if found:
            raise ValidationError.of(found)


DEFAULT_POLICY = Policy()
