"""Database work off the GUI thread, on ONE worker (what SQLite wants), results on the GUI thread.

Modelled on Anki's ``aqt/operations``: a page calls ``runner.run(work, on_done, on_error)``;
``work`` runs on the single worker thread and ``on_done(result)`` or ``on_error(exc)`` runs
back on the GUI thread. Long work takes a `TaskControl` for progress and cancel. Tests build
the runner with ``synchronous=True`` so everything happens inside ``run``.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Cancelled(Exception):
    """Raised inside work whose user pressed Cancel."""


class TaskControl(QObject):
    """Progress and cancel for one long task; ``progress`` may be called from the worker."""

    progressed = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> None:
        """Report progress; raises `Cancelled` once the user has cancelled."""
        if self._cancel.is_set():
            raise Cancelled
        self.progressed.emit(done, total)


class _Bridge(QObject):
    """Lives on the GUI thread: signals emitted by the worker are delivered here, queued."""

    finished = Signal(int, object, object)


class _Job(QRunnable):
    def __init__(self, bridge: _Bridge, token: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self.bridge, self.token, self.work = bridge, token, work

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            self.bridge.finished.emit(self.token, None, exc)
        else:
            self.bridge.finished.emit(self.token, result, None)


class TaskRunner(QObject):
    """Runs work on one worker thread (or inline when ``synchronous``)."""

    busy_changed = Signal(bool)

    def __init__(self, synchronous: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.on_unhandled: Failed = self._log_error
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = _Bridge(self)
        self._bridge.finished.connect(self._deliver)
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._tokens = itertools.count(1)

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
        self._pool.start(_Job(self._bridge, token, work))

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
        return self._pool.waitForDone(msecs)
