"""What one received transaction does at the district: net per account, cross-centre legs.

Pure functions (no database). A *cross-centre leg* is a posting on ``clearing:<X>``; it is
attributed to the member account posted with the opposite amount in the same transaction (when
several qualify, the one whose postings there sum to zero: a visitor's account passed through).
See docs/sync-format.md §10.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

MEMBER_PREFIX = "member:"
CLEARING_PREFIX = "clearing:"
_ENTRY_NS = uuid.UUID("5b0d6c1e-8f7a-4c43-9d5e-2f1f3a6b7c80")


@dataclass(frozen=True, slots=True)
class Leg:
    """A posting on ``clearing:<counter>``: ``amount`` minutes, for ``account`` (or None)."""

    index: int
    counter: str
    amount: int
    account: str | None


def cross_legs(postings: Sequence[Sequence[object]], nets: dict[str, int]) -> list[Leg]:
    """The clearing postings of one transaction, each with the member account it is for."""
    legs: list[Leg] = []
    for index, (account, amount) in enumerate(postings):
        code = str(account)
        if not code.startswith(CLEARING_PREFIX):
            continue
        value = int(amount)  # type: ignore[call-overload]
        candidates = {
            str(a) for a, m in postings if str(a).startswith(MEMBER_PREFIX) and m == -value
        }
        if len(candidates) > 1:
            candidates = {a for a in candidates if nets.get(a) == 0}
        chosen = candidates.pop() if len(candidates) == 1 else None
        legs.append(Leg(index, code[len(CLEARING_PREFIX) :], value, chosen))
    return legs


def flow(centre: int, counter: int, amount: int, kind: str) -> tuple[int, int, int]:
    """What one cross-centre leg booked at ``centre`` adds to the flow matrix: (served by,
    served, minutes). A clearing leg below zero is a service ``centre`` gave a member of
    ``counter``; above zero, one ``counter`` gave a member of ``centre``. A reversal takes its
    original's flow back: same direction, minutes negative."""
    if kind == "reversal":
        served_by, served = (counter, centre) if amount < 0 else (centre, counter)
        return served_by, served, -abs(amount)
    served_by, served = (centre, counter) if amount < 0 else (counter, centre)
    return served_by, served, abs(amount)


def entry_id(centre: str, epoch: int, seq: int, index: int) -> str:
    """The statement entry id of one leg: the same however often it is derived."""
    return str(uuid.uuid5(_ENTRY_NS, f"{centre}/{epoch}/{seq}/{index}"))
