"""import-register: move in from a legacy Excel member register."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from timebank_desktop.cli.common import context, print_json
from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.i18n import _
from timebank_desktop.services.register_import import RegisterImportService


def register(commands: Any) -> None:
    p = commands.add_parser(
        "import-register", help=_("import members and opening balances from a legacy register")
    )
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help=_("check every row, write nothing"))
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help=_("import the valid rows and report the faulty ones"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=import_register)


def import_register(args: argparse.Namespace) -> int:
    service = RegisterImportService(context(args))
    try:
        report = service.run(args.file, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
    except ValidationError:
        report = service.check(args.file)
        if args.json:
            print_json(report.as_json())
        for line in report.lines():
            print(line, file=sys.stderr)
        raise
    if args.json:
        print_json(report.as_json())
    else:
        for line in report.lines():
            print(line, file=sys.stderr)
        verb = _("would be imported") if args.dry_run else _("imported")
        print(
            _("{n} members {verb}; {bad} faulty rows").format(
                n=len(report.valid), verb=verb, bad=len(report.invalid)
            )
        )
    return 0
