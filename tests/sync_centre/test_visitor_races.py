"""Two clerks on one visitor at once (PostgreSQL): voided once, the allowance spent once.

The first clerk is stopped half-way (its transaction holds the visitor and has written its
entries, not yet committed); the second runs the real service in a thread. Without the
visitor lock the second read the standing as it was before: it honoured beyond the away
allowance, or reversed the visit a second time (a unique-key crash).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.sync_centre.helpers import DAY, new_centre, visiting
from timebank_desktop.domain.errors import Refused
from timebank_desktop.models import Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.ledger_writer import LedgerWriter
from timebank_desktop.services.policy import PolicyService, policy_for
from timebank_desktop.services.reversal import reverse_txn
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.visitor_standing import lock_visitor
from timebank_desktop.services.sync.visitors import VisitInput, VisitorService, _clearing_leg

pytestmark = pytest.mark.postgres


@dataclass
class Counter:
    b: AppContext  # the serving centre, on PostgreSQL
    zhang_id: str
    helper: str
    key: str

    def visit(self, minutes: int) -> object:
        return VisitorService(self.b).honour(
            VisitInput(self.zhang_id, self.helper, "meals", DAY, minutes, "A01")
        )


@pytest.fixture
def counter(pg_url: str, tmp_path: Path) -> Iterator[Counter]:
    a = new_centre(str(tmp_path / "a.sqlite3"), "A01", "东湖社区")
    b = new_centre(pg_url, "B02", "西湖社区")
    v = visiting(a, b, tmp_path)
    district, zhang_id, helper = v.district, v.zhang_id, v.helper
    district.receive(ExportService(a).export(tmp_path / "a1.tbsync").path)
    SyncFileService(b).import_file(district.statement(tmp_path / "s1.tbsync"))
    PolicyService(b).set(PolicyService(b).current().with_changes(away_allowance_minutes=120))
    first = VisitorService(b).honour(VisitInput(zhang_id, helper, "meals", DAY, 30, "A01"))
    assert first.remaining == 90
    key = VisitorService(b).standing(zhang_id).key
    yield Counter(b, zhang_id, helper, key)
    a.engine.dispose()
    b.engine.dispose()


def _while_held(
    c: Counter, first: Callable[[Session], None], second: Callable[[], object]
) -> object:
    """Run ``second`` in a thread while the first clerk's transaction (``first``) is open."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(second())
        except Exception as exc:  # the test judges what came out
            outcome.append(exc)

    with c.b.write() as session:
        assert lock_visitor(session, c.key) is not None
        first(session)
        session.flush()
        worker = threading.Thread(target=run)
        worker.start()
        time.sleep(0.5)  # let the second clerk reach the visitor's lock
    worker.join(timeout=30)
    assert len(outcome) == 1
    return outcome[0]


def test_two_clerks_cannot_spend_the_allowance_twice(counter: Counter) -> None:
    c = counter

    def first(session: Session) -> None:  # 60 of the 90 left, booked but not committed
        writer = LedgerWriter(session, c.b)
        visitor = f"member:V{1:06d}"
        _clearing_leg(session, c.b, writer, "A01", visitor, 60, DAY, c.b.new_id(),
                      policy_for(session, DAY))  # fmt: skip
        writer.flush()

    outcome = _while_held(c, first, lambda: c.visit(60))
    assert isinstance(outcome, Refused), outcome
    assert "away allowance" in str(outcome)


def test_two_clerks_voiding_one_visit_void_it_once(counter: Counter) -> None:
    c = counter
    with c.b.read() as session:  # the fixture's visit: its clearing leg and its service
        leg = session.scalars(select(Txn).where(Txn.kind == "transfer")).one()
        record, seq = leg.record_id, leg.seq

    def first(session: Session) -> None:  # the first clerk's void, not committed yet
        pair = session.scalars(select(Txn).where(Txn.record_id == record)).all()
        for txn in sorted(pair, key=lambda t: -t.seq):
            reverse_txn(session, c.b, txn, "录入错误")

    outcome = _while_held(c, first, lambda: VisitorService(c.b).void(seq, "录入错误"))
    assert isinstance(outcome, Refused), outcome
    assert "already void" in str(outcome)
    assert VisitorService(c.b).standing(c.zhang_id).available == 120
