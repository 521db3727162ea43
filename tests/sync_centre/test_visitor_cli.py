"""Visitors by command: exchange for goods (sync visit-redeem), void (sync visit-void) and the
standing (sync standing), through the real district, statements back to both centres."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_cli_sync import Runner
from tests.helpers import id_for


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return Runner(capsys, monkeypatch)


def test_a_visitor_exchanges_goods_voids_and_standing_by_command(
    run: Runner, tmp_path: Path
) -> None:
    f = tmp_path
    a, b, d = f / "a.sqlite3", f / "b.sqlite3", f / "district.sqlite3"
    for db, centre, name in ((a, "A01", "东湖社区"), (b, "B02", "西湖社区")):
        run.ok(
            db, "init", "--centre-code", centre, "--centre-name", name, "--district-code", "D01"
        )
    run.ok(d, "district", "init", "--district-code", "D01", "--district-name", "东湖街道")
    info = run.json(d, "district", "info")
    for db, name in ((a, "a"), (b, "b")):
        out = run.ok(db, "sync", "enrolment", "-o", str(f / f"{name}.enrol.tbsync"))
        fingerprint = out.split("Fingerprint: ")[1].splitlines()[0]
        run.ok(
            d, "district", "enrol", str(f / f"{name}.enrol.tbsync"), "--fingerprint", fingerprint
        )
    run.ok(d, "district", "config", "-o", str(f / "config.tbsync"))
    for db in (a, b):
        run.ok(
            db, "sync", "import", str(f / "config.tbsync"),
            "--passphrase", str(info["passphrase"]), "--fingerprint", str(info["fingerprint"]),
        )  # fmt: skip
    zhang_id = id_for(date(1950, 2, 3))
    zhang = run.ok(a, "member", "add", "--name", "张桂兰", "--id-number", zhang_id).strip()
    run.ok(a, "grant", "--to", zhang, "--hours", "5")
    helper = run.ok(b, "member", "add", "--name", "刘芳", "--id-number", id_for(date(1965, 6, 6)))
    run.ok(b, "goods", "add", "--name", "大米", "--hours", "1", "--stock", "3")

    def cycle(n: int) -> None:
        for db, name in ((a, "a"), (b, "b")):
            run.ok(db, "sync", "export", "-o", str(f / f"{name}{n}.tbsync"))
            run.ok(d, "district", "import", str(f / f"{name}{n}.tbsync"))
        run.ok(d, "district", "statement", "-o", str(f / f"statement{n}.tbsync"))
        for db in (a, b):
            run.ok(db, "sync", "import", str(f / f"statement{n}.tbsync"))

    def standing() -> dict[str, object]:
        return run.json(b, "sync", "standing", "--id-number", zhang_id, "--home", "A01")

    who = ["--id-number", zhang_id, "--home", "A01"]
    code, _out, err = run(b, "sync", "visit-redeem", *who, "--hours", "1", "--item", "大米")
    assert code == 1 and "No district statement" in err
    cycle(1)
    assert standing()["available_minutes"] == 300

    bought = run.json(b, "sync", "visit-redeem", *who, "--hours", "2", "--item", "大米")
    assert (bought["quantity"], bought["amount_minutes"], bought["remaining_minutes"]) == (
        2, 120, 180,
    )  # fmt: skip
    stock = json.loads(run.ok(b, "goods", "list", "--json"))
    assert [(g["name"], g["stock"]) for g in stock] == [("大米", 1)]
    code, _out, err = run(b, "sync", "visit-redeem", *who, "--hours", "2", "--item", "大米")
    assert code == 1 and "Only 1 of 大米 left" in err
    code, _out, err = run(b, "sync", "visit-redeem", *who, "--hours", "4", "--item", "一袋面粉")
    assert code == 1 and "Insufficient balance" in err and "exchange needs 4" in err
    served = run.json(
        b, "sync", "visit", *who, "--volunteer", helper.strip(), "--category", "meals",
        "--date", "2026-11-19", "--start", "09:00", "--end", "10:30",
    )  # fmt: skip
    assert served["remaining_minutes"] == 90
    out = run.ok(b, "sync", "visit-void", str(served["service_seq"]), "--reason", "录入错误")
    assert "voided: 1.5 h reversed" in out and "May honour 3 h" in out
    code, _out, err = run(b, "sync", "visit-void", str(served["clearing_seq"]), "--reason", "x")
    assert code == 1 and "already void" in err
    assert standing()["honoured_since_minutes"] == 120

    cycle(2)  # A mirrors the exchange (−120) and the voided service (−90, +90)
    assert run.json(a, "balance", zhang)["balance_minutes"] == 180
    now = standing()
    assert (now["statement_balance_minutes"], now["honoured_since_minutes"]) == (180, 0)

    voided = run.json(b, "sync", "visit-void", str(bought["redemption_seq"]), "--reason", "退货")
    assert (voided["minutes"], voided["available_minutes"]) == (120, 300)
    now = standing()
    assert (now["given_back_minutes"], now["available_minutes"]) == (120, 300)
    out = run.ok(b, "sync", "standing", *who)
    assert "voided here since: 2 h" in out and "may honour 5 h now" in out

    cycle(3)  # the reversal's counter-entry gives A's member the hours back
    assert run.json(a, "balance", zhang)["balance_minutes"] == 300
    now = standing()
    assert (now["statement_balance_minutes"], now["given_back_minutes"]) == (300, 0)
    for db in (a, b):
        assert run(db, "verify")[0] == 0
