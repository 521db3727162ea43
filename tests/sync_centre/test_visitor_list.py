"""The visits booked at a centre, as the visitor panel lists them (newest first, void marked).

The serving centre is the parametrised ``ctx`` (SQLite, and PostgreSQL when configured); the
visitor's home centre B02 is on SQLite; stub district.
"""

from __future__ import annotations

from pathlib import Path

from tests.sync_centre.helpers import DAY, new_centre, visiting
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.visitors import RedeemInput, VisitInput, VisitorService


def test_visits_are_listed_newest_first_with_their_kind_and_void(
    ctx: AppContext, tmp_path: Path
) -> None:
    home = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    v = visiting(home, ctx, tmp_path)
    for centre in (home, ctx):
        v.district.receive(ExportService(centre).export(tmp_path / f"{id(centre)}.tbsync").path)
    SyncFileService(ctx).import_file(v.district.statement(tmp_path / "statement.tbsync"))
    service = VisitorService(ctx)
    assert service.recent() == []
    served = service.honour(VisitInput(v.zhang_id, v.helper, "meals", DAY, 60, "B02"))
    exchanged = service.redeem(RedeemInput(v.zhang_id, 30, "大米", "B02"))
    service.void(served.service_seq, "wrong visitor")

    rows = service.recent()
    assert [(r.seq, r.minutes, r.exchange, r.void) for r in rows] == [
        (exchanged.clearing_seq, 30, True, False),
        (served.clearing_seq, 60, False, True),
    ]
    assert {(r.visitor_no, r.home_centre) for r in rows} == {(served.visitor_no, "B02")}
    assert service.recent(limit=1) == rows[:1]
    home.engine.dispose()
