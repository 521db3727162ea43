"""Benchmark, end to end: a month of 10,000 services in a 5,000-member centre, from the
database to the finished workbook, against a raw openpyxl write-only dump of the same rows.

Run ``python bench/bench_monthly_report.py``. The centre (SQLite, built once and kept in the
temporary folder) is a demo centre of 5,000 members over two months, topped up through the
`LedgerWriter` in bulk to exactly 10,000 services booked in October 2026. Three sides run in
their own subprocesses, alternating ``PROCESSES`` times, each ``ROUNDS`` times, best run timed:

- ``e2e``: `MonthlyReportService.export` — the SQL aggregation (build) and the workbook;
- ``write``: `write_monthly_report` alone, on the built report;
- ``floor``: the same detail rows as plain values in a bare write-only workbook
  (bench/bench_excel.py's ``raw_dump``), measured in the same run on the same data.

Wall and CPU time (``process_time``) are both reported: on a shared machine the CPU ratio is
the steadier one. Memory: peak resident memory (``ru_maxrss``) of the e2e process. Goals: e2e
ratio ≤ 1.5×, peak ≤ 300 MB.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # after the path set-up

from bench.bench_excel import raw_dump
from timebank_desktop.domain import slipno
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.domain.ledger import POOL_ACCOUNT, PostingLine, TxKind, member_account_code
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.excel.monthly import write_monthly_report
from timebank_desktop.models import Member, ServiceRecord, Txn
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import next_value
from timebank_desktop.services.database import open_database
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.ledger_writer import LedgerWriter, TxSpec
from timebank_desktop.services.monthly_queries import booked_in, kind_is
from timebank_desktop.services.monthly_report import MonthlyReportService
from timebank_desktop.services.policy import policy_for

MEMBERS = 5_000
SERVICES = 10_000
MONTH = Month(2026, 10)
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
ROUNDS = 2
PROCESSES = 3
RATIO_GOAL = 1.5
MEMORY_GOAL_MB = 300
DATABASE = Path(tempfile.gettempdir()) / "timebank-bench-monthly-v2.sqlite3"
CATEGORIES = ("living", "meals", "cleaning", "medical", "health", "company", "errands")


def context() -> AppContext:
    return AppContext(open_database(str(DATABASE)), clock=FixedClock(NOW))


def booked_services(ctx: AppContext) -> int:
    with ctx.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Txn)
                .where(kind_is(TxKind.SERVICE), booked_in(MONTH))
            )
            or 0
        )


def top_up(ctx: AppContext, count: int) -> None:
    """Add ``count`` signed services in MONTH, in bulk through the ledger writer."""
    rng = random.Random(17)
    with ctx.write() as session:
        people = session.execute(select(Member.id, Member.member_no, Member.is_volunteer)).all()
        volunteers = [p for p in people if p.is_volunteer]
        policy = policy_for(session, MONTH.last_day)
        writer = LedgerWriter(session, ctx, batch_size=20_000)
        first_slip = next_value(session, "slip", count)
        records = []
        for i in range(count):
            vol, rec = rng.choice(volunteers), rng.choice(people)
            if vol.id == rec.id:
                rec = people[(people.index(rec) + 1) % len(people)]
            day = MONTH.first_day + timedelta(days=rng.randrange(31))
            minutes = rng.choice((30, 60, 90, 120))
            record_id, slip = ctx.new_id(), slipno.make(first_slip + i)
            posted = writer.post(
                TxSpec(
                    TxKind.SERVICE,
                    day,
                    (
                        PostingLine(POOL_ACCOUNT, -minutes),
                        PostingLine(member_account_code(vol.member_no), minutes),
                    ),
                    memo=f"服务凭条 {slip}",
                    record=record_id,
                ),
                policy,
            )
            records.append(
                dict(
                    id=record_id, slip_no=slip, volunteer_id=vol.id, recipient_id=rec.id,
                    category_code=rng.choice(CATEGORIES), service_date=day,
                    start_time=clock_time(9), end_time=clock_time(9 + minutes // 60, minutes % 60),
                    duration_minutes=minutes, weight_permille=1000, rounding_unit=1,
                    credited_minutes=minutes, payer="pool", content="",
                    rating=rng.choice(("satisfied", "neutral", None)), status="posted",
                    signed=True, signed_at=ctx.now(), txn_id=posted.id, void_reason="",
                    void_txn_id=None, request_id=None, slip_printed=1, recorded_by="bench",
                    created_at=ctx.now(),
                )
            )  # fmt: skip
        writer.flush()
        session.execute(insert(ServiceRecord), records)


def build_centre() -> None:
    if DATABASE.exists():
        ctx = context()
        if booked_services(ctx) == SERVICES:
            ctx.engine.dispose()
            return
        ctx.engine.dispose()
        DATABASE.unlink()
    ctx = context()
    start = time.perf_counter()
    DemoService(ctx).generate(DemoOptions(members=MEMBERS, months=2, seed=7))
    top_up(ctx, SERVICES - booked_services(ctx))
    assert booked_services(ctx) == SERVICES
    print(f"centre built in {time.perf_counter() - start:.0f} s: {DATABASE}")
    ctx.engine.dispose()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child(side: str) -> None:
    ctx = context()
    service = MonthlyReportService(ctx)
    report = None if side == "e2e" else service.build(MONTH)
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"{side}.xlsx"
        for _ in range(ROUNDS):
            wall, cpu = time.perf_counter(), time.process_time()
            if side == "e2e":
                report = service.export(MONTH, target)
            elif side == "write":
                assert report is not None
                write_monthly_report(report, target)
            else:
                assert report is not None
                raw_dump(report, target)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        size = target.stat().st_size
    assert report is not None
    cpu = time.process_time()
    service.build(MONTH)
    build = time.process_time() - cpu
    result = {"wall": min(walls), "cpu": min(cpus), "rss_peak": rss_mb(), "bytes": size}
    counts = {"build_cpu": build, "services": len(report.services)}
    print(json.dumps(result | counts | {"accounts": len(report.accounts)}))


def run(side: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", side], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    build_centre()
    runs: dict[str, list[dict[str, float]]] = {"floor": [], "write": [], "e2e": []}
    for _n in range(PROCESSES):
        for side in runs:
            runs[side].append(run(side))

    def best(side: str, clock: str) -> float:
        return min(r[clock] for r in runs[side])

    peak = max(r["rss_peak"] for r in runs["e2e"])
    last = runs["e2e"][-1]
    print(f"{int(last['services'])} services, {MEMBERS} members ({int(last['accounts'])} "
          f"accounts), month {MONTH}, best of {PROCESSES} x {ROUNDS} runs per side")  # fmt: skip
    print("                                      wall      CPU   (CPU: other load on the "
          "machine weighs less)")  # fmt: skip
    ratios = {}
    for label, side in (("raw openpyxl write-only dump (floor)", "floor"),
                        ("write_monthly_report alone", "write"),
                        ("build + write (export, end to end)", "e2e")):  # fmt: skip
        wall, cpu = best(side, "wall"), best(side, "cpu")
        ratios[side] = (wall / best("floor", "wall"), cpu / best("floor", "cpu"))
        print(f"{label:37s} {wall:5.2f} s  {cpu:5.2f} s   ratio {ratios[side][0]:.2f}x wall, "
              f"{ratios[side][1]:.2f}x CPU")  # fmt: skip
    build = min(r["build_cpu"] for r in runs["e2e"])
    print(f"build alone (SQL and rows, CPU):      {build:.2f} s")
    print(f"peak RSS of the export process: {peak:.0f} MB (goal <= {MEMORY_GOAL_MB} MB), "
          f"{last['bytes'] / 1e6:.1f} MB file")  # fmt: skip
    e2e = max(ratios["e2e"])  # the worse of the two clocks
    print(f"end-to-end ratio {e2e:.2f}x (goal <= {RATIO_GOAL}x)")
    ok = e2e <= RATIO_GOAL and peak <= MEMORY_GOAL_MB
    print("OK" if ok else "ABOVE GOAL")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        sys.exit(main())
