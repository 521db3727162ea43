"""Benchmark: a centre imports a district statement of a large district, against a raw insert.

Run ``python bench/bench_sync_statement.py`` (``--keys`` to scale; default 200,000 member keys,
the district of DESIGN §7). Prints the time of ``SyncFileService.import_file`` on a signed
statement (read and verify the whole file, check our chain head, replace the balances used to
honour visitors, book our entries) as a ratio to a floor measured in the same run: a raw
``sqlite3`` ``executemany`` of the same (key, balance) rows into a table of the same shape, in
one transaction. Goal: ≤ 3×.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_sync_export import configure_with_key  # after the path set-up
from timebank_desktop.exports.sync import (
    BALANCES,
    DISTRICT_STATEMENT,
    ENTRIES,
    HEADS,
    write_bundle,
)
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.sync.files import SyncFileService


def floor(db: Path, rows: list[tuple[str, int]]) -> float:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE IF NOT EXISTS b (key VARCHAR(64) PRIMARY KEY, balance BIGINT, "
                 "home VARCHAR(16))")  # fmt: skip
    started = time.perf_counter()
    with conn:
        conn.execute("DELETE FROM b")
        conn.executemany("INSERT INTO b VALUES (?, ?, NULL)", rows)
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200_000)
    args = parser.parse_args()
    rows = [(hashlib.sha256(str(i).encode()).hexdigest(), i % 3000) for i in range(args.keys)]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        ctx = AppContext(open_database(folder / "centre.sqlite3"))
        CentreService(ctx).init("A01", "东湖社区", "D01")
        key = configure_with_key(ctx, folder)
        times, floors = [], []
        for seq in (1, 2, 3):
            path = folder / f"statement{seq}.tbsync"
            header = {
                "type": DISTRICT_STATEMENT, "district": "D01", "centre": "D01",
                "created_at": "2026-11-20T02:00:00Z", "statement_seq": seq,
            }  # fmt: skip
            parts = {
                HEADS: [],
                BALANCES: ({"key": k, "balance": b} for k, b in rows),
                ENTRIES: [],
            }
            write_bundle(path, header, parts, key)
            floors.append(floor(folder / "floor.sqlite3", rows))
            started = time.perf_counter()
            SyncFileService(ctx).import_file(path)
            times.append(time.perf_counter() - started)
        ctx.engine.dispose()
    best, base = min(times), min(floors)
    print(
        f"statement import of {args.keys} member balances: {best:.2f} s; raw executemany: "
        f"{base:.2f} s; ratio {best / base:.2f}x (goal <= 3x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
