"""Calendar months as ``YYYY-MM``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.i18n import _

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, field: str = "month") -> Month:
        found = _MONTH.fullmatch(text.strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ValidationError.single(
                "month.invalid", _("The month must be written YYYY-MM"), field
            )
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def last_day(self) -> date:
        return self.next.first_day - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
