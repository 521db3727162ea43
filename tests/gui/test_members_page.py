"""The members page: as-you-type search, the count, the detail with a masked ID number."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.gui.conftest import MakeWindow
from tests.helpers import add_member
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberService
from timebank_desktop.ui.pages.members import MembersPage


def _page(make_window: MakeWindow, role: str = "admin") -> MembersPage:
    window = make_window(role)
    page = window.show_page("members")
    assert isinstance(page, MembersPage)
    return page


def test_a_short_result_is_counted_without_a_count_query(
    make_window: MakeWindow, centre: AppContext, monkeypatch: Any
) -> None:
    for i, name in enumerate(("张三", "张伟", "李四")):
        add_member(centre, name, date(1950, 1, 1 + i))
    page = _page(make_window)
    counted: list[str] = []
    real_count = type(page.backend.members).count
    monkeypatch.setattr(
        type(page.backend.members),
        "count",
        lambda self, text="": counted.append(text) or real_count(self, text),
    )
    page.search.setText("zh")
    page.apply_search()
    assert page.model.rowCount() == 2
    assert page.count_label.text() == "2 members"
    assert counted == []  # the first page held them all


def test_a_long_result_is_counted_in_sql(make_window: MakeWindow, centre: AppContext) -> None:
    for i in range(5):
        add_member(centre, "王秀英", date(1950, 1, 1 + i))
    page = _page(make_window)
    page.model.page_size = 2
    page.search.setText("wxy")
    page.apply_search()
    assert page.model.rowCount() == 2  # one page shown, the rest on scrolling
    assert page.count_label.text() == "5 members"


def test_a_viewer_sees_masked_id_numbers_a_clerk_the_full_ones(
    make_window: MakeWindow, centre: AppContext
) -> None:
    add_member(centre, "张三", date(1950, 1, 1))
    for role, masked in (("viewer", True), ("clerk", False)):
        page = _page(make_window, role)
        page.search.setText("M000001")
        page.apply_search()
        page.table.selectRow(0)
        shown = page.detail.values["id_number"].text()
        assert len(shown) == 18 and ("*" in shown) is masked
        assert ("*" in page.model.data(page.model.index(0, 4))) is masked


def test_esc_closes_the_member_dialog_without_saving(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    window = make_window("admin")
    window.show_page("members")
    page = window.pages["members"]
    assert isinstance(page, MembersPage)
    page.add_member()
    dialog = window.findChild(QDialog, "member_dialog")
    assert dialog is not None and dialog.isVisible()
    dialog.edits["name"].setText("张三")  # type: ignore[attr-defined]
    qtbot.keyClick(dialog.edits["name"], Qt.Key.Key_Escape)  # type: ignore[attr-defined]
    assert not dialog.isVisible()
    assert MemberService(centre).count() == 0
