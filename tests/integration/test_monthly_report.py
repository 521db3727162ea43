"""The monthly report from a real ledger: every figure against the ledger services, read back
from the workbook with openpyxl and calamine; late entries and month close."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from python_calamine import CalamineWorkbook
from sqlalchemy import update

from tests.helpers import add_member, serve
from tests.unit.exports_excel.test_libreoffice import SOFFICE, _convert
from timebank_desktop.domain.errors import PermissionDenied, Refused
from timebank_desktop.domain.ledger import TxKind
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Role
from timebank_desktop.exports.excel.monthly_data import (
    ExceptionKind,
    consistency_problems,
)
from timebank_desktop.i18n import translate
from timebank_desktop.models import InsurancePolicy, Member, TrainingCertificate
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.month_close import MonthCloseService
from timebank_desktop.services.monthly_report import MonthlyReportService
from timebank_desktop.services.records import RecordService

OCT, NOV = Month(2026, 10), Month(2026, 11)


def zh(label: str) -> str:
    return translate(label, "zh_CN")


@pytest.fixture
def demo(ctx: AppContext) -> AppContext:
    DemoService(ctx).generate(DemoOptions(members=80, months=3, seed=5))
    return ctx


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def _movements(ctx: AppContext, member_no: str, month: Month) -> list[Any]:
    _opening, lines = AccountService(ctx).history(member_no, month.first_day, month.last_day)
    return lines


def test_demo_month_reconciles_with_the_ledger(demo: AppContext) -> None:
    service = MonthlyReportService(demo)
    report = service.build(OCT, "en")
    assert report.services and report.volunteers and report.recipients
    assert consistency_problems(report) == []
    assert service.build(OCT, "en") == report  # the same database, the same numbers
    # each volunteer's month equals the service credits in their passbook for the month
    for v in report.volunteers:
        credits = sum(
            m.amount
            for m in _movements(demo, v.member_no, OCT)
            if m.kind == TxKind.SERVICE and m.amount > 0
        )
        reversed_here = sum(
            -m.amount
            for m in _movements(demo, v.member_no, OCT)
            if m.kind == TxKind.REVERSAL and m.amount < 0
        )
        assert v.credited_minutes in (credits, credits - reversed_here)
    # account rows: opening + movements = closing, and the passbook agrees
    for a in report.accounts[:40]:
        if not a.code.startswith("M"):
            continue
        opening, lines = AccountService(demo).history(a.code, OCT.first_day, OCT.last_day)
        assert a.opening_minutes == opening
        assert a.credit_minutes == sum(m.amount for m in lines if m.amount > 0)
        assert a.debit_minutes == -sum(m.amount for m in lines if m.amount < 0)
    # the trend's last point is the month itself
    assert report.trend[-1].month == OCT
    assert report.trend[-1].credited_minutes == sum(s.credited_minutes for s in report.services)
    assert len(report.trend) == 12


def test_current_month_closing_balances_are_the_accounts(demo: AppContext) -> None:
    report = MonthlyReportService(demo).build(NOV, "en")
    accounts = AccountService(demo)
    for a in report.accounts:
        if a.code.startswith("M"):
            assert a.closing_minutes == accounts.balance(a.code).balance_minutes
        else:
            assert a.closing_minutes == accounts.system_balance(a.code)
    assert sum(a.closing_minutes for a in report.accounts) == 0
    pool = next(a for a in report.accounts if a.code == "pool")
    assert report.pool_liability_minutes == max(-pool.closing_minutes, 0)


def _sheet_rows(ws: Any) -> list[tuple[Any, ...]]:
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if r and r[0] is not None]


def test_workbook_figures_read_back_with_two_readers(demo: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "2026-10.xlsx"
    report = MonthlyReportService(demo).export(OCT, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["概览", "服务明细", "志愿者", "服务对象", "账户余额", "异常"]
    summary = {r[0]: r[1] for r in wb["概览"].iter_rows(min_row=2, max_row=16, values_only=True)}
    services = _sheet_rows(wb["服务明细"])
    volunteers = _sheet_rows(wb["志愿者"])
    assert summary[zh("Services")] == len(services) == len(report.services)
    credited = round(sum(r[8] for r in services), 2)
    assert summary[zh("Hours credited")] == pytest.approx(credited)
    assert summary[zh("Hours credited")] == pytest.approx(sum(r[3] for r in volunteers))
    assert summary[zh("Hours served")] == pytest.approx(sum(r[7] for r in services))
    assert summary[zh("Active volunteers")] == len(volunteers) == len({r[2] for r in services})
    assert summary[zh("Elders served")] == len({r[4] for r in services})
    assert summary[zh("New members")] == report.totals.new_members
    assert summary[zh("Hours granted")] == pytest.approx(_hours(report.totals.granted_minutes))
    by_category: dict[str, float] = defaultdict(float)
    for r in services:
        by_category[r[6]] += r[8]
    assert all(isinstance(r[7], float | int) for r in services)  # numbers, not text
    charts = wb["概览"]._charts
    assert any(isinstance(c, BarChart) for c in charts)
    assert any(isinstance(c, LineChart) for c in charts)
    # the balance sheet: closings equal the ledger's balances at the month's end
    accounts = {r[0]: r for r in _sheet_rows(wb["账户余额"]) if r[0] != zh("Total")}
    for a in report.accounts:
        assert accounts[a.code][5] == pytest.approx(_hours(a.closing_minutes))
    calamine = CalamineWorkbook.from_path(str(path))
    rows = calamine.get_sheet_by_name("服务明细").to_python()[1:]
    assert [r[0] for r in rows] == [r[0] for r in services]
    assert sum((float(r[8]) for r in rows), 0.0) == pytest.approx(credited)
    kinds = Counter(r[0] for r in _sheet_rows(wb["异常"]))
    assert sum(kinds.values()) == len(report.exceptions)


def test_user_text_that_looks_like_a_formula_stays_text(ctx: AppContext, tmp_path: Path) -> None:
    vol = add_member(ctx, "王秀英", date(1960, 1, 1))
    rec = add_member(ctx, "李建国", date(1940, 1, 1), role="recipient")
    with ctx.write() as session:  # a legacy register can bring any text; the form cannot
        session.execute(update(Member).where(Member.member_no == vol).values(name="=1+1"))
    serve(ctx, vol, rec, 60, day=date(2026, 10, 9))
    path = tmp_path / "m.xlsx"
    MonthlyReportService(ctx).export(OCT, path)
    ws = load_workbook(path)["服务明细"]
    cell = ws.cell(row=2, column=4)
    assert cell.value == "=1+1" and cell.data_type == "s"
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("志愿者").to_python()
    assert calamine[1][1] == "=1+1"


def test_a_late_entry_shows_in_the_month_it_was_entered(ctx: AppContext) -> None:
    vol = add_member(ctx, "王秀英", date(1960, 1, 1))
    rec = add_member(ctx, "李建国", date(1940, 1, 1), role="recipient")
    serve(ctx, vol, rec, 60, day=date(2026, 10, 9))
    pending = serve(ctx, vol, rec, 90, day=date(2026, 10, 20), signed=False)
    service = MonthlyReportService(ctx)
    MonthCloseService(ctx).close(OCT)
    before = service.build(OCT, "en")
    assert before.closing_hash is not None
    serve(ctx, vol, rec, 30, day=date(2026, 10, 12), start=time(14, 0))
    RecordService(ctx).confirm(pending.slip_no)
    assert service.build(OCT, "en") == before  # a closed month never changes
    nov = service.build(NOV, "en")
    late = [s for s in nov.services if s.late]
    assert [s.service_date for s in late] == [date(2026, 10, 12), date(2026, 10, 20)]
    assert [e.on for e in nov.exceptions if e.kind == ExceptionKind.LATE] == [
        date(2026, 10, 12),
        date(2026, 10, 20),
    ]
    assert consistency_problems(nov) == []
    assert nov.closing_hash is None


def test_exceptions_unsigned_reversal_and_cover(ctx: AppContext) -> None:
    vol = add_member(ctx, "王秀英", date(1960, 1, 1))
    rec = add_member(ctx, "李建国", date(1940, 1, 1), role="recipient")
    old = serve(ctx, vol, rec, 60, day=date(2026, 9, 25), signed=False)
    done = serve(ctx, vol, rec, 60, day=date(2026, 11, 2))
    RecordService(ctx).void(done.slip_no, "录入错误")
    with ctx.write() as session:
        member = session.query(Member).filter_by(member_no=vol).one()
        session.add(InsurancePolicy(id="p1", member_id=member.id, insurer="人保",
                                    policy_no="X1", valid_from=date(2025, 1, 1),
                                    valid_to=date(2026, 6, 30)))  # fmt: skip
        session.add(TrainingCertificate(id="c1", member_id=member.id, course="护理",
                                        issued_on=date(2024, 1, 1),
                                        expires_on=date(2026, 1, 1)))  # fmt: skip
    serve(ctx, vol, rec, 30, day=date(2026, 11, 3))
    with ctx.write() as session:
        session.execute(update(Member).where(Member.member_no == vol).values(star_level=3))
    report = MonthlyReportService(ctx).build(NOV, "en")
    assert [(v.member_no, v.services, v.star_level) for v in report.volunteers] == [(vol, 1, 3)]
    kinds = [e.kind for e in report.exceptions]
    assert kinds == [
        ExceptionKind.UNSIGNED,
        ExceptionKind.REVERSAL,
        ExceptionKind.INSURANCE,
        ExceptionKind.CERTIFICATE,
    ]
    assert report.exceptions[0].reference == old.slip_no
    assert report.exceptions[1].reference == done.slip_no
    # the voided service of the month is not among its services (it netted to nothing)
    assert [s.slip_no for s in report.services] != [] and done.slip_no not in {
        s.slip_no for s in report.services
    }


def test_month_close_rules(ctx: AppContext) -> None:
    vol = add_member(ctx, "王秀英", date(1960, 1, 1))
    rec = add_member(ctx, "李建国", date(1940, 1, 1), role="recipient")
    serve(ctx, vol, rec, 60, day=date(2026, 9, 9))
    closes = MonthCloseService(ctx)
    assert closes.next_to_close() == Month(2026, 9)
    with pytest.raises(Refused, match="has not ended"):
        closes.close(NOV)
    with pytest.raises(Refused, match="close 2026-09 first"):
        closes.close(OCT)
    clerk = ctx.as_actor(Actor("clerk1", Role.CLERK))
    with pytest.raises(PermissionDenied):
        MonthCloseService(clerk).close(Month(2026, 9))
    closes.close(Month(2026, 9))
    closes.close(OCT)
    with pytest.raises(Refused, match="already closed"):
        closes.close(Month(2026, 9))
    assert [c.month for c in closes.closed()] == [OCT, Month(2026, 9)]
    assert closes.next_to_close() is None
    # a late entry for September lands on today, in the open month
    late = serve(ctx, vol, rec, 30, day=date(2026, 9, 10))
    opening, lines = AccountService(ctx).history(vol, NOV.first_day, NOV.last_day)
    assert [(m.value_date, m.booked_on) for m in lines] == [(date(2026, 9, 10), ctx.today())]
    assert late.posted and opening == 60


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_a_demo_month_and_every_check_holds(
    demo: AppContext, tmp_path: Path
) -> None:
    if demo.engine.dialect.name != "sqlite":
        pytest.skip("one backend is enough for a file consumer")
    path = tmp_path / "2026-10.xlsx"
    MonthlyReportService(demo).export(OCT, path)
    pdf = _convert(path, "pdf", tmp_path / "out", tmp_path / "home")
    assert pdf.read_bytes().startswith(b"%PDF")
    again = _convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "again", tmp_path / "home")
    ws = load_workbook(again, data_only=True).worksheets[4]
    checks = [r[6] for r in ws.iter_rows(min_row=2, values_only=True) if r[6] is not None]
    assert len(checks) > 80 and set(checks) == {"✓"}
