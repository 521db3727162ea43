"""Checks shared by the care services (volunteers, requests, disputes, goods): trimmed text."""

from __future__ import annotations

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.i18n import _


def text_field(value: str, limit: int, field: str, label: str, required: bool = True) -> str:
    """``value`` trimmed; refused when required and empty, or longer than its column holds.

    ``label`` is the already translated name of the field, used in the message.
    """
    text = value.strip()
    if required and not text:
        raise ValidationError.single(
            f"{field}.required", _("{label} is required").format(label=label), field
        )
    if len(text) > limit:
        raise ValidationError.single(
            f"{field}.long",
            _("{label} is too long (at most {n} characters)").format(label=label, n=limit),
            field,
        )
    return text
