"""Goods for an exchange: an editable combo over the catalogue, with completion.

Each entry shows the price and the stock; picking one (from the list or by completion) emits
``picked(price_minutes)`` so the dialog can fill in the hours. Text that is not in the
catalogue stays free text, as `redeem --item` takes it: the service then checks no stock.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.i18n import _
from timebank_desktop.services.goods import GoodsView
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def goods_label(goods: GoodsView) -> str:
    """``茶叶 — 2 h each, 5 in stock`` (or ``out of stock``)."""
    if goods.stock <= 0:
        return _("{item} — {hours} h each, out of stock").format(
            item=goods.name, hours=format_hours(goods.price_minutes)
        )
    return _("{item} — {hours} h each, {stock} in stock").format(
        item=goods.name, hours=format_hours(goods.price_minutes), stock=goods.stock
    )


class GoodsPicker(QComboBox):
    picked = Signal(int)

    def __init__(
        self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.catalogue: list[GoodsView] = []
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.currentTextChanged.connect(self._text_changed)
        runner.run(backend.goods.list, self.set_catalogue, self._not_loaded)

    def set_catalogue(self, goods: list[GoodsView]) -> None:
        text = self.currentText()
        self.catalogue = list(goods)
        self.blockSignals(True)
        self.clear()
        for item in self.catalogue:
            self.addItem(goods_label(item), item.name)
        self.setCurrentIndex(-1)
        self.setEditText(text)
        self.blockSignals(False)
        self.retranslate()

    def _not_loaded(self, exc: BaseException) -> None:
        """Without the catalogue the goods are free text, as before; the reason is logged."""
        log.warning("goods catalogue not loaded: %s", exc)

    def retranslate(self) -> None:
        for i, item in enumerate(self.catalogue):
            self.setItemText(i, goods_label(item))
        edit = self.lineEdit()
        if edit is not None:
            hint = _("goods from the catalogue, or any text") if self.catalogue else ""
            edit.setPlaceholderText(hint)

    def chosen(self) -> GoodsView | None:
        """The catalogue item the text names (its label or its name), if any."""
        text = self.currentText().strip()
        for item in self.catalogue:
            if text in (item.name, goods_label(item)):
                return item
        return None

    def item_name(self) -> str:
        """What the exchange is for: the catalogue name, or the free text as typed."""
        item = self.chosen()
        return item.name if item is not None else self.currentText()

    def _text_changed(self, _text: str) -> None:
        item = self.chosen()
        if item is not None:
            self.picked.emit(item.price_minutes)
