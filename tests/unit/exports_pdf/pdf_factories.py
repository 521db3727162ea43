"""Sample documents for the PDF tests, and the poppler/zbar helpers they use."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from timebank_desktop.domain import slipno
from timebank_desktop.exports.pdf.data import (
    BalanceLine,
    CategoryLine,
    Handover,
    HonourCertificate,
    Movement,
    OpenDispute,
    OutstandingSlip,
    Person,
    ServiceCertificate,
    Slip,
    SlipReconciliation,
    Statement,
)

CENTRE = "和平里社区时间银行服务站"
VOLUNTEER = Person("张秀英", "V00012")
RECIPIENT = Person("李桂兰", "R00345")
ID_NUMBER = "110105194903120027"
MASKED_ID = "110105********0027"


def slip(serial: int = 42, **changes: object) -> Slip:
    """A 90-minute medical-escort slip; ``changes`` override fields."""
    values: dict[str, object] = {
        "slip_no": slipno.make(serial),
        "centre_name": CENTRE,
        "volunteer": VOLUNTEER,
        "recipient": RECIPIENT,
        "category": "助医陪诊",
        "service_date": date(2025, 3, 4),
        "start": "09:00",
        "end": "10:30",
        "duration_minutes": 90,
        "credited_minutes": 90,
        "content": "陪同到社区卫生服务中心复诊取药",
        "payer": "公益池",
    }
    values.update(changes)
    return Slip(**values)  # type: ignore[arg-type]


def statement(rows: int = 6, opening: int = 600) -> Statement:
    """A statement: alternating services given (+90) and received (−60)."""
    movements = tuple(
        Movement(
            date(2025, 3, 1) + timedelta(days=i // 10),
            "service",
            RECIPIENT.name if i % 2 == 0 else "王大爷",
            f"备注{i:03d}",
            90 if i % 2 == 0 else -60,
        )
        for i in range(rows)
    )
    return Statement(
        CENTRE, VOLUNTEER, ID_NUMBER, date(2025, 3, 1), date(2025, 3, 31), opening, movements,
        date(2025, 4, 2),
    )  # fmt: skip


def service_certificate() -> ServiceCertificate:
    """82 services, 88 hours in three categories."""
    return ServiceCertificate(
        "ZM-2025-0007",
        CENTRE,
        VOLUNTEER,
        ID_NUMBER,
        date(2025, 1, 1),
        date(2025, 12, 31),
        (
            CategoryLine("助餐", 40, 2400),
            CategoryLine("助医陪诊", 12, 1080),
            CategoryLine("精神慰藉", 30, 1800),
        ),
        date(2026, 1, 6),
    )


def honour_certificate() -> HonourCertificate:
    """Three stars at the 500-hour milestone, 507.5 hours served."""
    return HonourCertificate(
        "RY-2025-0003", CENTRE, VOLUNTEER, 3, 30000, 30450, date(2025, 12, 31), date(2026, 1, 6)
    )


def outstanding(count: int = 3) -> tuple[OutstandingSlip, ...]:
    """Slips issued on 2025-03-02, -03, … and not yet returned."""
    return tuple(
        OutstandingSlip(
            slipno.make(100 + i), date(2025, 3, 2 + i), date(2025, 3, 2 + i), "张秀英", "李桂兰"
        )
        for i in range(count)
    )


def reconciliation(issued: int = 120) -> SlipReconciliation:
    """March 2025: 120 issued = 110 confirmed + 4 voided + 3 lost + 3 outstanding."""
    return SlipReconciliation(
        CENTRE, date(2025, 3, 1), date(2025, 4, 1), issued, 110, 4, outstanding(3), 3
    )


def handover(members: int = 5, disputes: bool = True) -> Handover:
    """A handover with ``members`` balances, two open slips and maybe one open dispute."""
    balances = tuple(
        BalanceLine(Person(f"成员{i}号", f"V{i:05d}"), 60 * i) for i in range(1, members + 1)
    )
    dispute = OpenDispute("JF-0002", date(2025, 3, 20), "张秀英 / 李桂兰", "对服务时长有异议")
    return Handover(
        CENTRE, date(2025, 4, 1), "王芳", "赵强", balances, -12345, outstanding(2),
        (dispute,) if disputes else (), 1234, "ab12" * 16,
    )  # fmt: skip


def need(tool: str) -> str:
    """The path of an external tool, or skip the test saying which is missing."""
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (Debian: poppler-utils / zbar-tools)")
    return found


def pdf_text(path: Path, *args: str) -> str:
    """``pdftotext -layout`` output of ``path``."""
    tool = need("pdftotext")
    done = subprocess.run(
        [tool, "-layout", *args, str(path), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout


def page_texts(path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return pdf_text(path).split("\f")[:-1]


def fonts(path: Path) -> list[list[str]]:
    """``pdffonts`` rows, split into columns."""
    tool = need("pdffonts")
    done = subprocess.run([tool, str(path)], capture_output=True, check=True, text=True)
    return [line.split() for line in done.stdout.splitlines()[2:]]


def page_count(data: bytes) -> int:
    """Pages in a reportlab PDF (no object streams, so the page objects are plain text)."""
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def render_png(path: Path, out_prefix: Path, dpi: int = 100, first: int = 1) -> Path:
    """Render one page with pdftoppm and return the PNG's path."""
    tool = need("pdftoppm")
    subprocess.run(
        [tool, "-r", str(dpi), "-png", "-f", str(first), "-l", str(first), "-singlefile",
         str(path), str(out_prefix)],
        check=True,
    )  # fmt: skip
    return out_prefix.with_suffix(".png")


def word_heights(path: Path, needle: str) -> list[float]:
    """The heights (≈ font sizes, in points) of the words containing ``needle``."""
    tool = need("pdftotext")
    done = subprocess.run(
        [tool, "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    )
    pattern = re.compile(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
    return [
        float(y_max) - float(y_min)
        for y_min, y_max, word in pattern.findall(done.stdout)
        if needle in word
    ]
