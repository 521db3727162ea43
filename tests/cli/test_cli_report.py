"""`timebank report monthly` and `timebank month close` as CLI.md states them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.cli import test_cli as base
from tests.cli_runner import Cli, centre_cli
from timebank_desktop.cli import main

cli, two = base.cli, base.two  # the CLI tests' fixtures: a new centre, two members


@pytest.fixture
def demo(sqlite_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    runner = centre_cli(sqlite_target, capsys)
    runner.ok("demo", "--members", "60", "--months", "2", "--seed", "3")
    return runner


def _accounts(path: Path) -> dict[str, tuple[Any, ...]]:
    ws = load_workbook(path).worksheets[4]  # 账户余额 (English sheet names with --lang en)
    return {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r and r[0]}


def test_monthly_report_reconciles_to_balance_json(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    # the demo is generated on today's real date: report the month it ends in
    members = demo.json("member", "list")
    assert isinstance(members, list) and members
    from timebank_desktop.domain.clock import SystemClock, local_date

    month = f"{local_date(SystemClock().now()):%Y-%m}"
    out = demo.ok("report", "monthly", "--month", month, "-o", str(target))
    assert str(target) in out
    accounts = _accounts(target)
    for member in members[:15]:
        number = member["member"]
        balance = demo.json("balance", number)
        assert isinstance(balance, dict)
        assert accounts[balance["member"]][5] == pytest.approx(balance["balance_minutes"] / 60)


def test_bad_month_is_refused_and_nothing_written(demo: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    code, _out, err = demo("report", "monthly", "--month", "2026-13", "-o", str(target))
    assert code == 1 and "YYYY-MM" in err and err.count("\n") == 1
    assert not target.exists()
    code, _out, err = demo("report", "monthly", "--month", "2099-01", "-o", str(target))
    assert code == 1 and "2099-01" in err and not target.exists()
    for bad in (tmp_path / "no" / "such" / "folder.xlsx", tmp_path):
        code, _out, err = demo("report", "monthly", "--month", "2026-10", "-o", str(bad))
        assert code == 1 and str(bad) in err and err.count("\n") == 1
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob(".*part")) == []
    with pytest.raises(SystemExit) as usage:
        demo("report", "monthly", "-o", str(target))
    assert usage.value.code == 2


def test_month_close_then_late_entry(cli: Cli, two: tuple[str, str], tmp_path: Path) -> None:
    vol, rec = two
    cli.ok("grant", "--to", rec, "--hours", "1")
    common = ("--volunteer", vol, "--recipient", rec, "--category", "meals")
    first = json.loads(
        cli.ok("service", "record", *common, "--date", "2026-10-09", "--start", "09:00",
               "--end", "10:00", "--signed", "--json")
    )  # fmt: skip
    assert first["status"] == "posted"
    code, _out, err = cli("month", "close", "2099-01")
    assert code == 1 and "2099-01" in err
    out = cli.ok("month", "close", "2026-10")
    assert "2026-10" in out
    code, _out, err = cli("month", "close", "2026-10")
    assert code == 1 and "already closed" in err
    before = tmp_path / "before.xlsx"
    cli.ok("report", "monthly", "--month", "2026-10", "-o", str(before))
    cli.ok("service", "record", *common, "--date", "2026-10-12", "--start", "14:00",
           "--end", "15:30", "--signed")  # fmt: skip
    after = tmp_path / "after.xlsx"
    cli.ok("report", "monthly", "--month", "2026-10", "-o", str(after))
    assert _rows(before, 1) == _rows(after, 1)  # 服务明细
    assert _rows(before, 4) == _rows(after, 4)  # 账户余额


def _rows(path: Path, sheet: int) -> list[tuple[Any, ...]]:
    return list(load_workbook(path).worksheets[sheet].iter_rows(values_only=True))


def test_report_help_lists_monthly(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "monthly" in capsys.readouterr().out
