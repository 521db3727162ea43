"""The argument parser: global options and one sub-parser per command module."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from types import ModuleType

from timebank_desktop import __version__, cli
from timebank_desktop.i18n import DEFAULT_LANGUAGE, LANGUAGES, _

# Commands live in ``cli/cmd_<area>.py`` modules, each with a ``register(commands)``;
# these come first in the help, in this order, and any other ``cmd_*`` module follows.
FIRST = ("cmd_core", "cmd_members", "cmd_ledger")


def command_modules() -> list[ModuleType]:
    """Every ``cmd_*`` module of the CLI package, the core ones first."""
    names = [m.name for m in pkgutil.iter_modules(cli.__path__) if m.name.startswith("cmd_")]
    ordered = [n for n in FIRST if n in names] + sorted(n for n in names if n not in FIRST)
    return [importlib.import_module(f"{cli.__name__}.{name}") for name in ordered]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timebank",
        description=_("社区时间银行 Timebank Desktop — the ledger without a screen."),
    )
    parser.add_argument(
        "--db",
        metavar="TARGET",
        help=_(
            "database file or SQLAlchemy URL (default: $TIMEBANK_DB, "
            "else timebank.sqlite3 in the user data folder)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        help=_("language of messages and documents (default zh_CN)"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"timebank {__version__}",
        help=_("show program's version number and exit"),  # argparse's default is not translated
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules():
        module.register(commands)
    return parser
