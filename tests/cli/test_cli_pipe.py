"""A reader that stops early (`timebank member list | head`) ends the command quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from timebank_desktop.cli import main


class _ClosedPipe:
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_is_not_reported_as_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = str(tmp_path / "c.sqlite3")
    assert main(["--db", target, "init", "--centre-code", "A01", "--centre-name", "东湖"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["--db", target, "categories"]) == 141
    assert capsys.readouterr().err == ""  # it used to say "timebank：：系统错误 32"


def test_a_real_pipe_closed_before_the_command_prints(tmp_path: Path) -> None:
    target = str(tmp_path / "c.sqlite3")
    run = [str(Path(sys.executable).with_name("timebank")), "--db", target]
    subprocess.run([*run, "init", "--centre-code", "A01", "--centre-name", "东湖"], check=True,
                   capture_output=True)  # fmt: skip
    proc = subprocess.Popen([*run, "categories"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command prints
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == "", err
