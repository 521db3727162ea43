"""The full story of a centre that restores an old backup (DESIGN §5 pitfall).

Two centres on SQLite (restore works on SQLite files), the real district on the parametrised
backend: A exports, backs up at K, goes on to N and exports again, restores the K backup,
records new services and exports: epoch 2 from seq 1. The district counts the shared history
once, takes the rest out and lists it as lost; A is never asked to mirror an entry twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import NOW, make_context
from tests.district.conftest import make_district
from tests.helpers import add_member, id_for, serve
from tests.sync_centre.helpers import DAY, new_centre
from timebank_desktop.domain.clock import FixedClock
from timebank_desktop.domain.memberkey import DistrictSecret, member_key
from timebank_desktop.exports.sync import read_bundle
from timebank_desktop.models import Account, AuditEntry, Centre, Member
from timebank_desktop.models.district import DistrictAccount, DistrictCentre, DistrictIdentity
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.backup import BackupService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.epochs import lost_ranges
from timebank_desktop.services.district.identity import DistrictIdentityService
from timebank_desktop.services.district.importer import DistrictImporter
from timebank_desktop.services.district.statement import DistrictStatementService
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.exports_history import ExportStatus
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.status import SyncStatusService
from timebank_desktop.services.sync.visitors import VisitInput, VisitorService
from timebank_desktop.services.verify import VerifyService


@dataclass
class Story:
    a: AppContext
    b: AppContext
    district: AppContext
    folder: Path
    zhang: str
    zhang_id: str
    n: int = 0

    def file(self, stem: str) -> Path:
        self.n += 1
        return self.folder / f"{self.n:02d}-{stem}.tbsync"

    def send(self, centre: AppContext) -> Path:
        done = ExportService(centre).export(self.file("export"))
        DistrictImporter(self.district).import_file(done.path)
        return done.path

    def statement(self) -> Path:
        return DistrictStatementService(self.district).write(self.file("st")).written.path


@pytest.fixture
def story(db_target: str, tmp_path: Path) -> Iterator[Story]:
    a = make_context(str(tmp_path / "a.sqlite3"))
    b = new_centre(str(tmp_path / "b.sqlite3"), "B02", "西湖社区")
    district = make_district(db_target)
    district.clock = FixedClock(NOW)
    info = DistrictIdentityService(district).info()
    with district.read() as s:
        passphrase = s.scalars(select(DistrictIdentity)).one().passphrase
    for centre in (a, b):
        enrolled = SyncFileService(centre).enrolment(tmp_path / "enrol.tbsync")
        DistrictIdentityService(district).enrol(enrolled.path, enrolled.fingerprint)
    DistrictIdentityService(district).config(tmp_path / "config.tbsync")
    for centre in (a, b):
        SyncFileService(centre).import_file(
            tmp_path / "config.tbsync", passphrase=passphrase, fingerprint=info.fingerprint
        )
    zhang_id = id_for(date(1950, 2, 3))
    zhang = MemberService(a).add(MemberInput("张桂兰", zhang_id, role="both")).member_no
    yield Story(a, b, district, tmp_path, zhang, zhang_id)
    for ctx in (a, b, district):
        ctx.engine.dispose()


def _local_accounts(ctx: AppContext) -> dict[str, int]:
    with ctx.read() as s:
        return {c: b for c, b in s.execute(select(Account.code, Account.balance_minutes)) if b}


def _district_accounts(ctx: AppContext, code: str) -> dict[str, int]:
    with ctx.read() as s:
        rows = s.execute(
            select(DistrictAccount.account, DistrictAccount.balance)
            .join(DistrictCentre, DistrictCentre.id == DistrictAccount.centre_id)
            .where(DistrictCentre.code == code)
        )
        return {a: b for a, b in rows if b}


def _keys(ctx: AppContext, secret: DistrictSecret) -> dict[str, str]:
    with ctx.read() as s:
        return {
            n: member_key(secret, i)
            for n, i in s.execute(select(Member.member_no, Member.id_number))
        }


def _statement_balances(path: Path, district: AppContext) -> dict[str, int]:
    from timebank_desktop.domain.signing import PublicKey

    with district.read() as s:
        ident = s.scalars(select(DistrictIdentity)).one()
        key, secret = PublicKey.from_text(ident.public_key), ident.member_key_secret
    bundle = read_bundle(path, lambda info: key)
    assert secret
    return {row["key"]: row["balance"] for row in bundle.rows("balances.jsonl")}


def test_restore_behind_the_last_export_starts_an_epoch_the_district_accepts(
    story: Story,
) -> None:
    w = story
    a, b = w.a, w.b
    neighbour = add_member(a, "王秀英", date(1938, 1, 9), role="recipient")
    serve(a, w.zhang, neighbour, 120)
    AccountService(a).grant(w.zhang, 300)
    helper = add_member(b, "刘芳", date(1965, 6, 6))
    w.send(a), w.send(b)
    first = w.statement()
    for centre in (a, b):
        SyncFileService(centre).import_file(first)
    VisitorService(b).honour(VisitInput(w.zhang_id, helper, "meals", DAY, 90, "A01", "张桂兰"))
    w.send(a), w.send(b)
    second = w.statement()
    assert SyncFileService(a).import_file(second).booked == 1  # A mirrors the visit
    SyncFileService(b).import_file(second)

    backup = BackupService(a).backup(w.folder / "k.sqlite3")  # the backup at K
    serve(a, w.zhang, neighbour, 60, start=time(10, 0))
    AccountService(a).grant(neighbour, 45)
    old_export = w.send(a)  # N: the district holds K+1..N too

    restored = BackupService(a).restore(backup.path, w.folder / "safety")
    assert restored.epoch is not None and restored.epoch.epoch == 2
    assert "epoch 2" in restored.epoch.message()
    with a.read() as s:
        assert s.scalars(select(Centre)).one().chain_epoch == 2
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "sync.epoch"))
    serve(a, w.zhang, neighbour, 30, start=time(14, 0))  # new services after the restore
    done = ExportService(a).export(w.file("epoch2"))
    assert (done.epoch, done.seq_from) == (2, 1)
    assert "epoch 2" in done.message()
    imported = DistrictImporter(w.district).import_file(done.path)
    assert imported.status == "applied" and imported.added == 1
    with w.district.read() as s:
        (lost,) = lost_ranges(s)
    assert (lost.centre, lost.epoch, lost.transactions) == ("A01", 1, 2)

    # the district's books for A are A's restored books; every balance matches
    assert _district_accounts(w.district, "A01") == _local_accounts(a)
    assert _district_accounts(w.district, "B02") == _local_accounts(b)
    third = w.statement()
    result = SyncFileService(a).import_file(third)
    assert result.booked == 0  # the visit's entry stays mirrored: never booked twice
    SyncFileService(b).import_file(third)
    with w.district.read() as s:
        secret = DistrictSecret.from_hex(
            s.scalars(select(DistrictIdentity)).one().member_key_secret
        )
    balances = _statement_balances(third, w.district)
    for centre in (a, b):
        for number, key in _keys(centre, secret).items():
            local = AccountService(centre).balance(number).balance_minutes
            if key == member_key(secret, w.zhang_id) and centre is b:
                continue  # her visitor's account at B passes through
            assert balances.get(key, 0) == local, number
    assert (
        balances[member_key(secret, w.zhang_id)]
        == AccountService(a).balance(w.zhang).balance_minutes
    )

    # A's export history: the old epoch's exports are superseded, the new one received
    history = SyncStatusService(a).status()
    assert history.epoch == 2
    assert [e.status for e in history.exports if e.epoch == 1] == [ExportStatus.SUPERSEDED] * 3
    assert [e.status for e in history.exports if e.epoch == 2] == [ExportStatus.RECEIVED]

    # re-importing any file changes nothing; the late epoch-1 file is already known
    importer = DistrictImporter(w.district)
    for path in (old_export, done.path):
        assert importer.import_file(path).status == "duplicate"
    for centre in (a, b):
        report = VerifyService(centre).run()
        assert report.ok, report.problems


def test_restore_not_behind_the_last_export_keeps_the_epoch(story: Story) -> None:
    w = story
    a = w.a
    neighbour = add_member(a, "王秀英", date(1938, 1, 9), role="recipient")
    serve(a, w.zhang, neighbour, 120)
    w.send(a)
    backup = BackupService(a).backup(w.folder / "after-export.sqlite3")
    serve(a, w.zhang, neighbour, 60, start=time(10, 0))  # not exported yet
    restored = BackupService(a).restore(backup.path, w.folder / "safety")
    assert restored.epoch is None
    with a.read() as s:
        assert s.scalars(select(Centre)).one().chain_epoch == 1
    serve(a, w.zhang, neighbour, 30, start=time(14, 0))
    again = ExportService(a).export(w.file("next"))
    assert (again.epoch, again.seq_from) == (1, 2)  # the export history came back too
    assert DistrictImporter(w.district).import_file(again.path).status == "applied"


def test_restore_of_a_backup_older_than_an_export_before_it(story: Story) -> None:
    """The replaced database's export history is what counts, not the backup's own."""
    w = story
    a = w.a
    neighbour = add_member(a, "王秀英", date(1938, 1, 9), role="recipient")
    serve(a, w.zhang, neighbour, 120)
    backup = BackupService(a).backup(w.folder / "before-export.sqlite3")
    serve(a, w.zhang, neighbour, 60, start=time(10, 0))
    w.send(a)  # seq 1..2 sent; the backup has only seq 1
    restored = BackupService(a).restore(backup.path, w.folder / "safety")
    assert restored.epoch is not None and restored.epoch.sent_seq == 2
    assert ExportService(a).next_range() == (1, 1)  # epoch 2 starts from seq 1
