"""volunteer certify / insure / show, request add / list / match."""

from __future__ import annotations

import argparse
from typing import Any

from timebank_desktop.cli.common import context, print_json
from timebank_desktop.domain.servicetime import parse_date
from timebank_desktop.i18n import _, current_language
from timebank_desktop.services.catalogue import CategoryService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.request_match import MatchService
from timebank_desktop.services.service_requests import RequestService, RequestView
from timebank_desktop.services.volunteers import VolunteerService


def register(commands: Any) -> None:
    volunteer = commands.add_parser(
        "volunteer", help=_("volunteers: training certificates and accident insurance")
    )
    sub = volunteer.add_subparsers(dest="volunteer_command", metavar="ACTION", required=True)
    p = sub.add_parser("certify", help=_("record a training certificate"))
    p.add_argument("member", metavar="MEMBER")
    p.add_argument("--course", required=True)
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--expires", metavar="YYYY-MM-DD")
    p.set_defaults(handler=certify)
    p = sub.add_parser("insure", help=_("record an accident-insurance policy"))
    p.add_argument("member", metavar="MEMBER")
    p.add_argument("--insurer", required=True)
    p.add_argument("--policy", required=True)
    p.add_argument("--from", dest="valid_from", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="valid_to", required=True, metavar="YYYY-MM-DD")
    p.set_defaults(handler=insure)
    p = sub.add_parser("show", help=_("a volunteer's training certificates and insurance"))
    p.add_argument("member", metavar="MEMBER")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show)

    request = commands.add_parser("request", help=_("service requests: add, list, match, close"))
    sub = request.add_subparsers(dest="request_command", metavar="ACTION", required=True)
    p = sub.add_parser("add", help=_("register an elder's request; prints its id"))
    p.add_argument("--recipient", required=True, metavar="MEMBER")
    p.add_argument("--category", required=True, metavar="CODE")
    p.add_argument("--when", default="", metavar="TEXT")
    p.add_argument("--notes", default="", metavar="TEXT")
    p.set_defaults(handler=add_request)
    p = sub.add_parser("list", help=_("the open requests"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_requests)
    p = sub.add_parser(
        "close", help=_("close a request: served by a service record, or cancelled")
    )
    p.add_argument("request", metavar="REQUEST")
    p.add_argument("--record", metavar="RECORD_OR_SLIP", help=_("the service that met it"))
    p.set_defaults(handler=close_request)
    p = sub.add_parser("match", help=_("rank volunteers for a request, with their reasons"))
    p.add_argument("request", metavar="REQUEST")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=match)


def certify(args: argparse.Namespace) -> int:
    ctx = context(args)
    today = ctx.today()
    issued = parse_date(args.date, today, "date")
    expires = parse_date(args.expires, today, "expires") if args.expires else None
    view = VolunteerService(ctx).certify(args.member, args.course, issued, expires)
    until = view.expires_on.isoformat() if view.expires_on else _("no expiry")
    print(
        _("Training certificate recorded for {name} ({member}): {course}, until {until}").format(
            name=view.name, member=view.member_no, course=view.course, until=until
        )
    )
    return 0


def insure(args: argparse.Namespace) -> int:
    ctx = context(args)
    today = ctx.today()
    start = parse_date(args.valid_from, today, "from")
    end = parse_date(args.valid_to, today, "to")
    view = VolunteerService(ctx).insure(args.member, args.insurer, args.policy, start, end)
    print(
        _("Insurance recorded for {name} ({member}): {insurer} {policy}, {start} to {end}").format(
            name=view.name,
            member=view.member_no,
            insurer=view.insurer,
            policy=view.policy_no,
            start=view.valid_from.isoformat(),
            end=view.valid_to.isoformat(),
        )
    )
    return 0


def show(args: argparse.Namespace) -> int:
    ctx = context(args)
    service = VolunteerService(ctx)
    certificates, policies = service.certificates(args.member), service.policies(args.member)
    today = ctx.today()
    if args.json:
        print_json(
            {
                "certificates": [
                    {
                        "course": c.course,
                        "issued_on": c.issued_on.isoformat(),
                        "expires_on": c.expires_on.isoformat() if c.expires_on else None,
                        "valid_today": c.valid_on(today),
                    }
                    for c in certificates
                ],
                "insurance": [
                    {
                        "insurer": p.insurer,
                        "policy": p.policy_no,
                        "from": p.valid_from.isoformat(),
                        "to": p.valid_to.isoformat(),
                        "covers_today": p.covers(today),
                    }
                    for p in policies
                ],
            }
        )
        return 0
    valid, lapsed = _("valid"), _("not in force")
    print(_("Training certificates:") if certificates else _("Training certificates: none"))
    for c in certificates:
        until = c.expires_on.isoformat() if c.expires_on else _("no expiry")
        state = valid if c.valid_on(today) else lapsed
        print(f"  {c.issued_on.isoformat()}  {c.course}  → {until}  ({state})")
    print(_("Accident insurance:") if policies else _("Accident insurance: none"))
    for p in policies:
        state = valid if p.covers(today) else lapsed
        print(
            f"  {p.insurer} {p.policy_no}  {p.valid_from.isoformat()} → "
            f"{p.valid_to.isoformat()}  ({state})"
        )
    return 0


def add_request(args: argparse.Namespace) -> int:
    view = RequestService(context(args)).add(args.recipient, args.category, args.when, args.notes)
    print(view.id)
    return 0


def _request_json(view: RequestView) -> dict[str, object]:
    return {
        "request": view.id,
        "recipient": view.recipient_no,
        "name": view.recipient_name,
        "category": view.category,
        "when": view.when_text,
        "notes": view.notes,
        "status": view.status,
        "created_at": view.created_at.isoformat(),
    }


def _category_names(ctx: AppContext) -> dict[str, str]:
    """Category code -> its name in the user's language (the plain listings show names)."""
    language = current_language()
    return {c.code: c.name(language) for c in CategoryService(ctx).list()}


def list_requests(args: argparse.Namespace) -> int:
    ctx = context(args)
    found = RequestService(ctx).open_requests()
    if args.json:
        print_json([_request_json(v) for v in found])
        return 0
    names = _category_names(ctx)
    for v in found:
        when = f"  {v.when_text}" if v.when_text else ""
        category = names.get(v.category, v.category)
        print(f"{v.id}  {v.recipient_no} {v.recipient_name}  {category}{when}")
    return 0


def close_request(args: argparse.Namespace) -> int:
    view = RequestService(context(args)).close(args.request, args.record)
    if args.record:
        print(_("Request {id} served by {record}").format(id=view.id, record=args.record))
    else:
        print(_("Request {id} cancelled").format(id=view.id))
    return 0


def match(args: argparse.Namespace) -> int:
    ctx = context(args)
    day, ranked = MatchService(ctx).match(args.request, args.limit)
    if args.json:
        print_json(
            [
                {"member": c.member_no, "name": c.name, "score": c.score, "reasons": c.reasons}
                for c in ranked
            ]
        )
        return 0
    request = RequestService(ctx).get(args.request)
    print(
        _("Volunteers for {name} ({member}), {category}, on {day}:").format(
            name=request.recipient_name,
            member=request.recipient_no,
            category=_category_names(ctx).get(request.category, request.category),
            day=day.isoformat(),
        )
    )
    if not ranked:
        print(_("No active volunteer to suggest"))
    for place, c in enumerate(ranked, start=1):
        print(
            _("{place}. {member} {name} (score {score})").format(
                place=place, member=c.member_no, name=c.name, score=c.score
            )
        )
        for reason in c.reasons:
            print(f"     - {reason}")
    return 0
