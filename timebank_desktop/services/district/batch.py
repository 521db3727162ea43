"""Importing many centre files: verified in worker processes or in place, written in groups.

Each file is still all-or-nothing: a file that continues its centre's chain is written inside
its own savepoint, and a file that does anything else (already imported, overlap, gap, fork,
new epoch) goes through the importer's ordinary path in its own transactions. What changes is
when the database commits: several continuing files share one transaction (`GROUP_FILES`
files, `GROUP_ROWS` rows or `GROUP_SECONDS`, whichever comes first). A commit rewrites every
page of the aggregates it touched (member keys are spread over the whole table), so one commit
for twenty files writes a fraction of what twenty commits would; the group's member rows are
merged and written once, in key order, just before its commit (`apply.MemberTotals`). The
cycle collector runs less often meanwhile (`heap`). A file's outcome is given out
only once its group is committed; an error rolls back the open group, and those files were
never reported as imported (importing them again is the usual no-op or append).
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, suppress
from dataclasses import replace
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.exports.sync import Bundle
from timebank_desktop.exports.sync.reader import load_file
from timebank_desktop.i18n import current_language
from timebank_desktop.services.district.apply import MemberTotals
from timebank_desktop.services.district.heap import fewer_collections
from timebank_desktop.services.district.prepared import Prepared, prepare, prepare_bytes
from timebank_desktop.services.district.registry import centre_keys, load_identity

if TYPE_CHECKING:
    from timebank_desktop.services.district.importer import (
        CancelFn,
        DistrictImporter,
        ImportOutcome,
    )

GROUP_FILES = 20
GROUP_ROWS = 200_000
GROUP_SECONDS = 2.0

Path = str | os.PathLike[str]


WORKER_NICENESS = 5
AHEAD = 8  # files per worker verified ahead of the writer (it pauses to commit)
PARALLEL_BYTES = 16 << 20  # below this much to read, starting worker processes costs more


def default_jobs(paths: Sequence[Path]) -> int:
    """Worker processes for importing ``paths``: one per core (at most 4) when there are
    several files and enough to read to pay for starting them; else none (1)."""
    if len(paths) < 2:
        return 1
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            continue  # the import says what is wrong with it
    return max(1, min(4, os.cpu_count() or 1)) if total >= PARALLEL_BYTES else 1


class _Group:
    """Continuing files written in one database transaction, one savepoint each."""

    def __init__(self, importer: DistrictImporter) -> None:
        self.importer = importer
        self.stack: ExitStack | None = None
        self.session: Session | None = None
        self.done: list[tuple[Path, ImportOutcome]] = []
        self.rows = 0
        self.started = 0.0
        self.members = MemberTotals()  # the group's member rows, written before its commit

    def add(self, path: Path, prepared: Prepared) -> bool:
        """Write ``prepared`` when it continues its centre's chain (True); else nothing."""
        if self.session is None:
            self.stack = ExitStack()
            self.session = self.stack.enter_context(self.importer.ctx.write())
            self.started = time.monotonic()
        with self.session.begin_nested():
            outcome = self.importer.write_continuing(self.session, prepared, self.members)
        if outcome is None:
            return False
        self.done.append((path, outcome))
        self.rows += outcome.added
        return True

    def full(self) -> bool:
        return (
            len(self.done) >= GROUP_FILES
            or self.rows >= GROUP_ROWS
            or time.monotonic() - self.started >= GROUP_SECONDS
        )

    def commit(self) -> Iterator[tuple[Path, ImportOutcome]]:
        """Commit the group, then give its outcomes (with held files they let through)."""
        stack, session, done = self.stack, self.session, self.done
        self.stack, self.session, self.done, self.rows = None, None, [], 0
        if stack is not None and session is not None:
            with stack:
                self.members.write(session.connection())
        for path, outcome in done:
            caught = self.importer.catch_up(outcome.centre)
            yield path, replace(outcome, caught_up=tuple(caught)) if caught else outcome

    def abort(self, exc: BaseException) -> None:
        stack, self.stack, self.session, self.done = self.stack, None, None, []
        self.members = MemberTotals()
        if stack is not None:
            stack.__exit__(type(exc), exc, exc.__traceback__)


