"""`sync status` and `district status` show when files were written or came in China's time
(the application's clock in tests stands at 2026-11-30 12:00 in China, 04:00 UTC)."""

from __future__ import annotations

from pathlib import Path

from tests.sync_centre.test_epoch_cli import Runner, _set_up, run  # noqa: F401 (fixture)


def test_status_times_are_local(run: Runner, tmp_path: Path) -> None:  # noqa: F811
    a, d, zhang = _set_up(run, tmp_path)
    run.ok(a, "grant", "--to", zhang, "--hours", "1")
    run.ok(a, "sync", "export", "-o", str(tmp_path / "e1.tbsync"))
    run.ok(d, "district", "import", str(tmp_path / "e1.tbsync"))
    assert "2026-11-30 12:00  1:1–1" in run.ok(a, "sync", "status")
    assert "\t2026-11-30 12:00:00\t" in run.ok(d, "district", "status")
