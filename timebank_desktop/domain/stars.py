"""Star-rated volunteers (星级志愿者): hour milestones and the star level they earn.

The defaults follow the usual Chinese rating of registered volunteers: one star at 100 hours of
service, two at 300, three at 600, four at 1,000 and five at 1,500. A district may set its own
milestones in the policy (``extra["star_milestones_hours"]``, ascending whole hours).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_MILESTONES_HOURS: tuple[int, ...] = (100, 300, 600, 1000, 1500)
POLICY_KEY = "star_milestones_hours"


def milestones_minutes(extra: Mapping[str, Any] | None = None) -> tuple[int, ...]:
    """The milestones in minutes, from the policy's extra settings or the defaults."""
    hours: Sequence[Any] = DEFAULT_MILESTONES_HOURS
    if extra and isinstance(extra.get(POLICY_KEY), list | tuple):
        chosen = extra[POLICY_KEY]
        if chosen and all(isinstance(h, int) and h > 0 for h in chosen):
            ordered = list(chosen)
            if ordered == sorted(set(ordered)):
                hours = ordered
    return tuple(int(h) * 60 for h in hours)


def level_for(total_minutes: int, milestones: Sequence[int]) -> int:
    """The star level reached with ``total_minutes`` of service (0 below the first milestone)."""
    return sum(1 for m in milestones if total_minutes >= m)


def milestone_of(level: int, milestones: Sequence[int]) -> int:
    """The minutes a level needs (``level`` from 1)."""
    return milestones[level - 1]
