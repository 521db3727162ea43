"""A centre that restored an old backup sends its chain again in a new epoch (DESIGN §5).

The district must end as if the centre had never sent the rows the new epoch does not share:
the shared prefix counted once (its cross-centre entries keep their ids), the rows after it
taken out of every aggregate and listed as lost. Checked against a second district that only
ever saw the chain as the centre has it now.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.district.conftest import enrol, importer, make_district, snapshot
from tests.district.factories import SimCentre, person_key
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.months import Month
from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictCentre,
    DistrictEntry,
    DistrictFlow,
    DistrictMember,
    DistrictMonth,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.epochs import lost_ranges
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.report import DistrictReportService
from timebank_desktop.services.district.status import DistrictStatusService


def open_entries(ctx: AppContext, home: str) -> list[dict[str, Any]]:
    """The entries ``home`` must still mirror, as a statement lists them."""
    with ctx.read() as s:
        codes = {i: c for i, c in s.execute(select(DistrictCentre.id, DistrictCentre.code))}
        rows = s.scalars(select(DistrictEntry).where(DistrictEntry.mirrored.is_(False))).all()
        return [
            {
                "id": e.id,
                "key": e.key,
                "amount": e.amount,
                "counter_centre": codes[e.counter_centre_id],
            }
            for e in rows
            if codes[e.centre_id] == home
        ]


def restored(a: SimCentre, upto: int, epoch: int) -> SimCentre:
    """The centre after restoring a backup taken at ``upto``, in a new chain epoch."""
    r = SimCentre(a.code, key=a.key, epoch=epoch, day=a.day)
    r.txs, r.accounts = list(a.txs[:upto]), dict(a.accounts)
    return r


def books(ctx: AppContext) -> dict[str, Any]:
    """What the district counts (non-zero figures, by centre code; entries without ids)."""
    with ctx.read() as s:
        code = {i: c for i, c in s.execute(select(DistrictCentre.id, DistrictCentre.code))}
        return {
            "members": sorted(
                (m.key, m.balance) for m in s.scalars(select(DistrictMember)) if m.balance
            ),
            "accounts": sorted(
                (code[a.centre_id], a.account, a.balance, a.legs)
                for a in s.scalars(select(DistrictAccount))
                if a.balance or a.legs
            ),
            "months": sorted(
                (code[m.centre_id], m.month, m.services, m.credited, m.withdrawn, m.transactions)
                for m in s.scalars(select(DistrictMonth))
                if m.transactions
            ),
            "flows": sorted(
                (f.month, code[f.from_centre_id], code[f.to_centre_id], f.minutes)
                for f in s.scalars(select(DistrictFlow))
                if f.minutes
            ),
            "entries": sorted(
                (code[e.centre_id], code[e.counter_centre_id], e.key, e.amount, e.mirrored)
                for e in s.scalars(select(DistrictEntry))
            ),
        }


def _story(dctx: AppContext, tmp_path: Path) -> tuple[SimCentre, SimCentre, SimCentre, int]:
    """A and B trade; A's backup is taken at K; A goes on to N, sends, restores K, goes on."""
    a, b = enrol(dctx, tmp_path, "A01", "B01")
    imp = importer(dctx)
    a.grant("wang", 600)
    a.serve("li", "wang", 90)
    a.serve_visitor("li", "chen", "B01", 45)  # shared: an entry B must mirror (kept, once)
    b.grant("chen", 300)
    b.serve_visitor("zhou", "wang", "A01", 60)  # an entry A must mirror
    imp.import_file(a.export(tmp_path / "a1.tbsync"))
    imp.import_file(b.export(tmp_path / "b1.tbsync"))
    for entry in open_entries(dctx, "B01"):
        b.mirror(entry)  # B mirrors the shared entry
    k = len(a.txs)  # the backup
    a.serve("li", "wang", 30)  # lost: a local service
    a.serve_visitor("li", "chen", "B01", 20)  # lost: an entry B has not mirrored
    for entry in open_entries(dctx, "A01"):
        a.mirror(entry)  # lost: A's mirror of B's entry
    a.grant("zhao", 200)  # lost: a member only the lost rows know
    imp.import_file(a.export(tmp_path / "a2.tbsync", k + 1))
    imp.import_file(b.export(tmp_path / "b2.tbsync", 3))
    r = restored(a, k, 2)  # restore K, then record new services
    r.serve("li", "wang", 75)
    r.serve_visitor("li", "chen", "B01", 15)
    return a, b, r, k


