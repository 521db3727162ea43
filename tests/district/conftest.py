"""District fixtures: a district database on SQLite and PostgreSQL, enrolled test centres."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import NOW
from tests.district.factories import SimCentre
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictAlarm,
    DistrictCentre,
    DistrictEntry,
    DistrictFile,
    DistrictFlow,
    DistrictHeldFile,
    DistrictMember,
    DistrictMonth,
    DistrictOrphanMirror,
    DistrictTx,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.database import open_district_database
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter


def make_district(target: str) -> AppContext:
    ctx = AppContext(open_district_database(target), clock=FixedClock(NOW))
    DistrictIdentityService(ctx).init("D01", "东湖街道")
    return ctx


@pytest.fixture
def dctx(db_target: str) -> Iterator[AppContext]:
    """A district (D01) on a fresh database, both backends, fixed clock."""
    ctx = make_district(db_target)
    yield ctx
    ctx.engine.dispose()


@pytest.fixture
def sqlite_dctx(tmp_path: Path) -> Iterator[AppContext]:
    ctx = make_district(str(tmp_path / "district.sqlite3"))
    yield ctx
    ctx.engine.dispose()


def enrol(ctx: AppContext, tmp_path: Path, *codes: str) -> list[SimCentre]:
    centres = [SimCentre(code) for code in codes]
    for c in centres:
        DistrictIdentityService(ctx).enrol(c.enrolment(tmp_path / f"{c.code}.enrol"))
    return centres


def importer(ctx: AppContext) -> DistrictImporter:
    return DistrictImporter(ctx)


def snapshot(ctx: AppContext, *, files: bool = True) -> dict[str, Any]:
    """Everything the district knows, as plain sorted data (for "nothing changed" checks)."""
    out: dict[str, Any] = {}
    with ctx.read() as s:
        out["centres"] = sorted(
            (c.code, c.status, c.epoch, c.head_seq, c.head_hash)
            for c in s.scalars(select(DistrictCentre))
        )
        out["tx"] = sorted(
            (t.centre_id, t.epoch, t.seq, t.hash, t.postings)
            for t in s.scalars(select(DistrictTx))
        )
        out["members"] = sorted((m.key, m.balance) for m in s.scalars(select(DistrictMember)))
        out["accounts"] = sorted(
            (a.centre_id, a.account, a.key, a.balance) for a in s.scalars(select(DistrictAccount))
        )
        out["entries"] = sorted(
            (e.id, e.key, e.amount, e.mirrored, e.mirror_seq)
            for e in s.scalars(select(DistrictEntry))
        )
        out["months"] = sorted(
            (m.centre_id, m.month, m.services, m.credited, m.withdrawn, m.transactions)
            for m in s.scalars(select(DistrictMonth))
        )
        out["flows"] = sorted(
            (f.month, f.from_centre_id, f.to_centre_id, f.minutes)
            for f in s.scalars(select(DistrictFlow))
        )
        out["orphans"] = sorted(o.ref for o in s.scalars(select(DistrictOrphanMirror)))
        if files:
            out["files"] = sorted(
                (f.file_sha256, f.status, f.seq_from, f.seq_to)
                for f in s.scalars(select(DistrictFile))
            )
            out["held"] = sorted(h.file_id for h in s.scalars(select(DistrictHeldFile)))
            out["alarms"] = sorted(
                (a.centre_id, a.seq, a.resolved_at is None)
                for a in s.scalars(select(DistrictAlarm))
            )
    return out


def balance_of(ctx: AppContext, key: str) -> int | None:
    with ctx.read() as s:
        return s.scalar(select(DistrictMember.balance).where(DistrictMember.key == key))
