"""goods add / list / restock: the catalogue that `redeem --item` draws on."""

from __future__ import annotations

import argparse
from typing import Any

from timebank_desktop.cli.common import context, print_json
from timebank_desktop.domain.minutes import format_hours, format_hours_unit, positive_hours
from timebank_desktop.i18n import _
from timebank_desktop.services.goods import GoodsService, parse_stock


def register(commands: Any) -> None:
    goods = commands.add_parser("goods", help=_("goods for exchange: add, list, restock"))
    sub = goods.add_subparsers(dest="goods_command", metavar="ACTION", required=True)
    p = sub.add_parser("add", help=_("add an item with its price in hours and its stock"))
    p.add_argument("--name", required=True)
    p.add_argument("--hours", required=True, help=_("the price of one item, in hours"))
    p.add_argument("--stock", required=True, metavar="N")
    p.set_defaults(handler=add)
    p = sub.add_parser("list", help=_("the goods catalogue"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_goods)
    p = sub.add_parser("restock", help=_("add to an item's stock"))
    p.add_argument("--name", required=True)
    p.add_argument("--add", dest="count", required=True, metavar="N")
    p.set_defaults(handler=restock)


def add(args: argparse.Namespace) -> int:
    price = positive_hours(args.hours)
    stock = parse_stock(args.stock)
    view = GoodsService(context(args)).add(args.name, price, stock)
    print(
        _("{item} added: {hours} h each, {stock} in stock").format(
            item=view.name, hours=format_hours(view.price_minutes), stock=view.stock
        )
    )
    return 0


def list_goods(args: argparse.Namespace) -> int:
    found = GoodsService(context(args)).list()
    if args.json:
        print_json(
            [
                {
                    "name": g.name,
                    "price_minutes": g.price_minutes,
                    "price_hours": format_hours(g.price_minutes),
                    "stock": g.stock,
                }
                for g in found
            ]
        )
        return 0
    for g in found:
        print(f"{g.name}\t{format_hours_unit(g.price_minutes)}\t{g.stock}")
    return 0


def restock(args: argparse.Namespace) -> int:
    count = parse_stock(args.count, "add")
    view = GoodsService(context(args)).restock(args.name, count)
    print(_("{item}: {stock} in stock").format(item=view.name, stock=view.stock))
    return 0
