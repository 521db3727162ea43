"""Net positions between centres and the overdraft list, from the incremental tables."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictCentre,
    DistrictEntry,
    DistrictMember,
)
from timebank_desktop.services.context import AppContext


@dataclass(frozen=True, slots=True)
class Position:
    """``centre``'s net position towards ``counter`` in minutes (negative: it owes hours)."""

    centre: str
    counter: str
    minutes: int


@dataclass(frozen=True, slots=True)
class Overdraft:
    key: str
    balance: int
    centres: tuple[str, ...]  # where the key has an account


def net_positions(session: Session) -> list[Position]:
    codes = {i: c for i, c in session.execute(select(DistrictCentre.id, DistrictCentre.code))}
    sums = session.execute(
        select(
            DistrictEntry.centre_id,
            DistrictEntry.counter_centre_id,
            func.sum(DistrictEntry.amount),
        ).group_by(DistrictEntry.centre_id, DistrictEntry.counter_centre_id)
    )
    net: dict[tuple[str, str], int] = defaultdict(int)
    for owner, origin, amount in sums:
        a, b = codes[owner], codes[origin]
        net[(a, b)] += int(amount)
        net[(b, a)] -= int(amount)
    return [Position(a, b, m) for (a, b), m in sorted(net.items()) if a < b and m]


def overdrafts(session: Session, limit: int | None = None) -> list[Overdraft]:
    """The overdrawn keys, most overdrawn first, with the centres where each has an account
    (found in one pass over the accounts: their key is not indexed, migration d0003)."""
    query = select(DistrictMember.key, DistrictMember.balance).where(DistrictMember.balance < 0)
    query = query.order_by(DistrictMember.balance, DistrictMember.key).limit(limit)
    found = session.execute(query).all()
    if not found:
        return []
    listed = query.subquery()
    where: dict[str, list[str]] = defaultdict(list)
    rows = session.execute(
        select(DistrictAccount.key, DistrictCentre.code)
        .join(DistrictCentre, DistrictCentre.id == DistrictAccount.centre_id)
        .where(DistrictAccount.key.in_(select(listed.c.key)))
        .order_by(DistrictCentre.code)
    )
    for key, code in rows:
        if key is not None:
            where[key].append(code)
    return [Overdraft(k, b, tuple(where[k])) for k, b in found]


class DistrictPositionsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def positions(self) -> list[Position]:
        with self.ctx.read() as session:
            return net_positions(session)

    def overdrafts(self, limit: int | None = None) -> list[Overdraft]:
        with self.ctx.read() as session:
            return overdrafts(session, limit)
