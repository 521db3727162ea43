"""首页: this month at a glance, hours per month for a year, hours by category."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from timebank_desktop.domain.minutes import format_hours, to_hours
from timebank_desktop.domain.months import Month
from timebank_desktop.i18n import _, current_language
from timebank_desktop.services.dashboard import Dashboard
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.widgets import accessible, named

CARDS = (
    "services",
    "credited",
    "withdrawn",
    "volunteers",
    "elders",
    "liability",
    "unsigned",
)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


class DashboardPage(Page):
    key = "dashboard"

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.data: Dashboard | None = None
        self.heading = named(QLabel(), "dashboard_heading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.captions = {k: QLabel() for k in CARDS}
        self.values = {k: named(QLabel(), f"dashboard_{k}") for k in CARDS}
        grid = QGridLayout()
        for i, key in enumerate(CARDS):
            card = QFrame()
            card.setFrameShape(QFrame.Shape.StyledPanel)
            box = QVBoxLayout(card)
            self.values[key].setStyleSheet("font-size: 20pt; font-weight: bold;")
            self.values[key].setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.captions[key].setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(self.values[key])
            box.addWidget(self.captions[key])
            grid.addWidget(card, i // 4, i % 4)
        self.month_view = named(QChartView(), "dashboard_per_month")
        self.category_view = named(QChartView(), "dashboard_by_category")
        for view in (self.month_view, self.category_view):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(260)
        charts = QHBoxLayout()
        charts.addWidget(self.month_view, 3)
        charts.addWidget(self.category_view, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addLayout(charts, 1)
        self.retranslate()

    def title(self) -> str:
        return _("Dashboard")

    def help_text(self) -> str:
        return _(
            "This month's services, hours credited to volunteers and withdrawn by members, "
            "active volunteers, elders served, the hours the community pool owes (its "
            "liability) and slips still waiting for a signature; below, hours per month for "
            "a year and hours by service category. Ctrl+1 to Ctrl+8 open the pages."
        )

    def activated(self) -> None:
        dashboard, month = self.backend.dashboard, Month.of(self.backend.ctx.today())
        self.runner.run(lambda: dashboard.load(month), self._loaded, self.report_error)

    def _loaded(self, data: Dashboard) -> None:
        self.data = data
        self.retranslate()

    def retranslate(self) -> None:
        captions = {
            "services": _("services this month"),
            "credited": _("hours credited"),
            "withdrawn": _("hours withdrawn"),
            "volunteers": _("active volunteers"),
            "elders": _("elders served"),
            "liability": _("hours the pool owes"),
            "unsigned": _("slips awaiting signature"),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)
            accessible(self.values[key], text)
        data = self.data
        self.heading.setText(
            _("This month: {month}").format(month=data.figures.month) if data else _("Dashboard")
        )
        if data is None:
            return
        f = data.figures
        shown = {
            "services": str(f.services),
            "credited": format_hours(f.credited_minutes),
            "withdrawn": format_hours(f.withdrawn_minutes),
            "volunteers": str(f.active_volunteers),
            "elders": str(f.elders_served),
            "liability": format_hours(f.pool_liability_minutes),
            "unsigned": str(f.unsigned_slips),
        }
        for key, text in shown.items():
            self.values[key].setText(text)
        self._draw_charts(data)

    def _draw_charts(self, data: Dashboard) -> None:
        chart = _chart(_("Hours credited per month"))
        bars = QBarSet(_("hours"))
        bars.append([float(to_hours(m.credited_minutes)) for m in data.per_month])
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([str(m.month.month) for m in data.per_month])
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%.0f")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        _nice(axis_y, [m.credited_minutes for m in data.per_month])
        self._replace(self.month_view, chart)
        chart = _chart(_("Hours by category (12 months)"))
        bars = QBarSet(_("hours"))
        bars.append([float(to_hours(c.credited_minutes)) for c in data.by_category])
        across = QHorizontalBarSeries()
        across.append(bars)
        chart.addSeries(across)
        axis_y2 = QBarCategoryAxis()
        axis_y2.append(
            [c.name_en if current_language() == "en" else c.name_zh for c in data.by_category]
        )
        axis_x2 = QValueAxis()
        axis_x2.setLabelFormat("%.0f")
        chart.addAxis(axis_y2, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x2, Qt.AlignmentFlag.AlignBottom)
        across.attachAxis(axis_y2)
        across.attachAxis(axis_x2)
        _nice(axis_x2, [c.credited_minutes for c in data.by_category])
        self._replace(self.category_view, chart)

    @staticmethod
    def _replace(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()


def _nice(axis: QValueAxis, minutes: list[int]) -> None:
    """From 0 to the largest value, ticks at round numbers (0, 100, 200…); 0–1 when empty."""
    top = max([float(to_hours(m)) for m in minutes] + [0.0])
    axis.setRange(0, top if top > 0 else 1)
    if top > 0:
        axis.applyNiceNumbers()
