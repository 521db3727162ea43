"""district init, enrol, config, import, statement, report (CLI.md), and status, positions,
resolve, info: the district's side of sync files, on the district database (``--db``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from typing import Any

from timebank_desktop.cli.common import print_json, progress_printer
from timebank_desktop.domain.clock import local_time
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Role
from timebank_desktop.i18n import _
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.district.batch import default_jobs
from timebank_desktop.services.district.database import open_district_database
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter, ImportOutcome
from timebank_desktop.services.district.positions import DistrictPositionsService
from timebank_desktop.services.district.report import DistrictReportService
from timebank_desktop.services.district.statement import DistrictStatementService
from timebank_desktop.services.district.status import DistrictStatusService


def register(commands: Any) -> None:
    district = commands.add_parser(
        "district", help=_("the district: enrol centres, import, report")
    )
    sub = district.add_subparsers(dest="district_command", metavar="ACTION", required=True)

    p = sub.add_parser("init", help=_("make the district's keys and member-key secret"))
    p.add_argument("--district-code", required=True)
    p.add_argument("--district-name", default="")
    p.set_defaults(handler=init)

    p = sub.add_parser("enrol", help=_("enrol a centre from its enrolment file"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--fingerprint", help=_("the fingerprint printed on paper, checked if given"))
    p.set_defaults(handler=enrol)

    p = sub.add_parser("config", help=_("write the signed configuration file for centres"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument(
        "--passphrase", help=_("seal the secret with this passphrase (default: init's)")
    )
    p.set_defaults(handler=config)

    p = sub.add_parser("import", help=_("import centre export files"))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help=_(
            "verify files in N worker processes while importing (default: one per core for "
            "large imports)"
        ),
    )
    p.set_defaults(handler=import_files)

    p = sub.add_parser("statement", help=_("write the signed district statement"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(handler=statement)

    p = sub.add_parser("report", help=_("write the district workbook for a month"))
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=report)

    p = sub.add_parser("status", help=_("each centre: chain head, last file, held files, alarms"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=status)

    p = sub.add_parser("positions", help=_("net positions between centres and overdrafts"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=positions)

    p = sub.add_parser("resolve", help=_("close a centre's fork alarm and unfreeze it"))
    p.add_argument("centre", metavar="CODE")
    p.add_argument("--note", default="")
    p.set_defaults(handler=resolve)

    p = sub.add_parser("info", help=_("the district's code, fingerprint and passphrase"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=info)


def district_context(args: argparse.Namespace) -> AppContext:
    """The district database named by ``--db`` (or TIMEBANK_DISTRICT_DB, TIMEBANK_DB)."""
    engine = open_district_database(args.db)
    args.engines = [*getattr(args, "engines", []), engine]  # disposed by main()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user database entry
        user = "operator"
    return AppContext(engine, actor=Actor(f"cli:{user}", Role.ADMIN, user))


def init(args: argparse.Namespace) -> int:
    made = DistrictIdentityService(district_context(args)).init(
        args.district_code, args.district_name
    )
    print(_("District {code} ({name}) is ready").format(code=made.code, name=made.name))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=made.fingerprint))
    print(
        _("Passphrase for centres (tell them by telephone or on paper): {passphrase}").format(
            passphrase=made.passphrase
        )
    )
    return 0


def enrol(args: argparse.Namespace) -> int:
    done = DistrictIdentityService(district_context(args)).enrol(args.file, args.fingerprint)
    if done.new:
        message = _(
            "Centre {code} ({name}) enrolled; fingerprint {fingerprint}: compare it "
            "with the paper copy"
        )
    else:
        message = _("Centre {code} ({name}) is already enrolled with this key ({fingerprint})")
    print(message.format(code=done.code, name=done.name, fingerprint=done.fingerprint))
    return 0


def config(args: argparse.Namespace) -> int:
    written = DistrictIdentityService(district_context(args)).config(args.output, args.passphrase)
    print(
        _("District configuration {seq} written to {path}").format(
            seq=written.manifest["config_seq"], path=written.path
        )
    )
    return 0


def import_files(args: argparse.Namespace) -> int:
    importer = DistrictImporter(district_context(args))
    report: list[dict[str, Any]] = []

    def show(result: ImportOutcome | FileRejected, source: str) -> None:
        if isinstance(result, FileRejected):
            report.append({"file": source, "status": "rejected", "message": result.message})
            if not args.json:
                print(f"timebank: {source}: {result.message}", file=sys.stderr)
            return
        report.append(
            {
                "file": source,
                "status": result.status,
                "centre": result.centre,
                "seq_from": result.seq_from,
                "seq_to": result.seq_to,
                "added": result.added,
                "message": result.message,
                "caught_up": list(result.caught_up),
            }
        )
        if not args.json:
            print(result.message)
            for line in result.caught_up:
                print(line)

    jobs = default_jobs(args.files) if args.jobs is None else max(1, args.jobs)
    results = importer.import_files(
        args.files, progress_printer(_("Import")), on_result=show, jobs=jobs
    )
    if args.json:
        print_json(report)
    return 1 if any(isinstance(r, FileRejected) for r in results) else 0


def statement(args: argparse.Namespace) -> int:
    done = DistrictStatementService(district_context(args)).write(args.output)
    print(
        _(
            "District statement {seq} written to {path}: {members} member balances, "
            "{entries} entries to mirror, {centres} centres"
        ).format(
            seq=done.seq,
            path=done.written.path,
            members=done.members,
            entries=done.entries,
            centres=done.centres,
        )
    )
    return 0


def report(args: argparse.Namespace) -> int:
    month = Month.parse(args.month)
    DistrictReportService(district_context(args)).write(
        month, args.output, progress_printer(_("District report"))
    )
    print(_("District report for {month} written to {path}").format(month=month, path=args.output))
    return 0


def _local(stored: datetime | None) -> str:
    """When a centre's last file came, in local time (stored as naive UTC)."""
    return f"{local_time(stored):%Y-%m-%d %H:%M:%S}" if stored else "-"


