"""report monthly: the district's monthly workbook (月度报表) for one month."""

from __future__ import annotations

import argparse
from typing import Any

from timebank_desktop.cli.common import context, progress_printer
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.i18n import _
from timebank_desktop.services.monthly_report import MonthlyReportService


def register(commands: Any) -> None:
    report = commands.add_parser("report", help=_("reports: the monthly Excel workbook"))
    sub = report.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    p = sub.add_parser("monthly", help=_("the monthly workbook for the district (.xlsx)"))
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=monthly, output_suffix=".xlsx")


def monthly(args: argparse.Namespace) -> int:
    month = Month.parse(args.month)
    service = MonthlyReportService(context(args))
    report = service.export(
        month, args.output, progress=progress_printer(_("Monthly report")), language=args.lang
    )
    credited = sum(s.credited_minutes for s in report.services)
    print(
        _("Monthly report {month} written to {path}: {services} services, {hours} h").format(
            month=month,
            path=args.output,
            services=len(report.services),
            hours=format_hours(credited),
        )
    )
    return 0
