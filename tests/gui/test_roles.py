"""Each role sees and may do only what it should (the services enforce; the UI hides)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.helpers import add_member, serve
from timebank_desktop.services.context import AppContext


def _visible(window: Any, *names: str) -> dict[str, bool]:
    found = {}
    for name in names:
        widget = window.findChild(object, name)
        assert widget is not None, name
        found[name] = widget.isVisibleTo(window.pages[name.split("_")[0]])
    return found


BUTTONS = (
    "members_add",
    "members_edit",
    "members_relation",
    "records_void",
    "accounts_grant",
    "accounts_transfer",
    "accounts_donation",
    "accounts_redemption",
)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", dict.fromkeys(BUTTONS, True)),
        (
            "clerk",
            {**dict.fromkeys(BUTTONS, True), "records_void": False, "accounts_grant": False},
        ),
        ("viewer", dict.fromkeys(BUTTONS, False)),
    ],
)
def test_buttons_follow_the_role(
    make_window: MakeWindow, role: str, expected: dict[str, bool]
) -> None:
    window = make_window(role)
    assert _visible(window, *BUTTONS) == expected


def test_only_admin_sees_staff_management(make_window: MakeWindow) -> None:
    for role, has_staff in (("admin", True), ("clerk", False), ("viewer", False)):
        page = make_window(role).settings_page
        tabs = [page.tabs.widget(i) for i in range(page.tabs.count())]
        assert (page.staff_tab in tabs) == has_staff, role


def test_viewer_sees_masked_ids_and_cannot_confirm(
    make_window: MakeWindow, centre: AppContext
) -> None:
    add_member(centre, "张三", date(1960, 3, 1))
    window = make_window("viewer")
    members = window.show_page("members")
    members.model.set_query("")  # type: ignore[attr-defined]
    assert "********" in members.model.data(members.model.index(0, 4))  # type: ignore[attr-defined]
    assert not window.records_page.slip.isEnabled()
    assert not window.settings_page.centre_save.isEnabled()


def test_clerk_confirms_but_service_refuses_void_for_clerk(
    make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    vol = add_member(centre, "张三", date(1960, 3, 1))
    rec = add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    view = serve(centre, vol, rec, 60, signed=False)
    window = make_window("clerk")
    records = window.records_page
    records.slip.setText(view.slip_no)
    records.confirm_slip()
    assert records.slip_result.text().startswith("✓")
    window.show_page("records")
    records.table.selectRow(0)
    prompts.answers["ask_text"] = ["typed twice"]
    records.void_selected()  # hidden button, but even if reached the service refuses
    assert prompts.messages("error")[-1][1] == "Your role (clerk) may not do this"


@pytest.mark.parametrize(("role", "may"), [("admin", True), ("clerk", True), ("viewer", False)])
def test_only_roles_that_record_services_can_fill_the_card(
    make_window: MakeWindow, role: str, may: bool
) -> None:
    window = make_window(role)
    form = window.service_page
    window.new_record()
    assert form.card.isEnabled() is may
    assert form.save_button.isVisibleTo(form) is may
    assert form.save_shortcut.isEnabled() is may
    assert ("may look at" in form.last_saved.text()) is not may
