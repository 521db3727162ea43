"""The goods catalogue: name, price of one item in hours, stock."""

from __future__ import annotations

from typing import Any

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.i18n import _
from timebank_desktop.services.goods import GoodsView
from timebank_desktop.ui.itemmodels.base import Column, RowsModel


class GoodsModel(RowsModel[GoodsView]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Column(lambda: _("Goods"), lambda g: g.name),
                Column(
                    lambda: _("Price (h)"),
                    lambda g: format_hours(g.price_minutes),
                    align_right=True,
                    sort_key=lambda g: g.price_minutes,
                ),
                Column(
                    lambda: _("In stock"),
                    lambda g: str(g.stock),
                    align_right=True,
                    sort_key=lambda g: g.stock,
                ),
            ],
            parent,
        )
