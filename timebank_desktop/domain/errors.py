"""Expected failures, as distinct from bugs.

Every refusal the user can cause (bad input, a business rule, a rejected file) is a
`TimebankError`; the CLI turns it into one line on stderr and exit 1, the GUI shows it next to
the field named by its problems. Anything else escaping a service is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: a stable code, a translated message, the field or row."""

    code: str
    message: str
    field: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        if self.row is not None:
            where = f"row {self.row}: {where}"
        return f"{where}{self.message}"


class TimebankError(Exception):
    """Base of every expected failure; its message is already translated."""

    exit_code = 1

    def __init__(self, message: str, problems: Iterable[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems: tuple[Problem, ...] = tuple(problems)

    @property
    def field(self) -> str | None:
        """The first field at fault, for the GUI's focus."""
        for problem in self.problems:
            if problem.field:
                return problem.field
        return None


class ValidationError(TimebankError):
    """Input that breaks a rule; carries one problem per fault."""

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> ValidationError:
        found = tuple(problems)
        return cls("; ".join(p.message for p in found), found)

    @classmethod
    def single(cls, code: str, message: str, field: str | None = None) -> ValidationError:
        return cls(message, (Problem(code, message, field),))


class NotFound(TimebankError):
    """A member, record, slip or file that does not exist."""


class Refused(TimebankError):
    """A business rule forbids the operation (insufficient balance, not a relative, …)."""


class PermissionDenied(TimebankError):
    """The signed-in staff user's role may not do this."""


class FileRejected(TimebankError):
    """A file (backup, register, sync file) that cannot be used; nothing was written."""


class StorageError(TimebankError):
    """The database cannot be used right now (locked, full, read-only, not ours)."""


class IntegrityDamage(TimebankError):
    """`verify` found the ledger damaged."""

    exit_code = 3


def raise_if_problems(problems: list[Problem]) -> None:
    """Turn a non-empty problem list into one `ValidationError`."""
    if problems:
        raise ValidationError.of(problems)
