"""Member search picks its plan by how many match (services/member_search.py): a broad prefix
walks the member-number order, a narrow one reads its indexes. Both give the same pages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import add_member
from timebank_desktop.services import member_search
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberService

NAMES = ("张三", "张伟", "章小明", "赵丽", "周强", "王秀英", "张建国", "郑红", "朱敏", "庄严")


@pytest.mark.parametrize("text", ["z", "zh", "zhang", "zs", "1", "01", "X", "", "M0000"])
def test_both_plans_give_the_same_pages(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    for i, name in enumerate(NAMES):
        add_member(ctx, name, date(1950 + i, 1 + i, 1 + i), phone=f"1380000{i:04d}")
    members = MemberService(ctx)

    def pages() -> list[list[str]]:
        return [[m.member_no for m in members.search(text, 3, offset)] for offset in (0, 3, 6, 9)]

    monkeypatch.setattr(member_search, "BROAD", 10**9)  # always the indexes
    by_index = pages()
    monkeypatch.setattr(member_search, "BROAD", 1)  # every prefix counts as broad: the walk
    walked = pages()
    assert walked == by_index
    assert sum(map(len, by_index)) == members.count(text)
