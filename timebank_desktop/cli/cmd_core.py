"""init, demo, categories, verify, journal, backup, restore."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from timebank_desktop.cli.common import context, print_json, progress_printer
from timebank_desktop.domain.errors import IntegrityDamage
from timebank_desktop.i18n import _, current_language
from timebank_desktop.services.backup import BackupService
from timebank_desktop.services.catalogue import CategoryService
from timebank_desktop.services.centre import CentreService, validate_centre
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.journal import JournalService
from timebank_desktop.services.verify import VerifyService


def register(commands: Any) -> None:
    p = commands.add_parser("init", help=_("set up this database for a centre"))
    p.add_argument("--centre-code", required=True)
    p.add_argument("--centre-name", required=True)
    p.add_argument("--district-code", default="")
    p.set_defaults(handler=init)

    p = commands.add_parser("demo", help=_("fill the database with a realistic demo centre"))
    p.add_argument("--members", type=int, default=200)
    p.add_argument("--months", type=int, default=12)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=demo)

    p = commands.add_parser("categories", help=_("service categories with their weights"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=categories)

    p = commands.add_parser("verify", help=_("check the hash chain, zero sums and balances"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=verify)

    p = commands.add_parser("journal", help=_("export an hledger journal"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(handler=journal)

    p = commands.add_parser("backup", help=_("write a verified backup copy"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(handler=backup)

    p = commands.add_parser("restore", help=_("replace the database by a verified backup"))
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=restore)


def init(args: argparse.Namespace) -> int:
    # Checked before the database is opened, so a refused init leaves no new file behind.
    validate_centre(args.centre_code.strip(), args.centre_name.strip(), args.district_code.strip())
    info = CentreService(context(args)).init(
        args.centre_code, args.centre_name, args.district_code
    )
    print(_("Centre {code} ({name}) is ready").format(code=info.code, name=info.name))
    return 0


def demo(args: argparse.Namespace) -> int:
    if args.members < 2 or args.months < 1:
        print(_("timebank: demo needs at least 2 members and 1 month"), file=sys.stderr)
        return 2
    ctx = context(args)
    summary = DemoService(ctx).generate(
        DemoOptions(members=args.members, months=args.months, seed=args.seed),
        progress=progress_printer(_("Demo data")),
    )
    print(
        _("Demo centre {code}: {members} members, {records} services, {txns} transactions").format(
            code=summary.centre_code,
            members=summary.members,
            records=summary.records,
            txns=summary.transactions,
        )
    )
    if summary.admin_created:
        print(_("Demo administrator: user admin, password demo"))
    return 0


def categories(args: argparse.Namespace) -> int:
    cats = CategoryService(context(args)).list()
    lang = current_language()
    if args.json:
        print_json(
            [
                {
                    "code": c.code,
                    "name": c.name_zh,
                    "name_en": c.name_en,
                    "weight": c.weight_permille / 1000,
                    "active": c.active,
                }
                for c in cats
            ]
        )
    else:
        for c in cats:
            print(f"{c.code:<14}{c.name(lang):<12}{c.weight_text}")
    return 0


def verify(args: argparse.Namespace) -> int:
    report = VerifyService(context(args)).run(progress_printer(_("Verifying")))
    if args.json:
        print_json(report.as_json())
    elif report.ok:
        print(
            _("Ledger intact: {n} transactions, chain head {seq} {hash}").format(
                n=report.transactions, seq=report.head_seq, hash=report.head_hash[:16]
            )
        )
    if not report.ok:
        first = report.first_problem
        if not args.json:
            for problem in report.problems[:20]:
                print(str(problem))
        raise IntegrityDamage(_("The ledger is damaged; first bad row: {row}").format(row=first))
    return 0


def journal(args: argparse.Namespace) -> int:
    count = JournalService(context(args)).export(args.output)
    print(_("Wrote {n} transactions to {path}").format(n=count, path=args.output))
    return 0


def backup(args: argparse.Namespace) -> int:
    info = BackupService(context(args)).backup(args.output, progress_printer(_("Backup")))
    print(
        _("Backup written and verified: {path} ({n} transactions)").format(
            path=info.path, n=info.transactions
        )
    )
    return 0


def restore(args: argparse.Namespace) -> int:
    info = BackupService(context(args)).restore(args.file)
    print(_("Restored from {path} ({n} transactions)").format(path=args.file, n=info.transactions))
    if info.replaced is not None:
        print(_("The database it replaced is kept as {path}").format(path=info.replaced))
    if info.epoch is not None:
        print(info.epoch.message())
    return 0