def test_new_epoch_counts_the_shared_history_once(dctx: AppContext, tmp_path: Path) -> None:
    a, b, r, k = _story(dctx, tmp_path)
    done = importer(dctx).import_file(r.export(tmp_path / "r1.tbsync"))
    assert done.status == "applied" and done.added == 2
    assert "epoch 2" in done.message and "re-enter" in done.message

    # A second district that only ever saw the chain as A has it now, and B's files.
    ref = make_district(str(tmp_path / "ref.sqlite3"))
    same = SimCentre("A01", key=a.key, epoch=1)
    same.txs, same.accounts = list(r.txs[:k]), dict(r.accounts)
    DistrictIdentityService(ref).enrol(same.enrolment(tmp_path / "ra.enrol"))
    DistrictIdentityService(ref).enrol(b.enrolment(tmp_path / "rb.enrol"))
    importer(ref).import_file(same.export(tmp_path / "ref-a.tbsync"))
    importer(ref).import_file(b.export(tmp_path / "ref-b.tbsync"))
    same.txs = list(r.txs)  # the new rows, counted as a continuation there
    importer(ref).import_file(same.export(tmp_path / "ref-a2.tbsync", k + 1))
    assert books(dctx) == books(ref)
    ref.engine.dispose()

    # the shared entry keeps its id and stays mirrored: B is never asked to mirror it again
    assert [e["amount"] for e in open_entries(dctx, "B01")] == [-15]
    # A's lost mirror of B's entry is open again: A books it again from the next statement
    assert [e["amount"] for e in open_entries(dctx, "A01")] == [-60]
    assert person_key("zhao") not in dict(books(dctx)["members"])

    lost = lost_ranges_of(dctx)
    assert [(x.epoch, x.seq_from, x.seq_to, x.transactions) for x in lost] == [
        (1, k + 1, len(a.txs), len(a.txs) - k)
    ]
    state = DistrictStatusService(dctx).centres()[0]
    assert (state.epoch, state.head_seq, state.lost_transactions) == (2, k + 2, len(a.txs) - k)
    issues = DistrictReportService(dctx).data(Month(2026, 11)).issues
    assert any(i.kind == "lost" and i.centre_code == "A01" for i in issues)
    DistrictReportService(dctx).write(Month(2026, 11), tmp_path / "report.xlsx")
    sheets = load_workbook(tmp_path / "report.xlsx", read_only=True)
    cells = [str(c) for ws in sheets for row in ws.iter_rows(values_only=True) for c in row]
    assert "Lost after a restore" in cells

    # re-importing any file changes nothing; a late epoch-1 file is known or refused
    before = snapshot(dctx, files=False)
    for name in ("a1", "a2", "b1", "b2", "r1"):
        assert importer(dctx).import_file(tmp_path / f"{name}.tbsync").status == "duplicate"
    a.serve("li", "wang", 10)
    with pytest.raises(FileRejected, match="epoch 2"):
        importer(dctx).import_file(a.export(tmp_path / "late.tbsync", k + 1))
    assert snapshot(dctx, files=False) == before


def lost_ranges_of(ctx: AppContext) -> list[Any]:
    with ctx.read() as s:
        return lost_ranges(s)


