"""`timebank sync …` as CLI.md states it, and the round trip between two centres by command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import id_for
from timebank_desktop.cli import main


class Runner:
    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys = capsys
        monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    def __call__(self, db: Path, *args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db), "--lang", "en", *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, db: Path, *args: str) -> str:
        code, out, err = self(db, *args)
        assert code == 0, err
        return out

    def json(self, db: Path, *args: str) -> dict[str, object]:
        value = json.loads(self.ok(db, *args, "--json"))
        assert isinstance(value, dict)
        return value


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return Runner(capsys, monkeypatch)


def test_sync_round_trip_by_command(run: Runner, tmp_path: Path) -> None:
    a, b, d = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "district.sqlite3"
    f = tmp_path
    run.ok(
        a, "init", "--centre-code", "A01", "--centre-name", "东湖社区", "--district-code", "D01"
    )
    run.ok(
        b, "init", "--centre-code", "B02", "--centre-name", "西湖社区", "--district-code", "D01"
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

    code, _out, err = run(a, "sync", "import", str(f / "config.tbsync"))
    assert code == 1
    assert str(info["fingerprint"]) in err
    code, _out, err = run(a, "sync", "export", "-o", str(f / "early.tbsync"))
    assert code == 1
    assert "district configuration first" in err
    assert not (f / "early.tbsync").exists()
    for db in (a, b):
        out = run.ok(
            db, "sync", "import", str(f / "config.tbsync"),
            "--passphrase", str(info["passphrase"]), "--fingerprint", str(info["fingerprint"]),
        )  # fmt: skip
        assert "loaded" in out
    again = run.json(a, "sync", "import", str(f / "config.tbsync"))
    assert again["already"] is True

    zhang_id = id_for(date(1950, 2, 3))
    zhang = run.ok(a, "member", "add", "--name", "张桂兰", "--id-number", zhang_id).strip()
    run.ok(a, "grant", "--to", zhang, "--hours", "5")
    helper = run.ok(b, "member", "add", "--name", "刘芳", "--id-number", id_for(date(1965, 6, 6)))

    def cycle(n: int) -> Path:
        for db, name in ((a, "a"), (b, "b")):
            done = run.json(db, "sync", "export", "-o", str(f / f"{name}{n}.tbsync"))
            assert done["file"] == str(f / f"{name}{n}.tbsync")
            run.ok(d, "district", "import", str(f / f"{name}{n}.tbsync"))
        run.ok(d, "district", "statement", "-o", str(f / f"statement{n}.tbsync"))
        for db in (a, b):
            run.ok(db, "sync", "import", str(f / f"statement{n}.tbsync"))
        return f / f"statement{n}.tbsync"

    cycle(1)
    visit = [
        "sync", "visit", "--id-number", zhang_id, "--home", "A01", "--volunteer", helper.strip(),
        "--category", "meals", "--date", "2026-11-19", "--start", "09:00",
    ]  # fmt: skip
    code, _out, err = run(b, *visit, "--end", "15:00")
    assert code == 1
    assert "Insufficient balance" in err
    done = run.json(b, *visit, "--end", "10:30")
    assert (done["credited_minutes"], done["remaining_minutes"]) == (90, 210)
    statement = cycle(2)
    assert run.json(a, "balance", zhang)["balance_minutes"] == 210
    assert run.json(b, "balance", helper.strip())["balance_minutes"] == 90
    assert run(a, "sync", "import", str(statement))[0] == 0
    status = run.json(a, "sync", "status")
    assert status["exported_seq"] == 1
    exports = status["exports"]
    assert isinstance(exports, list)
    assert {e["status"] for e in exports} == {"received"}
    cycle(3)
    assert run.json(a, "balance", zhang)["balance_minutes"] == 210
    for db in (a, b):
        assert run(db, "verify")[0] == 0
