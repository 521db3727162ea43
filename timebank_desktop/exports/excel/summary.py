"""The 概览 (summary) sheet of the monthly workbook: key figures, tables and two charts.

Service figures are computed here from the services themselves, so the summary always equals
the detail sheet; ledger figures come from `LedgerTotals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from timebank_desktop.exports.excel.cells import CellValue, Heading, Hours
from timebank_desktop.exports.excel.monthly_data import MonthlyReport, ServiceRow
from timebank_desktop.exports.excel.progress import Ticker
from timebank_desktop.exports.excel.sheet import PageFooter, TableSpec, write_table_sheet
from timebank_desktop.i18n import N_, translate

Row = Sequence[CellValue]


@dataclass(frozen=True, slots=True)
class CategoryTotal:
    """One line of the by-category table."""

    category: str
    services: int
    duration_minutes: int
    credited_minutes: int


@dataclass(frozen=True, slots=True)
class ServiceFigures:
    """What the summary derives from the month's services."""

    services: int
    duration_minutes: int
    credited_minutes: int
    active_volunteers: int
    elders_served: int
    categories: tuple[CategoryTotal, ...]


def service_figures(services: Sequence[ServiceRow]) -> ServiceFigures:
    """Totals, distinct people and per-category sums (by hours credited, then name)."""
    per: dict[str, list[int]] = {}
    volunteers: set[str] = set()
    recipients: set[str] = set()
    duration = credited = 0
    for s in services:
        duration += s.duration_minutes
        credited += s.credited_minutes
        volunteers.add(s.volunteer_no)
        recipients.add(s.recipient_no)
        sums = per.setdefault(s.category, [0, 0, 0])
        sums[0] += 1
        sums[1] += s.duration_minutes
        sums[2] += s.credited_minutes
    cats = sorted(
        (CategoryTotal(name, n, d, c) for name, (n, d, c) in per.items()),
        key=lambda t: (-t.credited_minutes, t.category),
    )
    return ServiceFigures(
        len(services), duration, credited, len(volunteers), len(recipients), tuple(cats)
    )


def _key_figures(data: MonthlyReport, fig: ServiceFigures, lang: str) -> list[Row]:
    t = data.totals
    status = N_("Month closed") if data.closing_hash else N_("Month open")
    items: list[tuple[str, CellValue]] = [
        (N_("Centre"), data.centre_name),
        (N_("Month"), str(data.month)),
        (N_("Month status"), translate(status, lang)),
        (N_("Services"), fig.services),
        (N_("Hours served"), Hours(fig.duration_minutes)),
        (N_("Hours credited"), Hours(fig.credited_minutes)),
        (N_("Hours withdrawn"), Hours(t.withdrawn_minutes)),
        (N_("Hours granted"), Hours(t.granted_minutes)),
        (N_("Hours transferred"), Hours(t.transferred_minutes)),
        (N_("Hours donated"), Hours(t.donated_minutes)),
        (N_("Hours exchanged for goods"), Hours(t.exchanged_minutes)),
        (N_("Active volunteers"), fig.active_volunteers),
        (N_("Elders served"), fig.elders_served),
        (N_("New members"), t.new_members),
        (N_("Community pool liability (hours)"), Hours(data.pool_liability_minutes)),
    ]
    return [(translate(label, lang), value) for label, value in items]


def _headings(labels: Sequence[str], lang: str) -> Row:
    return [Heading(translate(label, lang)) for label in labels]


def _category_block(fig: ServiceFigures, lang: str) -> list[Row]:
    rows: list[Row] = [
        [Heading(translate("Hours by category", lang))],
        _headings(("Service category", "Services", "Hours served", "Hours credited"), lang),
    ]
    rows += [
        (c.category, c.services, Hours(c.duration_minutes), Hours(c.credited_minutes))
        for c in fig.categories
    ]
    rows.append(
        (
            translate("Total", lang),
            fig.services,
            Hours(fig.duration_minutes),
            Hours(fig.credited_minutes),
        )
    )
    return rows


def _age_block(data: MonthlyReport, lang: str) -> list[Row]:
    labels = ("Age band", "Volunteers", "Volunteer hours", "Recipients", "Recipient hours")
    rows: list[Row] = [[Heading(translate("By age band", lang))], _headings(labels, lang)]
    rows += [
        (
            b.band,
            b.volunteers,
            Hours(b.volunteer_minutes),
            b.recipients,
            Hours(b.recipient_minutes),
        )
        for b in data.age_bands
    ]
    return rows


def _trend_block(data: MonthlyReport, lang: str) -> list[Row]:
    rows: list[Row] = [
        [Heading(translate("Hours credited, last 12 months", lang))],
        _headings(("Month", "Hours credited"), lang),
    ]
    rows += [(str(p.month), Hours(p.credited_minutes)) for p in data.trend]
    return rows


def _bar_chart(ws: Any, header_row: int, count: int, lang: str) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = translate("Hours credited by category", lang)
    chart.y_axis.title = translate("Hours", lang)
    chart.legend = None
    data = Reference(ws, min_col=4, min_row=header_row, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    )
    chart.width, chart.height = 18, 9
    return chart


def _line_chart(ws: Any, header_row: int, count: int, lang: str) -> LineChart:
    chart = LineChart()
    chart.title = translate("Hours credited, last 12 months", lang)
    chart.y_axis.title = translate("Hours", lang)
    chart.legend = None
    data = Reference(ws, min_col=2, min_row=header_row, max_row=header_row + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(
        Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + count)
    )
    for series in chart.series:
        series.smooth = False  # a month-to-month trend, not a curve between them
    chart.width, chart.height = 18, 9
    return chart


def write_summary_sheet(
    wb: Workbook, data: MonthlyReport, footer: PageFooter, ticker: Ticker
) -> Any:
    """Write the 概览 sheet: key figures (the filtered table), by-category, by-age-band and
    12-month trend tables, the closing hash when the month is closed, and two charts."""
    lang = footer.language
    fig = service_figures(data.services)
    figures = _key_figures(data, fig, lang)
    blank: list[Row] = [()]
    cats, ages, trend = (
        _category_block(fig, lang),
        _age_block(data, lang),
        _trend_block(data, lang),
    )
    tail = blank + cats + blank + ages + blank + trend
    notes: list[Row] = []
    if data.closing_hash:
        label = translate("Closing hash of the ledger chain", lang)
        notes = [(), (f"{label}: {data.closing_hash}",)]
    spec = TableSpec(
        translate("Overview", lang),
        [translate("Item", lang), translate("Value", lang)],
        lambda: figures,
        tail=tail,
        notes=notes,
        grid_lines=False,  # printed grid lines would run under the charts
    )
    ws = write_table_sheet(wb, spec, footer, ticker)
    first_tail_row = len(figures) + 2
    cat_header = first_tail_row + 1 + 1
    if fig.categories:
        ws.add_chart(_bar_chart(ws, cat_header, len(fig.categories), lang), "G2")
    trend_header = first_tail_row + len(blank + cats + blank + ages + blank) + 1
    if data.trend:
        ws.add_chart(_line_chart(ws, trend_header, len(data.trend), lang), "G21")
    return ws
