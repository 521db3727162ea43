"""Where LibreOffice is installed: the workbook converts to PDF and its check formulas hold."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.unit.exports_excel.excel_factories import CENTRE, make_report
from timebank_desktop.exports.excel.monthly import write_monthly_report

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.slow,
]


def _convert(source: Path, to: str, out: Path, home: Path) -> Path:
    assert SOFFICE is not None
    command = ["timeout", "-k", "5", "120", SOFFICE, "--headless", "--norestore",
               "--convert-to", to, "--outdir", str(out), str(source)]  # fmt: skip
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=150)
    return out / (source.stem + "." + to.split(":")[0])


@pytest.fixture(scope="module")
def small_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lo")
    path = folder / "m.xlsx"
    write_monthly_report(make_report(services=60, volunteers=10, recipients=12, evil=True), path)
    return path


def test_converts_to_an_a4_landscape_pdf(small_book: Path, tmp_path: Path) -> None:
    pdf = _convert(small_book, "pdf", tmp_path / "out", tmp_path / "home")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "841.89 x 595.3" in info  # A4 landscape, in points
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert CENTRE in text and "2025-03" in text and "第 1 页" in text
        assert "凭条编号" in text  # the services sheet's header


def test_libreoffice_computes_every_check_as_a_tick(small_book: Path, tmp_path: Path) -> None:
    again = _convert(
        small_book, "xlsx:Calc MS Excel 2007 XML", tmp_path / "out", tmp_path / "home"
    )
    ws = load_workbook(again, data_only=True)["账户余额"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[6] is not None]
    assert len(rows) > 20
    assert {r[6] for r in rows} == {"✓"}
    total = rows[-1]
    assert total[0] == "合计"
    assert total[2] == pytest.approx(0, abs=1e-9) and total[5] == pytest.approx(0, abs=1e-9)
    assert total[3] == pytest.approx(total[4])
    services = load_workbook(again, data_only=True)["服务明细"]
    assert services["F2"].value == "=1+1"  # still text after a round trip
