"""A district statement that shows this database behind the district's copy of its chain.

Without a carried export history (a database restored by hand, a new computer) only the
district knows how far the chain went. Such a statement is refused with the way out; imported
again with ``new_epoch`` it starts a new chain epoch. Centre A on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.helpers import id_for
from tests.sync_centre.district_stub import PASSPHRASE, StubDistrict
from tests.sync_centre.helpers import counts
from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.domain.signing import PublicKey
from timebank_desktop.exports.sync import read_bundle
from timebank_desktop.models import AuditEntry, Centre, SyncStatement
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.members import MemberInput, MemberService
from timebank_desktop.services.sync.epoch import EpochNeeded
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.status import SyncStatusService


@pytest.fixture
def district(ctx: AppContext, tmp_path: Path) -> StubDistrict:
    stub = StubDistrict()
    stub.enrol(SyncFileService(ctx).enrolment(tmp_path / "e.tbsync").path)
    SyncFileService(ctx).import_file(
        stub.config(tmp_path / "config.tbsync"),
        passphrase=PASSPHRASE,
        fingerprint=stub.fingerprint,
    )
    member = MemberService(ctx).add(MemberInput("张桂兰", id_for(date(1950, 2, 3)), role="both"))
    AccountService(ctx).grant(member.member_no, 300)
    AccountService(ctx).grant(member.member_no, 60)
    stub.receive(ExportService(ctx).export(tmp_path / "x1.tbsync").path)
    return stub


def _epoch(ctx: AppContext) -> int:
    with ctx.read() as s:
        return s.scalars(select(Centre)).one().chain_epoch


def test_a_statement_ahead_of_this_database_is_refused_then_starts_an_epoch(
    ctx: AppContext, district: StubDistrict, tmp_path: Path
) -> None:
    epoch, seq, digest = district.heads["A01"]
    district.heads["A01"] = (epoch, seq + 3, "ab" * 32)  # the district holds more than we have
    statement = district.statement(tmp_path / "s1.tbsync")
    before = counts(ctx)
    with pytest.raises(EpochNeeded, match="--new-epoch") as refused:
        SyncFileService(ctx).import_file(statement)
    assert refused.value.epoch == 2 and "Fork alarm" in refused.value.message
    assert counts(ctx) == before and _epoch(ctx) == 1

    result = SyncFileService(ctx).import_file(statement, new_epoch=True)
    assert any("chain epoch 2 started" in w for w in result.warnings)
    assert _epoch(ctx) == 2
    with ctx.read() as s:
        assert s.scalar(select(SyncStatement.head_seq)) == 0  # nothing of epoch 2 held yet
        assert s.scalar(select(AuditEntry.detail).where(AuditEntry.action == "sync.epoch"))
    assert ExportService(ctx).next_range() == (1, seq)
    done = ExportService(ctx).export(tmp_path / "x2.tbsync")
    with ctx.read() as s:
        key = PublicKey.from_text(s.scalars(select(Centre)).one().public_key)
    header = read_bundle(done.path, lambda info: key).header
    assert (header["epoch"], header["seq_from"], header["prev_hash"]) == (2, 1, GENESIS)
    assert SyncStatusService(ctx).status().epoch == 2

    # a statement still at epoch 1 (the district has not imported epoch 2 yet): a warning
    district.heads["A01"] = (epoch, seq, digest)
    later = SyncFileService(ctx).import_file(district.statement(tmp_path / "s2.tbsync"))
    assert any("not yet epoch 2" in w for w in later.warnings)
    # a district at a later epoch than this database: refused again, with the next one named
    district.heads["A01"] = (3, 1, digest)
    with pytest.raises(EpochNeeded) as ahead:
        SyncFileService(ctx).import_file(district.statement(tmp_path / "s3.tbsync"))
    assert ahead.value.epoch == 4
