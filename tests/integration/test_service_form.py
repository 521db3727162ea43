"""The service form as typed: every field checked at once, in form order, nothing saved."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import add_member
from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.record_list import RecordFilter, RecordListService
from timebank_desktop.services.service_form import ServiceForm, ServiceFormService


@pytest.fixture
def people(sqlite_ctx: AppContext) -> tuple[str, str]:
    return (
        add_member(sqlite_ctx, "张三", date(1960, 3, 1), "volunteer"),
        add_member(sqlite_ctx, "李奶奶", date(1940, 1, 1), "recipient"),
    )


def test_a_card_typed_with_keys_is_recorded(
    sqlite_ctx: AppContext, people: tuple[str, str]
) -> None:
    form = ServiceForm("zs", "lnn", "zc", "11-19", "0900", "10:30", "p", "送餐", "1", True)
    view = ServiceFormService(sqlite_ctx).save(form)
    assert (view.volunteer_no, view.recipient_no) == people
    assert (view.category, view.service_date, view.credited_minutes) == (
        "meals",
        date(2026, 11, 19),
        90,
    )
    assert (view.payer, view.rating, view.status) == ("pool", "satisfied", "posted")


def test_every_fault_is_named_in_form_order_and_nothing_is_saved(
    sqlite_ctx: AppContext, people: tuple[str, str]
) -> None:
    form = ServiceForm("M999999", people[1], "nonsense", "13-45", "9", "1000", "x", "", "7")
    with pytest.raises(ValidationError) as refused:
        ServiceFormService(sqlite_ctx).save(form)
    fields = [p.field for p in refused.value.problems]
    assert fields == ["volunteer", "category", "date", "start", "payer", "satisfaction"]
    assert RecordListService(sqlite_ctx).count(RecordFilter()) == 0


def test_service_rules_name_their_field(sqlite_ctx: AppContext, people: tuple[str, str]) -> None:
    form = ServiceForm(people[0], people[1], "meals", "11-19", "1000", "0900")
    with pytest.raises(ValidationError) as refused:
        ServiceFormService(sqlite_ctx).save(form)
    assert refused.value.field == "end"


def test_an_end_before_the_start_is_named_with_the_other_faults(
    sqlite_ctx: AppContext, people: tuple[str, str]
) -> None:
    form = ServiceForm(people[0], "M999999", "meals", "11-19", "1000", "0900")
    with pytest.raises(ValidationError) as refused:
        ServiceFormService(sqlite_ctx).save(form)
    assert [p.field for p in refused.value.problems] == ["recipient", "end"]
