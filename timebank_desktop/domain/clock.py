"""Injected time and identity: tests pass a fixed clock and a counting id generator."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

# Asia/Shanghai has been UTC+8 without daylight saving since 1991; a fixed offset avoids a
# tzdata dependency on Windows while giving the same local dates.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC, whole seconds."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


@dataclass
class FixedClock:
    """A clock for tests and demo generation; ``advance`` moves it on."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current = self.current + timedelta(**delta)


def local_date(instant: datetime) -> date:
    """The calendar date in China of an instant (month boundaries are local)."""
    return instant.astimezone(CHINA_TZ).date()


def local_time(stored: datetime) -> datetime:
    """A stored timestamp (naive UTC) as the time in China, for display."""
    return stored.replace(tzinfo=UTC).astimezone(CHINA_TZ)


def naive_utc(instant: datetime) -> datetime:
    """Storage form: naive UTC, whole seconds (the same on SQLite and PostgreSQL)."""
    return instant.astimezone(UTC).replace(tzinfo=None, microsecond=0)


IdFactory = Callable[[], str]


def uuid_factory() -> str:
    return str(uuid.uuid4())


@dataclass
class CountingIds:
    """Deterministic UUID-shaped ids (tests, seeded demo data)."""

    namespace: str = "timebank"
    counter: int = field(default=0)

    def __call__(self) -> str:
        self.counter += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.namespace}/{self.counter}"))
