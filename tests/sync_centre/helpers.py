"""Builders for centre-side sync tests: centres on their own databases, a stub district."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import NOW
from tests.sync_centre.district_stub import PASSPHRASE, StubDistrict
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.models import AuditEntry, SyncExport, SyncMirror, SyncStatement, Txn
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.sync.files import SyncFileService


def new_centre(target: str, code: str, name: str, district: str = "D01") -> AppContext:
    ctx = AppContext(open_database(target), clock=FixedClock(NOW))
    CentreService(ctx).init(code, name, district)
    return ctx


def enrol_and_configure(ctx: AppContext, district: StubDistrict, folder: Path) -> None:
    """Enrol the centre and load the district's configuration into it."""
    code = CentreService(ctx).get().code
    district.enrol(SyncFileService(ctx).enrolment(folder / f"{code}.enrol.tbsync").path)
    config = district.config(folder / f"config-{district.config_seq + 1}.tbsync")
    SyncFileService(ctx).import_file(
        config, passphrase=PASSPHRASE, fingerprint=district.fingerprint
    )


def counts(ctx: AppContext) -> dict[str, int]:
    """Row counts that must not move when a file is refused."""
    with ctx.read() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Txn, SyncExport, SyncStatement, SyncMirror, AuditEntry)
        }


DAY = date(2026, 11, 19)
