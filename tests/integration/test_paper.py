"""Paper from the ledger (issue 4), on SQLite and PostgreSQL: slips, statements, certificates,
slip control and handover, read back from the PDFs with poppler."""

from __future__ import annotations

import io
import json
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers import add_member, serve
from tests.unit.exports_pdf.pdf_factories import pdf_text
from timebank_desktop.domain.errors import NotFound, PermissionDenied, Refused, ValidationError
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Role
from timebank_desktop.models import AuditEntry, IssuedDocument, ServiceRecord
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.paper.certificates import CertificateService
from timebank_desktop.services.paper.control import SlipControl
from timebank_desktop.services.paper.slips import SlipPrinting
from timebank_desktop.services.paper.statement import StatementService
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.records import RecordService

NOVEMBER = Month(2026, 11)


def flat(text: str) -> str:
    return "".join(text.split())


def audits(ctx: AppContext, action: str) -> list[AuditEntry]:
    with ctx.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def printed_counts(ctx: AppContext) -> dict[str, int]:
    with ctx.read() as session:
        rows = session.execute(select(ServiceRecord.slip_no, ServiceRecord.slip_printed)).all()
    return {slip: count for slip, count in rows}


@pytest.fixture
def people(ctx: AppContext) -> tuple[str, str, str]:
    anna = add_member(ctx, "王秀英", date(1962, 3, 1))
    bo = add_member(ctx, "李建国", date(1940, 6, 1), role="recipient")
    chen = add_member(ctx, "陈芳", date(1950, 1, 1), role="both")
    return anna, bo, chen


