"""Ledger scenarios, on SQLite and PostgreSQL, written the way a bookkeeper reads them."""

from __future__ import annotations

from datetime import date, time

import pytest

from tests.helpers import add_member, serve
from timebank_desktop.domain.errors import NotFound, Refused, ValidationError
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.records import RecordService
from timebank_desktop.services.verify import VerifyService


def balances(ctx: AppContext, *members: str) -> list[int]:
    accounts = AccountService(ctx)
    return [accounts.balance(m).balance_minutes for m in members]


@pytest.fixture
def people(ctx: AppContext) -> tuple[str, str, str]:
    anna = add_member(ctx, "王秀英", date(1962, 3, 1))
    bo = add_member(ctx, "李建国", date(1940, 6, 1), role="recipient")
    chen = add_member(ctx, "陈芳", date(1958, 1, 1), role="both")
    return anna, bo, chen


def test_signed_service_credits_volunteer_from_the_pool(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    record = serve(ctx, anna, bo, 90)
    assert record.status == "posted"
    assert balances(ctx, anna, bo) == [90, 0]
    assert AccountService(ctx).system_balance("pool") == -90
    assert VerifyService(ctx).run().ok


def test_unsigned_slip_credits_only_when_it_comes_back(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    record = serve(ctx, anna, bo, 60, signed=False)
    assert record.status == "pending"
    assert balances(ctx, anna) == [0]
    RecordService(ctx).confirm(record.slip_no)
    assert balances(ctx, anna) == [60]
    with pytest.raises(Refused, match="already confirmed"):
        RecordService(ctx).confirm(record.slip_no)


def test_recipient_pays_from_own_account(ctx: AppContext, people) -> None:
    anna, _bo, chen = people
    AccountService(ctx).grant(chen, 120, "补贴")
    serve(ctx, anna, chen, 45, payer="recipient")
    assert balances(ctx, anna, chen) == [45, 75]


def test_recipient_without_hours_cannot_pay(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    with pytest.raises(Refused, match="Insufficient balance"):
        serve(ctx, anna, bo, 45, payer="recipient")
    assert balances(ctx, anna, bo) == [0, 0]
    assert RecordService(ctx).ctx is ctx


def test_void_reverses_and_only_once(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    record = serve(ctx, anna, bo, 90)
    RecordService(ctx).void(record.slip_no, "entered twice")
    assert balances(ctx, anna) == [0]
    with pytest.raises(Refused, match="already void"):
        RecordService(ctx).void(record.id, "again")
    assert VerifyService(ctx).run().ok


def test_pending_void_books_nothing(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    record = serve(ctx, anna, bo, 30, signed=False)
    assert RecordService(ctx).void(record.slip_no, "not done").status == "void"
    with pytest.raises(Refused, match="voided"):
        RecordService(ctx).confirm(record.slip_no)
    assert VerifyService(ctx).run().transactions == 0


def test_transfer_only_to_recorded_relatives(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    serve(ctx, anna, bo, 120)
    accounts = AccountService(ctx)
    with pytest.raises(Refused, match="relative"):
        accounts.transfer(anna, bo, 60)
    MemberService(ctx).add_relation(anna, bo, "parent")
    accounts.transfer(anna, bo, 60, "给父亲")
    assert balances(ctx, anna, bo) == [60, 60]
    with pytest.raises(Refused, match="Insufficient"):
        accounts.transfer(anna, bo, 61)


def test_redemption_and_donation(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    serve(ctx, anna, bo, 180)
    accounts = AccountService(ctx)
    accounts.redeem(anna, 60, "大米 5kg")
    accounts.donate(anna, 30)
    assert balances(ctx, anna) == [90]
    assert accounts.system_balance("goods") == 60
    assert accounts.system_balance("pool") == -150


def test_storage_cap_donates_the_excess(ctx: AppContext, people) -> None:
    from timebank_desktop.services.policy import PolicyService

    anna, bo, _chen = people
    policy = PolicyService(ctx).current()
    PolicyService(ctx).set(policy.with_changes(storage_cap_minutes=100))
    serve(ctx, anna, bo, 90)
    serve(ctx, anna, bo, 60, start=time(14, 0))
    assert balances(ctx, anna) == [100]
    assert VerifyService(ctx).run().ok


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recipient": "SELF"}, "recipient"),
        ({"minutes": 9 * 60}, "end"),
        ({"day": date(2026, 12, 1)}, "date"),
        ({"category": "juggling"}, "category"),
    ],
)
def test_bad_service_input_is_refused_with_nothing_written(
    ctx: AppContext, people, change: dict, field: str
) -> None:
    anna, bo, _chen = people
    args = {"recipient": bo, "minutes": 60, "day": date(2026, 11, 19), "category": "meals"}
    args.update(change)
    if args["recipient"] == "SELF":
        args["recipient"] = anna
    with pytest.raises(ValidationError) as err:
        serve(
            ctx,
            anna,
            args["recipient"],
            args["minutes"],
            day=args["day"],
            category=args["category"],
            start=time(8, 0),
        )
    assert err.value.field == field
    assert VerifyService(ctx).run().transactions == 0


def test_end_before_start(ctx: AppContext, people) -> None:
    from timebank_desktop.services.records import ServiceInput

    anna, bo, _chen = people
    with pytest.raises(ValidationError) as err:
        RecordService(ctx).record(
            ServiceInput(anna, bo, "meals", date(2026, 11, 19), time(10, 0), time(9, 0))
        )
    assert err.value.field == "end"


def test_daily_cap(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    serve(ctx, anna, bo, 240, start=time(8, 0))
    serve(ctx, anna, bo, 240, start=time(13, 0))
    with pytest.raises(ValidationError, match="more than 8 h"):
        serve(ctx, anna, bo, 30, start=time(18, 0))


def test_unknown_member_and_duplicate_id(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    with pytest.raises(NotFound):
        serve(ctx, "M999999", bo, 30)
    detail = MemberService(ctx).get(anna)
    from timebank_desktop.services.members import MemberInput

    with pytest.raises(ValidationError, match="already exists"):
        MemberService(ctx).add(MemberInput("另一个人", detail.summary.id_number))


def test_search_by_name_pinyin_phone_and_id_tail(ctx: AppContext) -> None:
    members = MemberService(ctx)
    zs = add_member(ctx, "张三", date(1960, 1, 1), phone="13800138000")
    add_member(ctx, "李四", date(1961, 1, 1), phone="13900139111")
    assert [m.member_no for m in members.search("zs")] == [zs]
    assert [m.member_no for m in members.search("zhang")] == [zs]
    assert [m.member_no for m in members.search("张")] == [zs]
    assert [m.member_no for m in members.search("8000")] == [zs]
    tail = members.get(zs).summary.id_number[-4:]
    assert zs in [m.member_no for m in members.search(tail)]
    assert [m.member_no for m in members.search(zs)] == [zs]
    assert members.count("") == 2


def test_edit_member_is_audited(ctx: AppContext, people) -> None:
    from sqlalchemy import select

    from timebank_desktop.models import AuditEntry
    from timebank_desktop.services.members import input_from_detail

    anna, _bo, _chen = people
    members = MemberService(ctx)
    members.edit(anna, input_from_detail(members.get(anna), phone="13700137000"))
    assert members.get(anna).summary.phone == "13700137000"
    with ctx.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "member.edit")).one()
    assert "13700137000" in entry.detail


def test_history_has_a_running_balance(ctx: AppContext, people) -> None:
    anna, bo, _chen = people
    serve(ctx, anna, bo, 60)
    AccountService(ctx).donate(anna, 15)
    opening, lines = AccountService(ctx).history(anna)
    assert opening == 0
    assert [(m.kind, m.amount, m.running_balance) for m in lines] == [
        ("service", 60, 60),
        ("donation", -15, 45),
    ]
