"""`timebank slips / statement / certificate` as CLI.md states them, and the paper extras
(reconcile, handover, certificates), with their exit codes."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_cli import balance, record
from tests.cli_runner import Cli, centre_cli
from tests.helpers import id_for
from tests.unit.exports_pdf.pdf_factories import pdf_text
from timebank_desktop.cli import main


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return centre_cli(db_target, capsys)


@pytest.fixture
def two(cli: Cli) -> tuple[str, str]:
    """A volunteer (王秀英) and an elder (李建国)."""
    vol = cli.ok("member", "add", "--name", "王秀英", "--id-number", id_for(date(1962, 3, 1)))
    rec = cli.ok("member", "add", "--name", "李建国", "--id-number", id_for(date(1940, 6, 1)),
                 "--role", "recipient")  # fmt: skip
    return vol.strip(), rec.strip()


def flat(text: str) -> str:
    return "".join(text.split())


def test_slips_for_records_and_for_a_month(cli: Cli, two: tuple[str, str], tmp_path: Path) -> None:
    vol, rec = two
    first = record(cli, vol, rec)
    second = record(cli, vol, rec, "--start", "14:00", "--end", "15:00", "--signed")
    target = tmp_path / "slips.pdf"
    out = cli.ok("slips", "--record", first["slip_no"], second["record"], "-o", str(target))
    assert "2 slips written" in out
    text = flat(pdf_text(target))
    assert first["slip_no"] in text and second["slip_no"] in text and "Serviceslip" in text
    batch = tmp_path / "batch.pdf"
    out = cli.ok("slips", "--month", "2026-11", "--unsigned", "-o", str(batch))
    assert "1 slips written" in out
    assert first["slip_no"] in pdf_text(batch) and second["slip_no"] not in pdf_text(batch)


def test_a_voided_slip_is_refused_with_exit_1_and_no_file(
    cli: Cli, two: tuple[str, str], tmp_path: Path
) -> None:
    vol, rec = two
    done = record(cli, vol, rec)
    cli.ok("service", "void", done["slip_no"], "--reason", "wrong day")
    target = tmp_path / "slips.pdf"
    code, _out, err = cli("slips", "--record", done["slip_no"], "-o", str(target))
    assert code == 1 and f"Slip {done['slip_no']} was voided" in err
    assert err.count("\n") == 1
    assert not target.exists()
    code, _out, err = cli("slips", "--month", "2026-11", "--unsigned", "-o", str(target))
    assert code == 1 and "No unsigned slips in 2026-11" in err
    assert not target.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("slips", "--month", "2026-11", "-o", "x.pdf"),
        ("slips", "--unsigned", "--record", "1", "-o", "x.pdf"),
        ("slips", "-o", "x.pdf"),
        ("slips", "--record", "1", "--month", "2026-11", "--unsigned", "-o", "x.pdf"),
        ("slips", "--record", "1"),
        ("statement", "-o", "x.pdf"),
        ("certificate", "M000001", "--honour", "--from", "2026-01-01", "-o", "x.pdf"),
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: tuple[str, ...], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli(*args)
    assert stopped.value.code == 2


def test_statement_closes_on_the_balance(cli: Cli, two: tuple[str, str], tmp_path: Path) -> None:
    vol, rec = two
    record(cli, vol, rec, "--signed")
    cli.ok("grant", "--to", vol, "--hours", "2", "--memo", "补贴")
    target = tmp_path / "statement.pdf"
    out = cli.ok("statement", vol, "-o", str(target))
    hours = balance(cli, vol) / 60
    assert f"closing {hours:g} h" in out and "2 movements" in out
    text = flat(pdf_text(target))
    assert "王秀英" in text and "李建国" in text and "3.5" in text
    out = cli.ok("statement", vol, "--from", "2026-11-20", "-o", str(target))
    assert "opening 1.5 h, 1 movements, closing 3.5 h" in out
    code, _out, err = cli("statement", "M000099", "-o", str(tmp_path / "no.pdf"))
    assert code == 1 and "Unknown member: M000099" in err
    assert not (tmp_path / "no.pdf").exists()


def test_certificates_are_numbered_and_listed(
    cli: Cli, two: tuple[str, str], tmp_path: Path
) -> None:
    vol, rec = two
    code, _out, err = cli("certificate", vol, "-o", str(tmp_path / "none.pdf"))
    assert code == 1 and "no confirmed volunteer service" in err
    record(cli, vol, rec, "--signed")
    out = cli.ok("certificate", vol, "-o", str(tmp_path / "one.pdf"))
    assert "Certificate ZM-" in out and "-0001: 1 services, 1.5 h" in out
    out = cli.ok("certificate", vol, "-o", str(tmp_path / "two.pdf"))
    assert "-0002" in out
    listed = cli.json("certificates", vol)
    assert isinstance(listed, list)
    assert [row["number"][-4:] for row in listed] == ["0001", "0002"]
    assert listed[0]["total_minutes"] == 90 and listed[0]["kind"] == "service"
    assert cli.json("certificates", "--due") == []
    code, _out, err = cli("certificate", vol, "--honour", "-o", str(tmp_path / "h.pdf"))
    assert code == 1 and "the first star needs 100 h" in err
    assert not (tmp_path / "h.pdf").exists()


def test_reconcile_and_handover(cli: Cli, two: tuple[str, str], tmp_path: Path) -> None:
    vol, rec = two
    open_slip = record(cli, vol, rec)
    record(cli, vol, rec, "--start", "14:00", "--end", "15:00", "--signed")
    counts = cli.json("reconcile", "--month", "2026-11")
    assert isinstance(counts, dict)
    assert (counts["issued"], counts["confirmed"], counts["voided"]) == (2, 1, 0)
    assert [s["slip_no"] for s in counts["outstanding"]] == [open_slip["slip_no"]]
    out = cli.ok("reconcile", "--month", "2026-11", "-o", str(tmp_path / "r.pdf"))
    assert "2 issued, 1 confirmed, 0 voided, 1 outstanding" in out
    assert open_slip["slip_no"] in pdf_text(tmp_path / "r.pdf")
    out = cli.ok("handover", "--outgoing", "王芳", "-o", str(tmp_path / "h.pdf"))
    assert "1 balances, 1 open slips" in out
    assert "王芳" in flat(pdf_text(tmp_path / "h.pdf"))


def test_documents_and_messages_in_chinese_by_default(
    cli: Cli, two: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vol, rec = two
    record(cli, vol, rec, "--signed")
    target = tmp_path / "cert.pdf"
    assert main(["--db", cli.target, "certificate", vol, "-o", str(target)]) == 0
    out, _err = capsys.readouterr()
    assert "服务 1 次，共 1.5 小时" in out
    text = flat(pdf_text(target))
    assert "志愿服务记录证明" in text and "王秀英" in text and "特此证明" in text
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])
