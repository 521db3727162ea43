"""The queries the desktop GUI needs: member lookup, record list, dashboard, rotating backups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import add_member, serve
from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.domain.months import Month
from timebank_desktop.services.backup_rotation import automatic_backups, rotate_backup
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.dashboard import DashboardService
from timebank_desktop.services.lookup import MemberLookup
from timebank_desktop.services.record_list import RecordFilter, RecordListService
from timebank_desktop.services.records import RecordService


@pytest.fixture
def centre(sqlite_ctx: AppContext) -> dict[str, str]:
    return {
        "zhang": add_member(sqlite_ctx, "张三", date(1960, 3, 1), "volunteer", "13800001111"),
        "zhao": add_member(sqlite_ctx, "赵四", date(1962, 5, 1), "volunteer"),
        "li": add_member(sqlite_ctx, "李奶奶", date(1940, 1, 1), "recipient"),
        "wang": add_member(sqlite_ctx, "王爷爷", date(1938, 2, 2), "recipient"),
    }


def test_lookup_by_number_initials_tail_and_refusals(
    sqlite_ctx: AppContext, centre: dict[str, str]
) -> None:
    lookup = MemberLookup(sqlite_ctx)
    assert lookup.resolve(centre["zhang"].lower(), "volunteer").name == "张三"
    assert lookup.resolve("zhangs", "volunteer").member_no == centre["zhang"]
    assert lookup.resolve("1111", "volunteer").member_no == centre["zhang"]
    assert lookup.resolve("李奶奶", "recipient").member_no == centre["li"]
    with pytest.raises(ValidationError) as several:
        lookup.resolve("z", "volunteer", role="volunteer")
    assert (
        several.value.field == "volunteer" and several.value.problems[0].code == "lookup.several"
    )
    with pytest.raises(ValidationError) as unknown:
        lookup.resolve("M999999", "recipient")
    assert unknown.value.field == "recipient"
    with pytest.raises(ValidationError, match="No member"):
        lookup.resolve("qqq", "recipient")
    assert [m.name for m in lookup.suggestions("z", role="volunteer")] == ["张三", "赵四"]


def test_record_list_filters_and_pages(sqlite_ctx: AppContext, centre: dict[str, str]) -> None:
    serve(sqlite_ctx, centre["zhang"], centre["li"], 60, day=date(2026, 10, 5))
    serve(sqlite_ctx, centre["zhang"], centre["wang"], 30, day=date(2026, 11, 2), signed=False)
    serve(sqlite_ctx, centre["zhao"], centre["li"], 90, day=date(2026, 11, 3))
    records = RecordListService(sqlite_ctx)
    assert records.count(RecordFilter()) == 3
    november = RecordFilter(month=Month(2026, 11))
    assert [r.volunteer_name for r in records.page(november)] == ["赵四", "张三"]
    assert records.count(RecordFilter(status="pending")) == 1
    assert [r.credited_minutes for r in records.page(RecordFilter(volunteer="zhang"))] == [30, 60]
    assert len(records.page(RecordFilter(), limit=2, offset=2)) == 1
    assert records.months()[:2] == [Month(2026, 11), Month(2026, 10)]


def test_dashboard_figures_of_a_month(sqlite_ctx: AppContext, centre: dict[str, str]) -> None:
    serve(sqlite_ctx, centre["zhang"], centre["li"], 60, day=date(2026, 10, 5))
    serve(sqlite_ctx, centre["zhang"], centre["wang"], 30, day=date(2026, 11, 2), signed=False)
    serve(sqlite_ctx, centre["zhao"], centre["li"], 90, day=date(2026, 11, 3))
    pending = serve(sqlite_ctx, centre["zhao"], centre["wang"], 45, day=date(2026, 11, 4))
    RecordService(sqlite_ctx).void(pending.slip_no, "typed twice")
    board = DashboardService(sqlite_ctx).load(Month(2026, 11))
    f = board.figures
    assert (f.services, f.credited_minutes, f.withdrawn_minutes) == (2, 90, 0)
    assert (f.active_volunteers, f.elders_served, f.unsigned_slips) == (2, 2, 1)
    assert f.pool_liability_minutes == 150
    assert [m.credited_minutes for m in board.per_month][-2:] == [60, 90]
    assert len(board.per_month) == 12 and board.per_month[-1].month == Month(2026, 11)
    assert [(c.code, c.credited_minutes) for c in board.by_category] == [("meals", 150)]


def test_rotating_backups_keep_the_newest(sqlite_ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for _ in range(4):
        rotate_backup(sqlite_ctx, folder, keep=3)
        sqlite_ctx.clock.advance(seconds=1)  # type: ignore[attr-defined]
    kept = automatic_backups(folder)
    assert len(kept) == 3
    assert kept[-1].name == "auto-20261120-100003.sqlite3"
