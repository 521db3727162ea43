"""Database work off the GUI thread, on ONE worker (what SQLite wants), results on the GUI thread.

Modelled on Anki's ``aqt/operations``: a page calls ``runner.run(work, on_done, on_error)``;
``work`` runs on the single worker thread, in the order submitted, and ``on_done(result)`` or
``on_error(exc)`` runs back on the GUI thread. Long work takes a `TaskControl` for progress and
cancel. Tests build the runner with ``synchronous=True`` so everything happens inside ``run``.

The worker is a plain Python thread with a queue, and the GUI thread collects outcomes with a
short timer while work is pending: nothing Qt is touched from the worker. (This design came
after PySide6 6.12 aborted with "bool_dealloc" when workers emitted signals; the cause turned
out to be a bug of 6.12.0 in every emit, from any thread: tests/gui/test_qt_binding.py.)
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
POLL_MS = 5


class Cancelled(Exception):
    """Raised inside work whose user pressed Cancel."""


class TaskControl(QObject):
    """Progress and cancel for one long task; ``progress`` may be called from the worker."""

    progressed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None
        self._owner = threading.get_ident()
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self.poll)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        """Report progress; raises `Cancelled` once the user has cancelled."""
        if self._cancel.is_set():
            raise Cancelled
        if threading.get_ident() == self._owner:
            self.progressed.emit(done, total)
            return
        with self._lock:
            self._latest = (done, total)

    def watch(self) -> None:
        """Start forwarding the worker's progress to ``progressed`` (GUI thread)."""
        self._timer.start()

    def poll(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None:
            self.progressed.emit(*latest)

    def stop(self) -> None:
        self.poll()
        self._timer.stop()


class _Worker(threading.Thread):
    """The one worker thread: runs jobs in order and queues their outcomes."""

    def __init__(self) -> None:
        super().__init__(name="timebank-worker", daemon=True)
        self.jobs: queue.SimpleQueue[tuple[int, Callable[[], Any]] | None] = queue.SimpleQueue()
        self.outcomes: queue.SimpleQueue[tuple[int, Any, BaseException | None]] = (
            queue.SimpleQueue()
        )
        self.idle = threading.Event()
        self.idle.set()
        self._pending = 0
        self._lock = threading.Lock()

    def submit(self, token: int, work: Callable[[], Any]) -> None:
        with self._lock:
            self._pending += 1
            self.idle.clear()
        self.jobs.put((token, work))

    def run(self) -> None:
        while (job := self.jobs.get()) is not None:
            token, work = job
            try:
                result = work()
            except BaseException as exc:  # delivered to the GUI thread, never lost
                self.outcomes.put((token, None, exc))
            else:
                self.outcomes.put((token, result, None))
            with self._lock:
                self._pending -= 1
                if not self._pending:
                    self.idle.set()


class TaskRunner(QObject):
    """Runs work on one worker thread (or inline when ``synchronous``)."""

    busy_changed = Signal(bool)

    def __init__(self, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.on_unhandled: Failed = self._log_error
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._tokens = itertools.count(1)
        self._worker: _Worker | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.collect)

    @staticmethod
    def _log_error(exc: BaseException) -> None:
        log.error("unhandled error in background work", exc_info=exc)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
    ) -> None:
        """Run ``work`` on the worker; call ``on_done``/``on_error`` on the GUI thread."""
        token = next(self._tokens)
        self._pending[token] = (on_done, on_error)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        if self.synchronous:
            try:
                result = work()
            except Exception as exc:
                self._deliver(token, None, exc)
            else:
                self._deliver(token, result, None)
            return
        if self._worker is None:
            self._worker = _Worker()
            self._worker.start()
        self._worker.submit(token, work)
        if not self._timer.isActive():
            self._timer.start()

    def collect(self) -> None:
        """Deliver every finished job's outcome (the timer calls this on the GUI thread)."""
        worker = self._worker
        if worker is None:
            return
        while True:
            try:
                token, result, error = worker.outcomes.get_nowait()
            except queue.Empty:
                break
            self._deliver(token, result, error)
        if not self._pending:
            self._timer.stop()

    def _deliver(self, token: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._pending.pop(token, (None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        if error is not None:
            (on_error or self.on_unhandled)(error)
        elif on_done is not None:
            on_done(result)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (at exit, and in tests of the threaded mode)."""
        if self._worker is None:
            return True
        return self._worker.idle.wait(None if msecs < 0 else msecs / 1000)

    def shutdown(self) -> None:
        """Finish the queued work and stop the worker thread (at exit)."""
        self._timer.stop()
        if self._worker is not None:
            self._worker.jobs.put(None)
            self._worker.join()
            self._worker = None
