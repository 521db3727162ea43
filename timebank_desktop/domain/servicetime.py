"""Parsing what staff type on the service form: dates, times, payer, satisfaction."""

from __future__ import annotations

import re
from datetime import date, time

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.i18n import N_, _

PAYERS = ("recipient", "pool")
RATINGS = ("satisfied", "neutral", "dissatisfied")
PAYER_KEYS = {"r": "recipient", "p": "pool"}
RATING_KEYS = {"1": "satisfied", "2": "neutral", "3": "dissatisfied"}
RATING_LABELS = {
    "satisfied": N_("satisfied"),
    "neutral": N_("neutral"),
    "dissatisfied": N_("dissatisfied"),
}
PAYER_LABELS = {"recipient": N_("recipient's account"), "pool": N_("community pool")}

_TIME = re.compile(r"(\d{1,2}):?(\d{2})")
_FULL_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SHORT_DATE = re.compile(r"(\d{1,2})-(\d{1,2})")


def parse_time(text: str, field: str) -> time:
    """``HHMM`` or ``HH:MM`` (24-hour)."""
    found = _TIME.fullmatch(text.strip())
    if found:
        hour, minute = int(found.group(1)), int(found.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValidationError.single("time.invalid", _("Write the time as HHMM or HH:MM"), field)


def parse_date(text: str, today: date, field: str = "date") -> date:
    """``YYYY-MM-DD``, or ``MM-DD`` meaning this year."""
    value = text.strip()
    try:
        found = _FULL_DATE.fullmatch(value)
        if found:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        found = _SHORT_DATE.fullmatch(value)
        if found:
            return date(today.year, int(found.group(1)), int(found.group(2)))
    except ValueError:
        pass
    raise ValidationError.single("date.invalid", _("Write the date as YYYY-MM-DD or MM-DD"), field)


def duration_minutes(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
