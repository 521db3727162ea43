"""Benchmark: district import of centre files, and the district report.

Run ``python bench/bench_district_import.py`` (``--scale 0.1`` for a tenth: 100,000
transactions, 20,000 members; ``--pg postgresql+psycopg://…`` to run the PostgreSQL part too).
At scale 1 it makes 100 centre export files of 10,000 transactions each (1,000,000 in all) for a
district of 200,000 members (2,000 per centre; 1 % of services are cross-centre visits), then:

- imports them all with `DistrictImporter` (verify every file: signature, hashes, the chain;
  then the rows and every incremental aggregate) into a fresh SQLite district database, and, as
  the floor measured in the same run, inserts the same transaction rows with a raw sqlite3
  ``executemany`` (same table, same PRAGMAs, committed in the same groups of files as the
  importer commits them). Goal: ≤ 3×. The time
  the sync reader alone spends verifying the files is printed too (it is part of the import).
  The import runs twice: in one process, and with ``--jobs`` worker processes (default 2)
  verifying files while the main process writes;
- with ``--pg``: the same import into a fresh PostgreSQL database against ``COPY`` of the same
  rows into the same table (goal ≤ 3×);
- writes the district workbook for the month (goal ≤ 30 s) and the district statement.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # after the path set-up
from sqlalchemy.engine import make_url

from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.exports.sync import (
    CENTRE_EXPORT,
    ENROLMENT,
    MEMBERS,
    TRANSACTIONS,
    read_bundle,
    trust_self_signed,
    write_bundle,
)
from timebank_desktop.models.district import DistrictBase
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.apply import TX_COLUMNS
from timebank_desktop.services.district.batch import GROUP_FILES, GROUP_ROWS
from timebank_desktop.services.district.database import open_district_database
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter
from timebank_desktop.services.district.report import DistrictReportService
from timebank_desktop.services.district.statement import DistrictStatementService

NOW = datetime(2026, 12, 2, 2, 0)
MONTH = Month(2026, 11)
NS = uuid.NAMESPACE_URL


def _key(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def _canonical(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _rows(code: str, count: int, members: int, codes: list[str]) -> Iterator[dict[str, Any]]:
    """A centre's chain: services paid by the pool; every 100th honours a visitor."""
    prev = GENESIS
    memo = hashlib.sha256(b"memo").hexdigest()
    for seq in range(1, count + 1):
        day = date(2026, 11, 1) + timedelta(days=seq % 30)
        volunteer = f"member:{code}{seq % members:05d}"
        if seq % 100 == 0:
            home = codes[(codes.index(code) + 1) % len(codes)]
            visitor = f"member:V{seq % 997:05d}"
            postings = [[visitor, 60], [f"clearing:{home}", -60]]
            kind = "transfer"
        else:
            postings = [[volunteer, 60], ["pool", -60]]
            kind = "service"
        row: dict[str, Any] = {
            "v": 1, "centre": code, "seq": seq, "id": str(uuid.uuid5(NS, f"{code}/{seq}")),
            "kind": kind, "value_date": day.isoformat(), "booked_on": day.isoformat(),
            "recorded_at": f"{day.isoformat()}T01:00:00", "memo_sha256": memo, "reverses": None,
            "record": None, "funding": None, "staff": "clerk", "postings": postings,
        }  # fmt: skip
        digest = hashlib.sha256(bytes.fromhex(prev))
        digest.update(_canonical(row))
        row["prev_hash"], row["hash"] = prev, digest.hexdigest()
        prev = row["hash"]
        yield row


