"""Every bad input of issue 6 is refused with a clear message and nothing written."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.district.conftest import enrol, importer, snapshot
from tests.district.factories import SimCentre
from tests.unit.sync_format.sync_factories import forge, jsonl, raw_container, stored_manifest
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.exports.sync import manifest as mf
from timebank_desktop.exports.sync import member_row, tx_row
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.identity import DistrictIdentityService


@pytest.fixture
def ready(dctx: AppContext, tmp_path: Path) -> tuple[AppContext, SimCentre, Path]:
    """A district that already holds A01 seq 1-2, and a valid next file (seq 3-4)."""
    (a,) = enrol(dctx, tmp_path, "A01")
    for i in range(4):
        a.serve(f"v{i}", "elder", 30 + i)
    importer(dctx).import_file(a.export(tmp_path / "first", 1, 2))
    return dctx, a, a.export(tmp_path / "next.tbsync", 3, 4)


def _refused(ctx: AppContext, path: Path, match: str | None) -> None:
    before = snapshot(ctx)
    with pytest.raises(FileRejected, match=match):
        importer(ctx).import_file(path)
    assert snapshot(ctx) == before


def _rewrite(path: Path, change: Callable[[bytearray], None]) -> Path:
    data = bytearray(path.read_bytes())
    change(data)
    out = path.with_name("bad-" + path.name)
    out.write_bytes(bytes(data))
    return out


def test_truncated_file(ready: tuple[AppContext, SimCentre, Path]) -> None:
    ctx, _a, good = ready
    for cut in (1, 22, len(good.read_bytes()) // 2):
        _refused(ctx, _rewrite(good, lambda d, n=cut: d.__delitem__(slice(-n, None))), None)


@pytest.mark.parametrize("where", [0.0, 0.1, 0.37, 0.5, 0.73, 0.99])
def test_flipped_byte_anywhere(ready: tuple[AppContext, SimCentre, Path], where: float) -> None:
    ctx, _a, good = ready
    size = len(good.read_bytes())

    def flip(d: bytearray) -> None:
        d[min(int(size * where), size - 1)] ^= 0x10

    _refused(ctx, _rewrite(good, flip), None)


def test_signed_by_an_unenrolled_key(ready: tuple[AppContext, SimCentre, Path]) -> None:
    ctx, a, good = ready
    impostor = SimCentre("A01", key=PrivateKey.generate())
    impostor.txs, impostor.accounts = a.txs, a.accounts
    _refused(ctx, impostor.export(good.with_name("impostor"), 3, 4), "unenrolled key")
    stranger = SimCentre("Z99")
    stranger.serve("v", "e", 30)
    _refused(ctx, stranger.export(good.with_name("stranger")), "unenrolled key")


def test_file_for_another_district(ready: tuple[AppContext, SimCentre, Path]) -> None:
    ctx, a, good = ready
    elsewhere = SimCentre("A01", district="D02", key=a.key)
    elsewhere.txs, elsewhere.accounts = a.txs, a.accounts
    _refused(ctx, elsewhere.export(good.with_name("d02"), 3, 4), "district D02")


def test_unsupported_major_version(
    ready: tuple[AppContext, SimCentre, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, a, good = ready
    with monkeypatch.context() as m:  # a future writer
        m.setattr(mf, "VERSION", "2.0")
        m.setattr(mf, "MAJOR", 2)
        future = a.export(good.with_name("v2"), 3, 4)
    _refused(ctx, future, r"Unsupported file version 2\.0")


def test_other_file_types_are_refused(
    ready: tuple[AppContext, SimCentre, Path], tmp_path: Path
) -> None:
    ctx, a, _good = ready
    _refused(ctx, a.enrolment(tmp_path / "enrol"), "not a centre export")


def _forged(a: SimCentre, parts: dict[str, bytes], names: list[str] | None = None) -> bytes:
    header = {"type": "centre-export", "district": "D01", "centre": "A01",
              "created_at": "2026-11-20T02:00:00Z", "epoch": 1, "seq_from": 3, "seq_to": 4,
              "prev_hash": a.txs[1][2], "head_hash": a.txs[3][2]}  # fmt: skip
    return forge(stored_manifest(header, parts, a.key), parts, a.key, names)


def _parts(a: SimCentre) -> dict[str, bytes]:
    rows = [tx_row(tx, p, h) for tx, p, h in a.txs[2:4]]
    members = [member_row("a" * 64, "F", 1950, ["volunteer"], acc) for acc in ("member:X1",)]
    return {"transactions.jsonl": jsonl(rows), "members.jsonl": jsonl(members)}


def test_forged_container_is_accepted_only_when_honest(
    ready: tuple[AppContext, SimCentre, Path], tmp_path: Path
) -> None:
    """The forging helper itself makes valid files, so the refusals below are about content."""
    ctx, a, _good = ready
    path = tmp_path / "honest.tbsync"
    path.write_bytes(_forged(a, _parts(a)))
    assert importer(ctx).import_file(path).added == 2


@pytest.mark.parametrize("name", ["../evil.jsonl", "/etc/passwd", "C:x.jsonl", "a/b.jsonl"])
def test_path_traversal_names(
    ready: tuple[AppContext, SimCentre, Path], tmp_path: Path, name: str
) -> None:
    ctx, a, _good = ready
    parts = _parts(a)
    names = [name, "members.jsonl", "manifest.json", "signature"]
    path = tmp_path / "traversal.tbsync"
    path.write_bytes(_forged(a, parts, names))
    _refused(ctx, path, "unexpected entry")
    assert not (tmp_path.parent / "evil.jsonl").exists()


def test_decompression_bomb(ready: tuple[AppContext, SimCentre, Path], tmp_path: Path) -> None:
    ctx, _a, _good = ready
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = packer.compress(bytes(50 << 20)) + packer.flush()  # 50 MB of zeros in ~50 KB
    path = tmp_path / "bomb.tbsync"
    path.write_bytes(raw_container([("transactions.jsonl", 8, 0, 50 << 20, zeros)]))
    _refused(ctx, path, "decompression bomb")


def test_entry_whose_postings_do_not_sum_to_zero(
    ready: tuple[AppContext, SimCentre, Path], tmp_path: Path
) -> None:
    ctx, a, _good = ready
    bad = SimCentre("A01", key=a.key)
    bad.txs, bad.accounts = list(a.txs[:2]), dict(a.accounts)
    bad.book([(bad.account("v0"), 60), ("pool", -50)])
    bad.serve("v1", "elder", 30)
    rows = [tx_row(tx, p, h) for tx, p, h in bad.txs[2:4]]
    parts = {"transactions.jsonl": jsonl(rows), "members.jsonl": _parts(a)["members.jsonl"]}
    header = {"type": "centre-export", "district": "D01", "centre": "A01",
              "created_at": "2026-11-20T02:00:00Z", "epoch": 1, "seq_from": 3, "seq_to": 4,
              "prev_hash": bad.txs[1][2], "head_hash": bad.txs[3][2]}  # fmt: skip
    path = tmp_path / "unbalanced.tbsync"
    path.write_bytes(forge(stored_manifest(header, parts, a.key), parts, a.key))
    _refused(ctx, path, "Transaction 3: The postings do not sum to zero")


def test_reused_sequence_number_with_different_content(
    ready: tuple[AppContext, SimCentre, Path],
) -> None:
    ctx, a, good = ready
    again = SimCentre("A01", key=a.key)
    again.txs, again.accounts = [], {}
    again.serve("somebody", "elder", 77)
    before = snapshot(ctx, files=False)
    with pytest.raises(FileRejected, match="Fork alarm"):
        importer(ctx).import_file(again.export(good.with_name("reused"), 1, 1))
    after = snapshot(ctx, files=False)
    assert {k: v for k, v in after.items() if k != "centres"} == {
        k: v for k, v in before.items() if k != "centres"
    }


def test_enrolment_refusals(dctx: AppContext, tmp_path: Path) -> None:
    service = DistrictIdentityService(dctx)
    a = SimCentre("A01")
    with pytest.raises(FileRejected, match="fingerprint does not match"):
        service.enrol(a.enrolment(tmp_path / "a"), fingerprint="0000 " * 9 + "0000")
    other = SimCentre("A01", district="D09")
    with pytest.raises(FileRejected, match="district D09"):
        service.enrol(other.enrolment(tmp_path / "o"))
    a.serve("v", "e", 30)
    with pytest.raises(FileRejected, match="not an enrolment file"):
        service.enrol(a.export(tmp_path / "x"))
    done = service.enrol(a.enrolment(tmp_path / "a"), fingerprint=a.key.public_key().fingerprint)
    assert done.new and service.enrol(a.enrolment(tmp_path / "a")).new is False
    rekeyed = SimCentre("A01")
    from timebank_desktop.domain.errors import Refused

    with pytest.raises(Refused, match="another key"):
        service.enrol(rekeyed.enrolment(tmp_path / "r"))
