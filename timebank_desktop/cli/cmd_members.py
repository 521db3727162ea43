"""member add / list."""

from __future__ import annotations

import argparse
from typing import Any

from timebank_desktop.cli.common import context, print_json
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.phone import masked
from timebank_desktop.i18n import N_, _
from timebank_desktop.services.members import MemberInput, MemberService

# The words for a member's role in the plain listing (--json keeps the codes).
ROLES = {"volunteer": N_("volunteer"), "recipient": N_("recipient"), "both": N_("both")}


def register(commands: Any) -> None:
    member = commands.add_parser("member", help=_("members: add, list"))
    sub = member.add_subparsers(dest="member_command", metavar="ACTION", required=True)

    p = sub.add_parser("add", help=_("add a member; prints the new member number"))
    p.add_argument("--name", required=True)
    p.add_argument("--id-number", required=True)
    p.add_argument("--phone", default="")
    p.add_argument("--role", choices=("volunteer", "recipient", "both"), default="volunteer")
    p.add_argument("--address", default="")
    p.set_defaults(handler=add)

    p = sub.add_parser("list", help=_("list or search members"))
    p.add_argument("--search", default="")
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_members)


def add(args: argparse.Namespace) -> int:
    member = MemberService(context(args)).add(
        MemberInput(
            name=args.name,
            id_number=args.id_number,
            phone=args.phone,
            role=args.role,
            address=args.address,
        )
    )
    print(member.member_no)
    return 0


def list_members(args: argparse.Namespace) -> int:
    found = MemberService(context(args)).search(args.search, limit=max(args.limit, 1))
    if args.json:
        print_json(
            [
                {
                    "member": m.member_no,
                    "name": m.name,
                    "gender": m.gender,
                    "role": m.role,
                    "birth_date": m.birth_date.isoformat(),
                    "phone_tail": m.phone[-4:],
                    "id_tail": m.id_number[-4:],
                    "balance_minutes": m.balance_minutes,
                }
                for m in found
            ]
        )
    else:
        for m in found:
            role = _(ROLES.get(m.role, m.role))
            print(
                f"{m.member_no}  {m.name}\t{role:<10} {masked(m.phone):<12} "
                f"{format_hours(m.balance_minutes)}"
            )
    return 0
