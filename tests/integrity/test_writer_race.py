"""Two clerks posting at once (PostgreSQL): the second waits for the chain head, then books.

The head is read under its lock together with the last transaction row (the damage check);
after waiting for the lock PostgreSQL hands back the head as the first clerk committed it, but
the rest of that statement still sees the ledger from before the wait. The second clerk was
told the ledger is damaged; now it reads the last row again, under the lock, and books.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.care.common import people
from tests.conftest import make_context
from tests.helpers import serve
from timebank_desktop.domain.ledger import POOL_ACCOUNT, PostingLine, TxKind, member_account_code
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.ledger_writer import LedgerWriter, TxSpec
from timebank_desktop.services.policy import policy_for
from timebank_desktop.services.verify import VerifyService

pytestmark = pytest.mark.postgres


def test_a_clerk_who_waited_for_the_ledger_books_after_the_other(pg_url: str) -> None:
    ctx = make_context(pg_url)
    try:
        vol, rec, _both = people(ctx)
        serve(ctx, vol, rec, 60)
        outcome: list[object] = []

        def second() -> None:
            try:
                outcome.append(AccountService(ctx).grant(rec, 30))
            except Exception as exc:  # the test judges what came out
                outcome.append(exc)

        with ctx.write() as session:  # the first clerk, mid-way through a posting
            writer = LedgerWriter(session, ctx)
            lines = (PostingLine(POOL_ACCOUNT, -45), PostingLine(member_account_code(rec), 45))
            writer.post(TxSpec(TxKind.GRANT, ctx.today(), lines), policy_for(session, ctx.today()))
            writer.flush()
            worker = threading.Thread(target=second)
            worker.start()
            time.sleep(0.5)  # let the second clerk reach the head's lock
        worker.join(timeout=30)
        assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
        assert AccountService(ctx).balance(rec).balance_minutes == 75
        assert VerifyService(ctx).run().first_problem is None
    finally:
        ctx.engine.dispose()
