"""argparse's own words (usage line, errors, help headings) in the chosen language.

argparse looks its messages up through the module-level ``_``/``ngettext`` it imported from
gettext; pointing those at our catalog makes a usage error read in Chinese by default. The
language has to be known before the command line is parsed, so ``--lang`` is read first.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from timebank_desktop.i18n import LANGUAGES, N_, _

# The argparse messages our commands can show, listed so the catalog check covers them.
MESSAGES = (
    N_("usage: "),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
)


def language_in(argv: Sequence[str]) -> str | None:
    """The value of a valid ``--lang`` among the global options, if one is given."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif word.startswith("--lang="):
            value = word.split("=", 1)[1]
        else:
            continue
        return value if value in LANGUAGES else None
    return None


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _(singular if count == 1 else plural)


def install() -> None:
    """Route argparse's messages through our catalog (follows later language switches)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