def import_many(
    importer: DistrictImporter, paths: Sequence[Path], cancel: CancelFn | None, jobs: int
) -> Iterator[tuple[Path, ImportOutcome | FileRejected]]:
    """Each file's outcome (or refusal), in the order given."""
    with fewer_collections():
        yield from _import_many(importer, paths, cancel, jobs)


def _import_many(
    importer: DistrictImporter, paths: Sequence[Path], cancel: CancelFn | None, jobs: int
) -> Iterator[tuple[Path, ImportOutcome | FileRejected]]:
    group = _Group(importer)
    try:
        if jobs > 1 and len(paths) > 1:
            items = _from_workers(importer, paths, cancel, jobs)
        else:
            items = _in_place(importer, paths, cancel)
        for path, item in items:
            if isinstance(item, FileRejected):
                yield from group.commit()
                yield path, item
                continue
            prepared, bundle, data = item
            if prepared is not None and group.add(path, prepared):
                if group.full():
                    yield from group.commit()
                continue
            yield from group.commit()  # the ordinary path opens its own transactions
            try:
                if bundle is not None and data is not None:
                    yield path, importer.place_verified(bundle, data, str(path))
                else:
                    yield path, importer.import_file(path)
            except FileRejected as exc:
                yield path, exc
        yield from group.commit()
    except BaseException as exc:
        group.abort(exc)
        raise


Item = tuple[Prepared | None, Bundle | None, bytes | None] | FileRejected


def _in_place(
    importer: DistrictImporter, paths: Sequence[Path], cancel: CancelFn | None
) -> Iterator[tuple[Path, Item]]:
    """Read and verify each file here (its effects computed in the same pass)."""
    with importer.ctx.read() as session:
        district = load_identity(session).code
        keys = centre_keys(session)
    for path in paths:
        if cancel is not None and cancel():
            return
        try:
            data = load_file(path)
            bundle, prepared = prepare_bytes(data, str(path), district, keys)
        except FileRejected as exc:
            yield path, exc
            continue
        yield path, (prepared, bundle, data)


def _yield_to_the_writer() -> None:
    """In a worker: a lower priority, so the one process that writes (the pipeline's
    narrowest point) is never kept waiting for a core by the workers that feed it."""
    with suppress(OSError):
        os.nice(WORKER_NICENESS)


def _start_method() -> BaseContext:
    """Fork when this process runs one thread (the command line): a worker starts at once
    and touches nothing it inherits (it reads a file and computes). Spawn otherwise (a GUI
    has threads, and forking a threaded process is unsafe)."""
    if threading.active_count() == 1 and "fork" in get_all_start_methods():
        return get_context("fork")
    return get_context("spawn")


def _from_workers(
    importer: DistrictImporter, paths: Sequence[Path], cancel: CancelFn | None, jobs: int
) -> Iterator[tuple[Path, Item]]:
    """Files verified by ``jobs`` worker processes, a few ahead of the writer, in order.
    A file a worker could not prepare (it died) comes as (None, None, None): done here."""
    with importer.ctx.read() as session:
        district = load_identity(session).code
        keys = {code: key.hex() for code, key in centre_keys(session).items()}
    language = current_language()
    todo = iter(paths)
    window: deque[tuple[Path, Future[Prepared] | None]] = deque()
    with ProcessPoolExecutor(jobs, _start_method(), _yield_to_the_writer) as pool:

        def submit() -> None:
            path = next(todo, None)
            if path is None:
                return
            try:
                window.append((path, pool.submit(prepare, str(path), district, keys, language)))
            except BrokenProcessPool:  # a worker died: the rest is done here
                window.append((path, None))

        for _ in range(AHEAD * jobs):
            submit()
        while window:
            if cancel is not None and cancel():
                for _path, job in window:
                    if job is not None:
                        job.cancel()
                return
            path, job = window.popleft()
            submit()
            try:
                prepared = job.result() if job is not None else None
            except FileRejected as exc:
                yield path, exc
                continue
            except BrokenProcessPool:
                prepared = None
            yield path, (prepared, None, None)
