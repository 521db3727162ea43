"""The monthly report (月度报表) of this centre, filled from the ledger and written to Excel.

`MonthlyReportService.build(month)` gathers a `MonthlyReport` in a handful of aggregate
queries (SQL does the sums; Python only groups the month's services by person);
`export(month, path)` writes it with `write_monthly_report` (atomic, progress, cancel).

Months are local (Asia/Shanghai) and counted by booking date: what was booked in a month is
in its report, so a closed month's report never changes, and a late entry for it shows as
late in the month it was entered. The same database always gives the same report.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import Refused, StorageError
from timebank_desktop.domain.idnumber import age_on
from timebank_desktop.domain.ledger import AccountKind, TxKind
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.excel.monthly import write_monthly_report
from timebank_desktop.exports.excel.monthly_data import (
    AccountRow,
    AgeBandRow,
    LedgerTotals,
    MonthlyReport,
    Rating,
    RecipientRow,
    ServiceRow,
    SignatureState,
    TrendPoint,
    VolunteerRow,
)
from timebank_desktop.exports.excel.progress import CancelFn, ProgressFn
from timebank_desktop.i18n import N_, _, translate
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.file_checks import os_reason
from timebank_desktop.services.monthly_exceptions import month_exceptions
from timebank_desktop.services.monthly_queries import (
    AccountFact,
    ServiceFact,
    account_facts,
    closing_hash,
    credited_in,
    cumulative_service_minutes,
    movement_totals,
    new_members,
    service_facts,
)

TREND_MONTHS = 12
AGE_BANDS: tuple[tuple[int, int | None], ...] = ((0, 60), (60, 70), (70, 80), (80, None))
PAYER_LABELS = {"recipient": N_("Recipient's account"), "pool": N_("Community pool")}
SYSTEM_NAMES = {
    AccountKind.POOL.value: N_("Community pool"),
    AccountKind.GOODS.value: N_("Goods exchange"),
}


def age_band(age: int, lang: str) -> str:
    """``"60–69"``; the first and last bands read "under 60" and "80 and over"."""
    for low, high in AGE_BANDS:
        if high is None or age < high:
            if low == 0:
                return translate(N_("Under {age}"), lang).format(age=high)
            if high is None:
                return translate(N_("{age} and over"), lang).format(age=low)
            return f"{low}–{high - 1}"
    raise AssertionError("unreachable")  # pragma: no cover


_RATINGS: dict[str | None, Rating | None] = {None: None, "": None, **{r.value: r for r in Rating}}


def service_rows(facts: Sequence[ServiceFact], lang: str) -> list[ServiceRow]:
    payers = {k: translate(v, lang) for k, v in PAYER_LABELS.items()}
    signed, unsigned, disputed = (
        SignatureState.SIGNED,
        SignatureState.UNSIGNED,
        SignatureState.DISPUTED,
    )
    return [
        ServiceRow(
            f.slip_no,
            f.service_date,
            f.volunteer_no,
            f.volunteer_name,
            f.recipient_no,
            f.recipient_name,
            f.category,
            f.duration_minutes,
            f.credited_minutes,
            payers.get(f.payer, f.payer),
            disputed if f.disputed else signed if f.signed else unsigned,
            _RATINGS[f.rating] if f.rating in _RATINGS else Rating(str(f.rating)),
            f.late,
        )
        for f in facts
    ]


def account_rows(facts: Sequence[AccountFact], lang: str) -> list[AccountRow]:
    clearing = translate(N_("Clearing with centre {centre}"), lang)
    rows = []
    for a in facts:
        if a.member_no is not None:
            code, name = a.member_no, a.member_name or ""
        elif a.kind == AccountKind.CLEARING.value:
            code, name = a.code, clearing.format(centre=a.code.partition(":")[2])
        else:
            code, name = a.code, translate(SYSTEM_NAMES.get(a.kind, a.kind), lang)
        rows.append(AccountRow(code, name, a.opening, a.credits, a.debits, a.closing))
    return rows


@dataclass(slots=True)
class _Person:
    no: str
    name: str
    birth: date
    stars: int = 0
    services: int = 0
    minutes: int = 0


def _people(facts: Sequence[ServiceFact]) -> tuple[dict[str, _Person], dict[str, _Person]]:
    """Volunteers (by member id) and recipients (by member number) of the month's services."""
    volunteers: dict[str, _Person] = {}
    recipients: dict[str, _Person] = {}
    for f in facts:
        v = volunteers.setdefault(
            f.volunteer_id,
            _Person(f.volunteer_no, f.volunteer_name, f.volunteer_birth, f.volunteer_stars),
        )
        v.services += 1
        v.minutes += f.credited_minutes
        r = recipients.setdefault(
            f.recipient_no, _Person(f.recipient_no, f.recipient_name, f.recipient_birth)
        )
        r.services += 1
        r.minutes += f.duration_minutes
    return volunteers, recipients


