"""Benchmark: the ledger core on a 5,000-member, 120-month demo centre.

Run ``python bench/bench_core.py`` (``--members``/``--months`` to scale; ``--db FILE`` keeps the
database, and a later run on the same file skips generation). Prints:

- demo generation time (goal: minutes, not hours, for about half a million transactions);
- member balance lookup through ``AccountService.balance`` as a ratio to the raw indexed SQL
  that reads the same number (sqlite3, same file, same run; goal ≤ 3×), and to the raw SQL that
  sums the member's postings (the floor without a balance cache);
- member search through ``MemberService.search`` (one page of 50, as the GUI asks) as a ratio
  to a raw ``LIKE`` query returning the same page (goal ≤ 3×), per kind of search text;
- ``verify`` time (goal: 500,000 transactions in ≤ 10 s).

Floors and the measured code run interleaved, best of several rounds, so machine noise hits both.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timebank_desktop.services.accounts import AccountService  # after the path set-up
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.verify import VerifyService

ROUNDS = 5
LOOKUPS = 500

RAW_BALANCE = """
SELECT a.balance_minutes FROM member m JOIN account a ON a.member_id = m.id
WHERE m.member_no = ?"""
RAW_POSTING_SUM = """
SELECT coalesce(sum(p.amount), 0) FROM posting p
WHERE p.account_id = (SELECT a.id FROM member m JOIN account a ON a.member_id = m.id
                      WHERE m.member_no = ?)"""
RAW_SEARCH = """
SELECT m.id, m.member_no, m.name, a.balance_minutes FROM member m
JOIN account a ON a.member_id = m.id
WHERE {where} ORDER BY m.member_no LIMIT 50"""
SEARCHES: dict[str, tuple[str, str]] = {
    # kind: (text typed, the raw LIKE a person would write for it)
    "name": ("秀", "m.name LIKE '%秀%'"),
    "surname": ("王", "m.name LIKE '%王%'"),
    "initials": ("wx", "m.name_initials LIKE 'wx%' OR m.name_pinyin LIKE 'wx%'"),
    "pinyin": ("zhang", "m.name_initials LIKE 'zhang%' OR m.name_pinyin LIKE 'zhang%'"),
    "phone tail": ("1234", "m.phone LIKE '%1234' OR m.id_number LIKE '%1234'"),
    "member no": ("M0012", "m.member_no LIKE 'M0012%'"),
}


def best(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    """The best wall time of ``rounds`` calls, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def build(target: Path, members: int, months: int, seed: int) -> float:
    """Create the demo centre; seconds taken (0 when the file already holds one)."""
    ctx = AppContext(open_database(target))
    try:
        if CentreService(ctx).exists() and MemberService(ctx).count():
            return 0.0
        start = time.perf_counter()
        DemoService(ctx).generate(DemoOptions(members=members, months=months, seed=seed))
        return time.perf_counter() - start
    finally:
        ctx.engine.dispose()
        raw = sqlite3.connect(target)  # checkpointed, as the app leaves a file it closes
        try:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def bench_balance(ctx: AppContext, raw: sqlite3.Connection, member_nos: list[str]) -> None:
    service = AccountService(ctx)
    for no in member_nos[:20]:  # the two paths agree before they race
        assert service.balance(no).balance_minutes == raw.execute(RAW_BALANCE, (no,)).fetchone()[0]

    def via_service() -> None:
        for no in member_nos:
            service.balance(no)

    def via_raw() -> None:
        for no in member_nos:
            raw.execute(RAW_BALANCE, (no,)).fetchone()

    def via_sum() -> None:
        for no in member_nos:
            raw.execute(RAW_POSTING_SUM, (no,)).fetchone()

    t_service, t_raw, t_sum = best(via_service), best(via_raw), best(via_sum)
    n = len(member_nos)
    print(f"balance lookup: service {1e6 * t_service / n:8.1f} µs/member")
    print(
        f"  raw indexed   {1e6 * t_raw / n:8.1f} µs   ratio {t_service / t_raw:5.2f}×  (goal ≤ 3×)"
    )
    print(f"  raw SUM       {1e6 * t_sum / n:8.1f} µs   ratio {t_service / t_sum:5.2f}×")


def bench_search(ctx: AppContext, raw: sqlite3.Connection) -> None:
    service = MemberService(ctx)
    ratios = []
    print("member search (one page of 50):")
    for kind, (text, where) in SEARCHES.items():
        sql = RAW_SEARCH.format(where=where)
        got = [m.member_no for m in service.search(text)]
        expected = [row[1] for row in raw.execute(sql)]
        same = "same rows" if got == expected else f"rows differ ({len(got)} vs {len(expected)})"
        t_service = best(lambda text=text: service.search(text), ROUNDS * 4)
        t_raw = best(lambda sql=sql: raw.execute(sql).fetchall(), ROUNDS * 4)
        ratios.append(t_service / t_raw)
        print(
            f"  {kind:<11} {text!r:>8}: service {1e3 * t_service:7.2f} ms, raw LIKE "
            f"{1e3 * t_raw:7.2f} ms, ratio {t_service / t_raw:5.2f}×  ({same})"
        )
    print(
        f"  worst ratio {max(ratios):.2f}×, median {statistics.median(ratios):.2f}×  (goal ≤ 3×)"
    )


def bench_verify(ctx: AppContext, raw: sqlite3.Connection) -> None:
    count = raw.execute("SELECT count(*) FROM txn").fetchone()[0]
    start, cpu = time.perf_counter(), time.process_time()
    report = VerifyService(ctx).run()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    state = "intact" if report.ok else f"DAMAGED: {report.first_problem}"
    per = 500_000 / count if count else 0.0
    print(
        f"verify: {count:,} transactions in {seconds:.2f} s wall, {cpu:.2f} s CPU ({state}); "
        f"per 500,000: {seconds * per:.2f} s wall, {cpu * per:.2f} s CPU (goal ≤ 10 s; "
        "on a shared machine the CPU figure is the steadier one)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="keep (or reuse) the database in this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        target = args.db or Path(scratch) / "bench.sqlite3"
        seconds = build(target, args.members, args.months, args.seed)
        ctx = AppContext(open_database(target))
        raw = sqlite3.connect(target)
        try:
            members = raw.execute("SELECT count(*) FROM member").fetchone()[0]
            txns = raw.execute("SELECT count(*) FROM txn").fetchone()[0]
            if seconds:
                print(
                    f"demo: {members:,} members, {txns:,} transactions in {seconds:.1f} s "
                    f"({1e6 * seconds / txns:.0f} µs per transaction)"
                )
            else:
                print(f"demo: reusing {target} ({members:,} members, {txns:,} transactions)")
            nos = [row[0] for row in raw.execute("SELECT member_no FROM member")]
            sample = random.Random(1).sample(nos, min(LOOKUPS, len(nos)))
            bench_balance(ctx, raw, sample)
            bench_search(ctx, raw)
            bench_verify(ctx, raw)
        finally:
            raw.close()
            ctx.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
