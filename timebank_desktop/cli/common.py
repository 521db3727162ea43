"""What every command shares: opening the database, printing, progress on a terminal."""

from __future__ import annotations

import getpass
import json
import sys
from argparse import Namespace
from collections.abc import Callable
from typing import Any

from timebank_desktop.domain.roles import Role
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.paths import default_target


def context(args: Namespace) -> AppContext:
    """The application on the database named by ``--db`` (or TIMEBANK_DB, or the default)."""
    engine = open_database(args.db or default_target())
    args.engines = [*getattr(args, "engines", []), engine]  # disposed by main()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user database entry
        user = "operator"
    return AppContext(engine, actor=Actor(f"cli:{user}", Role.ADMIN, user))


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
