"""month close: the month becomes read-only (late entries then post in the open month)."""

from __future__ import annotations

import argparse
from typing import Any

from timebank_desktop.cli.common import context
from timebank_desktop.domain.months import Month
from timebank_desktop.i18n import _
from timebank_desktop.services.month_close import MonthCloseService


def register(commands: Any) -> None:
    month = commands.add_parser("month", help=_("month end: close a month"))
    sub = month.add_subparsers(dest="month_command", metavar="ACTION", required=True)
    p = sub.add_parser("close", help=_("close a month: it becomes read-only"))
    p.add_argument("month", metavar="YYYY-MM")
    p.set_defaults(handler=close)


def close(args: argparse.Namespace) -> int:
    closed = MonthCloseService(context(args)).close(Month.parse(args.month))
    print(
        _("{month} closed at transaction {seq}; closing hash {hash}").format(
            month=closed.month, seq=closed.head_seq, hash=closed.head_hash
        )
    )
    return 0
