"""Benchmark: the desktop on a 200,000-member centre (offscreen Qt).

    python bench/bench_gui.py [--db FILE] [--members N]

The database is built once through the demo's bulk member path (about half a minute) and kept
(default: ``timebank-bench-gui-<N>.sqlite3`` in the temp folder; a later run reuses it).
Prints, each against a floor measured in the same run:

- member search per keystroke through the members page's model (the first page of rows in
  the model), for names, pinyin initials, phone/ID tails and member numbers typed one key at a
  time; floor: the same SQL on the same file straight through sqlite3 (for prefixes the capped
  count that picks the plan, then the page); the best single-statement plan is shown too.
  Goal ≤ 50 ms and ≤ 3×. The page's whole keystroke (its rows and the "N members" count) too;
- opening the members page (page built, first rows shown, threaded runner as in the app).
  Goal ≤ 200 ms;
- launch to an interactive main window: a new process runs `timebank-desktop`'s own start-up
  (imports, lock, database, sign-in with the argon2 check, main window shown, event loop idle).
  Floor: a bare PySide6 window in a new process. Goal ≤ 1.5 s; openpyxl and reportlab must not
  be loaded by then.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 5
USER, PASSWORD = "bench", "bench-password"
TYPED = {
    # kind: what a clerk types, one key at a time
    "pinyin initials": "zhang",
    "name": "王秀",
    "member number": "M01234",
    "phone/ID tail": "1234",
}
RAW_PAGE = """
SELECT m.id, m.member_no, m.name, m.gender, m.birth_date, m.id_number, m.phone,
       m.is_volunteer, m.is_recipient, a.balance_minutes, m.star_level
FROM member m LEFT JOIN account a ON a.member_id = m.id
WHERE {where} ORDER BY m.member_no LIMIT ? OFFSET 0"""
HEAVY = ("openpyxl", "reportlab")


def best(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    """The best wall time of ``rounds`` calls, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# ---------------------------------------------------------------- the database
def build(target: Path, members: int) -> float:
    """A centre with ``members`` members and a clerk account; seconds taken (0: reused)."""
    from timebank_desktop.domain.clock import FixedClock
    from timebank_desktop.services.auth import StaffService
    from timebank_desktop.services.centre import CentreService
    from timebank_desktop.services.context import AppContext
    from timebank_desktop.services.database import open_database
    from timebank_desktop.services.demo import DemoOptions, _Builder
    from timebank_desktop.services.members import MemberService

    ctx = AppContext(open_database(target))
    try:
        if CentreService(ctx).exists() and MemberService(ctx).count() >= members:
            return 0.0
        start = time.perf_counter()
        CentreService(ctx).init("B01", "基准社区", "D01")
        StaffService(ctx).add(USER, "基准管理员", "admin", PASSWORD, first_admin=True)
        # The demo's bulk member path (executemany of generated people, pinyin keys, accounts):
        # members only, no months of services, so 200,000 members take seconds, not minutes.
        clock = FixedClock(ctx.clock.now())
        bulk = replace(ctx, clock=clock)
        bulk.share_with(ctx)
        with bulk.write() as session:
            builder = _Builder(session, bulk, clock, DemoOptions(members=members, months=1), None)
            builder._add_members()
            builder.writer.flush()
        return time.perf_counter() - start
    finally:
        ctx.engine.dispose()


def raw_where(text: str, walk: bool = False) -> tuple[str, list[object]]:
    """The same search as raw SQL and its values: the indexed prefix ranges, or (``walk``)
    the same test on ``column || ''`` so SQLite walks the member-number index instead."""
    from timebank_desktop.services.member_search import search_terms

    kind, p = search_terms(text)
    plus = "|| ''" if walk else ""

    def prefix(column: str) -> str:
        return f"(m.{column} {plus} >= ? AND m.{column} {plus} < ?)"

    ranges = {
        "all": ("m.active = 1", []),
        "number": ("m.member_no >= ? AND m.member_no < ?", [p.get("lo"), p.get("hi")]),
        "tail": (f"{prefix('phone_rev')} OR {prefix('id_rev')}", [p.get("lo"), p.get("hi")] * 2),
        "pinyin": (
            f"{prefix('name_initials')} OR {prefix('name_pinyin')}",
            [p.get("lo"), p.get("hi")] * 2,
        ),
        "name": ("m.name LIKE ? ESCAPE '\\'", [p.get("pattern")]),
    }
    return ranges[kind]


