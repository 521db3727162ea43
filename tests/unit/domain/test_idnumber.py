from datetime import date

import pytest

from timebank_desktop.domain import idnumber
from timebank_desktop.domain.errors import ValidationError

TODAY = date(2026, 11, 20)
STANDARD = "11010519491231002X"  # GB 11643's own example


def codes(text: str) -> list[str]:
    return [p.code for p in idnumber.problems(text, TODAY)]


def test_the_standards_example_is_valid() -> None:
    ident = idnumber.parse(STANDARD, TODAY)
    assert ident.value == STANDARD
    assert ident.birth_date == date(1949, 12, 31)
    assert ident.gender == "F"
    assert ident.masked() == "110105********002X"


@pytest.mark.parametrize(
    "text",
    ["11010519491231002x", " 110105 19491231 002X ", "１１０１０５１９４９１２３１００２Ｘ"],
)
def test_normalises_case_spaces_and_full_width(text: str) -> None:
    assert idnumber.parse(text, TODAY).value == STANDARD


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("110105194912310021", "id.check_digit"),
        ("11010519491231002", "id.length"),
        ("1101051949123100211", "id.length"),
        ("11010519491331002X", "id.birth_date"),
        ("11010519490230002X", "id.birth_date"),
        ("11010520991231002X", "id.birth_future"),
        ("1101051949123100A2", "id.chars"),
        ("", "id.empty"),
    ],
)
def test_invalid_variants_name_the_rule(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_a_single_changed_digit_is_caught() -> None:
    for i in range(17):
        digit = str((int(STANDARD[i]) + 1) % 10)
        changed = STANDARD[:i] + digit + STANDARD[i + 1 :]
        assert idnumber.problems(changed, TODAY), changed


def test_fifteen_digit_numbers_are_converted() -> None:
    ident = idnumber.parse("110105491231002", TODAY)
    assert ident.value == STANDARD


def test_fifteen_digit_with_bad_date_is_refused_saying_so() -> None:
    with pytest.raises(ValidationError) as err:
        idnumber.parse("110105491331002", TODAY)
    assert err.value.problems[0].code == "id.birth_date"


def test_gender_from_the_seventeenth_digit() -> None:
    man = idnumber.make("110105", date(1960, 1, 1), 11)
    assert man.gender == "M"
    assert idnumber.parse(man.value, TODAY) == man


def test_age_on() -> None:
    assert idnumber.age_on(date(1960, 5, 1), date(2026, 4, 30)) == 65
    assert idnumber.age_on(date(1960, 5, 1), date(2026, 5, 1)) == 66
