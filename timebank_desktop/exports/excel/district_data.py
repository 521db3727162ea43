"""The plain values the district workbook (区级汇总) takes; the services layer fills them.

Amounts are integer minutes, dates local `datetime.date` values, names already in the
report's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from timebank_desktop.domain.months import Month


class CentreStatus(StrEnum):
    """How the district stands with a centre's sync files."""

    OK = "ok"  # files up to date and verified
    OVERDUE = "overdue"  # the last file is older than the agreed interval
    MISSING = "missing"  # no file received yet
    REJECTED = "rejected"  # the last file was refused (signature, chain, format)


class DistrictIssueKind(StrEnum):
    """What the district's exceptions sheet lists."""

    FORK = "fork"  # two different chains from one centre
    GAP = "gap"  # missing sequence numbers between files
    OVERDRAFT = "overdraft"  # an account below its allowed minimum
    LATE_FILE = "late_file"  # a file that arrived after its deadline
    LOST = "lost"  # rows a centre lost by restoring a backup (a new chain epoch)
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class CentreRow:
    """One centre's month: services, hours, members and where its files stand."""

    code: str
    name: str
    services: int
    credited_minutes: int
    withdrawn_minutes: int
    members: int
    balance_minutes: int
    last_file: date | None
    status: CentreStatus


@dataclass(frozen=True, slots=True)
class FlowCell:
    """Minutes of cross-centre service from one centre's volunteers to another's recipients.

    Cells not given are zero; ``from_code`` and ``to_code`` are centre codes listed in
    `DistrictReport.centres`.
    """

    from_code: str
    to_code: str
    minutes: int


@dataclass(frozen=True, slots=True)
class DistrictIssue:
    """One line of the district exceptions sheet."""

    kind: DistrictIssueKind
    centre_code: str
    on: date
    reference: str
    description: str


@dataclass(frozen=True, slots=True)
class DistrictReport:
    """Everything the district workbook shows for one month."""

    district_name: str
    month: Month
    centres: Sequence[CentreRow]
    flows: Sequence[FlowCell] = ()
    issues: Sequence[DistrictIssue] = ()