def status(args: argparse.Namespace) -> int:
    rows = DistrictStatusService(district_context(args)).centres()
    if args.json:
        print_json(
            [
                {
                    "centre": r.code,
                    "name": r.name,
                    "status": r.status,
                    "epoch": r.epoch,
                    "head_seq": r.head_seq,
                    "last_file_at": r.last_file_at,
                    "held_files": r.held_files,
                    "open_alarms": r.open_alarms,
                    "lost_transactions": r.lost_transactions,
                    "fingerprint": r.fingerprint,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        print(
            f"{r.code}\t{r.name}\t{r.status_label}\t{r.epoch}:{r.head_seq}\t"
            f"{_local(r.last_file_at)}\t{r.held_files}\t{r.open_alarms}"
        )
        for lost in r.lost:  # a restore at the centre: a new chain epoch (epochs)
            print(f"  {r.code} {lost.reference()}: {lost.message()}")
    return 0


def positions(args: argparse.Namespace) -> int:
    service = DistrictPositionsService(district_context(args))
    found, over = service.positions(), service.overdrafts()
    if args.json:
        print_json(
            {
                "positions": [
                    {"centre": p.centre, "counter": p.counter, "minutes": p.minutes} for p in found
                ],
                "overdrafts": [
                    {"key": o.key, "balance_minutes": o.balance, "centres": list(o.centres)}
                    for o in over
                ],
            }
        )
        return 0
    for p in found:
        print(
            _("{centre} towards {counter}: {hours} hours").format(
                centre=p.centre, counter=p.counter, hours=f"{p.minutes / 60:.2f}"
            )
        )
    for o in over:
        print(
            _("Overdraft: member key {key} at {centres}: {hours} hours").format(
                key=o.key[:16], centres=",".join(o.centres), hours=f"{o.balance / 60:.2f}"
            )
        )
    return 0


def resolve(args: argparse.Namespace) -> int:
    closed = DistrictIdentityService(district_context(args)).resolve(args.centre, args.note)
    print(_("Centre {code} unfrozen ({n} fork alarms closed)").format(code=args.centre, n=closed))
    return 0


def info(args: argparse.Namespace) -> int:
    found = DistrictIdentityService(district_context(args)).info()
    if args.json:
        print_json(
            {
                "district": found.code,
                "name": found.name,
                "fingerprint": found.fingerprint,
                "passphrase": found.passphrase,
            }
        )
        return 0
    print(f"{found.code}\t{found.name}\t{found.fingerprint}")
    print(
        _("Passphrase for centres (tell them by telephone or on paper): {passphrase}").format(
            passphrase=found.passphrase
        )
    )
    return 0
