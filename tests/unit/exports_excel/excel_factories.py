"""A realistic month for the workbook tests and the benchmark, consistent by construction.

Every figure is derived from postings the way the ledger would: services credit the volunteer
and debit the payer (the recipient's own account or the community pool), grants move hours
from the pool to elders; closings are openings plus movements.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from datetime import date

from timebank_desktop.domain import slipno
from timebank_desktop.domain.categories import DEFAULT_CATEGORIES
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.excel.monthly_data import (
    AccountRow,
    AgeBandRow,
    ExceptionKind,
    ExceptionRow,
    LedgerTotals,
    MonthlyReport,
    Rating,
    RecipientRow,
    ServiceRow,
    SignatureState,
    TrendPoint,
    VolunteerRow,
)

CENTRE = "和平里社区时间银行服务站"
MONTH = Month(2025, 3)
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("秀英", "桂兰", "建国", "志强", "丽华", "海燕", "玉梅", "德明", "淑珍", "国强")
POOL = "pool"
OWN = "本人账户"
POOL_PAYER = "社区公益池"
EVIL = ("=1+1", "+1", "-2+3", "@SUM(A1)", "\t=cmd", '=HYPERLINK("http://x")')


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]


def _service(i: int, rng: random.Random, volunteers: int, recipients: int) -> ServiceRow:
    v, r = rng.randrange(volunteers), rng.randrange(recipients)
    duration = rng.choice((30, 45, 60, 90, 120, 150, 180))
    cat = DEFAULT_CATEGORIES[rng.randrange(len(DEFAULT_CATEGORIES))]
    late = i % 97 == 5
    return ServiceRow(
        slip_no=slipno.make(i + 1),
        service_date=date(2025, 2, 20 + i % 8) if late else date(2025, 3, 1 + i % 31),
        volunteer_no=f"V{v:05d}",
        volunteer_name=_name(v),
        recipient_no=f"R{r:05d}",
        recipient_name=_name(r + 7),
        category=cat.name_zh,
        duration_minutes=duration,
        credited_minutes=duration * 3 // 2 if cat.code == "bathing" else duration,
        payer=POOL_PAYER if r % 3 == 0 else OWN,
        signature=(SignatureState.UNSIGNED if i % 41 == 3 else
                   SignatureState.DISPUTED if i % 113 == 7 else SignatureState.SIGNED),
        rating=(None, Rating.SATISFIED, Rating.SATISFIED, Rating.NEUTRAL,
                Rating.DISSATISFIED)[i % 5],
        late=late,
    )  # fmt: skip


def _accounts(services: list[ServiceRow], rng: random.Random, members: list[tuple[str, str]],
              grants: dict[str, int]) -> list[AccountRow]:  # fmt: skip
    opening = {no: rng.randrange(0, 40) * 30 for no, _ in members}
    credit: dict[str, int] = defaultdict(int)
    debit: dict[str, int] = defaultdict(int)
    for s in services:
        credit[f"member:{s.volunteer_no}"] += s.credited_minutes
        payer = POOL if s.payer == POOL_PAYER else f"member:{s.recipient_no}"
        debit[payer] += s.credited_minutes
    for no, minutes in grants.items():
        credit[f"member:{no}"] += minutes
        debit[POOL] += minutes
    rows = []
    for no, name in members:
        code = f"member:{no}"
        o, c, d = opening[no], credit[code], debit[code]
        rows.append(AccountRow(code, name, o, c, d, o + c - d))
    pool_open = -sum(opening.values())
    rows.append(AccountRow(POOL, "社区公益池", pool_open, credit[POOL], debit[POOL],
                           pool_open + credit[POOL] - debit[POOL]))  # fmt: skip
    return rows


def _people(services: list[ServiceRow]) -> tuple[list[VolunteerRow], list[RecipientRow]]:
    vol: dict[str, list[int]] = {}
    rec: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for s in services:
        vol.setdefault(s.volunteer_no, [0, 0])
        vol[s.volunteer_no][0] += 1
        vol[s.volunteer_no][1] += s.credited_minutes
        rec.setdefault(s.recipient_no, [0, 0])
        rec[s.recipient_no][0] += 1
        rec[s.recipient_no][1] += s.duration_minutes
        names[s.volunteer_no], names[s.recipient_no] = s.volunteer_name, s.recipient_name
    volunteers = [
        VolunteerRow(no, names[no], n, m, m + 6000, 0, min(5, m // 600))
        for no, (n, m) in sorted(vol.items())
    ]
    recipients = [RecipientRow(no, names[no], n, m) for no, (n, m) in sorted(rec.items())]
    return volunteers, recipients


def _exceptions(services: list[ServiceRow]) -> list[ExceptionRow]:
    found = []
    for s in services:
        if s.signature is SignatureState.UNSIGNED:
            found.append(ExceptionRow(ExceptionKind.UNSIGNED, s.slip_no, s.service_date,
                                      f"{s.volunteer_name} → {s.recipient_name}"))  # fmt: skip
        if s.late:
            found.append(ExceptionRow(ExceptionKind.LATE, s.slip_no, date(2025, 3, 3),
                                      f"服务日期 {s.service_date}，已结账月份补录"))  # fmt: skip
    found.append(ExceptionRow(ExceptionKind.REVERSAL, "T000123", date(2025, 3, 9), "录入错误冲正"))
    found.append(
        ExceptionRow(ExceptionKind.INSURANCE, "V00003", date(2025, 3, 31), "意外保险已到期")
    )
    return found


def make_report(
    services: int = 300,
    volunteers: int = 40,
    recipients: int = 60,
    seed: int = 7,
    closed: bool = True,
    evil: bool = False,
) -> MonthlyReport:
    """A consistent month; ``evil`` puts formula-like text in names and descriptions."""
    rng = random.Random(seed)
    rows = [_service(i, rng, volunteers, recipients) for i in range(services)]
    if evil:
        rows = [replace(s, recipient_name=EVIL[i % len(EVIL)]) if i < len(EVIL) else s
                for i, s in enumerate(rows)]  # fmt: skip
    vols, recs = _people(rows)
    grants = {r.member_no: 120 for r in recs[:5]}
    members = [(v.member_no, v.name) for v in vols] + [(r.member_no, r.name) for r in recs]
    accounts = _accounts(rows, rng, members, grants)
    closing = {a.code: a.closing_minutes for a in accounts}
    vols = [replace(v, balance_minutes=closing[f"member:{v.member_no}"]) for v in vols]
    credited = sum(s.credited_minutes for s in rows)
    exceptions = _exceptions(rows)
    if evil:
        exceptions.append(ExceptionRow(ExceptionKind.OTHER, "=1+1", date(2025, 3, 5), "=1+1"))
    return MonthlyReport(
        centre_code="HPL",
        centre_name=CENTRE,
        month=MONTH,
        totals=LedgerTotals(
            withdrawn_minutes=sum(s.credited_minutes for s in rows if s.payer == OWN),
            granted_minutes=sum(grants.values()),
            transferred_minutes=180,
            donated_minutes=240,
            exchanged_minutes=90,
            new_members=12,
        ),
        services=rows,
        volunteers=vols,
        recipients=recs,
        accounts=accounts,
        age_bands=(
            AgeBandRow("18–39", 12, 3000, 0, 0),
            AgeBandRow("40–59", 15, 4200, 3, 600),
            AgeBandRow("60–69", 10, 2400, 20, 5000),
            AgeBandRow("70–79", 3, 600, 25, 7000),
            AgeBandRow("80+", 0, 0, 12, 3300),
        ),
        trend=(
            *(
                TrendPoint(Month(2024 + (m + 3) // 12, (m + 3) % 12 + 1), 6000 + 300 * m)
                for m in range(11)
            ),
            TrendPoint(MONTH, credited),
        ),
        exceptions=exceptions,
        pool_liability_minutes=sum(c for k, c in closing.items() if k.startswith("member:")),
        closing_hash="9f2c" + "ab" * 30 if closed else None,
    )
