"""Builders for centre-side sync tests: centres on their own databases, a stub district."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import NOW
from tests.helpers import add_member, id_for
from tests.sync_centre.district_stub import PASSPHRASE, StubDistrict
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.models import AuditEntry, SyncExport, SyncMirror, SyncStatement, Txn
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.database import open_database
from timebank_desktop.services.members import MemberInput, MemberService
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


@dataclass(frozen=True)
class Visiting:
    """Two centres in one district, a member of the first, a volunteer of the second."""

    district: StubDistrict
    zhang_id: str  # 张桂兰's ID number: a member of A (300 minutes granted)
    zhang: str  # her member number at A
    helper: str  # 刘芳, a volunteer at B


def visiting(a: AppContext, b: AppContext, folder: Path) -> Visiting:
    """Enrol A and B with a stub district, load one configuration naming both into each, and
    add 张桂兰 at A (300 minutes) and 刘芳 at B."""
    district = StubDistrict()
    for centre in (a, b):
        district.enrol(SyncFileService(centre).enrolment(folder / "e.tbsync").path)
    config = district.config(folder / "config.tbsync")
    for centre in (a, b):
        SyncFileService(centre).import_file(
            config, passphrase=PASSPHRASE, fingerprint=district.fingerprint
        )
    zhang_id = id_for(date(1950, 2, 3))
    zhang = MemberService(a).add(MemberInput("张桂兰", zhang_id, role="both")).member_no
    AccountService(a).grant(zhang, 300)
    helper = add_member(b, "刘芳", date(1965, 6, 6))
    return Visiting(district, zhang_id, zhang, helper)


def counts(ctx: AppContext) -> dict[str, int]:
    """Row counts that must not move when a file is refused."""
    with ctx.read() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Txn, SyncExport, SyncStatement, SyncMirror, AuditEntry)
        }


DAY = date(2026, 11, 19)
