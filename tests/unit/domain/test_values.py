from datetime import date, time

import pytest

from timebank_desktop.domain import categories, names, phone, slipno
from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.domain.minutes import format_hours, hours_to_minutes, positive_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.policy import Policy
from timebank_desktop.domain.servicetime import duration_minutes, parse_date, parse_time


@pytest.mark.parametrize(
    ("text", "minutes"), [("1.5", 90), ("0.25", 15), ("2", 120), ("-1", -60), ("0", 0)]
)
def test_hours_parse_to_whole_minutes(text: str, minutes: int) -> None:
    assert hours_to_minutes(text) == minutes


@pytest.mark.parametrize("text", ["abc", "1.2345", "nan", "inf", ""])
def test_bad_hours_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        hours_to_minutes(text)


@pytest.mark.parametrize("text", ["0", "-2"])
def test_positive_hours_refuses_zero_and_negative(text: str) -> None:
    with pytest.raises(ValidationError, match="more than zero"):
        positive_hours(text)


@pytest.mark.parametrize(
    ("minutes", "text"), [(90, "1.5"), (120, "2"), (-45, "-0.75"), (0, "0"), (7, "0.12")]
)
def test_format_hours(minutes: int, text: str) -> None:
    assert format_hours(minutes) == text


def test_slip_numbers_catch_typing_errors() -> None:
    number = slipno.make(4217)
    assert slipno.is_valid(number)
    for i in range(len(number)):
        for d in "0123456789":
            if d != number[i]:
                assert not slipno.is_valid(number[:i] + d + number[i + 1 :])
    for i in range(len(number) - 1):
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        if swapped != number:
            assert not slipno.is_valid(swapped)


def test_pinyin_keys_for_search() -> None:
    assert names.pinyin_keys("张三") == ("zhangsan", "zs")
    assert names.pinyin_keys("曾淑") == ("zengshu", "zs")


@pytest.mark.parametrize("bad", ["", "张3", "a\x00b"])
def test_bad_names(bad: str) -> None:
    assert names.problems(bad)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("13800138000", True),
        ("+86 138 0013 8000", True),
        ("1786511", False),
        ("23800138000", False),
        ("", True),
        ("010-12345678", True),
    ],
)
def test_phones(text: str, ok: bool) -> None:
    assert (not phone.problems(text)) is ok


def test_category_by_code_or_pinyin_initials() -> None:
    cats = categories.DEFAULT_CATEGORIES
    assert categories.match_category("meals", cats).code == "meals"  # type: ignore[union-attr]
    assert categories.match_category("shzl", cats).code == "living"  # type: ignore[union-attr]
    assert categories.match_category("zc", cats).code == "meals"  # type: ignore[union-attr]
    assert categories.match_category("nonsense", cats) is None


def test_policy_credit_rounds_down_to_the_unit_and_weighs_only_when_weighted() -> None:
    pure = Policy()
    assert pure.credited(95, 1500) == 95
    weighted = Policy(weighted=True, rounding_unit=15)
    assert weighted.credited(95, 1500) == 135  # 142.5 → 142 → 135
    assert Policy.from_json(weighted.to_json()) == weighted


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValidationError):
        Policy().with_changes(rounding_unit=7)


def test_withdrawal_age_and_hardship() -> None:
    policy = Policy(withdrawal_age=65)
    assert policy.may_withdraw(65, False)
    assert not policy.may_withdraw(64, False)
    assert policy.may_withdraw(50, True)


def test_form_parsing() -> None:
    today = date(2026, 11, 20)
    assert parse_date("11-19", today) == date(2026, 11, 19)
    assert parse_date("2025-01-02", today) == date(2025, 1, 2)
    assert parse_time("0930", "start") == time(9, 30)
    assert parse_time("9:30", "start") == time(9, 30)
    with pytest.raises(ValidationError):
        parse_time("2561", "start")
    with pytest.raises(ValidationError):
        parse_date("2026-02-30", today)
    assert duration_minutes(time(9, 0), time(10, 30)) == 90


def test_months() -> None:
    m = Month.parse("2026-01")
    assert str(m.previous) == "2025-12"
    assert str(m.next) == "2026-02"
    assert m.last_day == date(2026, 1, 31)
    with pytest.raises(ValidationError):
        Month.parse("2026-13")
