"""Running the real `timebank` entry point in this process, for command-line tests."""

from __future__ import annotations

import json

import pytest

from timebank_desktop.cli import main


class Cli:
    """``timebank --db TARGET --lang en [PREFIX…] ARGS…``: (exit code, stdout, stderr)."""

    def __init__(
        self, target: str, capsys: pytest.CaptureFixture[str], prefix: tuple[str, ...] = ()
    ) -> None:
        self.target, self.capsys, self.prefix = target, capsys, prefix

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main(["--db", self.target, "--lang", "en", *self.prefix, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def json(self, *args: str) -> object:
        return json.loads(self.ok(*args, "--json"))


def centre_cli(target: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    """A runner on a new centre A01 东湖社区."""
    runner = Cli(target, capsys)
    runner.ok("init", "--centre-code", "A01", "--centre-name", "东湖社区")
    return runner
