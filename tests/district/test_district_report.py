"""The district workbook: a row per centre with totals, the flow matrix, the exceptions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.district.conftest import enrol, importer
from tests.district.factories import SimCentre
from timebank_desktop.domain.errors import FileRejected, Refused
from timebank_desktop.domain.months import Month
from timebank_desktop.exports.excel.district_data import CentreStatus, DistrictIssueKind
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.report import DistrictReportService

OCT = date(2026, 10, 15)


def _district(dctx: AppContext, tmp_path: Path) -> None:
    a, b, c, _d = enrol(dctx, tmp_path, "A01", "B01", "C01", "D01X")
    a.grant("visitor", 60)
    a.serve("anna", "elder", 60, day=OCT)
    b.serve("bob", "elder", 30, day=OCT)
    b.serve_visitor("bob", "visitor", "A01", 90)  # November, visitor overdrawn by 30
    b.book([(b.account("bob"), -20), ("goods", 20)], kind="redemption", day=OCT)
    c.serve("cy", "elder", 10)
    c.serve("cy", "elder", 10)
    c.serve("cy", "elder", 10)
    imp = importer(dctx)
    imp.import_files([a.export(tmp_path / "a"), b.export(tmp_path / "b")])
    imp.import_file(c.export(tmp_path / "c3", 3, 3))  # held: seq 1-2 missing
    fork = SimCentre("A01", key=a.key)
    fork.serve("other", "elder", 5)
    with pytest.raises(FileRejected):
        imp.import_file(fork.export(tmp_path / "fork"))


def test_report_data(dctx: AppContext, tmp_path: Path) -> None:
    _district(dctx, tmp_path)
    data = DistrictReportService(dctx).data(Month(2026, 10))
    rows = {r.code: r for r in data.centres}
    assert [r.code for r in data.centres] == ["A01", "B01", "C01", "D01X"]
    assert (rows["A01"].services, rows["A01"].credited_minutes) == (1, 60)
    assert (rows["B01"].services, rows["B01"].withdrawn_minutes) == (1, 20)
    assert rows["A01"].status == CentreStatus.REJECTED  # frozen by the fork
    assert rows["B01"].status == CentreStatus.OK
    assert rows["D01X"].status == CentreStatus.MISSING
    assert rows["B01"].balance_minutes == 30 + 90 - 20  # bob; the visitor nets zero at B01
    kinds = sorted(i.kind for i in data.issues)
    assert kinds == sorted([
        DistrictIssueKind.FORK, DistrictIssueKind.GAP, DistrictIssueKind.OVERDRAFT,
        DistrictIssueKind.LATE_FILE, DistrictIssueKind.LATE_FILE,
    ])  # fmt: skip
    assert data.flows == []  # the visit was in November
    november = DistrictReportService(dctx).data(Month(2026, 11))
    assert [(f.from_code, f.to_code, f.minutes) for f in november.flows] == [("B01", "A01", 90)]


def test_report_workbook(dctx: AppContext, tmp_path: Path) -> None:
    _district(dctx, tmp_path)
    target = tmp_path / "district.xlsx"
    DistrictReportService(dctx).write(Month(2026, 11), target)
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["Centres", "Cross-centre flows", "Exceptions"]
    centres = [row for row in book["Centres"].iter_rows(values_only=True)]
    assert [r[0] for r in centres[1:]] == ["A01", "B01", "C01", "D01X", "Total"]
    flows = [row for row in book["Cross-centre flows"].iter_rows(values_only=True)]
    assert flows[2][1] == 1.5  # B01's volunteers served A01's member 1.5 hours
    exceptions = [row[0] for row in book["Exceptions"].iter_rows(values_only=True)][1:]
    assert {"Chain fork", "Sequence gap", "Overdraft"} <= set(exceptions)
    book.close()


def test_a_month_that_has_not_begun_is_refused(dctx: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "2027-01.xlsx"
    with pytest.raises(Refused, match="2027-01"):
        DistrictReportService(dctx).write(Month(2027, 1), target)
    assert not target.exists()