def test_new_epoch_continues_and_needs_no_resolution(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    for i in range(5):
        a.serve(f"v{i}", "elder", 30)
    importer(dctx).import_file(a.export(tmp_path / "a.tbsync"))
    r = restored(a, 5, 2)  # the backup was not behind, but an epoch may still start
    r.serve("v9", "elder", 40)
    first = importer(dctx).import_file(r.export(tmp_path / "r1.tbsync", 1, 5))
    assert first.added == 0  # all shared
    r.serve("v9", "elder", 50)
    assert importer(dctx).import_file(r.export(tmp_path / "r2.tbsync", 6)).added == 2
    with dctx.read() as s:
        assert lost_ranges(s) == []
        centre = s.scalars(select(DistrictCentre)).one()
        assert (centre.epoch, centre.head_seq, centre.status) == (2, 7, "active")


def test_new_epoch_after_a_fork_waits_for_resolution(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    for i in range(4):
        a.serve(f"v{i}", "elder", 30)
    importer(dctx).import_file(a.export(tmp_path / "a.tbsync"))
    fork = restored(a, 2, 1)  # restored without the epoch: re-uses seq 3
    fork.serve("v8", "elder", 99)
    with pytest.raises(FileRejected, match="Fork"):
        importer(dctx).import_file(fork.export(tmp_path / "f.tbsync", 3))
    r = restored(a, 2, 2)
    r.serve("v8", "elder", 99)
    with pytest.raises(FileRejected, match="frozen"):
        importer(dctx).import_file(r.export(tmp_path / "r.tbsync"))
    DistrictIdentityService(dctx).resolve("A01", "new epoch")
    done = importer(dctx).import_file(tmp_path / "r.tbsync")
    assert done.added == 1
    with dctx.read() as s:
        assert [(x.seq_from, x.seq_to) for x in lost_ranges(s)] == [(3, 4)]


def test_a_later_file_of_the_new_epoch_waits_for_its_first(
    dctx: AppContext, tmp_path: Path
) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    for i in range(4):
        a.serve(f"v{i}", "elder", 30)
    importer(dctx).import_file(a.export(tmp_path / "a.tbsync"))
    r = restored(a, 2, 2)
    for i in range(3):
        r.serve(f"w{i}", "elder", 20)
    held = importer(dctx).import_file(r.export(tmp_path / "r2.tbsync", 4))
    assert held.status == "held"
    first = r.export(tmp_path / "r1.tbsync", 1, 3)
    done, again = importer(dctx).import_files([first, first], jobs=2)  # worker processes
    assert not isinstance(done, FileRejected) and not isinstance(again, FileRejected)
    assert done.status == "applied" and len(done.caught_up) == 1
    assert again.status == "duplicate"
    with dctx.read() as s:
        centre = s.scalars(select(DistrictCentre)).one()
        assert (centre.epoch, centre.head_seq, centre.head_hash) == (2, 5, r.txs[-1][2])
        assert [(x.seq_from, x.seq_to) for x in lost_ranges(s)] == [(3, 4)]
        assert s.scalar(select(DistrictMonth.transactions)) == 5


def test_a_lost_entry_already_mirrored_stays_and_is_named(
    dctx: AppContext, tmp_path: Path
) -> None:
    a, b = enrol(dctx, tmp_path, "A01", "B01")
    a.grant("wang", 60)
    importer(dctx).import_file(a.export(tmp_path / "a1.tbsync"))
    a.serve_visitor("li", "chen", "B01", 40)  # lost at A, but B mirrors it first
    importer(dctx).import_file(a.export(tmp_path / "a2.tbsync", 2))
    b.grant("chen", 100)
    (entry,) = open_entries(dctx, "B01")
    b.mirror(entry)
    importer(dctx).import_file(b.export(tmp_path / "b1.tbsync"))
    r = restored(a, 1, 2)
    r.grant("wang", 10)
    done = importer(dctx).import_file(r.export(tmp_path / "r.tbsync"))
    assert "1 cross-centre entries of those transactions were already mirrored" in done.message
    with dctx.read() as s:
        kept = s.scalars(select(DistrictEntry)).one()
        assert (kept.id, kept.mirrored) == (entry["id"], True)
    assert open_entries(dctx, "B01") == []
