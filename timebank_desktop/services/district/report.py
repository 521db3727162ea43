"""The district workbook for one month (`timebank district report --month YYYY-MM -o FILE`).

Fills `exports.excel.district_data.DistrictReport` from the incremental tables (per centre
and month, flows, accounts, alarms, held and late files), so it never rescans transactions.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank_desktop.domain.clock import local_date
from timebank_desktop.domain.errors import Refused
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.excel.district import write_district_report
from timebank_desktop.exports.excel.district_data import (
    CentreRow,
    CentreStatus,
    DistrictIssue,
    DistrictIssueKind,
    DistrictReport,
    FlowCell,
)
from timebank_desktop.exports.excel.progress import CancelFn, ProgressFn
from timebank_desktop.i18n import _, current_language
from timebank_desktop.models.district import (
    DistrictAccount,
    DistrictAlarm,
    DistrictCentre,
    DistrictFile,
    DistrictFlow,
    DistrictMonth,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.epochs import lost_ranges
from timebank_desktop.services.district.positions import overdrafts
from timebank_desktop.services.district.registry import FROZEN, load_identity

OVERDUE_DAYS = 31  # a centre sends at least monthly
LATE_DAYS = 10  # a month's file is due by the 10th of the next month
MAX_OVERDRAFTS = 1000


def _utc_local(moment: datetime | None) -> date | None:
    """The local (China) date of a stored naive-UTC instant."""
    return None if moment is None else local_date(moment.replace(tzinfo=UTC))


def _centres(session: Session, month: Month, today: date) -> list[CentreRow]:
    figures = {
        r.centre_id: r
        for r in session.scalars(select(DistrictMonth).where(DistrictMonth.month == str(month)))
    }
    members: dict[int, tuple[int, int]] = {
        cid: (int(n), int(b or 0))
        for cid, n, b in session.execute(
            select(DistrictAccount.centre_id, func.count(), func.sum(DistrictAccount.balance))
            .where(DistrictAccount.key.is_not(None))
            .group_by(DistrictAccount.centre_id)
        )
    }
    reference = min(month.last_day, today)
    rows: list[CentreRow] = []
    for c in session.scalars(select(DistrictCentre).order_by(DistrictCentre.code)):
        last = _utc_local(c.last_file_at)
        if c.status == FROZEN:
            status = CentreStatus.REJECTED
        elif last is None:
            status = CentreStatus.MISSING
        elif last < reference - timedelta(days=OVERDUE_DAYS):
            status = CentreStatus.OVERDUE
        else:
            status = CentreStatus.OK
        f = figures.get(c.id)
        count, balance = members.get(c.id, (0, 0))
        rows.append(
            CentreRow(
                c.code,
                c.name,
                f.services if f else 0,
                f.credited if f else 0,
                f.withdrawn if f else 0,
                count,
                balance,
                last,
                status,
            )
        )
    return rows


def _flows(session: Session, month: Month, codes: dict[int, str]) -> list[FlowCell]:
    rows = session.scalars(select(DistrictFlow).where(DistrictFlow.month == str(month)))
    return [FlowCell(codes[r.from_centre_id], codes[r.to_centre_id], r.minutes) for r in rows]


def _issues(
    session: Session, month: Month, codes: dict[int, str], today: date
) -> list[DistrictIssue]:
    issues: list[DistrictIssue] = []
    for alarm in session.scalars(select(DistrictAlarm).order_by(DistrictAlarm.id)):
        raised = _utc_local(alarm.raised_at) or today
        if alarm.resolved_at is None or raised >= month.first_day:
            issues.append(
                DistrictIssue(
                    DistrictIssueKind.FORK,
                    codes[alarm.centre_id],
                    raised,
                    f"epoch {alarm.epoch} seq {alarm.seq}",
                    alarm.detail,
                )
            )
    files = session.scalars(select(DistrictFile).order_by(DistrictFile.id))
    due = month.last_day + timedelta(days=LATE_DAYS)
    for f in files:
        received = _utc_local(f.received_at) or today
        ref = f"seq {f.seq_from}–{f.seq_to}"
        if f.status == "held":
            issues.append(
                DistrictIssue(DistrictIssueKind.GAP, codes[f.centre_id], received, ref, f.detail)
            )
        elif f.status == "applied":
            covers = (
                f.first_value_date is not None
                and f.last_value_date is not None
                and f.first_value_date <= month.last_day
                and f.last_value_date >= month.first_day
            )
            if covers and received > due:
                issues.append(
                    DistrictIssue(
                        DistrictIssueKind.LATE_FILE,
                        codes[f.centre_id],
                        received,
                        ref,
                        _("Received {days} days after the due date").format(
                            days=(received - due).days
                        ),
                    )
                )
            if f.detail and covers:
                issues.append(
                    DistrictIssue(
                        DistrictIssueKind.OTHER, codes[f.centre_id], received, ref, f.detail
                    )
                )
    issues.extend(_lost(session, month))
    for o in overdrafts(session, MAX_OVERDRAFTS):
        issues.append(
            DistrictIssue(
                DistrictIssueKind.OVERDRAFT,
                o.centres[0] if o.centres else "",
                today,
                o.key[:16],
                _("District-wide balance {hours} hours").format(hours=f"{o.balance / 60:.2f}"),
            )
        )
    return issues


def _lost(session: Session, month: Month) -> list[DistrictIssue]:
    """Rows lost at a centre after a restore (epochs): in the report of every month their
    value dates touch, and of the month the next epoch's first file arrived."""
    issues: list[DistrictIssue] = []
    for lost in lost_ranges(session):
        opened = session.scalar(
            select(func.min(DistrictFile.received_at)).where(
                DistrictFile.centre_id == DistrictCentre.id,
                DistrictCentre.code == lost.centre,
                DistrictFile.epoch == lost.epoch + 1,
                DistrictFile.status == "applied",
            )
        )
        arrived = _utc_local(opened)
        touches = lost.first_date <= month.last_day and lost.last_date >= month.first_day
        if touches or (arrived is not None and month.first_day <= arrived <= month.last_day):
            issues.append(
                DistrictIssue(
                    DistrictIssueKind.LOST,
                    lost.centre,
                    arrived or lost.last_date,
                    lost.reference(),
                    lost.message(),
                )
            )
    return issues


def build_district_report(session: Session, month: Month, today: date) -> DistrictReport:
    ident = load_identity(session)
    codes = {i: c for i, c in session.execute(select(DistrictCentre.id, DistrictCentre.code))}
    return DistrictReport(
        district_name=ident.name,
        month=month,
        centres=_centres(session, month, today),
        flows=_flows(session, month, codes),
        issues=_issues(session, month, codes, today),
    )


class DistrictReportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def data(self, month: Month) -> DistrictReport:
        if month > Month.of(self.ctx.today()):
            raise Refused(
                _("{month} has not begun: there is nothing to report yet").format(month=month)
            )
        with self.ctx.read() as session:
            return build_district_report(session, month, self.ctx.today())

    def write(
        self,
        month: Month,
        path: str | os.PathLike[str],
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> DistrictReport:
        data = self.data(month)
        write_district_report(data, path, progress, cancel, language=current_language())
        return data