def make_files(folder: Path, centres: int, per_file: int, members: int) -> list[tuple[Path, Path]]:
    codes = [f"C{i:03d}" for i in range(centres)]
    made = []
    for code in codes:
        key = PrivateKey.generate()
        rows = list(_rows(code, per_file, members, codes))
        accounts = {p[0] for r in rows for p in r["postings"] if p[0].startswith("member:")}
        member_rows = [
            {"key": _key(f"{code}/{a}"), "gender": "F", "birth_year": 1950, "roles": ["volunteer"],
             "account": a}
            for a in sorted(accounts)
        ]  # fmt: skip
        export = folder / f"{code}.tbsync"
        write_bundle(export, {
            "type": CENTRE_EXPORT, "district": "D01", "centre": code, "created_at": "2026-12-01",
            "epoch": 1, "seq_from": 1, "seq_to": per_file, "prev_hash": GENESIS,
            "head_hash": rows[-1]["hash"],
        }, {TRANSACTIONS: rows, MEMBERS: member_rows}, key)  # fmt: skip
        enrol = folder / f"{code}.enrol"
        write_bundle(enrol, {
            "type": ENROLMENT, "district": "D01", "centre": code, "created_at": "2026-12-01",
            "centre_name": f"社区 {code}", "public_key": key.public_key().hex(),
        }, {}, key)  # fmt: skip
        made.append((enrol, export))
    return made


def district(target: str, files: list[tuple[Path, Path]]) -> AppContext:
    ctx = AppContext(open_district_database(target), clock=FixedClock(NOW.replace(tzinfo=None)))
    DistrictIdentityService(ctx).init("D01", "东湖街道")
    for enrol, _export in files:
        DistrictIdentityService(ctx).enrol(enrol)
    return ctx


def tx_tuples(files: list[tuple[Path, Path]]) -> list[list[tuple[Any, ...]]]:
    """The rows the importer writes to district_tx, per file (the floor inserts exactly these)."""
    out = []
    for centre_id, (_enrol, export) in enumerate(files, start=1):
        bundle = read_bundle(export, [_signer(export)])
        out.append([
            (centre_id, 1, r["seq"], r["id"], r["kind"], r["value_date"], r["prev_hash"],
             r["hash"], json.dumps(r["postings"], ensure_ascii=False, separators=(",", ":")),
             centre_id)
            for r in bundle.rows(TRANSACTIONS)
        ])  # fmt: skip
    return out


def _signer(path: Path) -> Any:
    enrol = path.with_suffix(".enrol")
    return read_bundle(enrol, trust_self_signed).signer


def _centre_rows(engine: Any, count: int) -> None:
    """The centres the floor's rows refer to (the same foreign keys hold as in the import)."""
    DistrictBase.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO district_centre (id, code, name, public_key, fingerprint, status, "
                "epoch, head_seq, head_hash, enrolled_at) VALUES (:id, :code, 'c', 'k', 'f', "
                "'active', 1, 0, 'h', '2026-12-01 00:00:00')"
            ),
            [{"id": i, "code": f"C{i}"} for i in range(1, count + 1)],
        )


def groups(batches: list[list[tuple[Any, ...]]]) -> Iterator[list[list[tuple[Any, ...]]]]:
    """The files' rows, grouped as the importer commits them (at most GROUP_FILES files or
    GROUP_ROWS rows to a transaction; the importer may commit sooner, never later)."""
    group: list[list[tuple[Any, ...]]] = []
    rows = 0
    for batch in batches:
        group.append(batch)
        rows += len(batch)
        if len(group) >= GROUP_FILES or rows >= GROUP_ROWS:
            yield group
            group, rows = [], 0
    if group:
        yield group


