"""The goods catalogue and redemptions that draw on its stock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.care.common import as_role, people, snapshot
from tests.helpers import serve
from timebank_desktop.domain.errors import (
    NotFound,
    PermissionDenied,
    Refused,
    ValidationError,
)
from timebank_desktop.domain.roles import Role
from timebank_desktop.models import Txn
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.goods import GoodsService, GoodsView


def test_goods_are_added_and_listed_by_name(ctx: AppContext) -> None:
    goods = GoodsService(ctx)
    goods.add(" 食用油 1.8L ", 90, 5)
    goods.add("大米 5kg", 120, 0)
    assert goods.list() == [GoodsView("大米 5kg", 120, 0), GoodsView("食用油 1.8L", 90, 5)]
    assert goods.restock("大米 5kg", 3) == GoodsView("大米 5kg", 120, 3)


@pytest.mark.parametrize(
    ("name", "price", "stock", "kind", "words"),
    [
        ("大米 5kg", 60, 1, Refused, "already in the goods catalogue"),
        ("  ", 60, 1, ValidationError, "name of the goods is required"),
        ("米" * 101, 60, 1, ValidationError, "at most 100"),
        ("洗衣液", 0, 1, ValidationError, "more than zero"),
        ("洗衣液", 60, -1, ValidationError, "0 or more"),
    ],
)
def test_bad_goods_are_refused_and_change_nothing(
    ctx: AppContext, name: str, price: int, stock: int, kind: type, words: str
) -> None:
    GoodsService(ctx).add("大米 5kg", 120, 2)
    before = snapshot(ctx.engine)
    with pytest.raises(kind, match=words):
        GoodsService(ctx).add(name, price, stock)
    assert snapshot(ctx.engine) == before


def test_restock_refusals(ctx: AppContext) -> None:
    goods = GoodsService(ctx)
    goods.add("大米 5kg", 120, 2)
    before = snapshot(ctx.engine)
    with pytest.raises(NotFound, match="No goods named"):
        goods.restock("小米", 1)
    with pytest.raises(ValidationError, match="at least one"):
        goods.restock("大米 5kg", 0)
    with pytest.raises(PermissionDenied):
        GoodsService(as_role(ctx, Role.CLERK)).add("洗衣液", 60, 1)
    assert snapshot(ctx.engine) == before


def test_a_redemption_takes_its_quantity_off_the_stock(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    serve(ctx, vol, rec, 120)
    serve(ctx, vol, rec, 120, day=date(2026, 11, 18))
    GoodsService(ctx).add("洗衣液", 60, 3)
    accounts = AccountService(ctx)
    posted = accounts.redeem(vol, 120, "洗衣液")  # two bottles
    assert GoodsService(ctx).list() == [GoodsView("洗衣液", 60, 1)]
    assert accounts.balance(vol).balance_minutes == 120
    with ctx.read() as session:
        assert session.scalar(select(Txn.memo).where(Txn.id == posted.id)) == "洗衣液 × 2"
    accounts.redeem(vol, 60, "洗衣液")
    assert GoodsService(ctx).list() == [GoodsView("洗衣液", 60, 0)]
    accounts.redeem(vol, 30, "理发券")  # not catalogued: free text, as before
    assert accounts.balance(vol).balance_minutes == 30
    assert accounts.system_balance("goods") == 210


def test_a_redemption_the_catalogue_cannot_cover_changes_nothing(ctx: AppContext) -> None:
    vol, rec, _both = people(ctx)
    serve(ctx, vol, rec, 180)
    goods = GoodsService(ctx)
    goods.add("洗衣液", 60, 2)
    goods.add("大米 5kg", 120, 0)
    accounts = AccountService(ctx)
    before = snapshot(ctx.engine)
    with pytest.raises(ValidationError, match="whole multiple"):
        accounts.redeem(vol, 90, "洗衣液")
    with pytest.raises(Refused, match="Only 2 of 洗衣液 left in stock \\(3 wanted\\)"):
        accounts.redeem(vol, 180, "洗衣液")
    with pytest.raises(Refused, match="out of stock"):
        accounts.redeem(vol, 120, "大米 5kg")
    assert snapshot(ctx.engine) == before
    goods.restock("大米 5kg", 5)
    before = snapshot(ctx.engine)
    with pytest.raises(Refused, match="Insufficient"):  # the stock is not taken either
        accounts.redeem(vol, 240, "大米 5kg")
    assert snapshot(ctx.engine) == before
