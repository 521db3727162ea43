"""The `timebank` command as CLI.md states it: output, JSON and exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import Cli, centre_cli
from tests.helpers import id_for

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "legacy_register.xlsx"


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return centre_cli(db_target, capsys)


@pytest.fixture
def two(cli: Cli) -> tuple[str, str]:
    from datetime import date

    vol = cli.ok(
        "member",
        "add",
        "--name",
        "王秀英",
        "--id-number",
        id_for(date(1962, 3, 1)),
        "--phone",
        "13800138000",
    ).strip()
    rec = cli.ok(
        "member",
        "add",
        "--name",
        "李建国",
        "--id-number",
        id_for(date(1940, 6, 1)),
        "--role",
        "recipient",
    ).strip()
    return vol, rec


def record(cli: Cli, vol: str, rec: str, *extra: str) -> dict:
    out = cli.json(
        "service",
        "record",
        "--volunteer",
        vol,
        "--recipient",
        rec,
        "--category",
        "meals",
        "--date",
        "2026-11-19",
        "--start",
        "09:00",
        "--end",
        "10:30",
        *extra,
    )
    assert isinstance(out, dict)
    return out


def balance(cli: Cli, member: str) -> int:
    out = cli.json("balance", member)
    assert isinstance(out, dict)
    return int(out["balance_minutes"])


def test_member_service_confirm_balance(cli: Cli, two: tuple[str, str]) -> None:
    vol, rec = two
    assert vol == "M000001"
    rec_out = record(cli, vol, rec)
    assert rec_out["status"] == "pending"
    assert balance(cli, vol) == 0
    cli.ok("service", "confirm", rec_out["slip_no"])
    assert balance(cli, vol) == 90
    code, _out, err = cli("service", "confirm", rec_out["slip_no"])
    assert code == 1 and "already confirmed" in err
    cli.ok("service", "void", rec_out["slip_no"], "--reason", "entered twice")
    assert balance(cli, vol) == 0
    code, _out, err = cli("service", "void", rec_out["record"], "--reason", "again")
    assert code == 1 and "already void" in err
    assert cli.json("verify")["ok"] is True  # type: ignore[index]


def test_plain_record_prints_id_and_slip(cli: Cli, two: tuple[str, str]) -> None:
    vol, rec = two
    out = cli.ok(
        "service",
        "record",
        "--volunteer",
        vol,
        "--recipient",
        rec,
        "--category",
        "meals",
        "--date",
        "2026-11-19",
        "--start",
        "0900",
        "--end",
        "1000",
        "--signed",
    )
    record_id, slip = out.split()
    assert len(record_id) == 36 and slip.isdigit()
    assert balance(cli, vol) == 60


def test_transfer_grant_redeem(cli: Cli, two: tuple[str, str]) -> None:
    vol, rec = two
    record(cli, vol, rec, "--signed")
    code, _out, err = cli("transfer", "--from", vol, "--to", rec, "--hours", "0.5")
    assert code == 1 and "relative" in err
    cli.ok("grant", "--to", rec, "--hours", "2", "--memo", "补贴")
    cli.ok("redeem", "--member", vol, "--hours", "1", "--item", "大米")
    assert balance(cli, vol) == 30
    assert balance(cli, rec) == 120
    for hours in ("0", "-1", "abc"):
        code, _out, err = cli("grant", "--to", rec, "--hours", hours)
        assert code == 1 and err.startswith("timebank: ")
    code, _out, err = cli("redeem", "--member", vol, "--hours", "5", "--item", "油")
    assert code == 1 and "Insufficient" in err
    assert balance(cli, vol) == 30


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--name", "王", "--id-number", "110105194912310021"], "check digit"),
        (["--name", "王", "--id-number", "11010519491231002X", "--phone", "123"], "phone"),
    ],
)
def test_member_refusals(cli: Cli, args: list[str], needle: str) -> None:
    code, out, err = cli("member", "add", *args)
    assert code == 1 and needle in err and out == ""
    assert cli.json("member", "list") == []


def test_duplicate_id(cli: Cli) -> None:
    cli.ok("member", "add", "--name", "王", "--id-number", "11010519491231002X")
    code, _out, err = cli("member", "add", "--name", "李", "--id-number", "11010519491231002x")
    assert code == 1 and "already exists" in err


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"--recipient": "VOL"}, "cannot also be the recipient"),
        ({"--end": "08:00"}, "after the start"),
        ({"--end": "18:00"}, "at most 8 h"),
        ({"--date": "2026-12-25"}, "future"),
        ({"--category": "juggling"}, "Unknown service category"),
        ({"--volunteer": "M000099"}, "Unknown member"),
        ({"--date": "2026-13-01"}, "YYYY-MM-DD"),
    ],
)
def test_service_refusals(cli: Cli, two: tuple[str, str], change: dict, needle: str) -> None:
    vol, rec = two
    args = {
        "--volunteer": vol,
        "--recipient": rec,
        "--category": "meals",
        "--date": "2026-11-19",
        "--start": "09:00",
        "--end": "10:00",
    }
    args.update({k: (vol if v == "VOL" else v) for k, v in change.items()})
    flat = [x for kv in args.items() for x in kv]
    code, out, err = cli("service", "record", *flat, "--signed")
    assert code == 1, err
    assert needle in err and out == ""
    assert cli.json("verify")["transactions"] == 0  # type: ignore[index]


def test_confirm_unknown_or_mistyped_slip(cli: Cli) -> None:
    code, _out, err = cli("service", "confirm", "00000019")
    assert code == 1 and "check digit" in err
    code, _out, err = cli("service", "confirm", "00099990")
    assert code == 1


def test_usage_errors_exit_2(cli: Cli) -> None:
    with pytest.raises(SystemExit) as err:
        cli("balance")
    assert err.value.code == 2


def test_categories_json(cli: Cli) -> None:
    cats = cli.json("categories")
    assert isinstance(cats, list)
    assert {
        "code": "meals",
        "name": "助餐",
        "name_en": "meals",
        "weight": 1.0,
        "active": True,
    } in cats


def test_init_twice_is_refused(cli: Cli) -> None:
    code, _out, err = cli("init", "--centre-code", "B", "--centre-name", "x")
    assert code == 1 and "already belongs" in err


def test_import_register_sample(sqlite_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    if not SAMPLE.exists():
        pytest.skip(f"sample register not found at {SAMPLE}")
    cli = Cli(sqlite_target, capsys)
    cli.ok("init", "--centre-code", "A01", "--centre-name", "东湖社区")
    code, _out, err = cli("import-register", str(SAMPLE))
    assert code == 1
    assert "row 49" in err and "约3小时" in err
    assert cli.json("member", "list") == []
    report = cli.json("import-register", str(SAMPLE), "--dry-run", "--skip-invalid")
    assert report["dry_run"] is True and report["imported"] == []  # type: ignore[index]
    report = cli.json("import-register", str(SAMPLE), "--skip-invalid")
    assert isinstance(report, dict)
    bad_rows = {r["row"] for r in report["invalid"]}
    assert {2, 20, 40, 49, 60, 61}.issubset(bad_rows)
    assert len(report["imported"]) == report["valid"] > 80
    assert cli.json("verify")["ok"] is True  # type: ignore[index]


def test_demo_verify_backup_restore_journal(
    sqlite_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(sqlite_target, capsys)
    out = cli.ok("demo", "--members", "60", "--months", "3", "--seed", "7")
    assert "admin" in out
    assert cli.json("verify")["ok"] is True  # type: ignore[index]
    cli.ok("backup", "-o", str(tmp_path / "b.sqlite3"))
    cli.ok("restore", str(tmp_path / "b.sqlite3"))
    cli.ok("journal", "-o", str(tmp_path / "j.journal"))
    assert (tmp_path / "j.journal").read_text().count("; seq:") > 50


def test_journal_balances_agree_with_hledger(
    sqlite_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hledger = shutil.which("hledger")
    if hledger is None:
        pytest.skip("hledger is not installed (Debian package hledger)")
    cli = Cli(sqlite_target, capsys)
    cli.ok("demo", "--members", "80", "--months", "4", "--seed", "11")
    cli.ok("journal", "-o", str(tmp_path / "j.journal"))
    done = subprocess.run(
        [
            hledger,
            "-f",
            str(tmp_path / "j.journal"),
            "balance",
            "member:",
            "--flat",
            "--no-total",
            "-O",
            "csv",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line.split(",") for line in done.stdout.strip().splitlines()[1:]]
    from_hledger = {
        acc.strip('"').removeprefix("member:"): round(float(amount.strip('"').split()[0]) * 60)
        for acc, amount in rows
    }
    members = cli.json("member", "list", "--limit", "1000")
    assert isinstance(members, list)
    checked = 0
    for m in members:
        expected = balance(cli, m["member"])
        assert from_hledger.get(m["member"], 0) == expected, m["member"]
        checked += 1
    assert checked == 80 and any(from_hledger.values())


def test_console_script_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "timebank_desktop.cli",
            "--db",
            str(tmp_path / "x.sqlite3"),
            "balance",
            "M000001",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("timebank: ")
