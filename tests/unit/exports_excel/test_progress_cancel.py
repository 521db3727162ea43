"""Long exports report progress; a cancel leaves no file and keeps an existing one intact."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.unit.exports_excel.excel_factories import make_report
from timebank_desktop.exports.excel.monthly import write_monthly_report
from timebank_desktop.exports.excel.progress import ExportCancelled, Ticker


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """openpyxl's own temporary files go here, so a test can see none is left behind."""
    folder = tmp_path / "sys-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_progress_rises_to_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_monthly_report(
        make_report(services=1200), tmp_path / "m.xlsx", progress=lambda d, t: seen.append((d, t))
    )
    assert len(seen) >= 4
    done = [d for d, _ in seen]
    assert done == sorted(done)
    assert seen[-1][0] == seen[-1][1]
    assert all(d <= t for d, t in seen)


@pytest.mark.parametrize("after", [1, 3, 6])
def test_cancel_leaves_no_file(tmp_path: Path, private_tmp: Path, after: int) -> None:
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) >= after

    target = tmp_path / "out" / "m.xlsx"
    target.parent.mkdir()
    with pytest.raises(ExportCancelled):
        write_monthly_report(make_report(services=1200), target, cancel=cancel)
    assert list(target.parent.iterdir()) == []
    assert list(private_tmp.iterdir()) == []


def test_cancel_keeps_an_existing_file_intact(tmp_path: Path, private_tmp: Path) -> None:
    target = tmp_path / "m.xlsx"
    write_monthly_report(make_report(services=50), target)
    before = target.read_bytes()
    calls = iter([False, False, True])
    with pytest.raises(ExportCancelled):
        write_monthly_report(make_report(services=1200), target, cancel=lambda: next(calls, True))
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["m.xlsx"]
    assert list(private_tmp.iterdir()) == []


def test_an_error_midway_also_leaves_nothing(tmp_path: Path, private_tmp: Path) -> None:
    def boom(done: int, total: int) -> None:
        if done > 100:
            raise RuntimeError("disk full")

    target = tmp_path / "m.xlsx"
    with pytest.raises(RuntimeError):
        write_monthly_report(make_report(services=1200), target, progress=boom)
    assert list(tmp_path.glob("*m.xlsx*")) == []
    assert list(private_tmp.iterdir()) == []


def test_cancelled_message_is_translated() -> None:
    ticker = Ticker(10, cancel=lambda: True)
    with pytest.raises(ExportCancelled, match="The export was cancelled"):
        ticker.checkpoint()
