"""Slip numbers (凭条编号): a serial with a Damm check digit.

The Damm algorithm catches every single-digit error and every adjacent transposition, the two
mistakes people make typing numbers off paper. Slip numbers are all digits so a barcode scanner
or a numeric keypad enters them.
"""

from __future__ import annotations

import unicodedata

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

SERIAL_DIGITS = 7


def damm_digit(digits: str) -> str:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def make(serial: int) -> str:
    """The slip number for a serial: ``make(42)`` → ``"00000427"``."""
    body = f"{serial:0{SERIAL_DIGITS}d}"
    return body + damm_digit(body)


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_valid(text: str) -> bool:
    value = normalise(text)
    return len(value) >= 2 and value.isdigit() and damm_digit(value) == "0"


def serial_of(text: str) -> int:
    return int(normalise(text)[:-1])
