"""Enrolment, district configuration and exports of one centre (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import add_member, serve
from tests.sync_centre.district_stub import PASSPHRASE, StubDistrict
from tests.sync_centre.helpers import counts, enrol_and_configure
from timebank_desktop.domain.errors import FileRejected, Refused, ValidationError
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.exports.sync import (
    CENTRE_EXPORT,
    ENROLMENT,
    read_bundle,
    trust_self_signed,
)
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.sync.export import ExportService
from timebank_desktop.services.sync.exports_history import ExportStatus
from timebank_desktop.services.sync.files import SyncFileService
from timebank_desktop.services.sync.status import SyncStatusService


def _centre_key(ctx: AppContext) -> dict[str, object]:
    info = CentreService(ctx).get()
    from timebank_desktop.domain.signing import PublicKey

    key = PublicKey.from_text(info.public_key)
    return {key.fingerprint: key}


def test_init_gives_the_centre_a_key_pair_and_device_id(ctx: AppContext) -> None:
    info = CentreService(ctx).get()
    assert len(info.public_key) == 64
    assert len(info.device_id) == 36


def test_enrolment_file_carries_code_name_key_and_fingerprint(
    ctx: AppContext, tmp_path: Path
) -> None:
    result = SyncFileService(ctx).enrolment(tmp_path / "enrol.tbsync")
    bundle = read_bundle(result.path, trust_self_signed)
    assert bundle.type == ENROLMENT
    assert (bundle.centre, bundle.district) == ("A01", "D01")
    assert bundle.header["centre_name"] == "东湖社区"
    assert bundle.header["public_key"] == CentreService(ctx).get().public_key
    assert bundle.signer.fingerprint == result.fingerprint


def test_export_needs_the_district_configuration(ctx: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "usb"
    out.mkdir()
    with pytest.raises(Refused, match="district configuration first"):
        ExportService(ctx).export(out / "a.tbsync")
    assert not list(out.iterdir())


def test_first_configuration_needs_the_fingerprint_and_the_passphrase(
    ctx: AppContext, tmp_path: Path
) -> None:
    district = StubDistrict()
    district.enrol(SyncFileService(ctx).enrolment(tmp_path / "e.tbsync").path)
    config = district.config(tmp_path / "config.tbsync")
    service = SyncFileService(ctx)
    before = counts(ctx)
    with pytest.raises(Refused, match=district.fingerprint):
        service.import_file(config, passphrase=PASSPHRASE)
    wrong = PrivateKey.generate().public_key().fingerprint
    with pytest.raises(FileRejected, match="fingerprint does not match"):
        service.import_file(config, passphrase=PASSPHRASE, fingerprint=wrong)
    with pytest.raises(ValidationError, match="passphrase"):
        service.import_file(config, passphrase="not the one", fingerprint=district.fingerprint)
    with pytest.raises(ValidationError, match="passphrase"):
        service.import_file(config, fingerprint=district.fingerprint)
    assert counts(ctx) == before
    typed = district.fingerprint.lower().replace(" ", "-")
    result = service.import_file(config, passphrase=PASSPHRASE, fingerprint=typed)
    assert "loaded" in result.message
    again = service.import_file(config)
    assert again.already
    status = SyncStatusService(ctx).status()
    assert status.district is not None
    assert status.district.fingerprint == district.fingerprint
    assert status.district.centres == (("A01", "东湖社区"),)


def test_a_configuration_without_this_centre_or_for_another_district_is_refused(
    ctx: AppContext, tmp_path: Path
) -> None:
    district = StubDistrict()
    lonely = district.config(tmp_path / "none.tbsync")
    with pytest.raises(FileRejected, match="does not list this centre"):
        SyncFileService(ctx).import_file(
            lonely, passphrase=PASSPHRASE, fingerprint=district.fingerprint
        )
    other = StubDistrict(code="D09")
    other.enrol(SyncFileService(ctx).enrolment(tmp_path / "e.tbsync").path)
    foreign = other.config(tmp_path / "d09.tbsync")
    with pytest.raises(FileRejected, match="district D09"):
        SyncFileService(ctx).import_file(
            foreign, passphrase=PASSPHRASE, fingerprint=other.fingerprint
        )


def test_a_later_configuration_must_come_from_the_stored_key(
    ctx: AppContext, tmp_path: Path
) -> None:
    district = StubDistrict()
    enrol_and_configure(ctx, district, tmp_path)
    impostor = StubDistrict(centres=district.centres)
    forged = impostor.config(tmp_path / "forged.tbsync", seq=5)
    with pytest.raises(FileRejected, match="unenrolled key"):
        SyncFileService(ctx).import_file(forged, passphrase=PASSPHRASE)
    newer = district.config(tmp_path / "newer.tbsync")
    assert not SyncFileService(ctx).import_file(newer).already


def test_exports_carry_what_is_new_and_are_recorded(ctx: AppContext, tmp_path: Path) -> None:
    district = StubDistrict()
    enrol_and_configure(ctx, district, tmp_path)
    vol = add_member(ctx, "李志强", date(1960, 5, 1))
    elder = add_member(ctx, "王秀英", date(1940, 3, 1), role="both")
    serve(ctx, vol, elder, 90)
    serve(ctx, elder, vol, 60, payer="recipient")
    service = ExportService(ctx)
    first = service.export(tmp_path / "1.tbsync")
    assert (first.seq_from, first.seq_to, first.transactions, first.members) == (1, 2, 2, 2)
    bundle = read_bundle(first.path, _centre_key(ctx))  # type: ignore[arg-type]
    assert bundle.type == CENTRE_EXPORT
    rows = list(bundle.rows("members.jsonl"))
    assert {r["account"] for r in rows} == {f"member:{vol}", f"member:{elder}"}
    raw = first.path.read_bytes()
    for personal in ("李志强", "王秀英", "1101051960"):
        assert personal.encode() not in raw
    empty = service.export(tmp_path / "2.tbsync")
    assert (empty.seq_from, empty.seq_to, empty.transactions) == (3, 2, 0)
    serve(ctx, vol, elder, 30)
    third = service.export(tmp_path / "3.tbsync")
    assert (third.seq_from, third.seq_to) == (3, 3)
    assert (
        read_bundle(third.path, _centre_key(ctx)).header["prev_hash"]
        == (  # type: ignore[arg-type]
            bundle.header["head_hash"]
        )
    )
    again = service.export(tmp_path / "again.tbsync", from_seq=1)
    assert (again.seq_from, again.seq_to) == (1, 3)
    history = SyncStatusService(ctx).status().exports
    assert len(history) == 4
    assert all(e.status is ExportStatus.WAITING for e in history)
    with pytest.raises(ValidationError, match="between 1 and 4"):
        service.export(tmp_path / "bad.tbsync", from_seq=9)


def test_a_cancelled_export_leaves_no_file_and_no_history(ctx: AppContext, tmp_path: Path) -> None:
    district = StubDistrict()
    enrol_and_configure(ctx, district, tmp_path)
    vol = add_member(ctx, "李志强", date(1960, 5, 1))
    elder = add_member(ctx, "王秀英", date(1940, 3, 1), role="recipient")
    serve(ctx, vol, elder, 90)
    target = tmp_path / "out" / "x.tbsync"
    target.parent.mkdir()
    target.write_bytes(b"older file")

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    before = counts(ctx)
    with pytest.raises(KeyboardInterrupt):
        ExportService(ctx).export(target, progress=cancel)
    assert target.read_bytes() == b"older file"
    assert [p.name for p in target.parent.iterdir()] == ["x.tbsync"]
    assert counts(ctx) == before
    assert ExportService(ctx).next_range() == (1, 1)
