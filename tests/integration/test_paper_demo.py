"""Issue 4, done when: a month of a demo centre prints as slips, statements and certificates
that read correctly in Chinese on a machine without any CJK system font."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import func, select

from tests.unit.exports_pdf.pdf_factories import fonts, need, pdf_text
from timebank_desktop.domain.months import Month
from timebank_desktop.models import Member, ServiceRecord
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.demo import DemoOptions, DemoService
from timebank_desktop.services.paper.certificates import CertificateService
from timebank_desktop.services.paper.control import SlipControl
from timebank_desktop.services.paper.slips import SlipPrinting
from timebank_desktop.services.paper.statement import StatementService

MONTH = Month(2026, 11)


def flat(text: str) -> str:
    return "".join(text.split())


def _page_png(pdf: Path, prefix: Path, env: dict[str, str], dpi: int = 50) -> Path:
    command = [need("pdftoppm"), "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile",
               str(pdf), str(prefix)]  # fmt: skip
    subprocess.run(command, check=True, env=env, capture_output=True)
    return prefix.with_suffix(".png")


def _bare_machine(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig knows no font at all (no CJK system font)."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}</cachedir></fontconfig>'
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def _reads_in_chinese(pdf: Path, tmp_path: Path, words: list[str]) -> str:
    text = flat(pdf_text(pdf))
    for word in words:
        assert flat(word) in text, (pdf.name, word)
    assert fonts(pdf) and all(row[-5] == "yes" for row in fonts(pdf)), fonts(pdf)  # embedded
    bare = _page_png(pdf, tmp_path / f"{pdf.stem}-bare", _bare_machine(tmp_path))
    normal = _page_png(pdf, tmp_path / f"{pdf.stem}-normal", dict(os.environ))
    assert bare.read_bytes() == normal.read_bytes(), pdf.name
    return text


def test_a_demo_month_prints_in_chinese_without_system_fonts(
    ctx: AppContext, tmp_path: Path
) -> None:
    DemoService(ctx).generate(DemoOptions(members=40, months=2, seed=4))
    with ctx.read() as session:
        names = dict(session.execute(select(Member.member_no, Member.name)).all())
        top = session.execute(
            select(Member.member_no, func.sum(ServiceRecord.credited_minutes))
            .join(ServiceRecord, ServiceRecord.volunteer_id == Member.id)
            .where(ServiceRecord.status == "posted")
            .group_by(Member.member_no)
            .order_by(func.sum(ServiceRecord.credited_minutes).desc(), Member.member_no)
            .limit(3)
        ).all()
    out = tmp_path / "out"
    out.mkdir()

    # The month's unsigned slips, three to a sheet; their QR codes scan back.
    slips = SlipPrinting(ctx).for_month_unsigned(MONTH, out / "slips.pdf")
    assert slips.count > 0
    text = _reads_in_chinese(out / "slips.pdf", tmp_path, ["服务凭条", "满意", "服务对象签字"])
    assert all(number in text for number in slips.slip_numbers)
    page = _page_png(out / "slips.pdf", tmp_path / "qr", dict(os.environ), dpi=150)
    scanned = subprocess.run(
        [need("zbarimg"), "--raw", "-q", str(page)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(scanned) == sorted(slips.slip_numbers[:3])

    # Statements agree with the balances; certificates are numbered one after another.
    accounts, numbers = AccountService(ctx), []
    for member_no, minutes in top:
        target = out / f"statement-{member_no}.pdf"
        data = StatementService(ctx).write(member_no, target)
        closing = data.opening_minutes + sum(m.minutes for m in data.movements)
        assert closing == accounts.balance(member_no).balance_minutes
        _reads_in_chinese(target, tmp_path, ["时间账户对账单", names[member_no], "期末余额"])
        certificate = CertificateService(ctx).issue_service_certificate(
            member_no, out / f"certificate-{member_no}.pdf"
        )
        assert certificate.total_minutes == minutes
        numbers.append(certificate.certificate_no)
        _reads_in_chinese(
            out / f"certificate-{member_no}.pdf",
            tmp_path,
            ["志愿服务记录证明", names[member_no], certificate.certificate_no, "特此证明"],
        )
    assert numbers == [f"ZM-2026-{n:04d}" for n in (1, 2, 3)]

    # The month's slip control adds up, and names the outstanding slips.
    control = SlipControl(ctx).write_reconciliation(MONTH, out / "reconciliation.pdf")
    assert control.issued == control.confirmed + control.voided + len(control.outstanding)
    assert {s.slip_no for s in control.outstanding} >= set(slips.slip_numbers)
    _reads_in_chinese(out / "reconciliation.pdf", tmp_path, ["服务凭条月度核对表", "未交回"])
