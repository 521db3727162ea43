"""The goods catalogue in the GUI: the settings tab and the exchange dialog's goods picker."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import activate, focus_name, open_account_dialog, press, type_text
from tests.helpers import add_member
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.goods import GoodsService, GoodsView
from timebank_desktop.ui.itemmodels.goods import GoodsModel

KEY = Qt.Key


def _goods_tab(qtbot: Any, make_window: MakeWindow, role: str) -> Any:
    window = make_window(role)
    activate(qtbot, window)
    page = window.show_page("settings")
    page.tabs.setCurrentWidget(page.goods_tab)  # type: ignore[attr-defined]
    return page.goods_tab  # type: ignore[attr-defined]


def test_goods_added_and_restocked_by_keyboard(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    tab = _goods_tab(qtbot, make_window, "admin")
    tabs = tab.window().settings_page.tabs
    assert tabs.tabText(tabs.indexOf(tab)) == "Goods"
    tab.edits["name"].setFocus()
    qtbot.waitUntil(lambda: focus_name() == "goods_name")
    type_text(qtbot, "大米")
    press(qtbot, KEY.Key_Tab)
    type_text(qtbot, "0")  # refused: nothing is saved
    press(qtbot, KEY.Key_Tab)
    type_text(qtbot, "3")
    press(qtbot, KEY.Key_Return)
    assert tab.errors["hours"].text() == "Hours must be more than zero"
    assert focus_name() == "goods_hours"
    assert GoodsService(centre).list() == []
    tab.edits["hours"].setText("1.5")
    press(qtbot, KEY.Key_Return)
    assert GoodsService(centre).list() == [GoodsView("大米", 90, 3)]
    assert tab.model.rowCount() == 1
    assert [tab.model.index(0, c).data() for c in range(3)] == ["大米", "1.5", "3"]
    assert not tab.errors["hours"].isVisible()

    tab.table.setFocus()
    tab.table.selectRow(0)
    tab.restock_count.setFocus()
    type_text(qtbot, "none")
    press(qtbot, KEY.Key_Return)
    assert tab.restock_error.text() == "The stock must be a whole number, 0 or more"
    tab.restock_count.setText("4")
    press(qtbot, KEY.Key_Return)
    assert GoodsService(centre).list() == [GoodsView("大米", 90, 7)]
    assert tab.model.index(0, 2).data() == "7"


def test_the_goods_model_passes_the_model_tester(qtmodeltester: Any, centre: AppContext) -> None:
    GoodsService(centre).add("大米", 90, 3)
    model = GoodsModel()
    model.set_rows(GoodsService(centre).list())
    qtmodeltester.check(model)


def test_goods_tab_follows_the_role(qtbot: Any, make_window: MakeWindow) -> None:
    clerk = _goods_tab(qtbot, make_window, "clerk")
    assert not clerk.add_button.isVisibleTo(clerk) and clerk.restock_button.isVisibleTo(clerk)
    viewer = _goods_tab(qtbot, make_window, "viewer")
    assert not viewer.add_button.isVisibleTo(viewer)
    assert not viewer.restock_button.isVisibleTo(viewer)


def _exchange(qtbot: Any, make_window: MakeWindow, prompts: ScriptedPrompts, number: str) -> Any:
    dialog = open_account_dialog(qtbot, make_window("admin"), prompts, number, "redemption")
    activate(qtbot, dialog)
    qtbot.waitUntil(lambda: focus_name() == "account_item")
    return dialog


def test_exchange_with_a_catalogue_item_lowers_stock_and_balance(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number = add_member(centre, "王志愿", date(1960, 3, 1))
    AccountService(centre).grant(number, 300, "start")
    GoodsService(centre).add("茶叶", 120, 1)
    GoodsService(centre).add("大米", 90, 5)
    dialog = _exchange(qtbot, make_window, prompts, number)
    assert dialog.goods.itemText(0) == "大米 — 1.5 h each, 5 in stock"
    assert dialog.goods.itemText(1) == "茶叶 — 2 h each, 1 in stock"
    type_text(qtbot, "茶")  # completion offers the tea, with its price and stock
    popup = QApplication.activePopupWidget()
    assert popup is not None
    press(qtbot, KEY.Key_Down)
    press(qtbot, KEY.Key_Return)
    assert dialog.goods.currentText() == "茶叶 — 2 h each, 1 in stock"
    assert dialog.edit("hours").text() == "2"  # the price filled in
    press(qtbot, KEY.Key_Tab)
    assert focus_name() == "account_hours"
    press(qtbot, KEY.Key_Return)
    assert not dialog.isVisible()
    assert AccountService(centre).balance(number).balance_minutes == 180
    assert GoodsService(centre).list()[1] == GoodsView("茶叶", 120, 0)

    dialog = _exchange(qtbot, make_window, prompts, number)  # none left
    assert dialog.goods.itemText(1) == "茶叶 — 2 h each, out of stock"
    dialog.goods.setCurrentIndex(1)
    assert dialog.edit("hours").text() == "2"
    dialog.edit("hours").setFocus()
    press(qtbot, KEY.Key_Return)
    assert dialog.isVisible()
    assert dialog.general_error.text() == "茶叶 is out of stock"
    assert AccountService(centre).balance(number).balance_minutes == 180


def test_free_text_goods_still_work_with_an_empty_catalogue(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number = add_member(centre, "王志愿", date(1960, 3, 1))
    AccountService(centre).grant(number, 120, "start")
    dialog = _exchange(qtbot, make_window, prompts, number)
    assert dialog.goods.count() == 0
    type_text(qtbot, "毛巾")
    press(qtbot, KEY.Key_Tab)
    type_text(qtbot, "1")
    press(qtbot, KEY.Key_Return)
    assert not dialog.isVisible()
    assert AccountService(centre).balance(number).balance_minutes == 60
