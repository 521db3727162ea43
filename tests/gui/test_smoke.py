from __future__ import annotations

from tests.gui.conftest import MakeWindow


def test_every_page_opens(make_window: MakeWindow) -> None:
    window = make_window("admin")
    for key in (
        "dashboard",
        "members",
        "service",
        "records",
        "accounts",
        "reports",
        "sync",
        "settings",
    ):
        assert window.show_page(key).isVisible()
