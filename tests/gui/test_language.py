"""Switching the language at run time changes every text and keeps what was typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.conftest import MakeWindow
from timebank_desktop.i18n import current_language


def test_switch_to_chinese_and_back_keeps_typed_text(
    qtbot: Any, make_window: MakeWindow, settings: QSettings
) -> None:
    window = make_window("admin")
    form = window.service_page
    window.show_page("service")
    form.edits["volunteer"].setFocus()
    QTest.keyClicks(form.edits["volunteer"], "M000001")
    form.edits["content"].setText("送餐上门")
    form.signed.setChecked(True)
    assert form.labels["volunteer"].text() == "Volunteer:"
    window.set_language("zh_CN")
    assert current_language() == "zh_CN"
    assert form.labels["volunteer"].text() == "志愿者："
    assert window.nav.item(2).text() == "服务登记"
    assert window.menus["file"].title() == "文件(&F)"
    assert form.edits["volunteer"].accessibleName() == "志愿者"
    assert form.edits["volunteer"].text() == "M000001"
    assert form.edits["content"].text() == "送餐上门"
    assert form.signed.isChecked()
    assert settings.value("language") == "zh_CN"
    window.set_language("en")
    assert form.labels["volunteer"].text() == "Volunteer:"
    assert form.edits["volunteer"].text() == "M000001"


def test_language_menu_and_settings_page_switch(make_window: MakeWindow) -> None:
    window = make_window("viewer")
    window.actions_by_name["action_language_zh_CN"].trigger()
    assert window.windowTitle().startswith("时间银行")
    page = window.settings_page
    page.language.setCurrentIndex(page.language.findData("en"))
    page.language.activated.emit(page.language.currentIndex())
    assert current_language() == "en"
    assert window.actions_by_name["action_language_en"].isChecked()


def test_qt_standard_buttons_follow_the_language(qtbot: Any, make_window: MakeWindow) -> None:
    window = make_window("admin")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save, window)
    save = box.button(QDialogButtonBox.StandardButton.Save)
    window.set_language("zh_CN")
    try:
        qtbot.waitUntil(lambda: save.text() == "保存")  # Qt posts the change to each widget
    finally:
        window.set_language("en")
    qtbot.waitUntil(lambda: save.text() == "Save")