def sqlite_floor(folder: Path, batches: list[list[tuple[Any, ...]]]) -> float:
    path = folder / "floor.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    _centre_rows(engine, len(batches))
    engine.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    marks = ", ".join("?" * len(TX_COLUMNS))
    sql = f"INSERT INTO district_tx ({', '.join(TX_COLUMNS)}) VALUES ({marks})"
    start = time.perf_counter()
    for group in groups(batches):
        conn.execute("BEGIN IMMEDIATE")
        for rows in group:
            conn.executemany(sql, rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def pg_floor(url: str, batches: list[list[tuple[Any, ...]]]) -> float:
    engine = create_engine(url)
    _centre_rows(engine, len(batches))
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        start = time.perf_counter()
        for group in groups(batches):
            for rows in group:
                with (
                    driver.cursor() as cur,
                    cur.copy(f"COPY district_tx ({', '.join(TX_COLUMNS)}) FROM STDIN") as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            driver.commit()
        return time.perf_counter() - start
    finally:
        raw.close()
        engine.dispose()


def fresh_pg(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def timed_import(ctx: AppContext, files: list[tuple[Path, Path]], jobs: int = 1) -> float:
    start = time.perf_counter()
    results = DistrictImporter(ctx).import_files([export for _e, export in files], jobs=jobs)
    elapsed = time.perf_counter() - start
    bad = [r for r in results if not hasattr(r, "status") or r.status != "applied"]
    if bad:
        raise SystemExit(f"import failed: {bad[:3]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--pg", help="PostgreSQL admin URL (a scratch database is created)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (second run)")
    args = parser.parse_args()
    centres = max(2, round(100 * min(args.scale, 1.0)))
    per_file = max(10, round(1_000_000 * args.scale / centres))
    members = max(10, round(200_000 * args.scale / centres))
    total = centres * per_file
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        files = make_files(folder, centres, per_file, members)
        print(f"made {centres} files, {total:,} transactions, ~{centres * members:,} members "
              f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
        signers = [_signer(export) for _enrol, export in files]
        t = time.perf_counter()
        for (_enrol, export), signer in zip(files, signers, strict=True):
            read_bundle(export, [signer])
        verify = time.perf_counter() - t
        print(f"sync reader alone (read_bundle: verify every file): {verify:.1f} s")
        batches = tx_tuples(files)

        floor = sqlite_floor(folder, batches)
        print(f"the sync reader's verification alone is {verify / floor:.1f}x the floor")
        for jobs in (1, args.jobs):
            target = folder / f"district-{jobs}.sqlite3"
            ctx = district(str(target), files)
            imported = timed_import(ctx, files, jobs)
            print(f"SQLite, {jobs} process(es): import {imported:.1f} s "
                  f"({total / imported:,.0f} tx/s); raw executemany {floor:.1f} s; "
                  f"ratio {imported / floor:.1f}x (goal <= 3x)")  # fmt: skip
            if jobs == 1:
                print(f"  of which verifying the files (the reader alone) {verify / floor:.1f}x, "
                      f"the rest (rows, aggregates, commits) {(imported - verify) / floor:.1f}x "
                      f"the floor")  # fmt: skip
            if jobs != args.jobs:
                ctx.engine.dispose()
        t = time.perf_counter()
        DistrictReportService(ctx).write(MONTH, folder / "district.xlsx")
        report = time.perf_counter() - t
        print(
            f"SQLite: district report {MONTH} for {centres} centres: {report:.1f} s (goal <= 30 s)"
        )
        t = time.perf_counter()
        info = DistrictStatementService(ctx).write(folder / "statement.tbsync")
        print(f"SQLite: district statement ({info.members:,} balances, {info.entries:,} entries): "
              f"{time.perf_counter() - t:.1f} s")  # fmt: skip
        ctx.engine.dispose()

        if args.pg:
            url = fresh_pg(args.pg, "tb_bench_district")
            ctx = district(url, files)
            imported = timed_import(ctx, files, args.jobs)
            t = time.perf_counter()
            DistrictReportService(ctx).write(MONTH, folder / "district-pg.xlsx")
            report = time.perf_counter() - t
            ctx.engine.dispose()
            floor = pg_floor(fresh_pg(args.pg, "tb_bench_floor"), batches)
            print(f"PostgreSQL, {args.jobs} processes: import {imported:.1f} s; "
                  f"COPY {floor:.1f} s; ratio {imported / floor:.1f}x (goal <= 3x); "
                  f"report {report:.1f} s")  # fmt: skip
            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for name in ("tb_bench_district", "tb_bench_floor"):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
