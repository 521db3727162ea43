"""Files committed in groups: the same district, outcomes only once committed, errors roll back
the whole open group (and nothing of it was reported)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.district.conftest import importer, make_district, snapshot
from tests.district.factories import SimCentre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district import batch
from timebank_desktop.services.district.apply import FileApplier, MemberTotals
from timebank_desktop.services.district.identity import DistrictIdentityService


def _district(tmp_path: Path, *centres: SimCentre) -> AppContext:
    ctx = make_district(str(tmp_path / "district.sqlite3"))
    for centre in centres:
        DistrictIdentityService(ctx).enrol(centre.enrolment(tmp_path / f"{centre.code}.enrol"))
    return ctx


def _files(tmp_path: Path) -> tuple[list[SimCentre], list[Path]]:
    a, b = SimCentre("A01"), SimCentre("B01")
    files = []
    for n in range(1, 4):
        a.grant(f"a{n}", 60 * n)
        files.append(a.export(tmp_path / f"a{n}", n, n))
        b.grant(f"b{n}", 30 * n)
        files.append(b.export(tmp_path / f"b{n}", n, n))
    return [a, b], files


@pytest.mark.parametrize("group_files", [1, 2, 50])
def test_any_group_size_gives_the_same_district(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group_files: int
) -> None:
    centres, files = _files(tmp_path)
    states: list[dict[str, Any]] = []
    for size in (1, group_files):
        monkeypatch.setattr(batch, "GROUP_FILES", size)
        folder = tmp_path / f"g{size}-{len(states)}"
        folder.mkdir()
        ctx = _district(folder, *centres)
        try:
            results = importer(ctx).import_files(files)
            assert [getattr(r, "status", r) for r in results] == ["applied"] * len(files)
            states.append(snapshot(ctx, files=False))
        finally:
            ctx.engine.dispose()
    assert states[0] == states[1]


def test_a_refused_file_in_the_middle_keeps_the_order_and_the_others(tmp_path: Path) -> None:
    centres, files = _files(tmp_path)
    broken = tmp_path / "broken.tbsync"
    broken.write_bytes(files[2].read_bytes()[:-10])
    ctx = _district(tmp_path, *centres)
    try:
        results = importer(ctx).import_files([files[0], files[1], broken, *files[2:]])
        assert [type(r).__name__ for r in results] == [
            "ImportOutcome", "ImportOutcome", "FileRejected", *["ImportOutcome"] * 4,
        ]  # fmt: skip
        assert all(getattr(r, "status", "") == "applied" for i, r in enumerate(results) if i != 2)
        assert [c[3] for c in snapshot(ctx)["centres"]] == [3, 3]
    finally:
        ctx.engine.dispose()


def _break(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Make the import fail with "disk full": writing the third file, or writing the group's
    member rows just before its commit."""
    if where == "members":

        def no_members(self: MemberTotals, conn: Any) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(MemberTotals, "write", no_members)
        return
    original = FileApplier.run_computed
    calls = {"n": 0}

    def failing(self: FileApplier, effects: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return original(self, effects)

    monkeypatch.setattr(FileApplier, "run_computed", failing)


@pytest.mark.parametrize("where", ["third file", "members"])
def test_an_error_rolls_back_the_open_group_and_reports_none_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    centres, files = _files(tmp_path)
    ctx = _district(tmp_path, *centres)
    monkeypatch.setattr(batch, "GROUP_FILES", 50)
    _break(monkeypatch, where)
    seen: list[object] = []
    try:
        with pytest.raises(OSError, match="disk full"):
            importer(ctx).import_files(files, on_result=lambda r, _p: seen.append(r))
        assert seen == []  # the files before were in the open group: rolled back, not reported
        state = snapshot(ctx)
        assert [c[3] for c in state["centres"]] == [0, 0]
        assert state["tx"] == [] and state["members"] == []
        monkeypatch.undo()
        again = importer(ctx).import_files(files)
        assert all(getattr(r, "status", "") == "applied" for r in again)
        assert [c[3] for c in snapshot(ctx)["centres"]] == [3, 3]
    finally:
        ctx.engine.dispose()


def test_default_jobs_start_workers_only_for_large_imports(tmp_path: Path) -> None:
    small = [tmp_path / "a", tmp_path / "b"]
    for path in small:
        path.write_bytes(b"x" * 10)
    assert batch.default_jobs(small) == 1
    assert batch.default_jobs(small[:1]) == 1
    big = tmp_path / "big"
    with big.open("wb") as out:
        out.truncate(batch.PARALLEL_BYTES)
    assert batch.default_jobs([big, small[0]]) >= 1
    assert batch.default_jobs([big, tmp_path / "missing"]) >= 1


def test_member_rows_of_a_group_merge_as_one_upsert_per_file_would() -> None:
    """A key's first row gives its gender and birth year; every row adds its balance."""
    totals = MemberTotals()
    totals.add([("k2", "", 0, 30), ("k1", "F", 1950, 60)])
    totals.add([("k1", "M", 1960, -20), ("k2", "M", 1948, 5)])
    assert totals.rows == {"k1": ["F", 1950, 40], "k2": ["", 0, 35]}
