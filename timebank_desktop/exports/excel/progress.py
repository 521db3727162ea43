"""Progress reports and cancellation for long exports."""

from __future__ import annotations

from collections.abc import Callable

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import _

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ExportCancelled(TimebankError):
    """The user cancelled an export; no file was left under the target name."""


class Ticker:
    """Counts rows written, calls ``progress(done, total)`` now and then, honours ``cancel``.

    ``cancel()`` is asked at the same points as progress is reported (every ``every`` rows
    and at each `checkpoint`); when it returns True, `ExportCancelled` is raised. A
    ``total`` of 0 means "not known": progress then reports ``(done, 0)`` until the end.
    """

    def __init__(
        self,
        total: int,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        every: int = 500,
    ) -> None:
        self.total = max(total, 0)
        self.done = 0
        self._progress = progress
        self._cancel = cancel
        self._every = every
        self._next = every

    def tick(self, rows: int = 1) -> None:
        """Count ``rows`` more rows; report and check for cancel every ``every`` rows."""
        self.done += rows
        if self.done >= self._next:
            self._next = self.done + self._every
            self.checkpoint()

    def checkpoint(self) -> None:
        """Report progress and raise `ExportCancelled` if the user asked to stop."""
        if self._cancel is not None and self._cancel():
            raise ExportCancelled(_("The export was cancelled"))
        if self._progress is not None:
            done = min(self.done, self.total) if self.total else self.done
            self._progress(done, self.total)

    def finish(self) -> None:
        """Report completion (done == total)."""
        self.done = self.total = self.total or self.done
        if self._progress is not None:
            self._progress(self.done, self.total)
