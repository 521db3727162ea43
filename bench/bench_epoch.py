"""Benchmark: the district accepting a centre's new chain epoch (a restore at the centre).

Run ``python bench/bench_epoch.py`` (``--scale 0.1`` for a tenth; ``--pg URL`` for PostgreSQL
instead of a SQLite file). At scale 1 one centre has sent 200,000 transactions (1 % cross-centre
visits); it restores a backup taken at 80 % of that, records 2,000 new transactions and sends
its whole chain again as epoch 2. Timed, in the same run:

- the floor: the district importing the 200,000-transaction epoch-1 file (verify + apply);
- the epoch switch: importing the 162,000-transaction epoch-2 file (verify, find the shared
  prefix, move 160,000 rows to the new epoch, take 40,000 lost rows out of every aggregate,
  apply the 2,000 new ones).

Goal: the switch costs at most 2× the floor (it reads about as many rows and writes fewer).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.district.factories import SimCentre  # after the path set-up
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.database import open_district_database
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def _chain(n: int) -> SimCentre:
    a = SimCentre("A01")
    for i in range(n):
        if i % 100 == 99:
            a.serve_visitor(f"v{i % 500}", f"visitor{i % 50}", "B01", 30)
        else:
            a.serve(f"v{i % 500}", f"r{i % 700}", 30 + i % 90)
    return a


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--pg", help="a PostgreSQL URL (an empty database) instead of SQLite")
    args = parser.parse_args()
    n = max(1000, int(200_000 * args.scale))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        t = time.perf_counter()
        a = _chain(n)
        backup = int(n * 0.8)
        r = SimCentre("A01", key=a.key, epoch=2, day=a.day)
        r.txs, r.accounts = list(a.txs[:backup]), dict(a.accounts)
        for i in range(n // 100):
            r.serve(f"v{i % 500}", f"r{i % 700}", 45)
        first, again = a.export(folder / "e1.tbsync"), r.export(folder / "e2.tbsync")
        print(f"chains and files: {time.perf_counter() - t:.1f} s ({n} + {len(r.txs)} rows)")

        ctx = AppContext(open_district_database(args.pg or folder / "d.sqlite3"), FixedClock(NOW))
        identity = DistrictIdentityService(ctx)
        identity.init("D01", "东湖街道")
        identity.enrol(a.enrolment(folder / "a.enrol"))
        identity.enrol(SimCentre("B01").enrolment(folder / "b.enrol"))
        importer = DistrictImporter(ctx)
        t = time.perf_counter()
        importer.import_file(first)
        floor = time.perf_counter() - t
        t = time.perf_counter()
        done = importer.import_file(again)
        switch = time.perf_counter() - t
        ctx.engine.dispose()
    print(f"epoch-1 import ({n} rows): {floor:.2f} s (floor)")
    print(f"epoch-2 import ({len(r.txs)} rows, {n - backup} lost): {switch:.2f} s")
    print(f"  {done.message}")
    print(f"ratio: {switch / floor:.2f}× (goal ≤ 2×)")


if __name__ == "__main__":
    main()
