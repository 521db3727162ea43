"""Readers never wait for a writer: the GUI stays responsive while the CLI or a sync writes."""

from __future__ import annotations

import sqlite3
from datetime import date

from sqlalchemy import make_url

from tests.helpers import add_member
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.verify import VerifyService


def test_reads_go_on_while_another_process_holds_the_write_lock(sqlite_ctx: AppContext) -> None:
    number = add_member(sqlite_ctx, "王秀英", date(1950, 3, 2))
    path = make_url(str(sqlite_ctx.engine.url)).database
    assert path
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a writer in another process, mid-transaction
    # A reader that asked for the lock would wait out the busy timeout, then fail "locked".
    try:
        assert AccountService(sqlite_ctx).balance(number).balance_minutes == 0
        assert [m.member_no for m in MemberService(sqlite_ctx).search("wxy")] == [number]
        assert MemberService(sqlite_ctx).get(number).summary.name == "王秀英"
        assert VerifyService(sqlite_ctx).run().ok
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_quick_paths_agree_with_the_full_lookups(ctx: AppContext) -> None:
    number = add_member(ctx, "李建国", date(1948, 7, 1), phone="13800138000")
    by_number = AccountService(ctx).balance(number.lower())
    detail = MemberService(ctx).get(number)
    by_id = AccountService(ctx).balance(detail.summary.id_number)
    assert by_number == by_id
    assert MemberService(ctx).search("8000")[0] == detail.summary
    assert MemberService(ctx).search(number[:3], limit=1, offset=0)[0].member_no == number
