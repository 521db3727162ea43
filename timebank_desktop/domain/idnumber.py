"""Resident ID numbers (居民身份证号) per GB 11643-1999.

18 characters: a 6-digit region code, the birth date ``YYYYMMDD``, a 3-digit sequence whose last
digit is odd for men and even for women, and an ISO 7064 MOD 11-2 check character (0-9 or X).
Old 15-digit numbers (``YYMMDD`` birth date, no check) are converted by inserting ``19`` and
computing the check character.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from timebank_desktop.domain.errors import Problem, ValidationError
from timebank_desktop.i18n import _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A valid, normalised 18-character resident ID number."""

    value: str

    @property
    def birth_date(self) -> date:
        return date(int(self.value[6:10]), int(self.value[10:12]), int(self.value[12:14]))

    @property
    def gender(self) -> str:
        """``"M"`` or ``"F"`` from the parity of the 17th digit."""
        return "M" if int(self.value[16]) % 2 else "F"

    @property
    def region(self) -> str:
        return self.value[:6]

    def masked(self) -> str:
        """``110105********002X``: region and check part only, for screens and certificates."""
        return self.value[:6] + "*" * 8 + self.value[14:]

    def __str__(self) -> str:
        return self.value


def check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(text: str) -> str:
    """Full-width digits to ASCII, spaces removed, lower-case x upper-cased."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(folded.split()).upper()


def _birth_date(digits: str) -> date | None:
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def problems(text: str, today: date, field: str = "id_number") -> list[Problem]:
    """Everything wrong with ``text`` as an ID number (empty when it is valid)."""
    value = normalise(text)

    def problem(code: str, message: str) -> list[Problem]:
        return [Problem(code, message, field)]

    if not value:
        return problem("id.empty", _("The resident ID number is required"))
    if len(value) == 15:
        if not value.isdigit():
            return problem("id.chars", _("A 15-digit ID number must be all digits"))
        if _birth_date("19" + value[6:12]) is None:
            return problem(
                "id.birth_date",
                _(
                    "This 15-digit old-style ID number holds no real birth date "
                    "(is it an 18-character number cut short?)"
                ),
            )
        return []
    if len(value) != 18:
        return problem(
            "id.length",
            _("The resident ID number must have 18 characters (this one has {n})").format(
                n=len(value)
            ),
        )
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return problem("id.chars", _("The ID number must be 17 digits followed by a digit or X"))
    if value[0] == "0":
        return problem("id.region", _("The ID number does not start with a valid region code"))
    born = _birth_date(value[6:14])
    if born is None:
        return problem("id.birth_date", _("The ID number does not hold a real birth date"))
    if born > today:
        return problem("id.birth_future", _("The birth date in the ID number is in the future"))
    if born.year < 1880:
        return problem("id.birth_date", _("The ID number does not hold a real birth date"))
    if check_char(value[:17]) != value[17]:
        return problem(
            "id.check_digit",
            _("The ID number's check digit is wrong (expected {c})").format(
                c=check_char(value[:17])
            ),
        )
    return []


def convert_15(value: str) -> str:
    """An old 15-digit number as its 18-character form."""
    first17 = value[:6] + "19" + value[6:]
    return first17 + check_char(first17)


def parse(text: str, today: date, field: str = "id_number") -> IdNumber:
    """A valid `IdNumber` from user text, or a `ValidationError` naming the rule broken."""
    found = problems(text, today, field)
    if found:
        raise ValidationError.of(found)
    value = normalise(text)
    if len(value) == 15:
        value = convert_15(value)
        if date(int(value[6:10]), int(value[10:12]), int(value[12:14])) > today:
            raise ValidationError.single(
                "id.birth_future", _("The birth date in the ID number is in the future"), field
            )
    return IdNumber(value)


def looks_like_id_number(text: str) -> bool:
    """Whether ``text`` has the shape of an ID number (to tell it from a member number)."""
    value = normalise(text)
    return len(value) in (15, 18) and value[:15].isdigit()


def make(region: str, born: date, sequence: int) -> IdNumber:
    """Build a valid ID number (demo data, tests)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return IdNumber(first17 + check_char(first17))


def age_on(born: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
