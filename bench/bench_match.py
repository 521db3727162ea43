"""Benchmark: `request match` on a 5,000-member demo centre.

Run ``python bench/bench_match.py`` (``--members``/``--months`` to scale; ``--db FILE`` keeps the
database, and a later run on the same file skips generation). A third of the volunteers get an
accident-insurance policy and a training certificate, so every fact the ranking reads is there.
Prints, for requests of several elders:

- ``MatchService.match`` (the ranked top 10 with their reasons, through the application's own
  session) as a ratio to a floor: the same aggregate statements written by hand and run through
  ``sqlite3`` on the same file in the same run, rows fetched, nothing scored (goal ≤ 3×);
- the absolute time per match (goal: well under a second, interactive).

Floor and measured code run interleaved, best of several rounds, so machine noise hits both.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # after the path set-up

from timebank_desktop.domain.clock import SystemClock, local_date
from timebank_desktop.models import InsurancePolicy, Member, ServiceRecord, TrainingCertificate
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.request_match import MatchService
from timebank_desktop.services.service_requests import RequestService

ROUNDS = 7
ELDERS = 5

# The statements MatchService.rank runs, written by hand: the floor.
RAW = (
    "SELECT id, member_no, name, skills, star_level FROM member "
    "WHERE active = 1 AND is_volunteer = 1 AND id != :elder",
    "SELECT volunteer_id, count(*) FROM service_record "
    "WHERE status != 'void' AND recipient_id = :elder GROUP BY volunteer_id",
    "SELECT volunteer_id, count(*) FROM service_record NOT INDEXED "  # the best plan
    "WHERE status != 'void' AND category_code = :code GROUP BY volunteer_id",
    "SELECT volunteer_id, sum(credited_minutes) FROM service_record "
    "WHERE status != 'void' AND service_date > :since AND service_date <= :today "
    "GROUP BY volunteer_id",
    "SELECT DISTINCT member_id FROM training_certificate "
    "WHERE issued_on <= :day AND (expires_on IS NULL OR expires_on >= :day)",
    "SELECT DISTINCT member_id FROM insurance_policy "
    "WHERE valid_from <= :day AND valid_to >= :day",
)


def best(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def build(target: Path, members: int, months: int, seed: int) -> float:
    """The demo centre plus cover for a third of its volunteers; seconds taken (0 if reused)."""
    ctx = AppContext(open_database(target))
    try:
        if CentreService(ctx).exists() and MemberService(ctx).count():
            return 0.0
        start = time.perf_counter()
        DemoService(ctx).generate(DemoOptions(members=members, months=months, seed=seed))
        today = local_date(SystemClock().now())
        with ctx.write() as session:
            ids = session.scalars(
                select(Member.id).where(Member.is_volunteer.is_(True)).order_by(Member.member_no)
            ).all()[::3]
            session.execute(
                insert(InsurancePolicy),
                [
                    dict(id=ctx.new_id(), member_id=i, insurer="中国人保", policy_no=f"P{n}",
                         valid_from=today - timedelta(days=200), valid_to=today + timedelta(165))
                    for n, i in enumerate(ids)
                ],
            )  # fmt: skip
            session.execute(
                insert(TrainingCertificate),
                [
                    dict(id=ctx.new_id(), member_id=i, course="助老服务培训",
                         issued_on=today - timedelta(days=100), expires_on=None)
                    for i in ids
                ],
            )  # fmt: skip
        return time.perf_counter() - start
    finally:
        ctx.engine.dispose()


def elders(ctx: AppContext) -> list[tuple[str, str, str]]:
    """The elders most served (member number, id, their usual category)."""
    with ctx.read() as session:
        rows = session.execute(
            select(Member.member_no, Member.id, ServiceRecord.category_code)
            .join(ServiceRecord, ServiceRecord.recipient_id == Member.id)
            .group_by(Member.member_no, Member.id, ServiceRecord.category_code)
            .order_by(func.count().desc(), Member.member_no)
            .limit(ELDERS)
        ).all()
    return [(no, mid, code) for no, mid, code in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--months", type=int, default=24)
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
            records = raw.execute("SELECT count(*) FROM service_record").fetchone()[0]
            made = f"built in {seconds:.1f} s" if seconds else "reused"
            print(f"demo: {members:,} members, {records:,} service records ({made})")
            today: date = ctx.today()
            worst = 0.0
            for no, elder_id, code in elders(ctx):
                request = RequestService(ctx).add(no, code)
                match = MatchService(ctx)
                params = {"elder": elder_id, "code": code, "day": today.isoformat(),
                          "today": today.isoformat(),
                          "since": (today - timedelta(days=30)).isoformat()}  # fmt: skip

                def measured(ref: str = request.id, service: MatchService = match) -> None:
                    service.match(ref)

                def floor(p: dict[str, str] = params) -> None:
                    for statement in RAW:
                        raw.execute(statement, p).fetchall()

                t_floor, t_match = best(floor), best(measured)
                worst = max(worst, t_match / t_floor)
                print(
                    f"match {no} ({code}): {1000 * t_match:6.1f} ms, floor "
                    f"{1000 * t_floor:6.1f} ms, ratio {t_match / t_floor:4.2f}×"
                )
            print(f"worst ratio {worst:.2f}× (goal ≤ 3×)")
        finally:
            raw.close()
            ctx.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
