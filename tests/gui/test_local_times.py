"""Stored timestamps (naive UTC) are shown in China's time: the sync export history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from timebank_desktop.services.sync.exports_history import ExportEntry, ExportStatus
from timebank_desktop.ui.itemmodels.sync_exports import ExportHistoryModel


def test_an_export_written_late_at_night_utc_shows_the_next_morning(qapp: Any) -> None:
    model = ExportHistoryModel()
    model.set_rows([
        ExportEntry("e1", datetime(2026, 11, 30, 23, 54), "admin", 1, 1, 2, 2, 1, "e1.tbsync",
                    "0" * 64, ExportStatus.WAITING)
    ])  # fmt: skip
    assert model.data(model.index(0, 0)) == "2026-12-01 07:54"
