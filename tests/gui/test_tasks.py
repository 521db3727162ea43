"""The one-worker task runner: work off the GUI thread, results and errors back on it."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from timebank_desktop.domain.errors import Refused
from timebank_desktop.ui.tasks import Cancelled, TaskControl, TaskRunner


def test_work_runs_on_one_worker_and_results_come_back_on_the_gui_thread(qtbot: Any) -> None:
    runner = TaskRunner()
    gui = threading.get_ident()
    workers: set[int] = set()
    delivered: list[tuple[int, int]] = []

    def work(n: int) -> int:
        workers.add(threading.get_ident())
        return n * n

    for n in range(5):
        runner.run(lambda n=n: work(n), lambda r: delivered.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: len(delivered) == 5)
    assert [r for r, _ in delivered] == [0, 1, 4, 9, 16]  # in order: one worker
    assert {t for _, t in delivered} == {gui}
    assert len(workers) == 1 and gui not in workers
    assert not runner.busy
    runner.shutdown()


def test_errors_reach_on_error_or_the_unhandled_hook(qtbot: Any) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []
    unhandled: list[BaseException] = []
    runner.on_unhandled = unhandled.append

    def fail() -> None:
        raise Refused("no")

    runner.run(fail, on_error=errors.append)
    runner.run(fail)
    qtbot.waitUntil(lambda: len(errors) == 1 and len(unhandled) == 1)
    assert isinstance(errors[0], Refused)
    runner.shutdown()


def test_progress_and_cancel(qtbot: Any) -> None:
    control = TaskControl()
    seen: list[tuple[int, int]] = []
    control.progressed.connect(lambda d, t: seen.append((d, t)))
    control.progress(1, 3)
    assert seen == [(1, 3)]
    control.cancel()
    with pytest.raises(Cancelled):
        control.progress(2, 3)


def test_synchronous_mode_runs_inline() -> None:
    runner = TaskRunner(synchronous=True)
    out: list[int] = []
    runner.run(lambda: 42, out.append)
    assert out == [42]


def test_progress_from_the_worker_reaches_the_gui_thread(qtbot: Any) -> None:
    runner, control = TaskRunner(), TaskControl()
    seen: list[tuple[int, int]] = []
    control.progressed.connect(lambda d, t: seen.append((d, t)))
    control.watch()
    done: list[str] = []
    runner.run(lambda: control.progress(5, 10), lambda _r: done.append("yes"))
    qtbot.waitUntil(lambda: bool(done))
    control.stop()
    assert seen == [(5, 10)]
    runner.shutdown()
