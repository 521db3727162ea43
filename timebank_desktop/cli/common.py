"""What every command shares: opening the database, printing, progress on a terminal."""

from __future__ import annotations

import getpass
import json
import sys
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timebank_desktop.domain.errors import StorageError
from timebank_desktop.domain.roles import Role
from timebank_desktop.i18n import _
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.paths import default_target

# Commands that may start from a database file that does not exist yet, or has no centre.
CREATING = frozenset({"init", "demo", "restore"})


def context(args: Namespace) -> AppContext:
    """The application on the database named by ``--db`` (or TIMEBANK_DB, or the default).

    Any command but those that set a centre up refuses a database file that does not exist
    (a mistyped ``--db`` must not leave an empty database behind and report on it) and a
    database that has no centre yet.
    """
    target = args.db or default_target()
    setting_up = getattr(args, "command", None) in CREATING
    if not setting_up and "://" not in target and not Path(target).expanduser().exists():
        raise StorageError(
            _("No database at {path}: run `timebank init` first, or check --db").format(
                path=target
            )
        )
    engine = open_database(target)
    args.engines = [*getattr(args, "engines", []), engine]  # disposed by main()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user database entry
        user = "operator"
    ctx = AppContext(engine, actor=Actor(f"cli:{user}", Role.ADMIN, user))
    if not setting_up:
        with ctx.read() as session:
            load_centre(session)  # refuses, naming `timebank init`
    return ctx


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def progress_printer(label: str) -> Callable[[int, int], None] | None:
    """Progress on stderr when it is a terminal (CLI.md), else nothing."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        pct = 100 * done // total if total else 100
        sys.stderr.write(f"\r{label}: {pct:3d}% ({done}/{total})")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
