"""Human-facing numbers: member numbers, slip serials, certificate and case numbers."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from timebank_desktop.models import Counter


def next_value(session: Session, name: str, count: int = 1) -> int:
    """Reserve ``count`` values of a counter and return the first (inside the write lock)."""
    current = session.scalar(select(Counter.value).where(Counter.name == name).with_for_update())
    if current is None:
        session.add(Counter(name=name, value=count))
        session.flush()
        return 1
    session.execute(update(Counter).where(Counter.name == name).values(value=current + count))
    return current + 1


def member_no(value: int) -> str:
    return f"M{value:06d}"
