"""The argument parser: global options and one sub-parser per command module."""

from __future__ import annotations

import argparse

from timebank_desktop import __version__
from timebank_desktop.cli import cmd_core, cmd_import, cmd_ledger, cmd_members
from timebank_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES

MODULES = (cmd_core, cmd_members, cmd_ledger, cmd_import)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timebank",
        description="社区时间银行 Timebank Desktop — the ledger without a screen.",
    )
    parser.add_argument(
        "--db",
        metavar="TARGET",
        help="database file or SQLAlchemy URL (default: $TIMEBANK_DB, "
        "else timebank.sqlite3 in the user data folder)",
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        help="language of messages and documents (default zh_CN)",
    )
    parser.add_argument("--version", action="version", version=f"timebank {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in MODULES:
        module.register(commands)
    return parser
