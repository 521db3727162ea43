"""Time amounts: integer minutes in storage and arithmetic, hours for people."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NewType

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.i18n import _

Minutes = NewType("Minutes", int)

MINUTES_PER_HOUR = 60


def minutes(value: int) -> Minutes:
    return Minutes(int(value))


def hours_to_minutes(text: str | int | float | Decimal, field: str = "hours") -> Minutes:
    """Parse hours such as ``"1.5"`` into whole minutes; refuse what is not a whole minute."""
    try:
        amount = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError.single(
            "hours.invalid", _("Hours must be a number such as 1.5"), field
        ) from None
    if not amount.is_finite():
        raise ValidationError.single(
            "hours.invalid", _("Hours must be a number such as 1.5"), field
        )
    total = amount * MINUTES_PER_HOUR
    if total != total.to_integral_value():
        raise ValidationError.single(
            "hours.fraction", _("Hours must come to whole minutes"), field
        )
    return Minutes(int(total))


def positive_hours(text: str | int | float | Decimal, field: str = "hours") -> Minutes:
    """Hours that must be above zero (transfers, grants, redemptions)."""
    amount = hours_to_minutes(text, field)
    if amount <= 0:
        raise ValidationError.single(
            "hours.not_positive", _("Hours must be more than zero"), field
        )
    return amount


def to_hours(amount: int) -> Decimal:
    """Minutes as a decimal number of hours with two places (for reports and JSON-free text)."""
    return (Decimal(amount) / MINUTES_PER_HOUR).quantize(Decimal("0.01"), ROUND_HALF_UP)


def format_hours(amount: int) -> str:
    """Minutes for people: ``90`` → ``"1.5"``, ``-45`` → ``"-0.75"``, ``120`` → ``"2"``."""
    text = format(to_hours(amount), "f").rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def format_hours_unit(amount: int) -> str:
    """``"1.5 小时"`` / ``"1.5 h"`` in the current language."""
    return _("{hours} h").format(hours=format_hours(amount))
