"""Write a sync bundle: parts streamed and hashed, manifest signed, file verified, then renamed.

The file is written to a temporary name beside the target, flushed and fsynced, read back and
verified with the same reader the importer uses (signature, hashes, row schemas, the chain);
only then is it renamed into place. After the rename the final file is read once more and its
SHA-256 compared with what was verified, so success is reported only for a file that is really
there and really valid.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.signing import PrivateKey
from timebank_desktop.exports.atomic import atomic_write
from timebank_desktop.exports.sync import container
from timebank_desktop.exports.sync import manifest as mf
from timebank_desktop.exports.sync.container import DEFAULT_LIMITS, Limits
from timebank_desktop.exports.sync.reader import Bundle, canonical_row_bytes, read_bundle
from timebank_desktop.exports.sync.rows import check_member_row
from timebank_desktop.i18n import _

_BATCH = 1 << 16


@dataclass(frozen=True, slots=True)
class WrittenBundle:
    """What was written: where, the file's and the manifest's SHA-256, its size."""

    path: Path
    file_sha256: str
    manifest_sha256: str
    bytes: int
    manifest: Mapping[str, Any]


class _Counter:
    def __init__(self) -> None:
        self.rows = 0


def _encode_rows(
    name: str, rows: Iterable[Mapping[str, Any]], counter: _Counter
) -> Iterator[bytes]:
    batch: list[bytes] = []
    size = 0
    for row in rows:
        counter.rows += 1
        if name == mf.MEMBERS:
            check_member_row(row, counter.rows)  # never let personal data out
        line = canonical_row_bytes(row)
        batch.append(line)
        size += len(line)
        if size >= _BATCH:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)


def _header_manifest(header: Mapping[str, Any], private_key: PrivateKey) -> dict[str, Any]:
    if "type" not in header or "parts" in header:
        raise ValueError("header needs 'type' and must not carry 'parts'")
    reserved = {"format", "version", "signer"}
    manifest: dict[str, Any] = {"format": mf.FORMAT, "version": mf.VERSION}
    for name in ("type", "district", "centre", "created_at"):
        manifest[name] = header.get(name)
    manifest["signer"] = private_key.public_key().fingerprint
    for name in sorted(set(header) - set(manifest) - reserved):
        manifest[name] = header[name]
    return manifest


def _placeholder(name: str) -> dict[str, Any]:
    zero = "0" * 64
    return {"name": name, "sha256": zero, "bytes": 0, "rows": 0, "method": "stored",
            "packed_sha256": zero, "packed_bytes": 0}  # fmt: skip


def _write(
    handle: Any,
    manifest: dict[str, Any],
    parts: Mapping[str, Iterable[Mapping[str, Any]]],
    private_key: PrivateKey,
    compress: bool,
) -> None:
    out = container.ContainerWriter(handle)
    listed: list[dict[str, Any]] = []
    method = container.DEFLATED if compress else container.STORED
    for name, rows in parts.items():
        if not mf.PART_NAME_RE.fullmatch(name):
            raise ValueError(f"not a part name: {name!r}")
        counter = _Counter()
        stats = out.add(name, _encode_rows(name, rows, counter), method)
        listed.append(
            {
                "name": name, "sha256": stats.sha256, "bytes": stats.bytes,
                "rows": counter.rows, "method": "deflate" if compress else "stored",
                "packed_sha256": stats.packed_sha256, "packed_bytes": stats.packed_bytes,
            }
        )  # fmt: skip
    manifest["parts"] = listed
    raw = mf.encode(manifest)
    out.add(mf.MANIFEST, [raw], container.STORED)
    out.add(mf.SIGNATURE, [private_key.sign(raw).hex().encode("ascii")], container.STORED)
    out.finish()


def write_bundle(
    path: str | os.PathLike[str],
    header: Mapping[str, Any],
    parts: Mapping[str, Iterable[Mapping[str, Any]]],
    private_key: PrivateKey,
    *,
    compress: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> WrittenBundle:
    """Write, sign and verify a bundle atomically.

    Args:
        path: the target file (conventionally ``*.tbsync``); replaced only on success.
        header: ``type``, ``district``, ``centre`` (sender), ``created_at`` (informational ISO
            text) and the type's header fields (see `manifest.HEADER_FIELDS`).
        parts: part name → rows (dicts), streamed in order; the type's required parts must be
            there (`manifest.REQUIRED_PARTS`). Rows of ``members.jsonl`` are checked for
            personal data as they are written.
        private_key: the sender's key; its fingerprint becomes ``signer``.
        compress: deflate the parts (the manifest and signature are always stored).
        limits: the caps the verification applies (the reader's defaults).

    Raises:
        FileRejected: if the header or a row is invalid or the written file does not verify;
            nothing is left at ``path`` (an older file there stays as it was).
    """
    manifest = _header_manifest(header, private_key)
    mf.check_fields({**manifest, "parts": [_placeholder(name) for name in parts]})
    target = Path(path)
    public = private_key.public_key()
    with atomic_write(target, "w+b") as handle:
        _write(handle, manifest, parts, private_key, compress)
        handle.flush()
        os.fsync(handle.fileno())
        handle.seek(0)
        written = handle.read(limits.max_file_bytes + 1)
        bundle = read_bundle(written, {public.fingerprint: public}, limits=limits)
        del written
    return _confirm(target, bundle)


def _confirm(target: Path, bundle: Bundle) -> WrittenBundle:
    digest, size = hashlib.sha256(), 0
    with open(target, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    if digest.hexdigest() != bundle.file_sha256:
        raise FileRejected(_("The file changed on disk right after it was written"))
    return WrittenBundle(target, bundle.file_sha256, bundle.manifest_sha256, size, bundle.manifest)
