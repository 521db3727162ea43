"""The district statement (`timebank district statement -o FILE`).

Signed; cut off at each centre's chain head (sequence numbers, not a date). It carries what the
district received from each centre (``heads``), every member key's district-wide balance
(``balances``) and the cross-centre entries each centre must still mirror (``entries``). The
rows are streamed from the incrementally kept tables, never recomputed from transactions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from timebank_desktop.exports.sync import (
    BALANCES,
    DISTRICT_STATEMENT,
    ENTRIES,
    HEADS,
    WrittenBundle,
    write_bundle,
)
from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictCentre,
    DistrictEntry,
    DistrictMember,
    DistrictStatement,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.registry import load_identity, private_key

_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class StatementInfo:
    seq: int
    written: WrittenBundle
    centres: int
    members: int
    entries: int


def _heads(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            DistrictCentre.code,
            DistrictCentre.epoch,
            DistrictCentre.head_seq,
            DistrictCentre.head_hash,
        ).order_by(DistrictCentre.code)
    )
    return [{"centre": c, "epoch": e, "seq": s, "hash": h} for c, e, s, h in rows]


def _balances(session: Session, counter: list[int]) -> Iterator[dict[str, Any]]:
    """Each key's balance and home centre (where it has an account that is not a visitor's)."""
    homes = (
        select(DistrictAccount.key.label("key"), func.min(DistrictCentre.code).label("home"))
        .join(DistrictCentre, DistrictCentre.id == DistrictAccount.centre_id)
        .where(DistrictAccount.key.is_not(None), DistrictAccount.legs == 0)
        .group_by(DistrictAccount.key)
        .subquery()
    )
    query = (
        select(DistrictMember.key, DistrictMember.balance, homes.c.home)
        .outerjoin(homes, homes.c.key == DistrictMember.key)
        .order_by(DistrictMember.key)
    )
    for key, balance, home in session.execute(query.execution_options(yield_per=_BATCH)):
        counter[0] += 1
        row: dict[str, Any] = {"key": key, "balance": balance}
        if home is not None:
            row["centre"] = home
        yield row


def _entries(session: Session, counter: list[int]) -> Iterator[dict[str, Any]]:
    owner, origin = aliased(DistrictCentre), aliased(DistrictCentre)
    query = (
        select(DistrictEntry, owner.code, origin.code)
        .join(owner, owner.id == DistrictEntry.centre_id)
        .join(origin, origin.id == DistrictEntry.counter_centre_id)
        .where(DistrictEntry.mirrored.is_(False))
        .order_by(owner.code, origin.code, DistrictEntry.origin_seq, DistrictEntry.id)
    )
    for entry, centre, counter_centre in session.execute(
        query.execution_options(yield_per=_BATCH)
    ):
        counter[0] += 1
        yield {
            "id": entry.id,
            "centre": centre,
            "key": entry.key,
            "amount": entry.amount,
            "counter_centre": counter_centre,
            "origin_seq": entry.origin_seq,
            "origin_tx": entry.origin_tx,
            "kind": entry.kind,
            "value_date": entry.value_date.isoformat(),
        }


class DistrictStatementService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def write(self, path: str | os.PathLike[str]) -> StatementInfo:
        with self.ctx.write() as session:
            ident = load_identity(session)
            ident.statement_seq += 1
            heads = _heads(session)
            members, entries = [0], [0]
            header = {
                "type": DISTRICT_STATEMENT,
                "district": ident.code,
                "centre": ident.code,
                "created_at": self.ctx.now().isoformat() + "Z",
                "statement_seq": ident.statement_seq,
            }
            parts = {
                HEADS: heads,
                BALANCES: _balances(session, members),
                ENTRIES: _entries(session, entries),
            }
            written = write_bundle(Path(path), header, parts, private_key(ident))
            session.add(
                DistrictStatement(
                    seq=ident.statement_seq,
                    created_at=self.ctx.now(),
                    file_sha256=written.file_sha256,
                    members=members[0],
                    entries=entries[0],
                    centres=len(heads),
                )
            )
            return StatementInfo(ident.statement_seq, written, len(heads), members[0], entries[0])
