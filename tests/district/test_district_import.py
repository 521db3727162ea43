"""District import: applied, already imported, overlap, gap held then applied, fork alarm."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.district.conftest import balance_of, enrol, importer, snapshot
from tests.district.factories import SimCentre, person_key
from timebank_desktop.domain.errors import FileRejected, Refused
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.status import DistrictStatusService


def _book(a: SimCentre, n: int) -> None:
    for i in range(n):
        a.serve(f"vol{i % 3}", "elder", 30 + i)


def test_first_file_is_applied_with_balances(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    a.grant("wang", 120)
    a.serve("li", "wang", 90)
    a.book([(a.account("wang"), -60), (a.account("li"), 60)], kind="transfer")
    done = importer(dctx).import_file(a.export(tmp_path / "a.tbsync"))
    assert (done.status, done.added, done.seq_from, done.seq_to) == ("applied", 3, 1, 3)
    assert "3" in done.message
    assert balance_of(dctx, person_key("wang")) == 60
    assert balance_of(dctx, person_key("li")) == 150
    state = snapshot(dctx)
    assert sum(a[3] for a in state["accounts"]) == 0  # the centre's books still sum to zero
    assert state["centres"][0][3] == 3


def test_re_import_changes_nothing_and_says_so(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    _book(a, 4)
    path = a.export(tmp_path / "a.tbsync")
    importer(dctx).import_file(path)
    before = snapshot(dctx)
    again = importer(dctx).import_file(path)
    assert again.status == "duplicate"
    assert "already imported" in again.message
    assert snapshot(dctx) == before
    # an older, shorter file of the same chain is also already known
    assert importer(dctx).import_file(a.export(tmp_path / "a2", 1, 2)).status == "duplicate"
    assert snapshot(dctx) == before


def test_overlap_adds_only_what_is_new(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    _book(a, 5)
    importer(dctx).import_file(a.export(tmp_path / "first", 1, 3))
    done = importer(dctx).import_file(a.export(tmp_path / "all", 2, 5))
    assert (done.status, done.added) == ("applied", 2)
    assert [t[2] for t in snapshot(dctx)["tx"]] == [1, 2, 3, 4, 5]


def test_gap_is_held_then_applied_when_the_missing_file_arrives(
    dctx: AppContext, tmp_path: Path
) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    _book(a, 6)
    late = importer(dctx).import_file(a.export(tmp_path / "late", 4, 6))
    assert late.status == "held"
    assert "1–3" in late.message
    held = snapshot(dctx)
    assert held["tx"] == [] and held["members"] == [] and len(held["held"]) == 1
    assert DistrictStatusService(dctx).centres()[0].held_files == 1
    # holding the same file twice keeps one copy
    assert importer(dctx).import_file(a.export(tmp_path / "late2", 4, 6)).status == "held"
    assert len(snapshot(dctx)["held"]) == 1

    first = importer(dctx).import_file(a.export(tmp_path / "first", 1, 3))
    assert first.status == "applied"
    assert len(first.caught_up) == 1
    state = snapshot(dctx)
    assert state["held"] == [] and len(state["tx"]) == 6
    assert state["centres"][0][3] == 6


def test_fork_raises_an_alarm_freezes_and_writes_no_data(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    _book(a, 4)
    importer(dctx).import_file(a.export(tmp_path / "a", 1, 4))
    before = snapshot(dctx, files=False)

    restored = SimCentre("A01", key=a.key)  # restored a backup at seq 2, then went on writing
    restored.txs, restored.accounts = list(a.txs[:2]), dict(a.accounts)
    restored.serve("someone else", "elder", 45)
    restored.serve("someone else", "elder", 50)
    with pytest.raises(FileRejected, match=r"Fork alarm.*seq 3"):
        importer(dctx).import_file(restored.export(tmp_path / "fork", 3, 4))
    after = snapshot(dctx, files=False)
    assert after["tx"] == before["tx"] and after["members"] == before["members"]
    assert after["centres"][0][1] == "frozen"
    state = DistrictStatusService(dctx).centres()[0]
    assert (state.status, state.open_alarms) == ("frozen", 1)

    a.serve("vol", "elder", 20)  # even a good file waits until the alarm is resolved
    with pytest.raises(FileRejected, match="frozen"):
        importer(dctx).import_file(a.export(tmp_path / "next", 5, 5))
    assert DistrictIdentityService(dctx).resolve("A01", "caught up from the district") == 1
    assert importer(dctx).import_file(a.export(tmp_path / "next", 5, 5)).added == 1
    with pytest.raises(Refused):
        DistrictIdentityService(dctx).resolve("A01")


def test_fork_in_an_overlapping_file_is_found(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    _book(a, 3)
    importer(dctx).import_file(a.export(tmp_path / "a"))
    other = SimCentre("A01", key=a.key)
    other.txs, other.accounts = list(a.txs[:1]), dict(a.accounts)
    _book(other, 4)  # seq 2.. differ, and the file goes beyond the head
    with pytest.raises(FileRejected, match="seq 2"):
        importer(dctx).import_file(other.export(tmp_path / "b", 1, 5))


def test_new_epoch_after_resolution(dctx: AppContext, tmp_path: Path) -> None:
    (a,) = enrol(dctx, tmp_path, "A01")
    _book(a, 2)
    importer(dctx).import_file(a.export(tmp_path / "a"))
    fresh = SimCentre("A01", key=a.key, epoch=2)
    _book(fresh, 2)
    done = importer(dctx).import_file(fresh.export(tmp_path / "e2"))
    assert done.status == "applied"
    state = snapshot(dctx)
    assert state["centres"][0][2:4] == (2, 2)
    assert len(state["tx"]) == 4
    # the closed epoch's file is still recognised, a new one for it is refused
    assert importer(dctx).import_file(a.export(tmp_path / "a")).status == "duplicate"
    _book(a, 1)
    with pytest.raises(FileRejected, match="epoch"):
        importer(dctx).import_file(a.export(tmp_path / "a3", 3, 3))


def test_many_files_report_progress_and_keep_going(dctx: AppContext, tmp_path: Path) -> None:
    a, b = enrol(dctx, tmp_path, "A01", "B01")
    _book(a, 2)
    _book(b, 2)
    seen: list[tuple[int, int]] = []
    bad = tmp_path / "bad.tbsync"
    bad.write_bytes(b"not a zip")
    results = importer(dctx).import_files(
        [a.export(tmp_path / "a"), bad, b.export(tmp_path / "b")],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert isinstance(results[1], FileRejected)
    assert [getattr(r, "status", None) for r in results] == ["applied", None, "applied"]