# ---------------------------------------------------------------- slips
def test_slips_for_records_hold_names_numbers_and_hours(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, chen = people
    first = serve(ctx, anna, bo, 90, signed=False, category="medical")
    second = serve(ctx, anna, chen, 45, day=date(2026, 11, 18))
    target = tmp_path / "slips.pdf"
    done = SlipPrinting(ctx).for_records([first.slip_no, second.id], target)
    assert done.slip_numbers == (first.slip_no, second.slip_no)
    text = flat(pdf_text(target))
    for expected in ("服务凭条", "东湖社区", "王秀英", "李建国", "陈芳", anna, bo,
                     first.slip_no, second.slip_no, "助医陪诊", "1.5小时", "0.75小时",
                     "2026年11月19日", "09:00", "10:30", "公益池"):  # fmt: skip
        assert flat(expected) in text, expected
    counts = printed_counts(ctx)
    assert counts[first.slip_no] == counts[second.slip_no] == 1
    [entry] = audits(ctx, "slip.print")
    assert json.loads(entry.detail)["count"] == 2


def test_a_voided_record_is_refused_and_nothing_is_written(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, _chen = people
    good = serve(ctx, anna, bo, 60)
    bad = serve(ctx, anna, bo, 30, start=time(13, 0))
    RecordService(ctx).void(bad.slip_no, "entered twice")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "slips.pdf"
    with pytest.raises(Refused, match=f"Slip {bad.slip_no} was voided"):
        SlipPrinting(ctx).for_records([good.slip_no, bad.slip_no], target)
    assert list(out.iterdir()) == []
    assert set(printed_counts(ctx).values()) == {0}
    assert audits(ctx, "slip.print") == []


def test_unknown_slip_and_empty_request_are_refused(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    target = tmp_path / "slips.pdf"
    with pytest.raises(NotFound, match="00000019"):
        SlipPrinting(ctx).for_records(["00000019"], target)
    with pytest.raises(ValidationError):
        SlipPrinting(ctx).for_records([" "], target)
    with pytest.raises(ValidationError):
        SlipPrinting(ctx).for_records(["x"], target, per_page=2)
    assert not target.exists()


def test_month_batch_prints_only_the_unsigned_slips_three_to_a_sheet(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, chen = people
    unsigned = [
        serve(ctx, anna, bo, 30, signed=False, day=date(2026, 11, d)) for d in (3, 5, 7, 9)
    ]
    signed = serve(ctx, anna, chen, 30, day=date(2026, 11, 4))
    voided = serve(ctx, anna, chen, 30, signed=False, day=date(2026, 11, 6))
    RecordService(ctx).void(voided.slip_no, "wrong elder")
    serve(ctx, chen, bo, 30, signed=False, day=date(2026, 10, 30))  # another month
    printing = SlipPrinting(ctx)
    assert printing.unsigned_count(NOVEMBER) == 4
    target = tmp_path / "batch.pdf"
    done = printing.for_month_unsigned(NOVEMBER, target)
    assert done.slip_numbers == tuple(r.slip_no for r in unsigned)
    pages = pdf_text(target).split("\f")[:-1]
    assert len(pages) == 2
    text = flat("".join(pages))
    assert signed.slip_no not in text and voided.slip_no not in text
    with pytest.raises(Refused, match="No unsigned slips in 2026-09"):
        printing.for_month_unsigned(Month(2026, 9), tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


def test_slips_in_english_and_to_an_open_file(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, _chen = people
    view = serve(ctx, anna, bo, 60, payer="recipient", signed=False)
    buffer = io.BytesIO()
    SlipPrinting(ctx).for_records([view.slip_no], buffer, language="en")
    target = tmp_path / "en.pdf"
    target.write_bytes(buffer.getvalue())
    text = flat(pdf_text(target))
    assert flat("Service slip") in text and flat("Paid by: Own account") in text


def test_a_viewer_may_not_print_slips(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, _chen = people
    view = serve(ctx, anna, bo, 60)
    viewer = ctx.as_actor(Actor("v", Role.VIEWER))
    with pytest.raises(PermissionDenied):
        SlipPrinting(viewer).for_records([view.slip_no], tmp_path / "x.pdf")
    with pytest.raises(PermissionDenied):
        CertificateService(viewer).issue_service_certificate(anna, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- statement
def test_statement_agrees_with_the_balance(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, chen = people
    accounts = AccountService(ctx)
    serve(ctx, anna, bo, 90, day=date(2026, 11, 2))
    serve(ctx, anna, chen, 60, day=date(2026, 11, 3), category="company")
    voided = serve(ctx, anna, bo, 30, day=date(2026, 11, 5))
    RecordService(ctx).void(voided.slip_no, "录入错误")
    accounts.grant(anna, 120, "敬老补贴")
    MemberService(ctx).add_relation(anna, chen, "parent")
    accounts.transfer(anna, chen, 45, "给母亲")
    accounts.redeem(anna, 30, "大米")
    target = tmp_path / "statement.pdf"
    data = StatementService(ctx).write(anna, target)
    balance = accounts.balance(anna).balance_minutes
    assert balance == 90 + 60 + 120 - 45 - 30
    assert data.opening_minutes == 0
    assert data.opening_minutes + sum(m.minutes for m in data.movements) == balance
    assert [m.kind for m in data.movements] == [
        "service", "service", "service", "reversal", "grant", "transfer", "redemption",
    ]  # fmt: skip
    assert data.movements[0].counterparty == "李建国"
    assert data.movements[1].counterparty == "陈芳"
    text = flat(pdf_text(target))
    for expected in ("时间账户对账单", "王秀英", anna, "110105********", "期初余额", "期末余额",
                     "服务存入", "李建国", "陈芳", "助餐，凭条", "精神慰藉", "冲正", "录入错误",
                     "发放", "公益池", "敬老补贴", "转出", "给母亲", "兑换", "大米",
                     "期初余额0小时+存入5小时−支取1.75小时=期末余额3.25小时"):  # fmt: skip
        assert flat(expected) in text, expected


def test_statement_for_a_period_carries_the_opening_balance(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, chen = people
    serve(ctx, anna, bo, 90, day=date(2026, 10, 20))
    serve(ctx, anna, chen, 60, day=date(2026, 11, 3))
    service = StatementService(ctx)
    data = service.build(anna, date(2026, 11, 1), date(2026, 11, 30))
    assert data.opening_minutes == 90
    assert [m.minutes for m in data.movements] == [60]
    recipient = service.build(bo, language="en")
    assert recipient.movements == ()  # the pool paid
    with pytest.raises(ValidationError, match="before its start"):
        service.build(anna, date(2026, 11, 30), date(2026, 11, 1))
    with pytest.raises(NotFound):
        service.build("M999999")


def test_recipient_paying_sees_the_volunteer(
    ctx: AppContext, people: tuple[str, str, str]
) -> None:
    anna, _bo, chen = people
    AccountService(ctx).grant(chen, 120, "补贴")
    serve(ctx, anna, chen, 45, payer="recipient")
    data = StatementService(ctx).build(chen, language="en")
    # date order: the service of the 19th, typed after the grant of the 20th, comes first
    assert [(m.kind, m.counterparty, m.minutes) for m in data.movements] == [
        ("service", "王秀英", -45),
        ("grant", "Community pool", 120),
    ]
    assert data.movements[0].memo.startswith("meals, slip ")


# ---------------------------------------------------------------- certificates
def test_certificates_are_numbered_registered_and_audited(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, chen = people
    serve(ctx, anna, bo, 90, day=date(2026, 11, 2))
    serve(ctx, anna, chen, 60, day=date(2026, 11, 3), category="company")
    serve(ctx, anna, bo, 30, day=date(2026, 11, 4))
    serve(ctx, anna, bo, 120, day=date(2026, 11, 5), signed=False)  # not confirmed: not counted
    service = CertificateService(ctx)
    first = service.issue_service_certificate(anna, tmp_path / "one.pdf")
    second = service.issue_service_certificate(
        anna, tmp_path / "two.pdf", date(2026, 11, 3), date(2026, 11, 3)
    )
    assert (first.certificate_no, second.certificate_no) == ("ZM-2026-0001", "ZM-2026-0002")
    assert (first.total_services, first.total_minutes) == (3, 180)
    assert [(c.category, c.services, c.minutes) for c in first.by_category] == [
        ("助餐", 2, 120), ("精神慰藉", 1, 60),
    ]  # fmt: skip
    assert (second.total_services, second.total_minutes) == (1, 60)
    text = flat(pdf_text(tmp_path / "one.pdf"))
    for expected in ("志愿服务记录证明", "ZM-2026-0001", "王秀英", anna, "110105********",
                     "2026年11月2日", "3次", "3小时", "助餐", "精神慰藉", "东湖社区"):  # fmt: skip
        assert flat(expected) in text, expected
    with ctx.read() as session:
        docs = session.scalars(select(IssuedDocument).order_by(IssuedDocument.doc_no)).all()
        assert [(d.doc_no, d.kind, d.total_minutes) for d in docs] == [
            ("ZM-2026-0001", "service", 180), ("ZM-2026-0002", "service", 60),
        ]  # fmt: skip
        assert docs[0].period_from == date(2026, 11, 2)
        assert docs[0].period_to == date(2026, 11, 20)
    register = service.register(anna)
    assert [r.doc_no for r in register] == ["ZM-2026-0001", "ZM-2026-0002"]
    assert register[0].detail["services"] == 3
    assert len(audits(ctx, "certificate.issue")) == 2


def test_no_service_no_certificate_and_no_number_used(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, _chen = people
    target = tmp_path / "cert.pdf"
    with pytest.raises(Refused, match="no confirmed volunteer service"):
        CertificateService(ctx).issue_service_certificate(anna, target)
    assert not target.exists()
    serve(ctx, anna, bo, 60)
    assert CertificateService(ctx).issue_service_certificate(anna, target).certificate_no == (
        "ZM-2026-0001"
    )


def test_honour_certificate_at_a_star_milestone(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, chen = people
    policies = PolicyService(ctx)
    policies.set(policies.current().with_changes(extra={"star_milestones_hours": [1, 2, 5]}))
    service = CertificateService(ctx)
    serve(ctx, anna, bo, 45)
    with pytest.raises(Refused, match="the first star needs 1 h"):
        service.issue_honour(anna, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()
    assert service.honours_due() == []
    serve(ctx, anna, chen, 90, day=date(2026, 11, 18))
    [due] = service.honours_due()
    assert (due.member_no, due.total_minutes, due.level, due.recorded_level) == (anna, 135, 2, 0)
    honour = service.issue_honour(anna, tmp_path / "honour.pdf")
    assert service.honours_due() == []
    assert (honour.certificate_no, honour.star_level, honour.total_minutes) == (
        "RY-2026-0001", 2, 135,
    )  # fmt: skip
    assert honour.milestone_minutes == 120
    assert MemberService(ctx).get(anna).summary.star_level == 2
    text = flat(pdf_text(tmp_path / "honour.pdf"))
    for expected in ("荣誉证书", "王秀英", "RY-2026-0001", "二星级志愿者", "2.25小时", "2小时"):
        assert flat(expected) in text, expected
    with pytest.raises(Refused, match="already issued: RY-2026-0001"):
        service.issue_honour(anna, tmp_path / "again.pdf")
    assert [r.kind for r in service.register(anna)] == ["honour"]


# ---------------------------------------------------------------- slip control, handover
def test_reconciliation_counts_and_lists_outstanding_slips(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, chen = people
    serve(ctx, anna, bo, 30, day=date(2026, 11, 2))
    late = serve(ctx, anna, bo, 30, day=date(2026, 11, 3), signed=False)
    returned = serve(ctx, anna, chen, 30, day=date(2026, 11, 4), signed=False)
    RecordService(ctx).confirm(returned.slip_no)
    voided = serve(ctx, chen, bo, 30, day=date(2026, 11, 5), signed=False)
    RecordService(ctx).void(voided.slip_no, "服务未进行")
    serve(ctx, anna, bo, 30, day=date(2026, 10, 5), signed=False)  # October
    control = SlipControl(ctx)
    data = control.write_reconciliation(NOVEMBER, tmp_path / "recon.pdf")
    assert (data.issued, data.confirmed, data.voided, data.lost) == (4, 2, 1, 0)
    assert [s.slip_no for s in data.outstanding] == [late.slip_no]
    assert data.outstanding[0].volunteer == "王秀英"
    assert data.issued == data.confirmed + data.voided + len(data.outstanding)
    text = flat(pdf_text(tmp_path / "recon.pdf"))
    for expected in ("服务凭条月度核对表", "2026年11月", late.slip_no, "王秀英", "李建国"):
        assert flat(expected) in text, expected
    assert control.reconciliation(Month(2026, 10)).issued == 1


def test_handover_package(ctx: AppContext, people: tuple[str, str, str], tmp_path: Path) -> None:
    anna, bo, chen = people
    serve(ctx, anna, bo, 90)
    open_slip = serve(ctx, chen, bo, 30, signed=False)
    data = SlipControl(ctx).write_handover("王芳", "", tmp_path / "handover.pdf")
    assert [(b.member.member_no, b.minutes) for b in data.balances] == [(anna, 90)]
    assert data.pool_minutes == -90
    assert [s.slip_no for s in data.open_slips] == [open_slip.slip_no]
    assert data.chain_seq == 1 and len(data.chain_head) == 64
    text = flat(pdf_text(tmp_path / "handover.pdf"))
    for expected in ("王芳", "王秀英", open_slip.slip_no, data.chain_head[:16]):
        assert flat(expected) in text, expected
    with pytest.raises(ValidationError):
        SlipControl(ctx).handover(" ", "")


def test_a_preview_is_not_counted_until_marked(
    ctx: AppContext, people: tuple[str, str, str]
) -> None:
    anna, bo, _chen = people
    view = serve(ctx, anna, bo, 60)
    printing = SlipPrinting(ctx)
    printing.for_records([view.slip_no], io.BytesIO(), mark=False)
    assert printed_counts(ctx)[view.slip_no] == 0 and audits(ctx, "slip.print") == []
    printing.mark_printed([view.slip_no], "printer")
    assert printed_counts(ctx)[view.slip_no] == 1
    assert json.loads(audits(ctx, "slip.print")[0].detail)["scope"] == "printer"


class Stop(Exception):
    """A cancel from the progress callback."""


def test_a_batch_reports_progress_and_a_cancel_leaves_nothing(
    ctx: AppContext, people: tuple[str, str, str], tmp_path: Path
) -> None:
    anna, bo, _chen = people
    for day in range(1, 8):
        serve(ctx, anna, bo, 30, signed=False, day=date(2026, 11, day))
    seen: list[tuple[int, int]] = []
    printing = SlipPrinting(ctx)
    printing.for_month_unsigned(NOVEMBER, tmp_path / "all.pdf", progress=lambda *p: seen.append(p))
    assert seen == [(3, 7), (6, 7), (7, 7)]

    def cancel(done: int, total: int) -> None:
        raise Stop

    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Stop):
        printing.for_month_unsigned(NOVEMBER, out / "batch.pdf", progress=cancel)
    assert list(out.iterdir()) == []
    assert set(printed_counts(ctx).values()) == {1}  # only the first, finished batch counted
