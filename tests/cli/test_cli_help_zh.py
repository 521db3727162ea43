"""The command's help is Chinese by default, down to argparse's own --version line."""

from __future__ import annotations

import pytest

from timebank_desktop.cli import main


def test_the_help_has_no_english_left(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "显示程序版本号并退出" in out
    assert "show program" not in out
