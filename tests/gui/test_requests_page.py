"""The Requests page (需求): registered, matched and closed by keyboard, Ctrl+9 shows it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import MakeWindow, ScriptedPrompts
from tests.gui.keys import ctrl, focus_name, press, type_text
from tests.helpers import add_member, serve
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.service_requests import RequestService
from timebank_desktop.ui.dialogs.request import RequestDialog
from timebank_desktop.ui.dialogs.request_match import MatchDialog
from timebank_desktop.ui.mainwindow import MainWindow
from timebank_desktop.ui.pages.requests import RequestsPage

KEY = Qt.Key
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _people(centre: AppContext) -> dict[str, str]:
    return {
        "elder": add_member(centre, "李建国", date(1940, 6, 1), role="recipient"),
        "wang": add_member(centre, "王秀英", date(1962, 3, 1)),
        "zhao": add_member(centre, "赵敏", date(1958, 9, 9)),
    }


def _open_page(qtbot: Any, window: MainWindow) -> RequestsPage:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    ctrl(qtbot, KEY.Key_9)
    page = window.stack.currentWidget()
    assert isinstance(page, RequestsPage)
    return page


def _dialog(qtbot: Any, prompts: ScriptedPrompts, kind: type) -> Any:
    dialog = prompts.dialogs[-1]
    assert isinstance(dialog, kind)
    qtbot.addWidget(dialog)  # closed after the test, whatever happens
    return dialog


def _match_dialog(qtbot: Any, prompts: ScriptedPrompts) -> MatchDialog:
    """The match dialog just opened, once its list of volunteers has the focus."""
    dialog: MatchDialog = _dialog(qtbot, prompts, MatchDialog)
    qtbot.waitUntil(lambda: focus_name() == "match_table")
    return dialog


def _new_request(
    qtbot: Any, window: MainWindow, prompts: ScriptedPrompts
) -> tuple[RequestsPage, RequestDialog]:
    """The Requests page, and its new-request dialog opened by Ctrl+Shift+N (cursor in the
    recipient field)."""
    page = _open_page(qtbot, window)
    press(qtbot, KEY.Key_N, CTRL_SHIFT)
    dialog = _dialog(qtbot, prompts, RequestDialog)
    qtbot.waitUntil(lambda: focus_name() == "request_recipient")
    return page, dialog


def test_ctrl_9_shows_the_requests_page_as_the_ninth(qtbot: Any, make_window: MakeWindow) -> None:
    window = make_window()
    page = _open_page(qtbot, window)
    assert page.key == "requests"
    assert window.nav.item(8).text() == page.title()
    assert focus_name() == "requests_search"


def test_a_request_is_added_by_keyboard(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    page, dialog = _new_request(qtbot, make_window(), prompts)
    type_text(qtbot, people["elder"])
    press(qtbot, KEY.Key_Return)
    assert focus_name() == "request_category"
    type_text(qtbot, "meals")
    press(qtbot, KEY.Key_Return)
    type_text(qtbot, "12-03 上午")
    press(qtbot, KEY.Key_Return)
    type_text(qtbot, "不吃辣")
    press(qtbot, KEY.Key_Return)  # Enter in the last field saves
    assert dialog.result() == dialog.DialogCode.Accepted
    (saved,) = RequestService(centre).open_requests()
    assert (saved.recipient_no, saved.category, saved.when_text, saved.notes) == (
        people["elder"],
        "meals",
        "12-03 上午",
        "不吃辣",
    )
    assert page.model.rowCount() == 1
    chosen = page.selected()
    assert chosen is not None and chosen.view.id == saved.id
    assert page.count_label.text() == "1 open"


def test_a_refusal_shows_the_reason_beside_the_field_and_saves_nothing(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    _page, dialog = _new_request(qtbot, make_window(), prompts)
    type_text(qtbot, people["elder"])
    press(qtbot, KEY.Key_Tab)
    type_text(qtbot, "gardening")
    ctrl(qtbot, KEY.Key_S)
    assert dialog.isVisible()
    assert "Unknown service category" in dialog.errors["category"].text()
    assert dialog.errors["category"].isVisible()
    assert focus_name() == "request_category"
    assert RequestService(centre).open_requests() == []
    press(qtbot, KEY.Key_Escape)  # Esc closes without saving
    assert not dialog.isVisible()
    assert RequestService(centre).open_requests() == []


def test_a_volunteer_is_refused_as_the_recipient(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    _page, dialog = _new_request(qtbot, make_window(), prompts)
    for text in (people["wang"], "meals", "", ""):
        type_text(qtbot, text)
        press(qtbot, KEY.Key_Return)
    assert dialog.isVisible()
    assert "not registered as a recipient" in dialog.general_error.text()
    assert RequestService(centre).open_requests() == []


def test_match_lists_ranked_candidates_with_reasons_and_closes_with_a_slip(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    view = serve(centre, people["zhao"], people["elder"], 60)  # zhao has served this elder
    request = RequestService(centre).add(people["elder"], "meals", "12-03")
    page = _open_page(qtbot, make_window())
    assert page.model.rowCount() == 1
    press(qtbot, KEY.Key_Down)  # from the search field into the list
    assert focus_name() == "requests_table"
    ctrl(qtbot, KEY.Key_M)
    dialog = _dialog(qtbot, prompts, MatchDialog)
    rows = dialog.model.rows()
    assert [r.candidate.member_no for r in rows] == [people["zhao"], people["wang"]]
    assert rows[0].rank == 1
    assert any("served this elder" in reason for reason in rows[0].candidate.reasons)
    assert "served this elder" in dialog.model.index(0, 4).data()
    assert "2026-12-03" in dialog.heading.text()
    assert dialog.reasons.text().startswith("Why 赵敏")  # the chosen one's reasons in full
    assert "has served this elder before (1 times)" in dialog.reasons.text()
    qtbot.waitUntil(lambda: focus_name() == "match_table")
    prompts.answers["ask_text"] = [view.slip_no]
    press(qtbot, KEY.Key_S, CTRL_SHIFT)  # already served (by the best one): close with the slip
    assert dialog.result() == dialog.DialogCode.Accepted
    assert RequestService(centre).get(request.id).status == "served"
    assert page.model.rowCount() == 0


def test_esc_closes_the_match_dialog_without_changes(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    request = RequestService(centre).add(people["elder"], "meals")
    _open_page(qtbot, make_window())
    press(qtbot, KEY.Key_Return)  # Enter in the search field: into the list
    press(qtbot, KEY.Key_Return)  # Enter on a request: match
    dialog = _match_dialog(qtbot, prompts)
    press(qtbot, KEY.Key_Escape)
    assert not dialog.isVisible()
    assert RequestService(centre).get(request.id).status == "open"


def test_a_request_is_closed_without_a_record(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    keep = RequestService(centre).add(people["elder"], "meals", notes="留着")
    drop = RequestService(centre).add(people["elder"], "cleaning", notes="不要了")
    page = _open_page(qtbot, make_window())
    type_text(qtbot, "不要")  # the search filters the list
    assert page.model.rowCount() == 1
    press(qtbot, KEY.Key_Down)
    prompts.answers["confirm"] = [True]
    press(qtbot, KEY.Key_X, CTRL_SHIFT)
    assert RequestService(centre).get(drop.id).status == "cancelled"
    assert RequestService(centre).get(keep.id).status == "open"
    assert page.model.rowCount() == 0
    page.search.clear()
    assert page.model.rowCount() == 1


def test_a_wrong_slip_is_refused_and_the_request_stays_open(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    request = RequestService(centre).add(people["elder"], "meals")
    page = _open_page(qtbot, make_window())
    press(qtbot, KEY.Key_Down)
    prompts.answers["ask_text"] = ["999999"]
    press(qtbot, KEY.Key_S, CTRL_SHIFT)
    assert prompts.messages("error")
    assert RequestService(centre).get(request.id).status == "open"
    assert page.model.rowCount() == 1


def test_record_the_service_opens_the_form_filled_in_and_closes_the_request_on_save(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    request = RequestService(centre).add(people["elder"], "meals", "11-21")
    window = make_window()
    page = _open_page(qtbot, window)
    press(qtbot, KEY.Key_Down)
    press(qtbot, KEY.Key_Return)  # Enter on a request: match
    dialog = _match_dialog(qtbot, prompts)
    press(qtbot, KEY.Key_Down)  # the second volunteer
    chosen = dialog.chosen()
    assert chosen is not None
    press(qtbot, KEY.Key_Return)  # record the service by them
    assert not dialog.isVisible()
    form = window.service_page
    assert window.current_page() is form
    assert (
        form.edits["volunteer"].text(),
        form.edits["recipient"].text(),
        form.edits["category"].text(),
    ) == (chosen.member_no, people["elder"], "meals")
    window.activateWindow()  # the window manager's part, once the dialog is gone
    qtbot.waitUntil(lambda: focus_name() == "service_date")
    for text in ("11-19", "0900", "10:00", "p", "送餐上门", "1"):
        type_text(qtbot, text)
        press(qtbot, KEY.Key_Return)
    prompts.answers["confirm"] = [True]
    ctrl(qtbot, KEY.Key_S)
    assert "Close request" in prompts.messages("confirm")[-1][1]
    closed = RequestService(centre).get(request.id)
    assert closed.status == "served"
    assert page.model.rowCount() == 0
    assert page.pending is None


def test_a_record_for_another_elder_leaves_the_pending_request_open(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    other = add_member(centre, "周老太", date(1938, 2, 2), role="recipient")
    request = RequestService(centre).add(people["elder"], "meals")
    window = make_window()
    page = _open_page(qtbot, window)
    press(qtbot, KEY.Key_Down)
    ctrl(qtbot, KEY.Key_M)
    _match_dialog(qtbot, prompts)
    press(qtbot, KEY.Key_Return)
    window.service_page.edits["recipient"].setText(other)  # the clerk changed the elder
    record = serve(centre, people["wang"], other, 60)
    window.service_page.record_saved.emit(record)
    assert prompts.messages("confirm") == []
    assert RequestService(centre).get(request.id).status == "open"
    assert page.pending is not None


def test_a_viewer_may_match_but_not_add_or_close(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    request = RequestService(centre).add(people["elder"], "meals")
    page = _open_page(qtbot, make_window("viewer"))
    assert page.match_button.isVisibleTo(page)
    for button in (page.add_button, page.serve_button, page.cancel_button):
        assert not button.isVisibleTo(page)
    press(qtbot, KEY.Key_N, CTRL_SHIFT)
    assert prompts.dialogs == []
    press(qtbot, KEY.Key_Down)
    prompts.answers["confirm"] = [True]
    press(qtbot, KEY.Key_X, CTRL_SHIFT)
    assert RequestService(centre).get(request.id).status == "open"
    ctrl(qtbot, KEY.Key_M)
    dialog = _dialog(qtbot, prompts, MatchDialog)
    assert dialog.model.rowCount() == 2
    assert not dialog.record_button.isVisibleTo(dialog)
    assert not dialog.serve_button.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: focus_name() == "match_table")
    press(qtbot, KEY.Key_Return)  # nothing to record for a viewer
    assert dialog.isVisible()


def test_the_recipient_is_found_by_initials_and_the_category_named(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    people = _people(centre)
    _page, dialog = _new_request(qtbot, make_window(), prompts)
    type_text(qtbot, "ljg")  # 李建国
    popup = dialog.picker.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    press(qtbot, KEY.Key_Down)
    press(qtbot, KEY.Key_Return)
    assert dialog.edits["recipient"].text() == people["elder"]
    assert focus_name() == "request_category"
    type_text(qtbot, "meals")
    assert dialog.hints["category"].text() != ""
    ctrl(qtbot, KEY.Key_S)
    assert not dialog.isVisible()
    (saved,) = RequestService(centre).open_requests()
    assert (saved.recipient_no, saved.category) == (people["elder"], "meals")


def test_the_dialog_loads_the_categories_itself_when_the_page_had_none_yet(
    qtbot: Any, make_window: MakeWindow, centre: AppContext, prompts: ScriptedPrompts
) -> None:
    page = _open_page(qtbot, make_window())
    page.catalogue = ()
    page.add_request()
    dialog = _dialog(qtbot, prompts, RequestDialog)
    assert dialog.catalogue  # loaded by the dialog
    dialog.edits["category"].setText("meals")
    assert dialog.hints["category"].text() != ""


def test_the_request_table_names_the_category_in_the_language_and_the_age_in_days() -> None:
    from datetime import datetime

    from timebank_desktop.domain.categories import CategoryInfo
    from timebank_desktop.i18n import current_language, set_language
    from timebank_desktop.services.service_requests import RequestView
    from timebank_desktop.ui.itemmodels.requests import RequestModel, RequestRow

    view = RequestView(
        "0123456789abcdef",
        "M000002",
        "李建国",
        "meals",
        "12-03",
        "不吃辣",
        "open",
        datetime(2026, 11, 1),
    )
    meals = CategoryInfo("meals", "助餐", "Meal assistance", 1000, True)
    model = RequestModel()
    model.set_rows([RequestRow(view, meals, 3), RequestRow(view, None, 0)])
    texts = [[model.index(r, c).data() for c in range(6)] for r in range(2)]
    assert texts[0] == [
        "01234567",
        "李建国 (M000002)",
        "Meal assistance",
        "12-03",
        "3 d",
        "不吃辣",
    ]
    assert texts[1][2] == "meals" and texts[1][4] == "today"
    before = current_language()
    set_language("zh_CN")
    try:
        assert model.index(0, 2).data() == "助餐"
        assert model.index(0, 4).data() == "3 天"
    finally:
        set_language(before)
