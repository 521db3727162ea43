"""The goods tab (兑换物品): the catalogue that exchanges draw on, new items, restocking.

Everyone sees the list; administrators add items (Permission.SETTINGS, as `goods add`) and
staff who move hours restock (Permission.MOVE_HOURS, as `goods restock`).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.minutes import positive_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.goods import GoodsView, parse_stock
from timebank_desktop.ui.backend import Backend
from timebank_desktop.ui.form_errors import show_refusal
from timebank_desktop.ui.itemmodels.goods import GoodsModel
from timebank_desktop.ui.pages.settings_table_tab import TableFormTab
from timebank_desktop.ui.tasks import TaskRunner
from timebank_desktop.ui.widgets import ErrorLabel, accessible, fit_columns, label_buttons, named

NEW_FIELDS = ("name", "hours", "stock")


class GoodsTab(TableFormTab[GoodsModel]):
    def __init__(
        self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__("goods", GoodsModel, NEW_FIELDS, backend, runner, parent)
        self.add_button = named(QPushButton(), "goods_add")
        self.add_button.clicked.connect(self.add_item)
        for edit in self.edits.values():
            edit.returnPressed.connect(self.add_item)
        self.restock_count = named(QLineEdit(), "goods_restock_count")
        self.restock_count.returnPressed.connect(self.restock)
        self.restock_error = ErrorLabel("goods_restock_error")
        self.restock_button = named(QPushButton(), "goods_restock")
        self.restock_button.clicked.connect(self.restock)
        self.labels["restock"] = QLabel()
        self.form.addRow("", self.add_button)
        adding = self.form_panel()
        adding.setVisible(backend.may(Permission.SETTINGS))
        restock_row = QHBoxLayout()
        restock_row.addWidget(self.labels["restock"])
        restock_row.addWidget(self.restock_count)
        restock_row.addWidget(self.restock_button)
        restock_row.addStretch(1)
        self.labels["restock"].setBuddy(self.restock_count)
        restocking = QWidget()
        restocking.setLayout(restock_row)
        restocking.setVisible(backend.may(Permission.MOVE_HOURS))
        self.restock_error.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(restocking)
        layout.addWidget(self.restock_error)
        layout.addWidget(adding)
        layout.addWidget(self.general_error)
        self.retranslate()

    def retranslate(self) -> None:
        texts = {
            "name": _("Goods name:"),
            "hours": _("Price in hours (each):"),
            "stock": _("Stock:"),
            "restock": _("Add to the stock of the selected goods:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
            accessible(self.restock_count if key == "restock" else self.edits[key], text)
        self.edits["hours"].setPlaceholderText(_("e.g. 1.5"))
        label_buttons(
            (self.add_button, _("Add goods")),
            (self.restock_button, _("Restock")),
        )
        accessible(self.table, _("Goods for exchange"))
        self.model.retranslate()
        fit_columns(self.table, (200, 80, 80))

    def load(self) -> None:
        self.runner.run(self.backend.goods.list, self._loaded, self._refused)

    def _loaded(self, rows: list[GoodsView]) -> None:
        current = self.selected()
        self.model.set_rows(rows)
        if current is not None:
            for i, row in enumerate(rows):
                if row.name == current.name:
                    self.table.selectRow(i)

    def selected(self) -> GoodsView | None:
        return self.model.row_at(self.table.currentIndex().row())

    def add_item(self) -> None:
        goods = self.backend.goods
        name, hours, stock = (self.edits[k].text() for k in NEW_FIELDS)

        def work() -> GoodsView:
            price = positive_hours(hours, "hours")
            return goods.add(name, price, parse_stock(stock))

        self.runner.run(work, self._added, self._refused)

    def _added(self, _view: GoodsView) -> None:
        self.clear_form()
        self.edits["name"].setFocus()
        self.load()

    def restock(self) -> None:
        item = self.selected()
        if item is None:
            self.restock_error.show_message(_("Select the goods to restock in the list"))
            return
        goods, count = self.backend.goods, self.restock_count.text()
        self.runner.run(
            lambda: goods.restock(item.name, parse_stock(count)),
            self._restocked,
            self._restock_refused,
        )

    def _restocked(self, _view: GoodsView) -> None:
        self.restock_count.clear()
        self.restock_error.clear_message()
        self.load()

    def _restock_refused(self, exc: BaseException) -> None:
        show_refusal(exc, {}, self.restock_error, {})
        self.restock_count.setFocus()
