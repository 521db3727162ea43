"""The plain values the monthly workbook takes; the services layer fills them.

Amounts are integer minutes (hours appear only in the cells), dates are local
(Asia/Shanghai) `datetime.date` values. Names and category names arrive in the report's
language; fixed wording (headers, labels, enum values) is translated by the writer.

The summary's service figures (services, hours served and credited, by category, active
volunteers, elders served) are computed by the writer from `MonthlyReport.services`, so they
always equal the detail sheet. Ledger figures the services list cannot give (withdrawals,
grants, …) come in `LedgerTotals`. `consistency_problems` checks that the per-volunteer,
per-recipient and per-account rows agree with the services and with double entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from timebank_desktop.domain.errors import Problem
from timebank_desktop.domain.months import Month
from timebank_desktop.i18n import _


class SignatureState(StrEnum):
    """Whether the recipient signed the service slip (签字确认)."""

    SIGNED = "signed"
    UNSIGNED = "unsigned"
    DISPUTED = "disputed"


class Rating(StrEnum):
    """The recipient's satisfaction (满意 / 一般 / 不满意)."""

    SATISFIED = "satisfied"
    NEUTRAL = "neutral"
    DISSATISFIED = "dissatisfied"


class ExceptionKind(StrEnum):
    """What the 异常 sheet lists."""

    UNSIGNED = "unsigned"  # slip not signed by the recipient
    DISPUTE = "dispute"  # an open or closed dispute about a service
    OVERDRAFT = "overdraft"  # an account below its allowed minimum
    REVERSAL = "reversal"  # a transaction reversed this month
    LATE = "late"  # entered this month for an earlier, closed month
    INSURANCE = "insurance"  # accident insurance expired or expiring
    CERTIFICATE = "certificate"  # training certificate expired or expiring
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ServiceRow:
    """One service record of the month (服务明细).

    A late entry (entered this month for a month already closed) is listed in the month it
    was entered, with ``late=True`` and its real ``service_date``.
    """

    slip_no: str
    service_date: date
    volunteer_no: str
    volunteer_name: str
    recipient_no: str
    recipient_name: str
    category: str
    duration_minutes: int
    credited_minutes: int
    payer: str
    signature: SignatureState
    rating: Rating | None = None
    late: bool = False


@dataclass(frozen=True, slots=True)
class VolunteerRow:
    """A volunteer's month (志愿者): services and credited minutes this month, totals."""

    member_no: str
    name: str
    services: int
    credited_minutes: int
    cumulative_minutes: int
    balance_minutes: int
    star_level: int


@dataclass(frozen=True, slots=True)
class RecipientRow:
    """A recipient's month (服务对象): services and minutes of service received."""

    member_no: str
    name: str
    services: int
    received_minutes: int


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One time account's month (账户余额): opening + credits − debits = closing.

    ``credit_minutes`` and ``debit_minutes`` are both non-negative sums of the month's
    postings. Every account of the ledger is listed (members, pool, goods, clearing), so the
    openings and the closings each sum to zero.
    """

    code: str
    name: str
    opening_minutes: int
    credit_minutes: int
    debit_minutes: int
    closing_minutes: int


@dataclass(frozen=True, slots=True)
class AgeBandRow:
    """Members by age band (e.g. ``"60–69"``): volunteers and recipients active this month."""

    band: str
    volunteers: int
    volunteer_minutes: int
    recipients: int
    recipient_minutes: int


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """Hours credited in one month, for the 12-month trend chart."""

    month: Month
    credited_minutes: int


@dataclass(frozen=True, slots=True)
class ExceptionRow:
    """One line of the 异常 sheet; ``reference`` is a slip number, member number, tx id …"""

    kind: ExceptionKind
    reference: str
    on: date
    description: str


@dataclass(frozen=True, slots=True)
class LedgerTotals:
    """The month's ledger movements other than services, in minutes; new members a count."""

    withdrawn_minutes: int
    granted_minutes: int
    transferred_minutes: int
    donated_minutes: int
    exchanged_minutes: int
    new_members: int


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    """Everything the monthly workbook shows.

    ``closing_hash`` is the ledger chain hash at the month's close, or None while the month
    is open. ``pool_liability_minutes`` is what the community pool owes at month end, as the
    service computes it.
    """

    centre_code: str
    centre_name: str
    month: Month
    totals: LedgerTotals
    services: Sequence[ServiceRow]
    volunteers: Sequence[VolunteerRow]
    recipients: Sequence[RecipientRow]
    accounts: Sequence[AccountRow]
    age_bands: Sequence[AgeBandRow] = ()
    trend: Sequence[TrendPoint] = ()
    exceptions: Sequence[ExceptionRow] = ()
    pool_liability_minutes: int = 0
    closing_hash: str | None = None


def _problem(code: str, message: str, field: str, row: int | None = None) -> Problem:
    return Problem(code, message, field, row)


def _people_problems(report: MonthlyReport) -> list[Problem]:
    found: list[Problem] = []
    count = len(report.services)
    credited = sum(s.credited_minutes for s in report.services)
    duration = sum(s.duration_minutes for s in report.services)
    volunteers = report.volunteers
    if sum(v.services for v in volunteers) != count:
        found.append(
            _problem("volunteers.services", _("Volunteer services do not add up"), "volunteers")
        )
    if sum(v.credited_minutes for v in volunteers) != credited:
        found.append(
            _problem("volunteers.minutes", _("Volunteer hours do not add up"), "volunteers")
        )
    recipients = report.recipients
    if sum(r.services for r in recipients) != count:
        found.append(
            _problem("recipients.services", _("Recipient services do not add up"), "recipients")
        )
    if sum(r.received_minutes for r in recipients) != duration:
        found.append(
            _problem("recipients.minutes", _("Recipient hours do not add up"), "recipients")
        )
    return found


def _account_problems(accounts: Sequence[AccountRow]) -> list[Problem]:
    found: list[Problem] = []
    for index, acc in enumerate(accounts, 1):
        if acc.opening_minutes + acc.credit_minutes - acc.debit_minutes != acc.closing_minutes:
            found.append(
                _problem(
                    "accounts.row", _("Opening plus movements is not the closing"), acc.code, index
                )
            )
    if sum(a.opening_minutes for a in accounts) != 0:
        found.append(
            _problem("accounts.opening", _("Opening balances do not sum to zero"), "accounts")
        )
    if sum(a.closing_minutes for a in accounts) != 0:
        found.append(
            _problem("accounts.closing", _("Closing balances do not sum to zero"), "accounts")
        )
    return found


def consistency_problems(report: MonthlyReport) -> list[Problem]:
    """What in ``report`` disagrees with itself (an empty list when all is well).

    Volunteers' services and credited minutes must add up to the services'; recipients'
    services and received minutes to the services' count and duration; every account must
    satisfy opening + credits − debits = closing, and openings and closings must each sum
    to zero (double entry).
    """
    return _people_problems(report) + _account_problems(report.accounts)
