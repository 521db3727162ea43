"""From start to the main window: set-up wizard or demo, sign-in, then the window.

The entry point composes the pieces (database opener, runner, prompts, window factory) and
hands them in; this class only sequences the dialogs. Nothing here blocks on ``exec()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import _
from timebank_desktop.services.auth import StaffService
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.instance_lock import InstanceLock
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.ui.dialogs.setup import SetupDialog, SetupInput
from timebank_desktop.ui.dialogs.signin import SignInDialog
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import Cancelled, TaskControl, TaskRunner

log = logging.getLogger(__name__)

DEMO_OPTIONS = DemoOptions(members=300, months=12, seed=1)


@dataclass
class OpenedDatabase:
    """A database this process has locked and opened."""

    path: Path
    ctx: AppContext
    lock: InstanceLock | None
    demo: bool = False

    def close(self) -> None:
        self.ctx.engine.dispose()
        if self.lock is not None:
            self.lock.release()


Opener = Callable[[Path, bool], OpenedDatabase]
WindowFactory = Callable[[OpenedDatabase, Actor], QWidget]


def create_centre(ctx: AppContext, data: SetupInput) -> None:
    """The wizard's work: the centre (unless it exists) and its first administrator."""
    centres = CentreService(ctx)
    if not centres.exists():
        centres.init(data.centre_code, data.centre_name, data.district_code)
    StaffService(ctx).add(
        data.username, data.display_name, "admin", data.password, first_admin=True
    )


def needs_demo_data(ctx: AppContext) -> bool:
    return not CentreService(ctx).exists() or MemberService(ctx).count() == 0


class StartupFlow(QObject):
    """Runs the start-up dialogs; ``window_opened`` carries the main window."""

    window_opened = Signal(object)
    abandoned = Signal()

    def __init__(
        self,
        opened: OpenedDatabase,
        opener: Opener,
        paths: AppPaths,
        runner: TaskRunner,
        prompts: Prompts,
        window_factory: WindowFactory,
    ) -> None:
        super().__init__()
        self.opened, self.opener, self.paths = opened, opener, paths
        self.runner, self.prompts, self.window_factory = runner, prompts, window_factory
        self.dialog: QWidget | None = None
        self.window: QWidget | None = None

    def start(self) -> None:
        ctx = self.opened.ctx
        if self.opened.demo and needs_demo_data(ctx):
            self._build_demo()
        elif not CentreService(ctx).exists() or not StaffService(ctx).has_users():
            self._show_setup()
        else:
            self._show_sign_in()

    # ------------------------------------------------------------ set-up
    def _show_setup(self) -> None:
        ctx = self.opened.ctx
        dialog = SetupDialog(
            lambda data: create_centre(ctx, data), self.runner, CentreService(ctx).exists()
        )
        dialog.created.connect(self._show_sign_in)
        dialog.demo_requested.connect(self._switch_to_demo)
        dialog.rejected.connect(self._abandon_unless_moved_on)
        self._present(dialog)

    def _switch_to_demo(self) -> None:
        self.opened.close()
        try:
            self.opened = self.opener(self.paths.demo_database, True)
        except TimebankError as exc:
            self.prompts.error(None, _("Time bank"), exc.message)
            self.abandoned.emit()
            return
        self.start()

    def _build_demo(self) -> None:
        ctx = self.opened.ctx
        control = TaskControl()
        progress = self.prompts.progress(None, _("Creating the demo centre…"), control)
        self.dialog = progress
        control.watch()

        def done(_summary: object) -> None:
            control.stop()
            progress.close()
            self._show_sign_in()

        def failed(exc: BaseException) -> None:
            control.stop()
            progress.close()
            if isinstance(exc, Cancelled):
                self.abandoned.emit()
                return
            if not isinstance(exc, TimebankError):
                raise exc
            self.prompts.error(None, _("Time bank"), exc.message)
            self.abandoned.emit()

        self.runner.run(
            lambda: DemoService(ctx).generate(DEMO_OPTIONS, progress=control.progress),
            done,
            failed,
        )

    # ------------------------------------------------------------ sign-in
    def _show_sign_in(self) -> None:
        ctx = self.opened.ctx
        centre = CentreService(ctx).get()
        dialog = SignInDialog(
            StaffService(ctx).sign_in,
            self.runner,
            f"{centre.name} ({centre.code})",
            demo=self.opened.demo,
        )
        dialog.signed_in.connect(self._open_window)
        dialog.rejected.connect(self._abandon_unless_moved_on)
        self._present(dialog)

    def _open_window(self, actor: Actor) -> None:
        self.window = self.window_factory(self.opened, actor)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()  # the keyboard goes to it even without a window manager
        self.window_opened.emit(self.window)

    # ------------------------------------------------------------ helpers
    def _present(self, dialog: QWidget) -> None:
        previous = self.dialog
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if previous is not None and previous is not dialog:
            previous.deleteLater()

    def _abandon_unless_moved_on(self) -> None:
        if self.window is None and self.sender() is self.dialog:
            self.abandoned.emit()
