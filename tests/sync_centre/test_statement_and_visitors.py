"""District statements and visiting members, two centres and a stub district.

Centre A runs on the parametrised backend (SQLite and PostgreSQL), centre B on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import id_for
from tests.sync_centre.district_stub import StubDistrict
from tests.sync_centre.helpers import DAY, counts, new_centre, visiting
from timebank_desktop.domain.errors import FileRejected, Refused, ValidationError
from timebank_desktop.domain.memberkey import member_key
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.exports_history import ExportStatus
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.status import SyncStatusService
from timebank_desktop.services.sync.visitors import VisitInput, VisitorService
from timebank_desktop.services.verify import VerifyService


@dataclass
class World:
    a: AppContext
    b: AppContext
    district: StubDistrict
    folder: Path
    zhang_id: str
    zhang: str  # member number at A
    helper: str  # volunteer at B
    n: int = 0

    def file(self, stem: str) -> Path:
        self.n += 1
        return self.folder / f"{self.n:02d}-{stem}.tbsync"

    def send(self, ctx: AppContext) -> Path:
        path = ExportService(ctx).export(self.file("export"))
        self.district.receive(path.path)
        return path.path

    def statement(self) -> Path:
        return self.district.statement(self.file("statement"))

    def visit(self, minutes: int, home: str | None = "A01") -> None:
        VisitorService(self.b).honour(
            VisitInput(self.zhang_id, self.helper, "meals", DAY, minutes, home, "张桂兰")
        )


@pytest.fixture
def world(ctx: AppContext, tmp_path: Path) -> Iterator[World]:
    b = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    v = visiting(ctx, b, tmp_path)
    district, zhang_id, zhang, helper = v.district, v.zhang_id, v.zhang, v.helper
    yield World(ctx, b, district, tmp_path, zhang_id, zhang, helper)
    b.engine.dispose()


def _balance(ctx: AppContext, ref: str) -> int:
    return AccountService(ctx).balance(ref).balance_minutes


def _code_balance(ctx: AppContext, code: str) -> int:
    return AccountService(ctx).system_balance(code)


def test_a_visitor_is_honoured_and_the_home_centre_mirrors_the_debit(world: World) -> None:
    w = world
    w.send(w.a)
    first = w.statement()
    SyncFileService(w.b).import_file(first)
    standing = VisitorService(w.b).standing(w.zhang_id, "A01")
    assert (standing.statement_balance, standing.available) == (300, 300)
    w.visit(90)
    assert _balance(w.b, w.helper) == 90
    assert _code_balance(w.b, "clearing:A01") == -90
    assert _code_balance(w.b, "member:V000001") == 0
    assert VisitorService(w.b).standing(w.zhang_id).honoured_since == 90
    w.send(w.b)
    second = w.statement()
    result = SyncFileService(w.a).import_file(second)
    assert (result.booked, result.unmatched) == (1, 0)
    assert _balance(w.a, w.zhang) == 210
    assert _code_balance(w.a, "clearing:B02") == 90
    assert w.district.balances()[VisitorService(w.b).standing(w.zhang_id).key] == 210
    before = counts(w.a)
    assert SyncFileService(w.a).import_file(second).already
    assert counts(w.a) == before
    SyncFileService(w.b).import_file(second)
    standing = VisitorService(w.b).standing(w.zhang_id)
    assert (standing.statement_balance, standing.honoured_since) == (210, 0)
    for centre in (w.a, w.b):
        assert VerifyService(centre).run().ok
    # The mirror travels back to the district, which then has nothing left to mirror.
    w.send(w.a)
    third = w.statement()
    assert SyncFileService(w.a).import_file(third).booked == 0
    assert _balance(w.a, w.zhang) == 210


def test_visitors_are_refused_beyond_their_balance_or_the_away_allowance(world: World) -> None:
    w = world
    with pytest.raises(Refused, match="No district statement"):
        w.visit(30)
    w.send(w.a)
    SyncFileService(w.b).import_file(w.statement())
    before = counts(w.b)
    with pytest.raises(Refused, match="Insufficient balance"):
        w.visit(301)
    policy = PolicyService(w.b).current()
    PolicyService(w.b).set(policy.with_changes(away_allowance_minutes=120))
    w.visit(90)
    with pytest.raises(Refused, match="away allowance"):
        w.visit(60)
    with pytest.raises(ValidationError, match="home centre"):
        VisitorService(w.b).honour(
            VisitInput(id_for(date(1951, 1, 1)), w.helper, "meals", DAY, 30, None)
        )
    with pytest.raises(ValidationError, match="not another centre"):
        w.visit(10, home="Z99")
    with pytest.raises(Refused, match="member of this centre"):
        VisitorService(w.a).standing(w.zhang_id, "B02")
    assert counts(w.b)["txn"] == before["txn"] + 2


def test_bad_statements_are_refused_and_nothing_is_written(world: World) -> None:
    w = world
    w.send(w.a)
    good = w.statement()
    before = counts(w.a)
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    flipped = w.folder / "flipped.tbsync"
    flipped.write_bytes(bytes(data))
    forged = w.district.statement(w.folder / "forged.tbsync", key=PrivateKey.generate())
    other = StubDistrict(code="D09", key=w.district.key)
    foreign = other.statement(w.folder / "foreign.tbsync")
    truncated = w.folder / "truncated.tbsync"
    truncated.write_bytes(good.read_bytes()[:-10])
    for path, message in (
        (flipped, None),
        (forged, "unenrolled key"),
        (foreign, "district D09"),
        (truncated, None),
        (w.folder / "enrol-a.tbsync", "cannot be read"),
    ):
        with pytest.raises(FileRejected, match=message):
            SyncFileService(w.a).import_file(path)
    enrolment = SyncFileService(w.b).enrolment(w.folder / "b-enrol.tbsync").path
    with pytest.raises(FileRejected, match="only the district"):
        SyncFileService(w.a).import_file(enrolment)
    assert counts(w.a) == before
    SyncFileService(w.a).import_file(good)


def test_a_lost_export_and_a_fork_are_detected(world: World) -> None:
    w = world
    w.send(w.a)
    AccountService(w.a).grant(w.zhang, 60)
    ExportService(w.a).export(w.file("lost"))  # never reaches the district
    result = SyncFileService(w.a).import_file(w.statement())
    assert any("lost" in line for line in result.warnings)
    history = SyncStatusService(w.a).status().exports
    assert [e.status for e in history] == [ExportStatus.WAITING, ExportStatus.RECEIVED]
    again = ExportService(w.a).export(w.file("again"), from_seq=2)
    w.district.receive(again.path)
    assert not SyncFileService(w.a).import_file(w.statement()).warnings
    epoch, seq, _hash = w.district.heads["A01"]
    w.district.heads["A01"] = (epoch, seq, "ab" * 32)
    before = counts(w.a)
    with pytest.raises(FileRejected, match="Fork alarm"):
        SyncFileService(w.a).import_file(w.statement())
    w.district.heads["A01"] = (epoch, seq + 5, "ab" * 32)
    with pytest.raises(FileRejected, match="Fork alarm"):
        SyncFileService(w.a).import_file(w.statement())
    assert counts(w.a) == before


def test_an_entry_for_an_unknown_key_waits_until_the_member_exists(world: World) -> None:
    w = world
    newcomer_id = id_for(date(1948, 8, 8))
    key = member_key(w.district.secret, newcomer_id)
    w.district.extra_entries.append(
        {
            "id": "B02-1-99", "centre": "A01", "key": key, "amount": -30,
            "counter_centre": "B02", "origin_seq": 99, "origin_tx": "t-99", "kind": "transfer",
            "value_date": "2026-11-18",
        }
    )  # fmt: skip
    result = SyncFileService(w.a).import_file(w.statement())
    assert (result.booked, result.unmatched) == (0, 1)
    assert any("none of this centre's members" in line for line in result.warnings)
    newcomer = MemberService(w.a).add(MemberInput("陈建国", newcomer_id)).member_no
    result = SyncFileService(w.a).import_file(w.statement())
    assert (result.booked, result.unmatched) == (1, 0)
    assert _balance(w.a, newcomer) == -30  # spent elsewhere: booked even below zero
    assert SyncFileService(w.a).import_file(w.statement()).booked == 0  # once per entry id
