"""设置 → 备份: back up now, restore, the backup folder, automatic rotating backups on exit.

The folder is a per-user choice (QSettings ``backup/folder``, default the data folder's
``backups``): a USB stick or a network share keeps copies away from the office computer.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.services.backup import BackupInfo
from timebank_desktop.services.backup_rotation import KEEP, rotate_backup
from timebank_desktop.ui.pages.base import PageDeps
from timebank_desktop.ui.widgets import accessible, named

log = logging.getLogger(__name__)
AUTO_BACKUP_KEY = "backup/automatic_on_exit"
FOLDER_KEY = "backup/folder"


class BackupTab(QWidget):
    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deps, self.backend, self.prompts = deps, deps.backend, deps.prompts
        self.runner, self.settings = deps.runner, deps.settings
        self.backup_button = named(QPushButton(), "settings_backup")
        self.restore_button = named(QPushButton(), "settings_restore")
        self.folder_label = named(QLabel(), "settings_backup_folder_label")
        self.folder = named(QLabel(), "settings_backup_folder")
        self.folder.setWordWrap(True)
        self.folder_button = named(QPushButton(), "settings_backup_folder_choose")
        self.auto_backup = named(QCheckBox(), "settings_auto_backup")
        self.backup_status = named(QLabel(), "settings_backup_status")
        self.backup_status.setWordWrap(True)
        may_backup = self.backend.may(Permission.BACKUP)
        self.backup_button.setVisible(may_backup)
        self.folder_button.setVisible(may_backup)
        self.restore_button.setVisible(self.backend.may(Permission.SETTINGS))
        self.auto_backup.setChecked(
            str(self.settings.value(AUTO_BACKUP_KEY, "true")).lower() == "true"
        )
        self.auto_backup.toggled.connect(
            lambda on: self.settings.setValue(AUTO_BACKUP_KEY, "true" if on else "false")
        )
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore)
        self.folder_button.clicked.connect(self.choose_folder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        folder = QHBoxLayout()
        folder.addWidget(self.folder_label)
        folder.addWidget(self.folder)
        folder.addWidget(self.folder_button)
        folder.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(folder)
        layout.addWidget(self.auto_backup)
        layout.addWidget(self.backup_status)
        layout.addStretch(1)
        self._show_folder()

    def retranslate(self) -> None:
        self.backup_button.setText(_("Back up now…"))
        self.restore_button.setText(_("Restore from a backup…"))
        self.folder_label.setText(_("Backup folder:"))
        self.folder_button.setText(_("Choose the folder…"))
        self.auto_backup.setText(
            _("Back up automatically on exit (keeps the last {n})").format(n=KEEP)
        )
        for widget in (self.backup_button, self.restore_button, self.auto_backup):
            accessible(widget, widget.text())
        accessible(self.folder_button, _("Choose the backup folder"))
        accessible(self.folder, _("Backup folder"))

    # ------------------------------------------------------------ the folder
    def backup_folder(self) -> Path:
        chosen = self.settings.value(FOLDER_KEY)
        return Path(str(chosen)) if chosen else self.backend.paths.backups

    def _show_folder(self) -> None:
        self.folder.setText(str(self.backup_folder()))

    def choose_folder(self) -> None:
        chosen = self.prompts.choose_folder(self, _("Backup folder"), self.backup_folder())
        if chosen is None:
            return
        self.settings.setValue(FOLDER_KEY, str(chosen))
        self._show_folder()

    # ------------------------------------------------------------ now, restore, on exit
    def backup_now(self) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggested = self.backup_folder() / f"timebank-{stamp}.sqlite3"
        target = self.prompts.save_file(
            self, _("Back up to"), suggested, _("Time bank backups (*.sqlite3)")
        )
        if target is None:
            return
        backup = self.backend.backup
        self.runner.run(lambda: backup.backup(target), self._backed_up, self._refused)

    def _backed_up(self, info: BackupInfo) -> None:
        text = _("Backup written and verified: {path} ({n} transactions)").format(
            path=info.path, n=info.transactions
        )
        self.backup_status.setText(text)
        self.prompts.info(self, _("Backup"), text)

    def restore(self) -> None:
        source = self.prompts.open_file(
            self,
            _("Restore from"),
            self.backup_folder(),
            _("Time bank backups (*.sqlite3)"),
        )
        if source is None:
            return
        if not self.prompts.confirm(
            self,
            _("Restore"),
            _("Replace the current data by this backup? A safety copy is kept first."),
        ):
            return
        backup, folder = self.backend.backup, self.backup_folder()
        self.runner.run(lambda: backup.restore(source, folder), self._restored, self._refused)

    def _restored(self, info: BackupInfo) -> None:
        text = _("Restored {n} transactions from the backup.").format(n=info.transactions)
        if info.epoch is not None:
            text = f"{text}\n{info.epoch.message()}"
        self.backup_status.setText(text)
        self.prompts.info(self, _("Restore"), text)

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.prompts.error(self, _("Time bank"), exc.message)

    def backup_on_exit(self) -> None:
        """At exit: one automatic, verified backup, keeping the newest (if enabled)."""
        if not self.auto_backup.isChecked() or not self.backend.may(Permission.BACKUP):
            return
        ctx, folder = self.backend.ctx, self.backup_folder()

        def work() -> None:
            try:
                rotate_backup(ctx, folder)
            except TimebankError as exc:
                log.warning("automatic backup failed: %s", exc.message)

        self.runner.run(work)
        self.runner.wait()
