"""Render one of each paper document from a demo centre into docs/pdf/ as PNG (pdftoppm).

    .venv/bin/python scripts/paper_previews.py [OUT_DIR]

The documents are built by the paper services from a generated demo centre (80 members, a
year of services, fixed clock), so the previews show what the application really prints.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from timebank_desktop.domain.clock import FixedClock  # noqa: E402
from timebank_desktop.domain.months import Month  # noqa: E402
from timebank_desktop.models import Member, ServiceRecord  # noqa: E402
from timebank_desktop.services.context import AppContext  # noqa: E402
from timebank_desktop.services.database import open_database  # noqa: E402
from timebank_desktop.services.demo import DemoOptions, DemoService  # noqa: E402
from timebank_desktop.services.paper.certificates import CertificateService  # noqa: E402
from timebank_desktop.services.paper.control import SlipControl  # noqa: E402
from timebank_desktop.services.paper.slips import SlipPrinting  # noqa: E402
from timebank_desktop.services.paper.statement import StatementService  # noqa: E402

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        ctx = AppContext(open_database(work / "demo.sqlite3"), clock=FixedClock(NOW))
        DemoService(ctx).generate(DemoOptions(members=80, months=12, seed=2))
        with ctx.read() as session:
            busiest = session.scalars(
                select(Member.member_no)
                .join(ServiceRecord, ServiceRecord.volunteer_id == Member.id)
                .where(ServiceRecord.status == "posted")
                .group_by(Member.member_no)
                .order_by(func.sum(ServiceRecord.credited_minutes).desc())
                .limit(1)
            ).one()
        month = Month.of(ctx.today())
        slips = SlipPrinting(ctx)
        batch = slips.for_month_unsigned(month, work / "slips3.pdf")
        slips.for_month_unsigned(month, work / "slips3-en.pdf", language="en")
        slips.for_records(batch.slip_numbers[:1], work / "slip1.pdf", per_page=1)
        StatementService(ctx).write(busiest, work / "statement.pdf")
        CertificateService(ctx).issue_service_certificate(busiest, work / "certificate.pdf")
        control = SlipControl(ctx)
        control.write_reconciliation(month, work / "reconciliation.pdf")
        control.write_handover("王芳", "赵强", work / "handover.pdf")
        ctx.engine.dispose()
        for pdf in sorted(work.glob("*.pdf")):
            prefix = out / pdf.stem
            subprocess.run(
                ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile",
                 str(pdf), str(prefix)],
                check=True,
            )  # fmt: skip
            print(prefix.with_suffix(".png"))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "pdf")
