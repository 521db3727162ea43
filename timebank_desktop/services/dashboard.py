"""The figures on the GUI's first page: this month's work, the pool's liability, open slips."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from timebank_desktop.domain.ledger import POOL_ACCOUNT
from timebank_desktop.domain.months import Month
from timebank_desktop.models import Account, Category, ServiceRecord
from timebank_desktop.services.context import AppContext


@dataclass(frozen=True, slots=True)
class DashboardFigures:
    month: Month
    services: int
    credited_minutes: int
    withdrawn_minutes: int
    active_volunteers: int
    elders_served: int
    pool_liability_minutes: int
    unsigned_slips: int


@dataclass(frozen=True, slots=True)
class MonthHours:
    month: Month
    credited_minutes: int


@dataclass(frozen=True, slots=True)
class CategoryHours:
    code: str
    name_zh: str
    name_en: str
    credited_minutes: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    figures: DashboardFigures
    per_month: tuple[MonthHours, ...]
    by_category: tuple[CategoryHours, ...]


class DashboardService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def figures(self, month: Month) -> DashboardFigures:
        """Services (not void), credited and withdrawn hours of posted records in ``month``."""
        in_month = (
            ServiceRecord.service_date >= month.first_day,
            ServiceRecord.service_date <= month.last_day,
            ServiceRecord.status != "void",
        )
        posted = ServiceRecord.status == "posted"
        with self.ctx.read() as session:
            services, volunteers, elders = session.execute(
                select(
                    func.count(),
                    func.count(ServiceRecord.volunteer_id.distinct()),
                    func.count(ServiceRecord.recipient_id.distinct()),
                ).where(*in_month)
            ).one()
            credited = session.scalar(
                select(func.coalesce(func.sum(ServiceRecord.credited_minutes), 0)).where(
                    *in_month, posted
                )
            )
            withdrawn = session.scalar(
                select(func.coalesce(func.sum(ServiceRecord.credited_minutes), 0)).where(
                    *in_month, posted, ServiceRecord.payer == "recipient"
                )
            )
            pool = session.scalar(
                select(Account.balance_minutes).where(Account.code == POOL_ACCOUNT)
            )
            unsigned = session.scalar(
                select(func.count())
                .select_from(ServiceRecord)
                .where(ServiceRecord.status == "pending")
            )
        return DashboardFigures(
            month,
            int(services or 0),
            int(credited or 0),
            int(withdrawn or 0),
            int(volunteers or 0),
            int(elders or 0),
            max(-int(pool or 0), 0),
            int(unsigned or 0),
        )

    def per_month(self, last: Month, count: int = 12) -> tuple[MonthHours, ...]:
        """Credited minutes of posted records for the ``count`` months ending with ``last``."""
        months = [last]
        while len(months) < count:
            months.append(months[-1].previous)
        months.reverse()
        totals: dict[Month, int] = defaultdict(int)
        query = (
            select(ServiceRecord.service_date, func.sum(ServiceRecord.credited_minutes))
            .where(
                ServiceRecord.status == "posted",
                ServiceRecord.service_date >= months[0].first_day,
                ServiceRecord.service_date <= last.last_day,
            )
            .group_by(ServiceRecord.service_date)
        )
        with self.ctx.read() as session:
            for day, minutes in session.execute(query):
                totals[Month.of(day)] += int(minutes or 0)
        return tuple(MonthHours(m, totals[m]) for m in months)

    def by_category(self, first: Month, last: Month) -> tuple[CategoryHours, ...]:
        """Credited minutes of posted records per category from ``first`` to ``last``."""
        query = (
            select(
                Category.code,
                Category.name_zh,
                Category.name_en,
                func.coalesce(func.sum(ServiceRecord.credited_minutes), 0),
            )
            .join(ServiceRecord, ServiceRecord.category_code == Category.code)
            .where(
                ServiceRecord.status == "posted",
                ServiceRecord.service_date >= first.first_day,
                ServiceRecord.service_date <= last.last_day,
            )
            .group_by(Category.code, Category.name_zh, Category.name_en, Category.sort_order)
            .order_by(Category.sort_order)
        )
        with self.ctx.read() as session:
            return tuple(
                CategoryHours(code, zh, en, int(minutes))
                for code, zh, en, minutes in session.execute(query)
            )

    def load(self, month: Month) -> Dashboard:
        """Everything the dashboard shows, for ``month`` and the year up to it."""
        per_month = self.per_month(month)
        return Dashboard(
            self.figures(month), per_month, self.by_category(per_month[0].month, month)
        )
