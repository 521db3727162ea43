"""A visiting member exchanges hours for goods (兑换) here, through the clearing account.

Stub district (docs/sync-format.md §5.1 rules); centre A on the parametrised backend, B on
SQLite. The real district is exercised by test_visitor_cli.py.
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
from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.goods import GoodsService
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.visitors import (
    RedeemInput,
    RedeemResult,
    VisitInput,
    VisitorService,
)
from timebank_desktop.services.verify import VerifyService


@dataclass
class World:
    a: AppContext
    b: AppContext
    district: StubDistrict
    folder: Path
    zhang_id: str
    zhang: str
    helper: str

    def redeem(self, minutes: int, item: str = "大米") -> RedeemResult:
        return VisitorService(self.b).redeem(RedeemInput(self.zhang_id, minutes, item, "A01"))

    def statement_to(self, *centres: AppContext) -> None:
        for centre in (self.a, self.b):
            path = ExportService(centre).export(self.folder / f"{id(centre)}.tbsync").path
            self.district.receive(path)
        statement = self.district.statement(self.folder / "statement.tbsync")
        for centre in centres:
            SyncFileService(centre).import_file(statement)


@pytest.fixture
def world(ctx: AppContext, tmp_path: Path) -> Iterator[World]:
    b = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    v = visiting(ctx, b, tmp_path)
    district, zhang_id, zhang, helper = v.district, v.zhang_id, v.zhang, v.helper
    GoodsService(b).add("大米", 60, 5)
    yield World(ctx, b, district, tmp_path, zhang_id, zhang, helper)
    b.engine.dispose()


def _system(ctx: AppContext, code: str) -> int:
    return AccountService(ctx).system_balance(code)


def test_an_exchange_is_cleared_with_the_home_centre_which_mirrors_it(world: World) -> None:
    w = world
    w.statement_to(w.b)
    done = w.redeem(120)
    assert (done.quantity, done.amount_minutes, done.remaining) == (2, 120, 180)
    assert done.redemption_seq == done.clearing_seq + 1
    assert [g.stock for g in GoodsService(w.b).list()] == [3]
    assert _system(w.b, "goods") == 120
    assert _system(w.b, "clearing:A01") == -120
    assert _system(w.b, f"member:{done.visitor_no}") == 0
    free = w.redeem(30, "理发券")  # not catalogued: free text, no stock
    assert (free.quantity, free.visitor_no, free.remaining) == (None, done.visitor_no, 150)
    assert VisitorService(w.b).standing(w.zhang_id).honoured_since == 150

    w.statement_to(w.a, w.b)
    assert AccountService(w.a).balance(w.zhang).balance_minutes == 150
    assert _system(w.a, "clearing:B02") == 150
    standing = VisitorService(w.b).standing(w.zhang_id)
    assert (standing.statement_balance, standing.honoured_since) == (150, 0)
    for centre in (w.a, w.b):
        assert VerifyService(centre).run().ok


def test_an_exchange_is_bounded_by_the_same_standing_and_allowance(world: World) -> None:
    w = world
    with pytest.raises(Refused, match="No district statement"):
        w.redeem(60)
    w.statement_to(w.b)
    PolicyService(w.b).set(PolicyService(w.b).current().with_changes(away_allowance_minutes=150))
    VisitorService(w.b).honour(VisitInput(w.zhang_id, w.helper, "meals", DAY, 90, "A01"))
    before = counts(w.b)
    with pytest.raises(Refused, match="away allowance"):
        w.redeem(120)
    PolicyService(w.b).set(PolicyService(w.b).current().with_changes(away_allowance_minutes=600))
    with pytest.raises(Refused, match="exchange needs 4"):
        w.redeem(240)
    assert [g.stock for g in GoodsService(w.b).list()] == [5]  # nothing taken off
    assert counts(w.b)["txn"] == before["txn"]
    w.redeem(180)
    assert VisitorService(w.b).standing(w.zhang_id).available == 30


def test_bad_exchanges_are_refused_and_nothing_is_written(world: World) -> None:
    w = world
    w.statement_to(w.b)
    GoodsService(w.b).add("鸡蛋", 30, 1)
    helper_id = id_for(date(1966, 7, 7))
    MemberService(w.b).add(MemberInput("李强", helper_id))
    before = counts(w.b)
    with pytest.raises(ValidationError, match="whole multiple"):
        w.redeem(90)
    with pytest.raises(Refused, match="Only 1 of 鸡蛋 left"):
        w.redeem(60, "鸡蛋")
    with pytest.raises(ValidationError, match="Name the goods"):
        w.redeem(60, "  ")
    with pytest.raises(ValidationError, match="too long"):
        w.redeem(60, "米" * 201)
    with pytest.raises(ValidationError, match="more than zero"):
        w.redeem(0)
    with pytest.raises(Refused, match="member of this centre"):
        VisitorService(w.b).redeem(RedeemInput(helper_id, 60, "大米", "A01"))
    assert counts(w.b) == before
    assert {g.name: g.stock for g in GoodsService(w.b).list()} == {"大米": 5, "鸡蛋": 1}


def test_a_voided_exchange_gives_the_standing_back_but_not_the_stock(world: World) -> None:
    """Whether the goods came back is the counter's call: `goods restock` adds them."""
    w = world
    w.statement_to(w.b)
    done = w.redeem(60)
    voided = VisitorService(w.b).void(done.redemption_seq, "退货")
    assert (voided.minutes, voided.available) == (60, 300)
    assert _system(w.b, "goods") == 0
    assert _system(w.b, "clearing:A01") == 0
    assert [g.stock for g in GoodsService(w.b).list()] == [4]
    w.statement_to(w.a)
    assert AccountService(w.a).balance(w.zhang).balance_minutes == 300
