"""A lost range is named in the user's language (the district page, status and report)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from timebank_desktop.i18n import current_language, set_language
from timebank_desktop.services.district.epochs import EpochStart, LostRange


@pytest.fixture
def chinese() -> Iterator[None]:
    before = current_language()
    set_language("zh_CN")
    yield
    set_language(before)


def test_a_lost_range_is_named_in_chinese(chinese: None) -> None:
    lost = LostRange("A01", 1, 2, 3, 2, date(2026, 11, 1), date(2026, 11, 2))
    assert lost.reference() == "第 1 链段 序号 2–3"
    assert "epoch" not in lost.reference() + lost.message()


def test_an_epoch_start_reads_as_one_chinese_sentence(chinese: None) -> None:
    text = EpochStart("A01", 1, 2, shared=1, lost=2, kept_mirrored=1).message()
    assert "; " not in text and text.count("；") == 2
