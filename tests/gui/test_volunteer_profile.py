"""A volunteer's training certificates and insurance in the member detail, by keyboard."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import focus_name, press, type_text
from tests.helpers import add_member
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.volunteers import VolunteerService
from timebank_desktop.ui.itemmodels.volunteers import (
    STATE_ROLE,
    CertificateModel,
    PolicyModel,
    expiry_state,
)
from timebank_desktop.ui.pages.members import MembersPage

KEY = Qt.Key


def _detail(qtbot: Any, make_window: MakeWindow, member_no: str, role: str = "admin") -> Any:
    window = make_window(role)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.show_page("members")
    assert isinstance(page, MembersPage)
    page.show_member(member_no)
    return page.detail


def _volunteer(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, role: str = "admin"
) -> tuple[str, Any]:
    """A new volunteer (王志愿), shown in the member detail of a window signed in as ``role``."""
    number = add_member(centre, "王志愿", date(1960, 3, 1))
    return number, _detail(qtbot, make_window, number, role)


def _fill(qtbot: Any, texts: list[str]) -> None:
    for i, text in enumerate(texts):
        if i:
            press(qtbot, KEY.Key_Tab)
        type_text(qtbot, text)
    press(qtbot, KEY.Key_Return)


def _open(qtbot: Any, detail: Any, prompts: ScriptedPrompts, kind: str) -> Any:
    button = detail.volunteer.buttons[kind]
    detail.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is detail.window())
    button.setFocus()
    qtbot.waitUntil(lambda: focus_name() == f"member_add_{kind}")
    press(qtbot, KEY.Key_Space)
    dialog = prompts.dialogs[-1]
    assert dialog.objectName() == f"volunteer_{kind}_dialog"
    dialog.activateWindow()
    first = "course" if kind == "certificate" else "insurer"
    qtbot.waitUntil(lambda: focus_name() == f"volunteer_{first}")
    return dialog


def test_certificate_and_policy_added_by_keyboard_and_marked(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number, detail = _volunteer(qtbot, make_window, centre)
    assert detail.volunteer.isVisible()
    assert detail.volunteer.certificates.rowCount() == 0

    dialog = _open(qtbot, detail, prompts, "certificate")
    _fill(qtbot, ["急救培训", "2026-01-10", "2026-12-01"])  # expires within the month
    assert not dialog.isVisible()
    dialog = _open(qtbot, detail, prompts, "insurance")
    _fill(qtbot, ["平安保险", "P-001", "2025-01-01", "2025-12-31"])  # long run out
    assert not dialog.isVisible()

    (cert,) = VolunteerService(centre).certificates(number)
    assert (cert.course, cert.issued_on, cert.expires_on) == (
        "急救培训",
        date(2026, 1, 10),
        date(2026, 12, 1),
    )
    (policy,) = VolunteerService(centre).policies(number)
    assert (policy.insurer, policy.policy_no) == ("平安保险", "P-001")
    certs, policies = detail.volunteer.certificates, detail.volunteer.policies
    assert [certs.index(0, c).data() for c in range(3)] == [
        "急救培训",
        "2026-01-10 – 2026-12-01",
        "expires soon",
    ]
    assert certs.index(0, 0).data(STATE_ROLE) == "soon"
    assert [policies.index(0, c).data() for c in range(4)] == [
        "平安保险",
        "P-001",
        "2025-01-01 – 2025-12-31",
        "expired",  # the word as well as the colour
    ]
    colour = policies.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).color()
    assert colour.name() == "#b00020"


def test_a_refusal_shows_the_reason_beside_the_field_and_saves_nothing(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number, detail = _volunteer(qtbot, make_window, centre)
    dialog = _open(qtbot, detail, prompts, "insurance")
    _fill(qtbot, ["平安保险", "P-002", "2026-13-01", "2026-12-31"])
    assert dialog.isVisible()
    assert dialog.errors["from"].text() == "Write the date as YYYY-MM-DD or MM-DD"
    assert focus_name() == "volunteer_from"
    dialog.edits["from"].setText("2027-01-01")
    press(qtbot, KEY.Key_Return)
    assert dialog.errors["to"].text() == "The policy cannot end before it begins"
    assert VolunteerService(centre).policies(number) == []

    dialog.reject()
    dialog = _open(qtbot, detail, prompts, "certificate")
    _fill(qtbot, ["急救培训", "2027-01-01"])  # the course date cannot be in the future
    assert dialog.errors["date"].text() == "The course date cannot be in the future"
    assert VolunteerService(centre).certificates(number) == []


def test_a_recipient_has_no_volunteer_section_and_a_viewer_cannot_add(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    elder = add_member(centre, "李奶奶", date(1940, 1, 1), "recipient")
    detail = _detail(qtbot, make_window, elder)
    assert not detail.volunteer.isVisible()
    _number, detail = _volunteer(qtbot, make_window, centre, role="viewer")
    assert detail.volunteer.isVisible()
    assert not detail.volunteer.buttons["certificate"].isEnabled()
    assert not detail.volunteer.buttons["insurance"].isEnabled()


def test_esc_closes_the_dialog_without_saving(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    number, detail = _volunteer(qtbot, make_window, centre)
    dialog = _open(qtbot, detail, prompts, "certificate")
    type_text(qtbot, "急救培训")
    press(qtbot, KEY.Key_Escape)
    assert not dialog.isVisible()
    assert VolunteerService(centre).certificates(number) == []


def test_the_models_pass_the_model_tester(qtmodeltester: Any, centre: AppContext) -> None:
    number = add_member(centre, "王志愿", date(1960, 3, 1))
    service = VolunteerService(centre)
    service.certify(number, "急救培训", date(2026, 1, 10))
    service.insure(number, "平安保险", "P-1", date(2026, 1, 1), date(2026, 12, 31))
    certificates, policies = CertificateModel(), PolicyModel()
    certificates.show(service.certificates(number), date(2026, 11, 20))
    policies.show(service.policies(number), date(2026, 11, 20))
    assert certificates.index(0, 1).data() == "2026-01-10 – no expiry"
    assert policies.index(0, 3).data() == "valid"
    assert policies.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    qtmodeltester.check(certificates)
    qtmodeltester.check(policies)


def test_expiry_states() -> None:
    today = date(2026, 11, 20)
    assert expiry_state(None, today) == "valid"
    assert expiry_state(date(2026, 11, 19), today) == "expired"
    assert expiry_state(date(2026, 11, 20), today) == "soon"
    assert expiry_state(date(2026, 12, 20), today) == "soon"
    assert expiry_state(date(2026, 12, 21), today) == "valid"


def test_the_section_and_the_goods_tab_follow_the_language(
    qtbot: Any, make_window: MakeWindow, centre: AppContext
) -> None:
    number = add_member(centre, "王志愿", date(1960, 3, 1))
    VolunteerService(centre).insure(
        number, "平安保险", "P-1", date(2025, 1, 1), date(2025, 12, 31)
    )
    detail = _detail(qtbot, make_window, number)
    window = detail.window()
    window.set_language("zh_CN")
    try:
        assert detail.volunteer.buttons["certificate"].text() == "添加证书…"
        assert detail.volunteer.policies.index(0, 3).data() == "已过期"
        settings = window.settings_page
        assert settings.tabs.tabText(settings.tabs.indexOf(settings.goods_tab)) == "兑换物品"
        assert settings.goods_tab.add_button.text() == "添加物品"
    finally:
        window.set_language("en")
    assert detail.volunteer.policies.index(0, 3).data() == "expired"
