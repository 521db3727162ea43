"""Stored timestamps are naive UTC; shown, they are China's time (UTC+8)."""

from __future__ import annotations

from datetime import datetime

from timebank_desktop.domain.clock import local_time


def test_a_stored_timestamp_in_china() -> None:
    shown = local_time(datetime(2026, 11, 30, 23, 54, 41))
    assert f"{shown:%Y-%m-%d %H:%M:%S}" == "2026-12-01 07:54:41"
