"""Benchmark: what the ledger writer's damage checks cost one posting.

Before chaining a transaction the writer reads, in the statement that locks the chain head,
the last transaction's seq and hash and the "damaged" mark (services/ledger_writer.py). This
prints, on a demo centre (``--members``/``--months``; ``--db FILE`` keeps and reuses it):

- the head statement alone, with the checks and without them (the old plain locked read), and
  the difference in µs;
- one whole grant (``AccountService.grant``: a write transaction with its commit), through the
  writer as it is and through a writer whose head read is the old plain one, as a ratio
  (goal: ≤ 1.05×, the checks lost in the noise of a commit).

Both variants run interleaved, best of several rounds, in the same run on the same file.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_core import build  # after the path set-up
from timebank_desktop.domain.errors import StorageError
from timebank_desktop.models import LedgerHead, Member
from timebank_desktop.services import ledger_writer
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database

ROUNDS = 7
STATEMENTS = 2000
GRANTS = 40


def best(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _plain_head(self: ledger_writer.LedgerWriter) -> LedgerHead:
    """The head read before the checks: the locked row, nothing else."""
    if self._head is None:
        head = self.session.scalars(select(LedgerHead).with_for_update()).first()
        if head is None:
            raise StorageError("no centre")
        self._head = head
    return self._head


@contextmanager
def unchecked() -> Iterator[None]:
    checked = ledger_writer.LedgerWriter.head
    ledger_writer.LedgerWriter.head = _plain_head  # type: ignore[method-assign]
    try:
        yield
    finally:
        ledger_writer.LedgerWriter.head = checked  # type: ignore[method-assign]


def bench_statement(ctx: AppContext) -> None:
    with ctx.write() as session:
        plain = select(LedgerHead).with_for_update()
        checked = ledger_writer._head_statement()
        session.execute(checked).first()  # compiled and cached before the race

        def run_checked() -> None:
            for _ in range(STATEMENTS):
                session.execute(checked).first()

        def run_plain() -> None:
            for _ in range(STATEMENTS):
                session.execute(plain).first()

        t_checked, t_plain = [], []
        for _ in range(ROUNDS):
            t_checked.append(best(run_checked))
            t_plain.append(best(run_plain))
        session.rollback()
    per_checked = 1e6 * min(t_checked) / STATEMENTS
    per_plain = 1e6 * min(t_plain) / STATEMENTS
    print(
        f"head statement: with checks {per_checked:6.1f} µs, plain {per_plain:6.1f} µs, "
        f"checks cost {per_checked - per_plain:5.1f} µs ({per_checked / per_plain:4.2f}×)"
    )


def bench_grants(ctx: AppContext, member_nos: list[str]) -> None:
    service = AccountService(ctx)
    picks = iter(random.Random(3).choices(member_nos, k=GRANTS * ROUNDS * 2))

    def run() -> None:
        for _ in range(GRANTS):
            service.grant(next(picks), 1, "bench")

    t_checked, t_plain = [], []
    for _ in range(ROUNDS):
        t_checked.append(best(run))
        with unchecked():
            t_plain.append(best(run))
    per_checked = 1e3 * min(t_checked) / GRANTS
    per_plain = 1e3 * min(t_plain) / GRANTS
    print(
        f"one grant (commit included): with checks {per_checked:6.3f} ms, "
        f"plain head {per_plain:6.3f} ms, ratio {per_checked / per_plain:4.2f}×  (goal ≤ 1.05×)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="keep (or reuse) the database in this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        target = args.db or Path(scratch) / "bench.sqlite3"
        build(target, args.members, args.months, args.seed)
        ctx = AppContext(open_database(target))
        try:
            with ctx.read() as session:
                nos = list(session.scalars(select(Member.member_no)))
                head = session.scalars(select(LedgerHead)).one()
            print(f"centre: {len(nos):,} members, {head.last_seq:,} transactions")
            bench_statement(ctx)
            bench_grants(ctx, nos)
        finally:
            ctx.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
