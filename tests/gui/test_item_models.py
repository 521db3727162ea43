"""Every item model passes Qt's model tester, with rows in it; paging fetches lazily."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.helpers import add_member, serve
from timebank_desktop.domain.categories import DEFAULT_CATEGORIES
from timebank_desktop.i18n import current_language, set_language
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.auth import StaffService
from timebank_desktop.services.catalogue import CategoryService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.record_list import RecordListService
from timebank_desktop.ui.itemmodels.base import ROW_ROLE
from timebank_desktop.ui.itemmodels.completion import MemberCompletionModel
from timebank_desktop.ui.itemmodels.members import MemberTableModel
from timebank_desktop.ui.itemmodels.records import RecordTableModel
from timebank_desktop.ui.itemmodels.small import CategoryModel, HistoryModel, StaffModel
from timebank_desktop.ui.tasks import TaskRunner


def _people(ctx: AppContext, n: int = 7) -> list[str]:
    numbers = [
        add_member(ctx, f"张{'一二三四五六七八九'[i]}", date(1950, 1, i + 1)) for i in range(n)
    ]
    numbers.append(add_member(ctx, "李奶奶", date(1938, 2, 2), "recipient"))
    return numbers


def test_member_table_pages_lazily(
    qtmodeltester: Any, centre: AppContext, runner: TaskRunner
) -> None:
    _people(centre)
    model = MemberTableModel(MemberService(centre), runner, show_identity=False, page_size=3)
    model.set_query("")
    assert model.rowCount() == 3 and model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 8 and not model.canFetchMore(model.index(-1, -1))
    assert "*" in model.data(model.index(0, MemberTableModel.ID_NUMBER))
    qtmodeltester.check(model)
    model.set_query("zhang")
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 7
    qtmodeltester.check(model)


def test_member_table_shows_ids_to_roles_that_may(centre: AppContext, runner: TaskRunner) -> None:
    _people(centre, 1)
    model = MemberTableModel(MemberService(centre), runner, show_identity=True)
    model.set_query("")
    assert "*" not in model.data(model.index(0, MemberTableModel.ID_NUMBER))


def test_record_table(qtmodeltester: Any, centre: AppContext, runner: TaskRunner) -> None:
    numbers = _people(centre, 2)
    serve(centre, numbers[0], numbers[-1], 60)
    serve(centre, numbers[1], numbers[-1], 30, signed=False)
    categories = CategoryService(centre).list
    model = RecordTableModel(RecordListService(centre), runner, page_size=1, categories=categories)
    model.reload()
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 2
    assert {model.data(model.index(r, 9)) for r in range(2)} == {"posted", "waiting for slip"}
    assert model.data(model.index(0, 4)) == "meals"  # the category's name, not its code
    before = current_language()
    set_language("zh_CN")
    try:
        assert model.data(model.index(0, 4)) == "助餐"
    finally:
        set_language(before)
    qtmodeltester.check(model)


def test_small_models(qtmodeltester: Any, centre: AppContext) -> None:
    numbers = _people(centre, 1)
    serve(centre, numbers[0], numbers[-1], 90)
    history = HistoryModel()
    history.set_rows(AccountService(centre).history(numbers[0])[1])
    assert history.data(history.index(0, 6)) == "1.5"
    assert history.data(history.index(0, 3)) == "community pool"
    assert history.data(history.index(0, 0), ROW_ROLE).amount == 90
    categories = CategoryModel()
    categories.set_rows(DEFAULT_CATEGORIES)
    staff = StaffModel()
    staff.set_rows(StaffService(centre).list())
    completion = MemberCompletionModel()
    completion.set_rows(MemberService(centre).search("", limit=5))
    for model in (history, categories, staff, completion):
        qtmodeltester.check(model)
    history.retranslate()
