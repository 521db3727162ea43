"""Benchmark: a centre's full sync export against a raw dump of the same rows, same run.

Run ``python bench/bench_sync_export.py`` (``--members``/``--months`` to scale; ``--db FILE``
keeps the demo database, and a later run on the same file skips generation). Prints the time of
``ExportService.export`` from seq 1 (stream the ledger, pseudonymise members, sign, write to a
temporary file, fsync, re-read and verify every hash of the chain, rename, re-check on disk)
as a ratio to a floor measured in the same run: a raw ``sqlite3`` query of the same
transactions and postings, one JSON line each, deflated into a zip (no hashing, no signing, no
verification). Goal: ≤ 3×, since the export also verifies what it wrote.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timebank_desktop.domain.memberkey import DistrictSecret, seal_secret  # after the path set-up
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.exports.sync import CENTRES, DISTRICT_CONFIG, write_bundle
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService

ROUNDS = 3
RAW = """
SELECT t.seq, t.id, t.kind, t.value_date, t.booked_on, t.recorded_at, t.memo, t.staff,
       t.prev_hash, t.hash, a.code, p.amount
FROM txn t JOIN posting p ON p.txn_id = t.id JOIN account a ON a.id = p.account_id
ORDER BY t.seq, p.line"""


def configure_with_key(ctx: AppContext, folder: Path) -> PrivateKey:
    """Load a throw-away district configuration that lists this centre; its key signs."""
    key, passphrase = PrivateKey.generate(), "bench-passphrase"
    info = CentreService(ctx).get()
    header = {
        "type": DISTRICT_CONFIG, "district": "D01", "centre": "D01",
        "created_at": "2026-11-20T02:00:00Z", "district_name": "bench", "config_seq": 1,
        "district_public_key": key.public_key().hex(),
        "member_key_secret": seal_secret(DistrictSecret.generate(), passphrase),
    }  # fmt: skip
    rows = [{"code": info.code, "name": info.name, "public_key": info.public_key}]
    path = folder / "config.tbsync"
    write_bundle(path, header, {CENTRES: rows}, key)
    SyncFileService(ctx).import_file(
        path, passphrase=passphrase, fingerprint=key.public_key().fingerprint
    )
    return key


def configure(ctx: AppContext, folder: Path) -> None:
    configure_with_key(ctx, folder)


def raw_dump(db: Path, out: Path) -> int:
    """The floor: the same rows queried raw, one JSON line per transaction, deflated."""
    conn = sqlite3.connect(db)
    names = ("seq", "id", "kind", "value_date", "booked_on", "recorded_at", "memo", "staff",
             "prev_hash", "hash")  # fmt: skip
    count, current = 0, None
    row_out: dict[str, object] = {}
    postings: list[list[object]] = []
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("transactions.jsonl", "w") as handle,
    ):
        for row in conn.execute(RAW):
            if row[0] != current:
                if current is not None:
                    handle.write(json.dumps(row_out, ensure_ascii=False).encode() + b"\n")
                    count += 1
                current, postings = row[0], []
                row_out = dict(zip(names, row[:10], strict=True))
                row_out["postings"] = postings
            postings.append([row[10], row[11]])
        if current is not None:
            handle.write(json.dumps(row_out, ensure_ascii=False).encode() + b"\n")
            count += 1
    conn.close()
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        target = args.db or folder / "bench.sqlite3"
        fresh = not target.exists()
        ctx = AppContext(open_database(target))
        if fresh:
            CentreService(ctx).init("A01", "东湖社区", "D01")
            started = time.perf_counter()
            DemoService(ctx).generate(
                DemoOptions(members=args.members, months=args.months, seed=args.seed)
            )
            print(f"demo: {time.perf_counter() - started:.1f} s")
            configure(ctx, folder)
        export_times, floor_times, count = [], [], 0
        for n in range(ROUNDS):
            started = time.perf_counter()
            count = raw_dump(target, folder / f"raw{n}.zip")
            floor_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = ExportService(ctx).export(folder / f"export{n}.tbsync", from_seq=1)
            export_times.append(time.perf_counter() - started)
        ctx.engine.dispose()
        export, floor = min(export_times), min(floor_times)
        print(
            f"sync export of {result.transactions} transactions, {result.members} members: "
            f"{export:.2f} s; raw dump of {count} rows: {floor:.2f} s; "
            f"ratio {export / floor:.2f}x (goal <= 3x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
