"""区级 (district mode): the district's own screens, as one widget the Sync page embeds.

Enrol a centre (its fingerprint confirmed against the paper copy), write the configuration for
centres, import many centre files with progress and Cancel (between files; each file is all or
nothing), write the district statement and the monthly district workbook, and see each
centre's status (chain head, last file, held files, fork alarms) and the net positions.

Embedding: the shell calls ``attach_district_mode(sync_page, deps)`` once; it adds the panel
(through ``SyncPage.embed_district``) for an administrator when this computer holds a district
database (``TIMEBANK_DISTRICT_DB``, or ``district.sqlite3`` in the user data folder).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.clock import local_time
from timebank_desktop.domain.errors import FileRejected, TimebankError
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Role
from timebank_desktop.exports.sync import EXTENSION
from timebank_desktop.i18n import _
from timebank_desktop.services.district.desk import DistrictDesk, DistrictOverview
from timebank_desktop.services.district.importer import ImportOutcome
from timebank_desktop.ui.pages.base import PageDeps
from timebank_desktop.ui.prompts import Prompts
from timebank_desktop.ui.tasks import Cancelled, TaskControl, TaskRunner
from timebank_desktop.ui.widgets import accessible, named

ChooseFiles = Callable[[QWidget], list[Path]]


def _choose_files(parent: QWidget) -> list[Path]:
    names, _filter = QFileDialog.getOpenFileNames(
        parent, _("Import centre files"), "", _("Sync files (*.tbsync)")
    )
    return [Path(n) for n in names]


class DistrictPanel(QGroupBox):
    """The district's screens inside the Sync page."""

    def __init__(
        self,
        desk: DistrictDesk,
        runner: TaskRunner,
        prompts: Prompts,
        choose_files: ChooseFiles = _choose_files,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("district_panel")
        self.desk, self.runner, self.prompts, self.choose_files = (
            desk,
            runner,
            prompts,
            choose_files,
        )
        self.overview: DistrictOverview | None = None
        self.summary = named(QLabel(), "district_summary")
        self.summary.setWordWrap(True)
        self.message = named(QLabel(), "district_message")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        actions: dict[str, Callable[[], None]] = {
            "init": self.init_district,
            "enrol": self.enrol,
            "import": self.import_files,
            "statement": self.statement,
            "report": self.report,
            "config": self.config,
        }
        row = QHBoxLayout()
        for key, action in actions.items():
            button = named(QPushButton(), f"district_{key}")
            button.clicked.connect(action)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.table = named(QTableWidget(0, 7), "district_centres")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.table)
        self.retranslate()

    # ------------------------------------------------------------ texts
    def retranslate(self) -> None:
        self.setTitle(_("District mode"))
        labels = {
            "init": _("Set up the &district…"),
            "enrol": _("E&nrol a centre…"),
            "import": _("Import centre &files…"),
            "statement": _("District &statement…"),
            "report": _("District &report…"),
            "config": _("Configuration for &centres…"),
        }
        for key, text in labels.items():
            self.buttons[key].setText(text)
            accessible(self.buttons[key], text.replace("&", "").rstrip("…"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Centre code"),
                _("Centre"),
                _("Status"),
                _("Chain head"),
                _("Last file received"),
                _("Held files"),
                _("Fork alarms"),
            ]
        )
        if self.overview is not None:
            self._show(self.overview)

    # ------------------------------------------------------------ state
    def refresh(self) -> None:
        self.runner.run(self.desk.overview, self._show, self._error)

    def _show(self, overview: DistrictOverview) -> None:
        self.overview = overview
        ready = overview.info is not None
        self.buttons["init"].setVisible(not ready)
        for key in ("enrol", "import", "statement", "report", "config"):
            self.buttons[key].setEnabled(ready)
        if overview.info is None:
            self.summary.setText(_("This computer holds no district yet."))
        else:
            i = overview.info
            lines = [
                _("District {code} {name}: fingerprint {fingerprint}").format(
                    code=i.code, name=i.name, fingerprint=i.fingerprint
                )
            ]
            lines.append(
                _("{n} centres enrolled; {o} member keys overdrawn").format(
                    n=len(overview.centres), o=overview.overdrafts
                )
            )
            for p in overview.positions:
                lines.append(
                    _("{centre} towards {counter}: {hours} hours").format(
                        centre=p.centre, counter=p.counter, hours=f"{p.minutes / 60:.2f}"
                    )
                )
            for c in overview.centres:  # a restore at the centre: a new chain epoch
                lines.extend(f"{c.code} {x.reference()}: {x.message()}" for x in c.lost)
            self.summary.setText("\n".join(lines))
        self.table.setRowCount(len(overview.centres))
        for r, c in enumerate(overview.centres):
            cells = (
                c.code,
                c.name,
                c.status_label,
                f"{c.epoch}:{c.head_seq}",
                f"{local_time(c.last_file_at):%Y-%m-%d %H:%M}" if c.last_file_at else "—",
                str(c.held_files),
                str(c.open_alarms),
            )
            for col, text in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(text))

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, TimebankError):
            self.message.setText(exc.message)
            self.prompts.error(self, _("District mode"), exc.message)
        else:
            self.prompts.error(self, _("District mode"), str(exc))

    # ------------------------------------------------------------ actions
    def init_district(self) -> None:
        code = self.prompts.ask_text(self, _("District"), _("District code:"))
        if not code:
            return
        name = self.prompts.ask_text(self, _("District"), _("District name:")) or ""

        def done(info: object) -> None:
            passphrase = getattr(info, "passphrase", "")
            text = _("Passphrase for centres (tell them by telephone or on paper): {passphrase}")
            self.message.setText(text.format(passphrase=passphrase))
            self.prompts.info(self, _("District"), self.message.text())
            self.refresh()

        self.runner.run(lambda: self.desk.init(code.strip(), name.strip()), done, self._error)

    def enrol(self) -> None:
        source = self.prompts.open_file(
            self, _("Enrol a centre"), Path.home(), _("Sync files (*.tbsync)")
        )
        if source is None:
            return

        def inspected(found: tuple[str, str]) -> None:
            code, fingerprint = found
            question = _(
                "Centre {code}: its fingerprint is\n{fingerprint}\nDoes it match the "
                "fingerprint on the centre's signed paper copy?"
            ).format(code=code, fingerprint=fingerprint)
            if not self.prompts.confirm(self, _("Centre fingerprint"), question):
                self.message.setText(_("Not enrolled: the fingerprint was not confirmed"))
                return
            self.runner.run(lambda: self.desk.enrol(source, fingerprint), enrolled, self._error)

        def enrolled(result: object) -> None:
            self.message.setText(
                _("Centre {code} enrolled").format(code=getattr(result, "code", ""))
            )
            self.refresh()

        self.runner.run(lambda: self.desk.inspect_enrolment(source), inspected, self._error)

    def import_files(self) -> None:
        paths = self.choose_files(self)
        if not paths:
            return
        control = TaskControl(self)
        dialog = self.prompts.progress(self, _("Importing centre files…"), control)
        control.watch()
        self.buttons["import"].setEnabled(False)

        def finished() -> None:
            control.stop()
            dialog.close()
            dialog.deleteLater()
            self.buttons["import"].setEnabled(True)

        def done(results: list[ImportOutcome | FileRejected]) -> None:
            finished()
            lines = []
            for path, r in zip(paths, results, strict=False):
                if isinstance(r, FileRejected):
                    lines.append(f"{path.name}: {r.message}")
                else:
                    lines.extend([r.message, *r.caught_up])
            self.message.setText("\n".join(lines))
            self.refresh()

        def failed(exc: BaseException) -> None:
            finished()
            if isinstance(exc, Cancelled):
                self.message.setText(_("Import stopped; the files imported so far are kept."))
                self.refresh()
            else:
                self._error(exc)

        self.runner.run(lambda: self.desk.import_files(paths, control.progress), done, failed)

    def _save(self, title: str, name: str, pattern: str) -> Path | None:
        return self.prompts.save_file(self, title, Path.home() / name, pattern)

    def statement(self) -> None:
        target = self._save(
            _("District statement"), f"statement{EXTENSION}", _("Sync files (*.tbsync)")
        )
        if target is None:
            return

        def done(info: object) -> None:
            self.message.setText(
                _("District statement {seq} written to {path}").format(
                    seq=getattr(info, "seq", ""), path=target
                )
            )

        self.runner.run(lambda: self.desk.statement(target), done, self._error)

    def config(self) -> None:
        target = self._save(
            _("Configuration for centres"),
            f"district-config{EXTENSION}",
            _("Sync files (*.tbsync)"),
        )
        if target is None:
            return

        def done(seq: int) -> None:
            self.message.setText(
                _("District configuration {seq} written to {path}").format(seq=seq, path=target)
            )

        self.runner.run(lambda: self.desk.config(target), done, self._error)

    def report(self) -> None:
        text = self.prompts.ask_text(self, _("District report"), _("Month (YYYY-MM):"))
        if not text:
            return
        try:
            month = Month.parse(text)
        except TimebankError as exc:
            self.message.setText(exc.message)
            return
        target = self._save(
            _("District report"), f"district-{month}.xlsx", _("Excel workbooks (*.xlsx)")
        )
        if target is None:
            return
        control = TaskControl(self)
        dialog = self.prompts.progress(self, _("Writing the district report…"), control)
        control.watch()

        def finished() -> None:
            control.stop()
            dialog.close()
            dialog.deleteLater()

        def done(_result: object) -> None:
            finished()
            self.message.setText(
                _("District report for {month} written to {path}").format(month=month, path=target)
            )

        def failed(exc: BaseException) -> None:
            finished()
            if isinstance(exc, Cancelled):
                self.message.setText(_("The report was cancelled; no file was written."))
            else:
                self._error(exc)

        self.runner.run(lambda: self.desk.report(month, target, control.progress), done, failed)


class _Host(Protocol):
    def embed_district(self, widget: QWidget) -> None: ...


def district_target(deps: PageDeps) -> Path | str | None:
    """This computer's district database, if it has one."""
    return deps.backend.paths.district_target()


def attach_district_mode(host: _Host, deps: PageDeps) -> DistrictPanel | None:
    """Embed district mode in ``host`` (the Sync page) for an administrator, when this
    computer holds a district database; returns the panel (None: nothing embedded)."""
    target = district_target(deps)
    if target is None or deps.backend.actor.role != Role.ADMIN:
        return None
    desk = DistrictDesk(target, deps.backend.ctx.clock, deps.backend.actor)
    panel = DistrictPanel(desk, deps.runner, deps.prompts)
    host.embed_district(panel)
    panel.refresh()
    return panel
