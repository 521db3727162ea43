"""The new chain epoch by command: `restore` says so, `sync export` says so, the district's
`import` and `status` name the lost transactions; a database copied back by hand learns it
from the statement (`sync import --new-epoch`)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli_sync import Runner as SyncRunner
from tests.helpers import id_for


class Runner(SyncRunner):
    def json_list(self, db: Path, *args: str) -> list[dict[str, Any]]:
        value = json.loads(self.ok(db, *args, "--json"))
        assert isinstance(value, list)
        return value


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    return Runner(capsys, monkeypatch)


def _set_up(run: Runner, f: Path) -> tuple[Path, Path, str]:
    a, d = f / "a.sqlite3", f / "district.sqlite3"
    run.ok(
        a, "init", "--centre-code", "A01", "--centre-name", "东湖社区", "--district-code", "D01"
    )
    run.ok(d, "district", "init", "--district-code", "D01", "--district-name", "东湖街道")
    info = run.json(d, "district", "info")
    out = run.ok(a, "sync", "enrolment", "-o", str(f / "a.enrol.tbsync"))
    fingerprint = out.split("Fingerprint: ")[1].splitlines()[0]
    run.ok(d, "district", "enrol", str(f / "a.enrol.tbsync"), "--fingerprint", fingerprint)
    run.ok(d, "district", "config", "-o", str(f / "config.tbsync"))
    run.ok(
        a, "sync", "import", str(f / "config.tbsync"),
        "--passphrase", str(info["passphrase"]), "--fingerprint", str(info["fingerprint"]),
    )  # fmt: skip
    zhang = run.ok(a, "member", "add", "--name", "张桂兰", "--id-number", id_for(date(1950, 2, 3)))
    return a, d, zhang.strip()


def test_restore_export_import_and_status_by_command(run: Runner, tmp_path: Path) -> None:
    f = tmp_path
    a, d, zhang = _set_up(run, f)
    run.ok(a, "grant", "--to", zhang, "--hours", "5")
    run.ok(a, "backup", "-o", str(f / "k.sqlite3"))
    run.ok(a, "grant", "--to", zhang, "--hours", "2")
    run.ok(a, "sync", "export", "-o", str(f / "e1.tbsync"))
    run.ok(d, "district", "import", str(f / "e1.tbsync"))

    out = run.ok(a, "restore", str(f / "k.sqlite3"))
    assert "chain epoch 2 started" in out
    run.ok(a, "grant", "--to", zhang, "--hours", "1")
    out = run.ok(a, "sync", "export", "-o", str(f / "e2.tbsync"))
    assert "First file of chain epoch 2" in out
    assert run.json(a, "sync", "status")["epoch"] == 2
    out = run.ok(d, "district", "import", str(f / "e2.tbsync"))
    assert "starts chain epoch 2" in out and "re-enter" in out
    out = run.ok(d, "district", "status")
    assert "epoch 1 seq 2–2" in out and "lost at the centre" in out
    (state,) = run.json_list(d, "district", "status")
    assert (state["epoch"], state["head_seq"], state["lost_transactions"]) == (2, 2, 1)
    run.ok(d, "district", "statement", "-o", str(f / "s1.tbsync"))
    run.ok(a, "sync", "import", str(f / "s1.tbsync"))
    assert run.json(a, "balance", zhang)["balance_minutes"] == 360


def test_a_database_copied_back_by_hand_learns_it_from_the_statement(
    run: Runner, tmp_path: Path
) -> None:
    f = tmp_path
    a, d, zhang = _set_up(run, f)
    run.ok(a, "grant", "--to", zhang, "--hours", "5")
    shutil.copyfile(a, f / "copy.sqlite3")  # a plain copy: no export history carried back
    run.ok(a, "grant", "--to", zhang, "--hours", "2")
    run.ok(a, "sync", "export", "-o", str(f / "e1.tbsync"))
    run.ok(d, "district", "import", str(f / "e1.tbsync"))
    run.ok(d, "district", "statement", "-o", str(f / "s1.tbsync"))
    shutil.copyfile(f / "copy.sqlite3", a)

    code, _out, err = run(a, "sync", "import", str(f / "s1.tbsync"))
    assert code == 1 and "--new-epoch" in err
    code, _out, err = run(a, "sync", "import", str(f / "s1.tbsync"), "--new-epoch")
    assert code == 0 and "chain epoch 2 started" in err
    assert run.json(a, "sync", "export", "-o", str(f / "e2.tbsync"))["epoch"] == 2
    run.ok(d, "district", "import", str(f / "e2.tbsync"))
    assert run.json_list(d, "district", "status")[0]["lost_transactions"] == 1
