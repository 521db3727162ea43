"""Benchmark: slips, statements and certificates from the ledger, against rendering alone.

Run ``python bench/bench_paper.py``. A demo centre (SQLite, one busy month) is generated in a
scratch folder; then about 1,000 slips of the month go through the paper service (read the
records and people, build, render, count the prints) and the floor, measured in the same run,
renders the same prebuilt slips with no database at all. Goal: the ledger side adds at most
25 % (ratio ≤ 1.25×). Statements and certificates of the busiest volunteers are timed too.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # after the path set-up

from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.pdf import render_slips
from timebank_desktop.models import Member, ServiceRecord
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.paper.certificates import CertificateService
from timebank_desktop.services.paper.slips import SlipPrinting, build_slips
from timebank_desktop.services.paper.statement import StatementService

MONTH = Month(2026, 11)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
ROUNDS = 3


def best(work: Callable[[], object]) -> float:
    times = []
    for _round in range(ROUNDS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def interleaved(a: Callable[[], object], b: Callable[[], object]) -> tuple[float, float]:
    """Best times of ``a`` and ``b`` run in turns (so a busy machine slows both alike)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _round in range(ROUNDS):
        for work, found in ((a, times[0]), (b, times[1])):
            start = time.perf_counter()
            work()
            found.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        ctx = AppContext(open_database(Path(scratch) / "bench.sqlite3"), clock=FixedClock(NOW))
        DemoService(ctx).generate(DemoOptions(members=1500, months=1, seed=7))
        with ctx.read() as session:
            records = list(
                session.scalars(
                    select(ServiceRecord)
                    .where(ServiceRecord.status != "void",
                           ServiceRecord.service_date >= MONTH.first_day)
                    .order_by(ServiceRecord.slip_no)
                    .limit(1000)
                )
            )  # fmt: skip
            numbers = [r.slip_no for r in records]
            slips = build_slips(session, records, "zh_CN")
            busiest = session.scalars(
                select(Member.member_no)
                .join(ServiceRecord, ServiceRecord.volunteer_id == Member.id)
                .group_by(Member.member_no)
                .order_by(func.count().desc())
                .limit(20)
            ).all()
        printing = SlipPrinting(ctx)
        floor, ledger = interleaved(
            lambda: render_slips(slips, io.BytesIO(), per_page=3),
            lambda: printing.for_records(numbers, io.BytesIO(), per_page=3),
        )
        print(f"slips: {len(numbers)} from the ledger in {ledger:.2f} s "
              f"({1000 * ledger / len(numbers):.1f} ms per slip); rendering alone {floor:.2f} s; "
              f"ratio {ledger / floor:.2f}x (goal <= 1.25x)")  # fmt: skip
        statements = best(lambda: [StatementService(ctx).build(m) for m in busiest])
        print(f"statements: {1000 * statements / len(busiest):.1f} ms each (data, no PDF)")
        start = time.perf_counter()
        for member in busiest:
            CertificateService(ctx).issue_service_certificate(member, io.BytesIO())
        took = time.perf_counter() - start
        print(
            f"certificates: {1000 * took / len(busiest):.1f} ms each (numbered, registered, PDF)"
        )
        ctx.engine.dispose()


if __name__ == "__main__":
    main()
