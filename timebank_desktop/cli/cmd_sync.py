"""sync enrolment / export / import (CLI.md), plus sync status and the visitor commands:
sync visit, visit-redeem, visit-void and standing."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from timebank_desktop.cli.common import context, print_json, progress_printer
from timebank_desktop.domain.clock import local_time
from timebank_desktop.domain.errors import Refused
from timebank_desktop.domain.minutes import format_hours, positive_hours
from timebank_desktop.domain.servicetime import duration_minutes, parse_date, parse_time
from timebank_desktop.exports.sync import DISTRICT_CONFIG
from timebank_desktop.i18n import _
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.status import SyncStatusService
from timebank_desktop.services.sync.visitors import (
    RedeemInput,
    VisitInput,
    VisitorService,
)

PASSPHRASE_ENV = "TIMEBANK_SYNC_PASSPHRASE"


def register(commands: Any) -> None:
    sync = commands.add_parser("sync", help=_("sync files with the district (通存通兑)"))
    sub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    p = sub.add_parser("enrolment", help=_("write this centre's enrolment file"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(handler=enrolment)

    p = sub.add_parser("export", help=_("write everything the district lacks"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument(
        "--from", dest="from_seq", type=int, metavar="SEQ", help=_("send again from this seq")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=export)

    p = sub.add_parser("import", help=_("import a district statement or configuration"))
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--passphrase",
        help=_("for the member-key secret (or ${env}; else asked)").format(env=PASSPHRASE_ENV),
    )
    p.add_argument("--fingerprint", help=_("the district's fingerprint as printed on paper"))
    p.add_argument(
        "--new-epoch",
        action="store_true",
        help=_("start a new chain epoch if the statement shows this database behind"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=import_file)

    p = sub.add_parser("status", help=_("district, last statement and export history"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=status)

    p = sub.add_parser("visit", help=_("serve a visiting member of another centre"))
    p.add_argument("--id-number", required=True, metavar="ID", help=_("the visitor's ID number"))
    p.add_argument("--home", metavar="CODE", help=_("the visitor's home centre"))
    p.add_argument("--volunteer", required=True, metavar="MEMBER")
    p.add_argument("--category", required=True, metavar="CODE")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--start", required=True, metavar="HH:MM")
    p.add_argument("--end", required=True, metavar="HH:MM")
    p.add_argument("--name", default="", help=_("the visitor's name, for the counter"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=visit)

    p = sub.add_parser(
        "visit-redeem", help=_("a visiting member exchanges hours for goods (兑换)")
    )
    p.add_argument("--id-number", required=True, metavar="ID", help=_("the visitor's ID number"))
    p.add_argument("--home", metavar="CODE", help=_("the visitor's home centre"))
    p.add_argument("--hours", required=True)
    p.add_argument("--item", required=True)
    p.add_argument("--name", default="", help=_("the visitor's name, for the counter"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=visit_redeem)

    p = sub.add_parser(
        "visit-void", help=_("void a visitor's service or exchange (a reversal, never a delete)")
    )
    p.add_argument("seq", type=int, metavar="SEQ", help=_("either transaction of the visit"))
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=visit_void)

    p = sub.add_parser("standing", help=_("what a visiting member may still be honoured here"))
    p.add_argument("--id-number", required=True, metavar="ID", help=_("the visitor's ID number"))
    p.add_argument("--home", metavar="CODE", help=_("the visitor's home centre"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=standing)


def enrolment(args: argparse.Namespace) -> int:
    result = SyncFileService(context(args)).enrolment(args.output)
    print(_("Enrolment file for centre {code} {name}: {path}").format(
        code=result.centre, name=result.name, path=result.path))  # fmt: skip
    print(_("Public key: {key}").format(key=result.public_key))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=result.fingerprint))
    print(_("Print this, sign it and hand it to the district with the file."))
    return 0


def export(args: argparse.Namespace) -> int:
    result = ExportService(context(args)).export(
        args.output, from_seq=args.from_seq, progress=progress_printer(_("Export"))
    )
    if args.json:
        print_json(
            {
                "file": str(result.path), "epoch": result.epoch,
                "seq_from": result.seq_from, "seq_to": result.seq_to,
                "transactions": result.transactions, "members": result.members,
                "head_hash": result.head_hash, "file_sha256": result.file_sha256,
            }
        )  # fmt: skip
    else:
        print(result.message())
    return 0


def _passphrase(args: argparse.Namespace) -> str | None:
    if args.passphrase:
        return str(args.passphrase)
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if sys.stdin.isatty():
        return getpass.getpass(_("Passphrase for the member-key secret: ")) or None
    return None


def import_file(args: argparse.Namespace) -> int:
    service = SyncFileService(context(args))
    summary = service.inspect(args.file)
    passphrase, fingerprint = None, args.fingerprint
    if summary.type == DISTRICT_CONFIG:
        if summary.first_contact and not fingerprint:
            if not sys.stdin.isatty():
                raise Refused(
                    _(
                        "First district configuration: compare its fingerprint {fingerprint} "
                        "with the one the district printed, then pass it with --fingerprint"
                    ).format(fingerprint=summary.fingerprint)
                )
            print(_("District fingerprint: {fingerprint}").format(fingerprint=summary.fingerprint))
            answer = input(_("Does it match the one on paper? [y/N] "))
            if answer.strip().lower() not in ("y", "yes", "是"):
                raise Refused(_("Not loaded: the fingerprint was not confirmed"))
            fingerprint = summary.fingerprint
        if summary.first_contact or args.passphrase or os.environ.get(PASSPHRASE_ENV):
            passphrase = _passphrase(args)
    result = service.import_file(
        args.file, passphrase=passphrase, fingerprint=fingerprint, new_epoch=args.new_epoch
    )
    if args.json:
        print_json(result.as_json())
    else:
        print(result.message)
        for warning in result.warnings:
            print(_("Warning: {text}").format(text=warning), file=sys.stderr)
    return 0


def status(args: argparse.Namespace) -> int:
    info = SyncStatusService(context(args)).status()
    if args.json:
        print_json(
            {
                "centre": info.centre_code, "fingerprint": info.centre_fingerprint,
                "district": None if info.district is None else {
                    "code": info.district.code, "name": info.district.name,
                    "fingerprint": info.district.fingerprint,
                    "config_seq": info.district.config_seq,
                    "centres": [c for c, _n in info.district.centres],
                },
                "statement": None if info.statement is None else {
                    "seq": info.statement.seq, "head_seq": info.statement.head_seq,
                    "warnings": list(info.statement.warnings),
                },
                "epoch": info.epoch, "head_seq": info.head_seq,
                "exported_seq": info.exported_seq,
                "exports": [
                    {"epoch": e.epoch, "seq_from": e.seq_from, "seq_to": e.seq_to,
                     "file": e.file_name,
                     "status": e.status.value, "created_at": e.created_at}
                    for e in info.exports
                ],
            }
        )  # fmt: skip
        return 0
    print(_("Centre {code}, fingerprint {fingerprint}").format(
        code=info.centre_code, fingerprint=info.centre_fingerprint))  # fmt: skip
    if info.district is None:
        print(_("No district configuration loaded yet"))
    else:
        print(_("District {code} {name}, fingerprint {fingerprint}").format(
            code=info.district.code, name=info.district.name,
            fingerprint=info.district.fingerprint))  # fmt: skip
    print(_("Chain epoch {epoch}, transactions up to {seq}").format(
        epoch=info.epoch, seq=info.head_seq))  # fmt: skip
    print(_("Transactions not yet exported: {n}").format(n=info.pending))
    for e in info.exports:
        print(f"{local_time(e.created_at):%Y-%m-%d %H:%M}  {e.epoch}:{e.seq_from}–{e.seq_to}  "
              f"{e.status.label}  {e.file_name}")  # fmt: skip
    return 0


def visit(args: argparse.Namespace) -> int:
    start, end = parse_time(args.start, "start"), parse_time(args.end, "end")
    ctx = context(args)
    result = VisitorService(ctx).honour(
        VisitInput(
            id_number=args.id_number, volunteer=args.volunteer, category=args.category,
            service_date=parse_date(args.date, ctx.today()),
            duration_minutes=duration_minutes(start, end), home_centre=args.home,
            name=args.name,
        )
    )  # fmt: skip
    if args.json:
        print_json(
            {
                "visitor": result.visitor_no, "home_centre": result.home_centre,
                "credited_minutes": result.credited_minutes, "clearing_seq": result.clearing_seq,
                "service_seq": result.service_seq, "remaining_minutes": result.remaining,
            }
        )  # fmt: skip
    else:
        text = _("Visitor {no} of centre {home}: {hours} h honoured ({left} h left here)")
        hours, left = format_hours(result.credited_minutes), format_hours(result.remaining)
        print(text.format(no=result.visitor_no, home=result.home_centre, hours=hours, left=left))
    return 0


def visit_redeem(args: argparse.Namespace) -> int:
    amount = positive_hours(args.hours)
    result = VisitorService(context(args)).redeem(
        RedeemInput(args.id_number, amount, args.item, args.home, args.name)
    )
    if args.json:
        print_json(
            {
                "visitor": result.visitor_no, "home_centre": result.home_centre,
                "amount_minutes": result.amount_minutes, "item": result.item,
                "quantity": result.quantity, "clearing_seq": result.clearing_seq,
                "redemption_seq": result.redemption_seq, "remaining_minutes": result.remaining,
            }
        )  # fmt: skip
    else:
        text = _("Visitor {no} of centre {home}: {hours} h exchanged for {item} ({left} h left "
                 "here)")  # fmt: skip
        print(text.format(
            no=result.visitor_no, home=result.home_centre, item=result.item,
            hours=format_hours(result.amount_minutes), left=format_hours(result.remaining),
        ))  # fmt: skip
    return 0


def visit_void(args: argparse.Namespace) -> int:
    result = VisitorService(context(args)).void(args.seq, args.reason)
    if args.json:
        print_json(
            {
                "visitor": result.visitor_no, "home_centre": result.home_centre,
                "minutes": result.minutes, "reversal_seqs": list(result.reversal_seqs),
                "available_minutes": result.available,
            }
        )  # fmt: skip
        return 0
    text = _("Visit of visitor {no} (centre {home}) voided: {hours} h reversed")
    hours = format_hours(result.minutes)
    print(text.format(no=result.visitor_no, home=result.home_centre, hours=hours))
    if result.available is not None:
        print(_("May honour {left} h for this visitor now").format(
            left=format_hours(result.available)))  # fmt: skip
    return 0


def standing(args: argparse.Namespace) -> int:
    info = VisitorService(context(args)).standing(args.id_number, args.home)
    if args.json:
        print_json(
            {
                "home_centre": info.home_centre, "statement_seq": info.statement_seq,
                "statement_balance_minutes": info.statement_balance,
                "honoured_since_minutes": info.honoured_since,
                "given_back_minutes": info.given_back, "allowance_minutes": info.allowance,
                "available_minutes": info.available,
            }
        )  # fmt: skip
        return 0
    print(_("Home centre {home}; district statement {seq}: balance {balance} h").format(
        home=info.home_centre, seq=info.statement_seq,
        balance=format_hours(info.statement_balance)))  # fmt: skip
    print(_("Honoured here since: {since} h; voided here since: {back} h").format(
        since=format_hours(info.honoured_since), back=format_hours(info.given_back)))  # fmt: skip
    print(_("Away allowance {allowance} h; may honour {left} h now").format(
        allowance=format_hours(info.allowance), left=format_hours(info.available)))  # fmt: skip
    return 0
