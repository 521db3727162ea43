"""Paper: slips, statement, certificate (CLI.md), slip reconciliation and the handover package.

Documents print in ``--lang`` (Chinese by default). Extras beyond CLI.md: ``--per-page`` for
slips, ``--from/--to`` for statements and certificates, ``certificate --honour``,
``reconcile --month`` and the register listing ``certificates``.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from timebank_desktop.cli.common import context, print_json, progress_printer
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.servicetime import parse_date
from timebank_desktop.exports.pdf.statement import closing_minutes
from timebank_desktop.i18n import N_, _
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.paper.certificates import CertificateService
from timebank_desktop.services.paper.control import SlipControl
from timebank_desktop.services.paper.slips import SlipPrinting
from timebank_desktop.services.paper.statement import StatementService


def register(commands: Any) -> None:
    p = commands.add_parser("slips", help=_("print service slips (PDF)"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--record", action="extend", nargs="+", metavar="ID", help=_("record ids or slip numbers")
    )
    which.add_argument("--month", metavar="YYYY-MM", help=_("with --unsigned: the month's batch"))
    p.add_argument("--unsigned", action="store_true", help=_("the month's unsigned slips"))
    p.add_argument("--per-page", type=int, choices=(1, 3), help=_("slips per A4 sheet"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=slips, parser=p, output_suffix=".pdf")

    p = commands.add_parser("statement", help=_("a member's passbook statement (PDF)"))
    p.add_argument("member", metavar="MEMBER")
    _period(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=statement, output_suffix=".pdf")

    p = commands.add_parser("certificate", help=_("volunteer service certificate (PDF)"))
    p.add_argument("member", metavar="MEMBER")
    _period(p)
    p.add_argument(
        "--honour", action="store_true", help=_("the honour certificate of the star level reached")
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=certificate, parser=p, output_suffix=".pdf")

    p = commands.add_parser("certificates", help=_("the register of issued certificates"))
    p.add_argument("member", nargs="?", metavar="MEMBER")
    p.add_argument(
        "--due", action="store_true", help=_("volunteers due an honour certificate instead")
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=certificates)

    p = commands.add_parser("reconcile", help=_("a month's slip reconciliation"))
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("-o", "--output", metavar="FILE.pdf")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=reconcile, output_suffix=".pdf")

    p = commands.add_parser("handover", help=_("the staff handover package (PDF)"))
    p.add_argument("--outgoing", metavar="NAME", help=_("default: the operator"))
    p.add_argument("--incoming", default="", metavar="NAME", help=_("default: left blank"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(handler=handover, output_suffix=".pdf")


def _period(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help=_("start of the period"))
    p.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help=_("end of the period"))


def _dates(args: argparse.Namespace, ctx: AppContext) -> tuple[date | None, date | None]:
    today = ctx.today()
    start = parse_date(args.start, today, "from") if args.start else None
    end = parse_date(args.end, today, "to") if args.end else None
    return start, end


def slips(args: argparse.Namespace) -> int:
    if args.month and not args.unsigned:
        args.parser.error(_("--month prints the month's unsigned slips: add --unsigned"))
    if args.unsigned and not args.month:
        args.parser.error(_("--unsigned goes with --month"))
    ctx = context(args)
    printing = SlipPrinting(ctx)
    show = progress_printer(_("Slips"))
    if args.month:
        month = Month.parse(args.month)
        done = printing.for_month_unsigned(
            month, args.output, args.per_page or 3, args.lang, progress=show
        )
    else:
        per_page = args.per_page or 1
        done = printing.for_records(args.record, args.output, per_page, args.lang, progress=show)
    print(_("{n} slips written to {file}").format(n=done.count, file=args.output))
    return 0


def statement(args: argparse.Namespace) -> int:
    ctx = context(args)
    start, end = _dates(args, ctx)
    data = StatementService(ctx).write(args.member, args.output, start, end, args.lang)
    print(
        _("Statement of {member}: opening {opening} h, {n} movements, closing {closing} h").format(
            member=data.member.member_no,
            opening=format_hours(data.opening_minutes),
            n=len(data.movements),
            closing=format_hours(closing_minutes(data)),
        )
    )
    return 0


def certificate(args: argparse.Namespace) -> int:
    ctx = context(args)
    service = CertificateService(ctx)
    if args.honour:
        if args.start or args.end:
            args.parser.error(_("--honour counts all service: it takes no period"))
        honour = service.issue_honour(args.member, args.output, args.lang)
        print(
            _("Honour certificate {number}: {level} stars, {hours} h").format(
                number=honour.certificate_no,
                level=honour.star_level,
                hours=format_hours(honour.total_minutes),
            )
        )
        return 0
    start, end = _dates(args, ctx)
    data = service.issue_service_certificate(args.member, args.output, start, end, args.lang)
    print(
        _("Certificate {number}: {services} services, {hours} h").format(
            number=data.certificate_no,
            services=data.total_services,
            hours=format_hours(data.total_minutes),
        )
    )
    return 0


def honours_due(args: argparse.Namespace) -> int:
    due = CertificateService(context(args)).honours_due()
    if args.json:
        print_json(
            [
                {"member": d.member_no, "name": d.name, "total_minutes": d.total_minutes,
                 "level": d.level, "recorded_level": d.recorded_level}
                for d in due
            ]
        )  # fmt: skip
        return 0
    for d in due:
        print(f"{d.member_no}\t{d.name}\t{format_hours(d.total_minutes)}\t{d.level}")
    return 0


def certificates(args: argparse.Namespace) -> int:
    if args.due:
        return honours_due(args)
    rows = CertificateService(context(args)).register(args.member)
    if args.json:
        print_json(
            [
                {
                    "number": r.doc_no,
                    "kind": r.kind,
                    "member": r.member_no,
                    "name": r.member_name,
                    "from": r.period_from,
                    "to": r.period_to,
                    "total_minutes": r.total_minutes,
                    "issued_on": r.issued_on,
                    "issued_by": r.issued_by,
                    "detail": r.detail,
                }
                for r in rows
            ]
        )
        return 0
    kinds = {"service": N_("service record certificate"), "honour": N_("honour certificate")}
    for r in rows:
        kind = _(kinds.get(r.kind, r.kind))
        print(
            f"{r.doc_no}\t{kind}\t{r.member_no}\t{r.member_name}\t"
            f"{format_hours(r.total_minutes)}\t{r.issued_on.isoformat()}"
        )
    return 0


def reconcile(args: argparse.Namespace) -> int:
    control = SlipControl(context(args))
    month = Month.parse(args.month)
    if args.output:
        data = control.write_reconciliation(month, args.output, args.lang)
    else:
        data = control.reconciliation(month)
    if args.json:
        print_json(
            {
                "month": str(month),
                "issued": data.issued,
                "confirmed": data.confirmed,
                "voided": data.voided,
                "outstanding": [
                    {"slip_no": s.slip_no, "service_date": s.service_date,
                     "volunteer": s.volunteer, "recipient": s.recipient}
                    for s in data.outstanding
                ],
            }
        )  # fmt: skip
    else:
        print(
            _("{month}: {issued} issued, {confirmed} confirmed, {voided} voided, "
              "{outstanding} outstanding").format(
                month=month, issued=data.issued, confirmed=data.confirmed, voided=data.voided,
                outstanding=len(data.outstanding),
            )
        )  # fmt: skip
    return 0


def handover(args: argparse.Namespace) -> int:
    ctx = context(args)
    outgoing = args.outgoing or ctx.actor.display_name or ctx.actor.username
    data = SlipControl(ctx).write_handover(outgoing, args.incoming, args.output, args.lang)
    print(
        _("Handover written to {file}: {n} balances, {slips} open slips").format(
            file=args.output, n=len(data.balances), slips=len(data.open_slips)
        )
    )
    return 0
