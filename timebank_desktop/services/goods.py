"""The goods catalogue (兑换商品): items with a price in hours and a stock.

`redeem` (services/accounts.py) calls :func:`take_for_redemption` inside its own transaction,
so the stock goes down together with the posting or not at all. An item not in the catalogue
is free text and is redeemed as before, with no stock to check.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import NotFound, Refused, ValidationError
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import GoodsItem
from timebank_desktop.services.care_text import text_field
from timebank_desktop.services.context import AppContext

MAX_NAME = 100  # goods_item.name is VARCHAR(100)
MAX_STOCK = 1_000_000


@dataclass(frozen=True, slots=True)
class GoodsView:
    name: str
    price_minutes: int
    stock: int


def parse_stock(text: str | int, field: str = "stock") -> int:
    """A stock count: a whole number from 0 up."""
    try:
        value = int(str(text).strip())
    except ValueError:
        raise ValidationError.single(
            "goods.stock", _("The stock must be a whole number, 0 or more"), field
        ) from None
    if not 0 <= value <= MAX_STOCK:
        raise ValidationError.single(
            "goods.stock", _("The stock must be a whole number, 0 or more"), field
        )
    return value


def take_for_redemption(session: Session, item: str, amount: int) -> int | None:
    """Take the goods ``amount`` minutes buy off the stock; ``None`` if not catalogued.

    The amount must be a whole multiple of the item's price (quantity = amount / price) and
    the stock must cover the quantity; the row is locked until the caller's transaction ends.
    """
    goods = session.scalar(select(GoodsItem).where(GoodsItem.name == item).with_for_update())
    if goods is None:
        return None
    quantity, rest = divmod(amount, goods.price_minutes)
    if rest or quantity <= 0:
        raise ValidationError.single(
            "redeem.price",
            _("{item} costs {price} h each: the hours must be a whole multiple of it").format(
                item=goods.name, price=format_hours(goods.price_minutes)
            ),
            "hours",
        )
    if goods.stock < quantity:
        if goods.stock <= 0:
            raise Refused(_("{item} is out of stock").format(item=goods.name))
        raise Refused(
            _("Only {stock} of {item} left in stock ({wanted} wanted)").format(
                stock=goods.stock, item=goods.name, wanted=quantity
            )
        )
    goods.stock -= quantity
    return quantity


def redemption_memo(item: str, quantity: int | None) -> str:
    """The note of a redemption: the item, with the quantity when more than one."""
    return item if quantity is None or quantity == 1 else f"{item} × {quantity}"


class GoodsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def add(self, name: str, price_minutes: int, stock: int) -> GoodsView:
        """Put an item in the catalogue; its name is unique, its price above zero."""
        ctx = self.ctx
        ctx.require(Permission.SETTINGS)
        name = text_field(name, MAX_NAME, "name", _("The name of the goods"))
        if price_minutes <= 0:
            raise ValidationError.single(
                "hours.not_positive", _("Hours must be more than zero"), "hours"
            )
        stock = parse_stock(stock)
        with ctx.write() as session:
            if session.scalar(select(GoodsItem.id).where(GoodsItem.name == name)):
                raise Refused(_("{item} is already in the goods catalogue").format(item=name))
            row = GoodsItem(id=ctx.new_id(), name=name, price_minutes=price_minutes, stock=stock)
            session.add(row)
            try:
                session.flush()
            except IntegrityError:  # another clerk added it meanwhile (the name is unique)
                raise Refused(
                    _("{item} is already in the goods catalogue").format(item=name)
                ) from None
            detail = {"name": name, "price": price_minutes, "stock": stock}
            ctx.audit(session, "goods.add", "goods_item", row.id, **detail)
            return GoodsView(name, price_minutes, stock)

    def restock(self, name: str, count: int) -> GoodsView:
        """Add ``count`` (above zero) to an item's stock."""
        ctx = self.ctx
        ctx.require(Permission.MOVE_HOURS)
        added = parse_stock(count)
        if added <= 0:
            raise ValidationError.single(
                "goods.restock", _("Add at least one to the stock"), "stock"
            )
        with ctx.write() as session:
            goods = session.scalar(
                select(GoodsItem).where(GoodsItem.name == name.strip()).with_for_update()
            )
            if goods is None:
                raise NotFound(_("No goods named {item} in the catalogue").format(item=name))
            goods.stock += added
            ctx.audit(session, "goods.restock", "goods_item", goods.id, added=added)
            return GoodsView(goods.name, goods.price_minutes, goods.stock)

    def list(self) -> list[GoodsView]:
        """The catalogue, by name."""
        with self.ctx.read() as session:
            rows = session.execute(
                select(GoodsItem.name, GoodsItem.price_minutes, GoodsItem.stock).order_by(
                    GoodsItem.name
                )
            ).all()
            return [GoodsView(name, price, stock) for name, price, stock in rows]
