"""Property: any delivery order of the same files gives the same district, and twice no change."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.district.conftest import importer, make_district, snapshot
from tests.district.factories import SimCentre, person_key
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.legs import entry_id


@dataclass(frozen=True)
class Scenario:
    enrolments: tuple[Path, ...]
    files: tuple[Path, ...]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """Three centres; cross-centre visits both ways; a mirror; overlapping and split files."""
    d = tmp_path_factory.mktemp("scenario")
    a, b, c = SimCentre("A01"), SimCentre("B01"), SimCentre("C01")
    a.grant("ann", 600)
    a.serve("amy", "old", 45)
    b.grant("ben", 300)
    b.serve_visitor("bo", "ann", "A01", 90)  # B01 seq 2: A01's member served at B01
    a.serve("amy", "old", 30)
    c.serve_visitor("cy", "ben", "B01", 60)  # C01 seq 1: B01's member served at C01
    c.serve("cy", "old", 15)
    b.serve("bo", "old", 20)
    b.serve("bo", "old", 25)
    a.mirror({"id": entry_id("B01", 1, 2, 3), "key": person_key("ann"), "amount": -90,
              "counter_centre": "B01"})  # fmt: skip
    a.serve("amy", "old", 60)
    files = [
        a.export(d / "a-1-2", 1, 2), a.export(d / "a-3-4", 3, 4), a.export(d / "a-5", 5, 5),
        b.export(d / "b-1-3", 1, 3), b.export(d / "b-2-4", 2, 4),
        c.export(d / "c-1-2", 1, 2),
    ]  # fmt: skip
    enrolments = tuple(x.enrolment(d / f"{x.code}.enrol") for x in (a, b, c))
    return Scenario(enrolments, tuple(files))


def _run(scenario: Scenario, *orders: list[int]) -> list[dict[str, Any]]:
    states = []
    with tempfile.TemporaryDirectory() as tmp:
        ctx = make_district(str(Path(tmp) / "district.sqlite3"))
        try:
            for path in scenario.enrolments:
                DistrictIdentityService(ctx).enrol(path)
            for order in orders:
                importer(ctx).import_files([scenario.files[i] for i in order])
                state = snapshot(ctx, files=False)
                states.append(state)
        finally:
            ctx.engine.dispose()
    return states


@pytest.fixture(scope="module")
def reference(scenario: Scenario) -> dict[str, Any]:
    return _run(scenario, list(range(len(scenario.files))))[0]


def test_reference_state_is_complete(reference: dict[str, Any]) -> None:
    assert [c[3] for c in reference["centres"]] == [5, 4, 2]
    balances = dict(reference["members"])
    assert balances[person_key("ann")] == 510  # 600 granted, 90 spent at B01 (mirrored)
    assert balances[person_key("ben")] == 240  # 300 granted, 60 spent at C01 (pending)
    assert [e[3] for e in reference["entries"]].count(True) == 1
    assert reference["orphans"] == []


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_delivery_order_gives_the_same_district(
    scenario: Scenario, reference: dict[str, Any], data: st.DataObject
) -> None:
    n = len(scenario.files)
    first = data.draw(st.permutations(range(n)), label="order")
    second = data.draw(st.permutations(range(n)), label="again")
    once, twice = _run(scenario, list(first), list(second))
    assert once == reference
    assert twice == reference


def test_reverse_order_on_each_backend(
    db_target: str, scenario: Scenario, reference: dict[str, Any]
) -> None:
    ctx = make_district(db_target)
    try:
        for path in scenario.enrolments:
            DistrictIdentityService(ctx).enrol(path)
        importer(ctx).import_files(list(reversed(scenario.files)))
        assert snapshot(ctx, files=False) == reference
        importer(ctx).import_files(list(scenario.files))
        assert snapshot(ctx, files=False) == reference
    finally:
        ctx.engine.dispose()


def test_worker_processes_give_the_same_district(
    scenario: Scenario, reference: dict[str, Any], tmp_path: Path
) -> None:
    """``--jobs 2``: files verified and computed in workers, written here, in any order."""
    ctx = make_district(str(tmp_path / "district.sqlite3"))
    try:
        for path in scenario.enrolments:
            DistrictIdentityService(ctx).enrol(path)
        order = [scenario.files[i] for i in (2, 0, 1, 4, 3, 5)]
        results = importer(ctx).import_files(order, jobs=2)
        assert all(not isinstance(r, Exception) for r in results)
        assert snapshot(ctx, files=False) == reference
        again = importer(ctx).import_files(list(scenario.files), jobs=2)
        assert {getattr(r, "status", None) for r in again} == {"duplicate"}
        assert snapshot(ctx, files=False) == reference
    finally:
        ctx.engine.dispose()


def test_a_dying_worker_falls_back_to_importing_here(
    scenario: Scenario, reference: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.district import crash
    from timebank_desktop.services.district import batch

    monkeypatch.setattr(batch, "prepare", crash.prepare)
    ctx = make_district(str(tmp_path / "district.sqlite3"))
    try:
        for path in scenario.enrolments:
            DistrictIdentityService(ctx).enrol(path)
        results = importer(ctx).import_files(list(scenario.files), jobs=2)
        assert all(not isinstance(r, Exception) for r in results)
        assert snapshot(ctx, files=False) == reference
    finally:
        ctx.engine.dispose()