def raw_same(raw: sqlite3.Connection, text: str, size: int) -> Callable[[], object]:
    """The SQL the model runs, straight on sqlite3: for prefixes, the capped count that picks
    the plan (services/member_search.py), then the page by that plan."""
    from timebank_desktop.services.member_search import BROAD, SCANNED, search_terms

    kind = search_terms(text)[0]
    where, values = raw_where(text)
    probe = f"SELECT count(*) FROM (SELECT 1 FROM member m WHERE {where} LIMIT {BROAD})"

    def run() -> object:
        walk = kind in SCANNED and raw.execute(probe, values).fetchone()[0] >= BROAD
        chosen, chosen_values = raw_where(text, walk)
        return raw.execute(RAW_PAGE.format(where=chosen), [*chosen_values, size]).fetchall()

    return run


def raw_best(raw: sqlite3.Connection, text: str, size: int) -> float:
    """The faster of the two single-statement plans, as if SQL knew the answer beforehand."""
    floors = []
    for walk in (False, True):
        where, values = raw_where(text, walk)
        sql = RAW_PAGE.format(where=where)
        floors.append(best(lambda sql=sql, v=values: raw.execute(sql, [*v, size]).fetchall()))
    return min(floors)


# ---------------------------------------------------------------- search and page
def bench_search(db: Path) -> list[tuple[str, float, float]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from timebank_desktop.domain.roles import Role
    from timebank_desktop.services.context import Actor, AppContext
    from timebank_desktop.services.database import open_database
    from timebank_desktop.services.paths import AppPaths
    from timebank_desktop.ui.backend import Backend
    from timebank_desktop.ui.itemmodels.members import MemberTableModel
    from timebank_desktop.ui.pages.base import PageDeps
    from timebank_desktop.ui.pages.members import MembersPage
    from timebank_desktop.ui.prompts import Prompts
    from timebank_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(open_database(db)).as_actor(Actor(USER, Role.ADMIN, USER))
    raw = sqlite3.connect(db)
    home = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    backend = Backend(ctx, AppPaths(home), db)
    sync = TaskRunner(synchronous=True)
    model = MemberTableModel(backend.members, sync, show_identity=False)
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    page = MembersPage(PageDeps(backend, sync, Prompts(), settings))
    size = model.page_size
    results: list[tuple[str, float, float]] = []
    print(f"member search per keystroke (first page of {size} rows in the members model):")
    for kind, typed in TYPED.items():
        worst_ms, worst_ratio = 0.0, 0.0
        cells = []
        for n in range(1, len(typed) + 1):
            text = typed[:n]
            where, values = raw_where(text)
            sql = RAW_PAGE.format(where=where)
            model.set_query(text)
            expected = [row[1] for row in raw.execute(sql, [*values, size])]
            got = [m.member_no for m in model.rows()]
            if got != expected:
                raise AssertionError(f"{text!r}: the model and the raw SQL disagree")
            t_model = best(lambda text=text: model.set_query(text))
            t_raw = best(raw_same(raw, text, size))
            t_oracle = raw_best(raw, text, size)
            page.search.setText(text)
            t_page = best(page.apply_search)
            worst_ms = max(worst_ms, 1e3 * t_model)
            worst_ratio = max(worst_ratio, t_model / t_raw)
            cells.append(
                f"{text!r:<9} model {1e3 * t_model:5.1f} ms, raw SQL {1e3 * t_raw:5.1f} ms "
                f"({t_model / t_raw:3.1f}×; best single plan {1e3 * t_oracle:5.1f} ms), "
                f"page with its count {1e3 * t_page:5.1f} ms, {len(got)} rows"
            )
        print(f"  {kind:<16} " + ("\n  " + " " * 17).join(cells))
        print(
            f"  {'':<16} worst {worst_ms:.1f} ms (goal ≤ 50 ms), worst ratio to the raw SQL "
            f"{worst_ratio:.2f}× (goal ≤ 3×)"
        )
        results.append((kind, worst_ms, worst_ratio))
    page.deleteLater()
    app.processEvents()
    raw.close()
    ctx.engine.dispose()
    return results


def bench_open_page(db: Path) -> float:
    """Building the members page and showing its first rows, with the app's threaded runner."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from timebank_desktop.domain.roles import Role
    from timebank_desktop.services.context import Actor, AppContext
    from timebank_desktop.services.database import open_database
    from timebank_desktop.services.paths import AppPaths
    from timebank_desktop.ui.backend import Backend
    from timebank_desktop.ui.pages.base import PageDeps
    from timebank_desktop.ui.pages.members import MembersPage
    from timebank_desktop.ui.prompts import Prompts
    from timebank_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(open_database(db)).as_actor(Actor(USER, Role.ADMIN, USER))
    home = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    backend = Backend(ctx, AppPaths(home), db)
    runner = TaskRunner()
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    raw = sqlite3.connect(db)
    where, values = raw_where("")
    t_raw = best(lambda: raw.execute(RAW_PAGE.format(where=where), [*values, 100]).fetchall())
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        page = MembersPage(PageDeps(backend, runner, Prompts(), settings))
        page.resize(1100, 700)
        page.show()
        page.activated()
        while page.model.rowCount() == 0 or page._count is None:
            app.processEvents()
            time.sleep(0.0005)
        page.table.viewport().repaint()
        times.append(time.perf_counter() - start)
        page.close()
        page.deleteLater()
        app.processEvents()
    runner.shutdown()
    raw.close()
    ctx.engine.dispose()
    t_open = min(times)
    print(
        f"opening the members page (first {page.model.rowCount()} rows and the count shown): "
        f"{1e3 * t_open:.1f} ms (goal ≤ 200 ms); raw first page {1e3 * t_raw:.1f} ms"
    )
    return t_open


# ---------------------------------------------------------------- launch
LAUNCH = r"""
import sys, time
start = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from timebank_desktop import app_gui
from timebank_desktop.ui import startup

signin = []

def watch(flow):
    def on_window(window):
        def idle():
            heavy = sorted({m.split(".")[0] for m in sys.modules} & {"openpyxl", "reportlab"})
            took = time.time() - start
            print(f"{signin[0]:.4f} {took:.4f} {','.join(heavy) or '-'}", flush=True)
            QApplication.instance().exit(0)
        QTimer.singleShot(0, idle)
    flow.window_opened.connect(on_window)
    def sign_in():
        signin.append(time.time() - start)  # the sign-in dialog is up and takes keys
        dialog = flow.dialog
        dialog.username.setText(sys.argv[3]); dialog.password.setText(sys.argv[4])
        dialog.attempt()
    QTimer.singleShot(0, sign_in)

real_start = startup.StartupFlow.start
def start_and_watch(self):
    real_start(self)
    watch(self)
startup.StartupFlow.start = start_and_watch
app_gui.main(["--db", sys.argv[2], "--lang", "zh_CN"])
"""
BARE = r"""
import sys, time
start = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QLabel("x")); window.resize(1200, 780)
window.show()
def idle():
    print(f"{time.time() - start:.4f}", flush=True); app.exit(0)
