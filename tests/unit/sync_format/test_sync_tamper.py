"""Hostile and damaged files: flipped bytes, truncation, odd names, duplicates, bombs."""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.sync_format.sync_factories import (
    TEST_CENTRE_KEY,
    chain,
    export_header,
    export_parts,
    forge,
    jsonl,
    member_rows,
    raw_container,
    stored_manifest,
    tx_rows,
)
from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.exports.sync import Limits, read_bundle, write_bundle
from timebank_desktop.exports.sync import container as container_module
from timebank_desktop.exports.sync.container import DEFLATED, STORED, ContainerWriter

PUBLIC = TEST_CENTRE_KEY.public_key()


def _valid_file(tmp_path: Path, compress: bool = True) -> bytes:
    links = chain(4)
    target = tmp_path / "valid.tbsync"
    write_bundle(
        target, export_header(links), export_parts(links), TEST_CENTRE_KEY, compress=compress
    )
    return target.read_bytes()


@pytest.fixture(scope="module")
def valid(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return _valid_file(tmp_path_factory.mktemp("valid"))


@pytest.mark.parametrize("compress", [True, False])
@pytest.mark.parametrize("mask", [0x01, 0x80])
def test_every_single_flipped_bit_is_rejected(tmp_path: Path, compress: bool, mask: int) -> None:
    data = _valid_file(tmp_path, compress)
    read_bundle(data, [PUBLIC])
    for index in range(len(data)):
        damaged = bytearray(data)
        damaged[index] ^= mask
        with pytest.raises(FileRejected):
            read_bundle(bytes(damaged), [PUBLIC])


@settings(max_examples=300, deadline=None)
@given(position=st.floats(0, 1, exclude_max=True), mask=st.integers(1, 255))
def test_any_flipped_byte_is_rejected(valid: bytes, position: float, mask: int) -> None:
    damaged = bytearray(valid)
    damaged[int(position * len(valid))] ^= mask
    with pytest.raises(FileRejected):
        read_bundle(bytes(damaged), [PUBLIC])


def test_every_truncation_and_any_appended_byte_is_rejected(valid: bytes) -> None:
    for length in range(len(valid)):
        with pytest.raises(FileRejected):
            read_bundle(valid[:length], [PUBLIC])
    with pytest.raises(FileRejected, match="damaged or truncated"):
        read_bundle(valid[: len(valid) // 2], [PUBLIC])
    with pytest.raises(FileRejected):
        read_bundle(valid + b"\0", [PUBLIC])
    with pytest.raises(FileRejected):
        read_bundle(b"PK\x03\x04" + valid, [PUBLIC])


def test_zip_from_another_tool_is_refused(tmp_path: Path, valid: bytes) -> None:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(valid))
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w") as out:  # today's timestamps, extra attributes
        for info in source.infolist():
            out.writestr(info.filename, source.read(info.filename))
    with pytest.raises(FileRejected, match="damaged or truncated"):
        read_bundle(copy.getvalue(), [PUBLIC])


def _export_parts_raw() -> tuple[dict[str, Any], dict[str, bytes]]:
    links = chain(2)
    parts = {"transactions.jsonl": jsonl(tx_rows(links)), "members.jsonl": jsonl(member_rows())}
    return export_header(links), parts


@pytest.mark.parametrize(
    "name", ["../x", "/abs", "a/b", "..\\x", "C:evil", "transactions.jsonl/", ".jsonl", "X.JSONL"]
)
def test_path_like_or_odd_names_are_refused(name: str) -> None:
    header, parts = _export_parts_raw()
    manifest = stored_manifest(header, parts)
    names = [name, "members.jsonl", "manifest.json", "signature"]
    with pytest.raises(FileRejected, match="unexpected entry"):
        read_bundle(forge(manifest, parts, names=names), [PUBLIC])


def test_unlisted_entry_is_refused() -> None:
    header, parts = _export_parts_raw()
    manifest = stored_manifest(header, parts)
    sneaky = {**parts, "extra.jsonl": b"{}\n"}
    with pytest.raises(FileRejected, match=r"unexpected entry: extra\.jsonl"):
        read_bundle(forge(manifest, sneaky), [PUBLIC])


def test_listed_part_missing_from_the_zip_is_refused() -> None:
    header, parts = _export_parts_raw()
    manifest = stored_manifest(header, {**parts, "more.jsonl": b""})
    with pytest.raises(FileRejected, match="do not match its manifest"):
        read_bundle(forge(manifest, parts), [PUBLIC])


def test_duplicate_names_are_refused() -> None:
    header, parts = _export_parts_raw()
    manifest = stored_manifest(header, parts)
    names = ["members.jsonl", "members.jsonl", "manifest.json", "signature"]
    with pytest.raises(FileRejected, match="twice"):
        read_bundle(forge(manifest, parts, names=names), [PUBLIC])


def test_non_ascii_name_is_refused() -> None:
    data = raw_container([("名单.jsonl".encode(), STORED, 0, 0, b"")])
    with pytest.raises(FileRejected):
        read_bundle(data, [PUBLIC])


def test_tampered_part_is_named() -> None:
    header, parts = _export_parts_raw()
    manifest = stored_manifest(header, parts)
    tampered = {
        **parts,
        "members.jsonl": parts["members.jsonl"].replace(b"recipient", b"volunteer"),
    }
    with pytest.raises(FileRejected, match=r"members\.jsonl does not match the signed manifest"):
        read_bundle(forge(manifest, tampered), [PUBLIC])


def test_re_signed_by_another_key_is_refused() -> None:
    from timebank_desktop.domain.signing import generate_key_pair

    header, parts = _export_parts_raw()
    manifest = stored_manifest(header, parts)
    thief, _public = generate_key_pair()
    with pytest.raises(FileRejected, match="signature is invalid"):
        read_bundle(forge(manifest, parts, key=thief), [PUBLIC])  # claims C01's fingerprint


def _zeros_bomb(gigabytes: float) -> bytes:
    """A raw deflate stream of ``gigabytes`` of zeros, built in ~1 MB without compressing it all.

    Two sync-flushed 1 MiB segments are made; the second (which refers only to zeros before it)
    repeats as often as needed, then an empty final block ends the stream.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = bytes(1 << 20)
    first = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    repeat = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH)
    end = packer.flush(zlib.Z_FINISH)
    count = int(gigabytes * 1000)
    return first + repeat * (count - 1) + end


def test_bomb_builder_really_makes_zeros() -> None:
    stream = _zeros_bomb(0.003)
    assert zlib.decompress(stream, -15) == bytes(3 << 20)


class _CountingZlib:
    """Stands in for the zlib module inside the container reader and counts inflated bytes."""

    def __init__(self) -> None:
        self.inflated = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    def decompressobj(self, wbits: int) -> Any:
        real = zlib.decompressobj(wbits)
        outer = self

        class Counting:
            def decompress(self, data: bytes, max_length: int = 0) -> bytes:
                out = real.decompress(data, max_length)
                outer.inflated += len(out)
                return out

            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

        return Counting()


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> _CountingZlib:
    spy = _CountingZlib()
    monkeypatch.setattr(container_module, "zlib", spy)
    return spy


def _bomb_file(tmp_path: Path) -> Path:
    """A container whose one entry is 1 GB of zeros, honestly declared."""
    target = tmp_path / "bomb.tbsync"
    target.write_bytes(raw_container([("transactions.jsonl", DEFLATED, 0, 10**9, _zeros_bomb(1))]))
    return target


def test_honest_bomb_is_refused_from_its_declared_size(
    tmp_path: Path, counting: _CountingZlib
) -> None:
    target = _bomb_file(tmp_path)
    assert target.stat().st_size < 2_000_000  # small on disk
    with pytest.raises(FileRejected, match="decompression bomb"):
        read_bundle(target, [PUBLIC])
    assert counting.inflated == 0


def test_lying_bomb_stops_at_the_declared_size(tmp_path: Path, counting: _CountingZlib) -> None:
    # Declares 5 MB unpacked (within every cap and ratio), really holds 1 GB of zeros.
    stream = _zeros_bomb(1.0)
    declared = 5 * len(stream)
    entries = [
        ("bomb.jsonl", DEFLATED, 0, declared, stream),
        ("manifest.json", STORED, 0, 0, b""),
        ("signature", STORED, 0, 0, b""),
    ]
    data = raw_container(entries)
    # Read through the container layer directly: the manifest would fail first otherwise.
    entry = container_module.parse(data)[0]
    with pytest.raises(FileRejected, match="damaged"):
        for _chunk in container_module.inflate(data, entry):
            pass
    assert counting.inflated <= declared + (1 << 16)


def test_caps_on_entry_count_and_file_size(valid: bytes) -> None:
    with pytest.raises(FileRejected, match="too many entries"):
        read_bundle(valid, [PUBLIC], limits=Limits(max_entries=3))
    with pytest.raises(FileRejected, match="too large"):
        read_bundle(valid, [PUBLIC], limits=Limits(max_file_bytes=len(valid) - 1))
    with pytest.raises(FileRejected, match="safe limit"):
        read_bundle(valid, [PUBLIC], limits=Limits(max_entry_bytes=100))


def test_file_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.tbsync"
    with open(big, "wb") as handle:
        handle.truncate(50_000)
    with pytest.raises(FileRejected, match="too large"):
        read_bundle(big, [PUBLIC], limits=Limits(max_file_bytes=10_000))


def test_writer_container_is_readable_by_standard_tools(valid: bytes) -> None:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [
            "transactions.jsonl", "members.jsonl", "manifest.json", "signature",
        ]  # fmt: skip


def test_container_writer_is_deterministic(tmp_path: Path) -> None:
    import io

    outputs = []
    for _ in range(2):
        buffer = io.BytesIO()
        writer = ContainerWriter(buffer)
        writer.add("a.jsonl", [b"{}\n"] * 3)
        writer.finish()
        outputs.append(buffer.getvalue())
    assert outputs[0] == outputs[1]
