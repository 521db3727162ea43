"""What an import reports back to the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ImportResult:
    """``kind`` is ``config`` or ``statement``; ``message`` is one translated line."""

    kind: str
    message: str
    already: bool = False
    warnings: tuple[str, ...] = field(default=())
    booked: int = 0
    unmatched: int = 0

    def lines(self) -> list[str]:
        return [self.message, *self.warnings]

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "message": self.message,
            "already": self.already,
            "warnings": list(self.warnings),
            "booked": self.booked,
            "unmatched": self.unmatched,
        }