QTimer.singleShot(0, idle)
app.exec()
"""


def _child(code: str, *args: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as home:
        env.update(TIMEBANK_HOME=home, XDG_CONFIG_HOME=home, HOME=home)
        done = subprocess.run(
            [sys.executable, "-c", code, f"{time.time():.6f}", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=True,
        )
    return done.stdout.split()[-3:] if done.stdout.strip() else ["nan", "nan", "?"]


def bench_launch(db: Path) -> float:
    app_times, signin_times, bare_times, heavy = [], [], [], set()
    for _ in range(ROUNDS):
        signin, seconds, loaded = _child(LAUNCH, str(db), USER, PASSWORD)
        app_times.append(float(seconds))
        signin_times.append(float(signin))
        heavy |= {m for m in loaded.split(",") if m != "-"}
        bare_times.append(float(_child(BARE)[-1]))
    t_app, t_bare = min(app_times), min(bare_times)
    print(
        f"launch to an interactive main window: {t_app:.2f} s (goal ≤ 1.5 s); bare PySide6 "
        f"window {t_bare:.2f} s, ratio {t_app / t_bare:.1f}×; loaded at start-up: "
        f"{', '.join(sorted(heavy)) or 'neither openpyxl nor reportlab'}"
    )
    print(
        f"  of which: sign-in dialog ready after {min(signin_times):.2f} s; the rest is the "
        "password check (argon2id) and building the window"
    )
    return t_app


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--skip-launch", action="store_true")
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"timebank-bench-gui-{args.members}.sqlite3"
    seconds = build(db, args.members)
    print(
        f"database {db}: "
        + (f"built in {seconds:.1f} s" if seconds else "reused")
        + f", {args.members:,} members"
    )
    bench_search(db)
    bench_open_page(db)
    if not args.skip_launch:
        bench_launch(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
