"""Mainland China mobile numbers (11 digits starting 13-19), optionally with +86."""

from __future__ import annotations

import re
import unicodedata

from timebank_desktop.domain.errors import Problem
from timebank_desktop.i18n import _

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    digits = re.sub(r"[\s()-]", "", folded)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def problems(text: str, field: str = "phone") -> list[Problem]:
    """Empty is allowed (not every elder has a phone); otherwise a mobile or a landline."""
    value = normalise(text)
    if not value:
        return []
    if _MOBILE.fullmatch(value) or _LANDLINE.fullmatch(text.strip()):
        return []
    return [
        Problem(
            "phone.invalid",
            _("The phone number must be an 11-digit mobile number starting with 1"),
            field,
        )
    ]


def masked(value: str) -> str:
    """``138****5678``."""
    return value[:3] + "****" + value[-4:] if len(value) == 11 else value