def _age_bands(
    month: Month, volunteers: Sequence[_Person], recipients: Sequence[_Person], lang: str
) -> list[AgeBandRow]:
    sums: dict[str, list[int]] = {age_band(low, lang): [0, 0, 0, 0] for low, _h in AGE_BANDS}
    last = month.last_day
    for index, people in ((0, volunteers), (2, recipients)):
        for p in people:
            band = sums[age_band(age_on(p.birth, last), lang)]
            band[index] += 1
            band[index + 1] += p.minutes
    return [AgeBandRow(band, *values) for band, values in sums.items()]


def _trend(session: Session, month: Month, this_month: int) -> list[TrendPoint]:
    months = [month]
    while len(months) < TREND_MONTHS:
        months.append(months[-1].previous)
    months.reverse()
    return [TrendPoint(m, this_month if m == month else credited_in(session, m)) for m in months]


class MonthlyReportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def build(self, month: Month, language: str = "zh_CN") -> MonthlyReport:
        """Everything the monthly workbook shows for ``month``, in ``language``."""
        self.ctx.require(Permission.EXPORT)
        if month > Month.of(self.ctx.today()):
            raise Refused(
                _("{month} has not begun: there is nothing to report yet").format(month=month)
            )
        with self.ctx.read() as session:
            return self._build(session, month, language)

    def _build(self, session: Session, month: Month, lang: str) -> MonthlyReport:
        centre = load_centre(session)
        facts = service_facts(session, month, lang)
        services = service_rows(facts, lang)
        accounts = account_facts(session, month)
        by_volunteer, by_recipient = _people(facts)
        ids = list(by_volunteer)
        cumulative = cumulative_service_minutes(session, month, ids)
        closing = {a.member_no: a.closing for a in accounts if a.member_no is not None}
        volunteers = [
            VolunteerRow(p.no, p.name, p.services, p.minutes, cumulative.get(mid, 0),
                         closing.get(p.no, 0), p.stars)
            for mid, p in sorted(by_volunteer.items(), key=lambda item: item[1].no)
        ]  # fmt: skip
        recipients = [
            RecipientRow(p.no, p.name, p.services, p.minutes)
            for _no, p in sorted(by_recipient.items())
        ]
        moved = movement_totals(session, month)
        totals = LedgerTotals(
            withdrawn_minutes=sum(f.credited_minutes for f in facts if f.payer == "recipient"),
            granted_minutes=moved[TxKind.GRANT],
            transferred_minutes=moved[TxKind.TRANSFER],
            donated_minutes=moved[TxKind.DONATION],
            exchanged_minutes=moved[TxKind.REDEMPTION],
            new_members=new_members(session, month),
        )
        pool = sum(a.closing for a in accounts if a.kind == AccountKind.POOL.value)
        return MonthlyReport(
            centre_code=centre.code,
            centre_name=centre.name,
            month=month,
            totals=totals,
            services=services,
            volunteers=volunteers,
            recipients=recipients,
            accounts=account_rows(accounts, lang),
            age_bands=_age_bands(
                month, list(by_volunteer.values()), list(by_recipient.values()), lang
            ),
            trend=_trend(session, month, sum(f.credited_minutes for f in facts)),
            exceptions=month_exceptions(session, month, accounts, ids, lang),
            pool_liability_minutes=max(-pool, 0),
            closing_hash=closing_hash(session, month),
        )

    def export(
        self,
        month: Month,
        target: str | os.PathLike[str],
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        language: str = "zh_CN",
    ) -> MonthlyReport:
        """Build ``month``'s report and write it to ``target`` (an ``.xlsx``, atomically).

        ``progress(done, total)`` counts rows written; ``cancel()`` returning True stops the
        export (`ExportCancelled`) and leaves no file under ``target``.
        """
        report = self.build(month, language)
        try:
            write_monthly_report(report, target, progress, cancel, language)
        except OSError as exc:  # no such folder, a folder given, no room, no permission
            raise StorageError(
                _("Could not save {path}: {reason}").format(
                    path=os.fspath(target), reason=os_reason(exc)
                )
            ) from exc
        with self.ctx.write() as session:  # who exported which month, and where
            self.ctx.audit(session, "report.monthly", "month", str(month), path=os.fspath(target))
        return report
