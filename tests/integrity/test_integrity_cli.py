"""The ledger gaps on the command line: one line on stderr, exit 1 for a refusal (3 for
`verify` finding damage), nothing written; reading, printing and exporting go on."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cli_runner import Cli, centre_cli
from tests.helpers import id_for
from timebank_desktop.cli import main
from timebank_desktop.domain.clock import SystemClock, local_date
from timebank_desktop.models import triggers
from timebank_desktop.services.database import open_database


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return centre_cli(db_target, capsys)


@pytest.fixture
def two(cli: Cli) -> tuple[str, str]:
    vol = cli.ok("member", "add", "--name", "王秀英", "--id-number", id_for(date(1962, 3, 1)))
    rec = cli.ok(
        "member", "add", "--name", "李建国", "--id-number", id_for(date(1940, 6, 1)),
        "--role", "recipient",
    )  # fmt: skip
    return vol.strip(), rec.strip()


def _today() -> date:
    return local_date(SystemClock().now())  # the command line runs on the real clock


def _record(cli: Cli, vol: str, rec: str, day: date) -> tuple[int, str, str]:
    return cli(
        "service", "record", "--volunteer", vol, "--recipient", rec, "--category", "meals",
        "--date", day.isoformat(), "--start", "09:00", "--end", "10:00", "--signed",
    )  # fmt: skip


def _head(cli: Cli) -> tuple[object, object]:
    report = cli.json("verify")
    assert isinstance(report, dict)
    return report["head_seq"], report["head_hash"]


def test_a_service_too_long_ago_is_one_line_naming_the_limit(
    cli: Cli, two: tuple[str, str]
) -> None:
    vol, rec = two
    before = _head(cli)
    code, out, err = _record(cli, vol, rec, _today() - timedelta(days=91))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "more than 90 days ago" in err and "Settings" in err
    assert _head(cli) == before
    code, _out, err = _record(cli, vol, rec, _today() + timedelta(days=1))
    assert code == 1 and "future" in err
    code, _out, _err = _record(cli, vol, rec, _today() - timedelta(days=90))
    assert code == 0


def test_a_grant_above_the_limit_is_one_line(cli: Cli, two: tuple[str, str]) -> None:
    _vol, rec = two
    before = _head(cli)
    code, out, err = cli("grant", "--to", rec, "--hours", "100.5")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "at most 100 h" in err
    assert _head(cli) == before
    assert "100 h granted" in cli.ok("grant", "--to", rec, "--hours", "100")


def _damage(target: str) -> None:
    engine = open_database(target)
    try:
        with engine.begin() as conn:
            for drop in triggers.drop_statements(engine.dialect.name):
                conn.execute(text(drop))
            conn.execute(text("UPDATE txn SET memo = 'edited' WHERE seq = 1"))
    finally:
        engine.dispose()


def test_after_verify_finds_damage_postings_are_refused_and_reading_goes_on(
    cli: Cli, two: tuple[str, str], tmp_path: Path
) -> None:
    vol, rec = two
    assert _record(cli, vol, rec, _today())[0] == 0
    cli.ok("grant", "--to", rec, "--hours", "2")
    _damage(cli.target)
    code, out, err = cli("verify")
    assert code == 3 and "seq 1" in out + err
    for args in (
        ("grant", "--to", rec, "--hours", "1"),
        ("redeem", "--member", vol, "--hours", "0.5", "--item", "大米"),
        ("service", "record", "--volunteer", vol, "--recipient", rec, "--category", "meals",
         "--date", _today().isoformat(), "--start", "14:00", "--end", "15:00", "--signed"),
    ):  # fmt: skip
        code, out, err = cli(*args)
        assert code == 1 and out == "", args
        assert err.count("\n") == 1 and "damaged" in err and "backup" in err, args
    balance = cli.json("balance", vol)
    assert isinstance(balance, dict) and balance["balance_minutes"] == 60
    cli.ok("statement", vol, "-o", str(tmp_path / "statement.pdf"))
    cli.ok("journal", "-o", str(tmp_path / "ledger.journal"))
    assert (tmp_path / "statement.pdf").exists() and (tmp_path / "ledger.journal").exists()


def test_the_refusal_reads_in_chinese(
    sqlite_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Cli(sqlite_target, capsys).ok("init", "--centre-code", "A01", "--centre-name", "东湖社区")
    number = Cli(sqlite_target, capsys).ok(
        "member", "add", "--name", "王秀英", "--id-number", id_for(date(1962, 3, 1))
    )
    code = main(["--db", sqlite_target, "--lang", "zh_CN", "grant", "--to", number.strip(),
                 "--hours", "101"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "单次发放最多 100 小时" in err
