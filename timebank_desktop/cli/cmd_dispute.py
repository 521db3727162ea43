"""dispute open / decide / list."""

from __future__ import annotations

import argparse
from typing import Any

from timebank_desktop.cli.common import context, print_json
from timebank_desktop.i18n import _
from timebank_desktop.services.disputes import STATUS_LABELS, DisputeService


def register(commands: Any) -> None:
    dispute = commands.add_parser("dispute", help=_("disputes about a service: open, decide"))
    sub = dispute.add_subparsers(dest="dispute_command", metavar="ACTION", required=True)
    p = sub.add_parser("open", help=_("open a dispute about a record; prints the case number"))
    p.add_argument("ref", metavar="RECORD_OR_SLIP")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=open_case)
    p = sub.add_parser("decide", help=_("decide a case: uphold (voids the record) or reject"))
    p.add_argument("case", metavar="CASE")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--uphold", action="store_true", help=_("void the record by reversal"))
    verdict.add_argument("--reject", action="store_true", help=_("the record stands"))
    p.add_argument("--note", required=True)
    p.set_defaults(handler=decide)
    p = sub.add_parser("list", help=_("dispute cases, the oldest first"))
    p.add_argument("--status", choices=tuple(STATUS_LABELS))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_cases)


def open_case(args: argparse.Namespace) -> int:
    view = DisputeService(context(args)).open(args.ref, args.reason)
    print(view.case_no)
    return 0


def decide(args: argparse.Namespace) -> int:
    view = DisputeService(context(args)).decide(args.case, bool(args.uphold), args.note)
    if args.uphold:
        message = _("Case {case} upheld: slip {slip} voided")
    elif view.record_void:  # voided by hand while the case was open
        message = _("Case {case} rejected; slip {slip} had already been voided")
    else:
        message = _("Case {case} rejected: slip {slip} stands")
    print(message.format(case=view.case_no, slip=view.slip_no))
    return 0


def list_cases(args: argparse.Namespace) -> int:
    found = DisputeService(context(args)).list(args.status)
    if args.json:
        print_json(
            [
                {
                    "case": v.case_no,
                    "record": v.record_id,
                    "slip_no": v.slip_no,
                    "reason": v.reason,
                    "status": v.status,
                    "note": v.decision_note,
                    "opened_at": v.opened_at.isoformat(),
                    "decided_at": v.decided_at.isoformat() if v.decided_at else None,
                }
                for v in found
            ]
        )
        return 0
    for v in found:
        status = _(STATUS_LABELS.get(v.status, v.status))
        print(f"{v.case_no}  {v.slip_no}  {status}\t{v.reason}")
    return 0
