"""service record / confirm / void, balance, transfer, grant, redeem."""

from __future__ import annotations

import argparse
from typing import Any

from timebank_desktop.cli.common import context, print_json
from timebank_desktop.domain.minutes import format_hours, positive_hours
from timebank_desktop.domain.policy import FUNDING_SOURCES
from timebank_desktop.domain.servicetime import parse_date, parse_time
from timebank_desktop.i18n import _
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.records import RecordService, RecordView, ServiceInput


def register(commands: Any) -> None:
    service = commands.add_parser("service", help=_("service records: record, confirm, void"))
    sub = service.add_subparsers(dest="service_command", metavar="ACTION", required=True)
    p = sub.add_parser("record", help=_("record a service; prints record id and slip number"))
    p.add_argument("--volunteer", required=True, metavar="MEMBER")
    p.add_argument("--recipient", required=True, metavar="MEMBER")
    p.add_argument("--category", required=True, metavar="CODE")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--start", required=True, metavar="HH:MM")
    p.add_argument("--end", required=True, metavar="HH:MM")
    p.add_argument("--payer", choices=("recipient", "pool"), default="pool")
    p.add_argument("--content", default="")
    p.add_argument("--rating", choices=("satisfied", "neutral", "dissatisfied"))
    p.add_argument("--signed", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=record)
    p = sub.add_parser("confirm", help=_("the signed slip came back"))
    p.add_argument("slip", metavar="SLIP_NO")
    p.set_defaults(handler=confirm)
    p = sub.add_parser("void", help=_("void a record (a reversal, never a delete)"))
    p.add_argument("ref", metavar="RECORD_OR_SLIP")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=void)

    p = commands.add_parser("balance", help=_("a member's balance"))
    p.add_argument("member", metavar="MEMBER")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=balance)

    p = commands.add_parser("transfer", help=_("transfer hours to a relative"))
    p.add_argument("--from", dest="source", required=True, metavar="MEMBER")
    p.add_argument("--to", required=True, metavar="MEMBER")
    p.add_argument("--hours", required=True)
    p.add_argument("--memo", default="")
    p.set_defaults(handler=transfer)

    p = commands.add_parser("grant", help=_("grant hours from the community pool"))
    p.add_argument("--to", required=True, metavar="MEMBER")
    p.add_argument("--hours", required=True)
    p.add_argument("--memo", default="")
    p.add_argument("--funding", choices=FUNDING_SOURCES, default="government")
    p.set_defaults(handler=grant)

    p = commands.add_parser("redeem", help=_("exchange hours for goods"))
    p.add_argument("--member", required=True, metavar="MEMBER")
    p.add_argument("--hours", required=True)
    p.add_argument("--item", required=True)
    p.set_defaults(handler=redeem)


def _record_json(view: RecordView) -> dict[str, object]:
    return {
        "record": view.id,
        "slip_no": view.slip_no,
        "status": view.status,
        "signed": view.signed,
        "volunteer": view.volunteer_no,
        "recipient": view.recipient_no,
        "category": view.category,
        "date": view.service_date.isoformat(),
        "duration_minutes": view.duration_minutes,
        "credited_minutes": view.credited_minutes,
        "payer": view.payer,
        "txn": view.txn_id,
    }


def record(args: argparse.Namespace) -> int:
    ctx = context(args)
    view = RecordService(ctx).record(
        ServiceInput(
            volunteer=args.volunteer,
            recipient=args.recipient,
            category=args.category,
            service_date=parse_date(args.date, ctx.today()),
            start=parse_time(args.start, "start"),
            end=parse_time(args.end, "end"),
            payer=args.payer,
            content=args.content,
            rating=args.rating,
            signed=args.signed,
        )
    )
    if args.json:
        print_json(_record_json(view))
    else:
        print(f"{view.id} {view.slip_no}")
    return 0


def confirm(args: argparse.Namespace) -> int:
    view = RecordService(context(args)).confirm(args.slip)
    print(
        _("Slip {slip} confirmed: {hours} h credited to {member}").format(
            slip=view.slip_no, hours=format_hours(view.credited_minutes), member=view.volunteer_no
        )
    )
    return 0


def void(args: argparse.Namespace) -> int:
    view = RecordService(context(args)).void(args.ref, args.reason)
    print(_("Slip {slip} voided").format(slip=view.slip_no))
    return 0


def balance(args: argparse.Namespace) -> int:
    view = AccountService(context(args)).balance(args.member)
    if args.json:
        print_json(
            {
                "member": view.member_no,
                "name": view.name,
                "balance_minutes": view.balance_minutes,
                "balance_hours": format_hours(view.balance_minutes),
            }
        )
    else:
        print(f"{view.member_no} {view.name} {format_hours(view.balance_minutes)}")
    return 0


def transfer(args: argparse.Namespace) -> int:
    amount = positive_hours(args.hours)
    service = AccountService(context(args))
    before = service.balance(args.to).balance_minutes
    posted = service.transfer(args.source, args.to, amount, args.memo)
    print(
        _("Transaction {seq}: {hours} h transferred").format(
            seq=posted.seq, hours=format_hours(amount)
        )
    )
    _say_capped(service, args.to, before + amount)
    return 0


def grant(args: argparse.Namespace) -> int:
    amount = positive_hours(args.hours)
    service = AccountService(context(args))
    before = service.balance(args.to).balance_minutes
    posted = service.grant(args.to, amount, args.memo, args.funding)
    print(
        _("Transaction {seq}: {hours} h granted").format(
            seq=posted.seq, hours=format_hours(amount)
        )
    )
    _say_capped(service, args.to, before + amount)
    return 0


def _say_capped(service: AccountService, member: str, expected: int) -> None:
    """Say so when the storage cap sent part of what was just credited to the pool."""
    view = service.balance(member)
    excess = expected - view.balance_minutes
    if excess > 0:
        print(
            _(
                "{member} is at the storage cap of {cap} h: {hours} h went to the community pool"
            ).format(
                member=view.member_no,
                cap=format_hours(view.balance_minutes),
                hours=format_hours(excess),
            )
        )


def redeem(args: argparse.Namespace) -> int:
    amount = positive_hours(args.hours)
    posted = AccountService(context(args)).redeem(args.member, amount, args.item)
    print(
        _("Transaction {seq}: {hours} h exchanged for {item}").format(
            seq=posted.seq, hours=format_hours(amount), item=args.item
        )
    )
    return 0
