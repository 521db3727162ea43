"""Where the application keeps its files: resolved once, overridable (TIMEBANK_HOME, tests)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_DIR = "timebank"


def _default_home() -> Path:
    override = os.environ.get("TIMEBANK_HOME")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "Timebank"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Timebank"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / APP_DIR


DISTRICT_ENV_VAR = "TIMEBANK_DISTRICT_DB"


@dataclass(frozen=True, slots=True)
class AppPaths:
    home: Path

    @classmethod
    def default(cls) -> AppPaths:
        return cls(_default_home())

    @property
    def database(self) -> Path:
        return self.home / "timebank.sqlite3"

    @property
    def demo_database(self) -> Path:
        return self.home / "demo" / "timebank-demo.sqlite3"

    @property
    def district_database(self) -> Path:
        return self.home / "district.sqlite3"

    def district_target(self) -> Path | str | None:
        """This computer's district database, if it has one (``TIMEBANK_DISTRICT_DB`` names it)."""
        named = os.environ.get(DISTRICT_ENV_VAR)
        if named:
            return named
        return self.district_database if self.district_database.exists() else None

    @property
    def backups(self) -> Path:
        return self.home / "backups"

    @property
    def logs(self) -> Path:
        return self.home / "logs"


def default_target() -> str:
    """``TIMEBANK_DB``, else the database in the user data folder."""
    return os.environ.get("TIMEBANK_DB") or str(AppPaths.default().database)
