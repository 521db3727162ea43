"""`timebank district …` as CLI.md states it: messages, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import Cli
from tests.district.factories import SimCentre
from timebank_desktop.cli import main
from timebank_desktop.exports.sync import read_bundle, trust_self_signed


@pytest.fixture
def cli(db_target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    runner = Cli(db_target, capsys, ("district",))
    out = runner.ok("init", "--district-code", "D01", "--district-name", "东湖街道")
    assert "District D01 (东湖街道) is ready" in out and "Fingerprint:" in out
    return runner


def test_round_trip_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    a, b = SimCentre("A01"), SimCentre("B01")
    out = cli.ok(
        "enrol",
        str(a.enrolment(tmp_path / "a.enrol")),
        "--fingerprint",
        a.key.public_key().fingerprint.lower().replace(" ", ""),
    )
    assert a.key.public_key().fingerprint in out and "enrolled" in out
    cli.ok("enrol", str(b.enrolment(tmp_path / "b.enrol")))
    assert "already enrolled" in cli.ok("enrol", str(b.enrolment(tmp_path / "b.enrol")))

    cfg = tmp_path / "config.tbsync"
    assert "configuration 1 written" in cli.ok("config", "-o", str(cfg))
    assert read_bundle(cfg, trust_self_signed).type == "district-config"

    a.grant("visitor", 300)
    b.serve_visitor("bob", "visitor", "A01", 90)
    fa, fb = a.export(tmp_path / "a.tbsync"), b.export(tmp_path / "b.tbsync")
    out = cli.ok("import", str(fa), str(fb))
    assert out.splitlines() == [
        "A01 seq 1–1: 1 new transactions imported", "B01 seq 1–1: 1 new transactions imported",
    ]  # fmt: skip
    again = json.loads(cli.ok("import", str(fa), "--json"))
    assert again[0]["status"] == "duplicate" and "already imported" in again[0]["message"]

    st = tmp_path / "statement.tbsync"
    out = cli.ok("statement", "-o", str(st))
    assert "statement 1 written" in out and "1 entries to mirror" in out
    assert st.exists()
    xlsx = tmp_path / "district.xlsx"
    assert "District report for 2026-11" in cli.ok("report", "--month", "2026-11", "-o", str(xlsx))
    assert xlsx.stat().st_size > 0

    positions = json.loads(cli.ok("positions", "--json"))
    assert positions["positions"] == [{"centre": "A01", "counter": "B01", "minutes": -90}]
    status = json.loads(cli.ok("status", "--json"))
    assert [(s["centre"], s["head_seq"]) for s in status] == [("A01", 1), ("B01", 1)]
    assert {s["status"] for s in status} == {"active"}  # the code in JSON, the word in text
    assert "\tActive\t" in cli.ok("status")
    info = json.loads(cli.ok("info", "--json"))
    assert info["district"] == "D01" and len(info["passphrase"]) == 19


def test_refusals_exit_1_with_one_line(cli: Cli, tmp_path: Path) -> None:
    a = SimCentre("A01")
    a.serve("v", "e", 30)
    code, out, err = cli("import", str(a.export(tmp_path / "a.tbsync")))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "unenrolled key" in err

    broken = tmp_path / "broken.tbsync"
    broken.write_bytes(b"PK\x03\x04 not really")
    cli.ok("enrol", str(a.enrolment(tmp_path / "a.enrol")))
    code, out, err = cli("import", str(broken), str(a.export(tmp_path / "a.tbsync")))
    assert code == 1 and "1 new transactions" in out and "broken.tbsync" in err

    code, _out, err = cli("report", "--month", "2026-13", "-o", str(tmp_path / "r.xlsx"))
    assert code == 1 and "YYYY-MM" in err
    code, _out, err = cli("resolve", "A01")
    assert code == 1 and "no open fork alarm" in err
    code, _out, err = cli("init", "--district-code", "D02")
    assert code == 1 and "already belongs" in err


def test_usage_errors_exit_2(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("import")
    assert exc.value.code == 2


def test_no_district_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(tmp_path / "x.sqlite3"), "--lang", "en", "district", "statement",
                 "-o", str(tmp_path / "s")])  # fmt: skip
    assert code == 1 and "district init" in capsys.readouterr().err
