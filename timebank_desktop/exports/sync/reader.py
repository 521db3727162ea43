"""Read a sync bundle safely: every check passes before anything is returned.

Order of checks (each refusal is a `FileRejected` with a translated message):
size of the file; ZIP structure; caps on entries and unpacked sizes (a bomb is refused from its
declared sizes, and inflating stops at the declared size); entry names; the manifest (JSON,
format, major version, fields); the signature, by a key the caller trusts; every part's packed
and unpacked SHA-256, sizes and row count; then the content: each row a JSON object, known
parts' row schemas, and for a centre export the hash chain from ``prev_hash`` to ``head_hash``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.signing import PublicKey
from timebank_desktop.exports.sync import container
from timebank_desktop.exports.sync import manifest as mf
from timebank_desktop.exports.sync.container import DEFAULT_LIMITS, Entry, Limits
from timebank_desktop.exports.sync.rows import check_rows, row_error
from timebank_desktop.exports.sync.txlines import (
    PlainSink,
    RowSink,
    json_rows,
    verify_member_lines,
    verify_tx_lines,
)
from timebank_desktop.i18n import _

_SIGNATURE_RE = re.compile(rb"^[0-9a-f]{128}$")
_METHODS = {"stored": container.STORED, "deflate": container.DEFLATED}
MAX_LINE_BYTES = 1 << 20  # one row; real rows are under 1 KiB
_PART_KEYS = ("name", "sha256", "bytes", "rows", "method", "packed_sha256", "packed_bytes")
MAX_HELD_BYTES = 256 << 20  # parts up to this much in all are inflated once and kept


@dataclass(frozen=True, slots=True)
class SignerInfo:
    """What the trust callback is told about a file before its signature is checked."""

    fingerprint: str
    centre: str
    district: str
    type: str
    manifest: Mapping[str, Any]


TrustCallback = Callable[[SignerInfo], "PublicKey | None"]
Trust = TrustCallback | Mapping[str, PublicKey] | Iterable[PublicKey]


@dataclass(frozen=True, slots=True)
class PartInfo:
    """One part as listed in the manifest (sizes in bytes; rows = lines)."""

    name: str
    sha256: str
    bytes: int
    rows: int
    method: str
    packed_sha256: str
    packed_bytes: int


@dataclass(frozen=True)
class Bundle:
    """A verified bundle. Its bytes are held in memory, so what was checked is what is read."""

    manifest: Mapping[str, Any]
    manifest_sha256: str
    file_sha256: str
    signer: PublicKey
    parts: tuple[PartInfo, ...]
    _data: bytes = field(repr=False)
    _entries: Mapping[str, Entry] = field(repr=False)
    _inflated: Mapping[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def type(self) -> str:
        return str(self.manifest["type"])

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def district(self) -> str:
        return str(self.manifest["district"])

    @property
    def centre(self) -> str:
        """The sender's code (a centre, or the district's own code for district files)."""
        return str(self.manifest["centre"])

    @property
    def header(self) -> dict[str, Any]:
        """The type-specific manifest fields (everything but the common fields and parts)."""
        skip = {*mf.COMMON_FIELDS, "parts"}
        return {k: v for k, v in self.manifest.items() if k not in skip}

    def has_part(self, name: str) -> bool:
        return name in self._entries and name not in (mf.MANIFEST, mf.SIGNATURE)

    def part(self, name: str) -> PartInfo:
        for part in self.parts:
            if part.name == name:
                return part
        raise KeyError(name)

    def rows(self, name: str) -> Iterator[dict[str, Any]]:
        """The rows of a part, in file order, as dicts (streamed, never all in memory)."""
        if not self.has_part(name):
            raise KeyError(name)
        return json_rows(name, self.lines(name))

    def lines(self, name: str) -> Iterator[bytes]:
        """The lines of a part as bytes, without their newline (streamed).

        The same verified bytes `rows` parses; a caller that reads a part again after
        `read_bundle` checked it (the district importer) may parse them with plain
        ``json.loads``: duplicate keys and NaN were already refused.
        """
        if not self.has_part(name):
            raise KeyError(name)
        content = self._inflated.get(name)
        if content is not None:
            return _split(name, content)
        return _lines(name, container.inflate(self._data, self._entries[name]))


def load_file(source: str | os.PathLike[str] | bytes, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A sync file's bytes, refusing anything over the size cap before reading it."""
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    try:
        with open(source, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.max_file_bytes:
                raise FileRejected(
                    _("The file is too large ({size} bytes; at most {cap})").format(
                        size=size, cap=limits.max_file_bytes
                    )
                )
            return handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise FileRejected(
            _("The file cannot be read: {reason}").format(reason=exc.strerror or exc)
        ) from None


def _unexpected(name: str) -> FileRejected:
    return FileRejected(_("The file contains an unexpected entry: {name}").format(name=name))


def _check_names(entries: list[Entry]) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for entry in entries:
        plain = entry.name in (mf.MANIFEST, mf.SIGNATURE) or mf.PART_NAME_RE.fullmatch(entry.name)
        if not plain:
            raise _unexpected(entry.name)
        if entry.name in found:
            raise FileRejected(
                _("The file contains the entry {name} twice").format(name=entry.name)
            )
        found[entry.name] = entry
    tail = [e.name for e in entries[-2:]]
    if tail != [mf.MANIFEST, mf.SIGNATURE]:
        raise FileRejected(_("The file has no manifest or no signature"))
    return found


def _whole(data: bytes, entry: Entry) -> bytes:
    return b"".join(container.inflate(data, entry))


def _read_manifest(data: bytes, entry: Entry, limits: Limits) -> tuple[bytes, dict[str, Any]]:
    if entry.bytes > limits.max_manifest_bytes:
        raise FileRejected(_("The file's manifest is too large"))
    raw = _whole(data, entry)
    return raw, mf.parse(raw)


def _resolve(trust: Trust, info: SignerInfo) -> PublicKey | None:
    if callable(trust):
        return trust(info)
    if isinstance(trust, Mapping):
        return trust.get(info.fingerprint)
    return next((k for k in trust if k.fingerprint == info.fingerprint), None)


def _check_signature(
    data: bytes, entry: Entry, manifest_raw: bytes, manifest: dict[str, Any], trust: Trust
) -> PublicKey:
    if entry.bytes != 128:
        raise FileRejected(_("The signature is invalid"))
    signature = _whole(data, entry)
    if not _SIGNATURE_RE.fullmatch(signature):
        raise FileRejected(_("The signature is invalid"))
    info = SignerInfo(
        manifest["signer"], manifest["centre"], manifest["district"], manifest["type"],
        MappingProxyType(manifest),
    )  # fmt: skip
    key = _resolve(trust, info)
    if key is None or key.fingerprint != info.fingerprint:
        raise FileRejected(
            _("The file is signed by an unenrolled key (fingerprint {fingerprint})").format(
                fingerprint=info.fingerprint
            )
        )
    if not key.verify(manifest_raw, bytes.fromhex(signature.decode("ascii"))):
        raise FileRejected(_("The signature is invalid"))
    return key


def _tampered(name: str) -> FileRejected:
    return FileRejected(
        _("The part {name} does not match the signed manifest (tampered or damaged)").format(
            name=name
        )
    )


def _check_part(data: bytes, entry: Entry, part: PartInfo, keep: bool) -> bytes | None:
    """Check a part's packed and unpacked hashes, sizes and row count; with ``keep``, return
    its unpacked bytes (inflated once here, read from memory afterwards)."""
    packed = data[entry.data_offset : entry.data_offset + entry.packed_bytes]
    if (
        _METHODS[part.method] != entry.method
        or part.packed_bytes != entry.packed_bytes
        or part.bytes != entry.bytes
        or hashlib.sha256(packed).hexdigest() != part.packed_sha256
    ):
        raise _tampered(part.name)
    if keep:
        content = b"".join(container.inflate(data, entry))
        last = content[-1:] or b"\n"
        if (
            hashlib.sha256(content).hexdigest() != part.sha256
            or content.count(b"\n") != part.rows
            or last != b"\n"
        ):
            raise _tampered(part.name)
        return content
    digest, rows, last = hashlib.sha256(), 0, b"\n"
    for chunk in container.inflate(data, entry):
        digest.update(chunk)
        rows += chunk.count(b"\n")
        last = chunk[-1:] or last
    if digest.hexdigest() != part.sha256 or rows != part.rows or last != b"\n":
        raise _tampered(part.name)
    return None


def _split(name: str, content: bytes) -> Iterator[bytes]:
    """The lines of a part held in memory (it ends with a newline: `_check_part`)."""
    lines = content.split(b"\n")
    lines.pop()
    if lines and max(map(len, lines)) > MAX_LINE_BYTES:
        number = next(n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE_BYTES)
        yield from lines[: number - 1]
        raise row_error(name, number, _("the line is too long"))
    yield from lines


def _lines(name: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Split chunks into lines; a line longer than `MAX_LINE_BYTES` is refused."""
    pending = bytearray()
    number = 0
    for chunk in chunks:
        pending += chunk
        start = 0
        while (end := pending.find(b"\n", start)) >= 0:
            number += 1
            if end - start > MAX_LINE_BYTES:
                raise row_error(name, number, _("the line is too long"))
            yield bytes(pending[start:end])
            start = end + 1
        del pending[:start]
        if len(pending) > MAX_LINE_BYTES:
            raise row_error(name, number + 1, _("the line is too long"))


def _check_content(bundle: Bundle, sinks: Mapping[str, RowSink], plain: PlainSink | None) -> None:
    for part in bundle.parts:
        sink = sinks.get(part.name)
        if bundle.type == mf.CENTRE_EXPORT and part.name == mf.TRANSACTIONS:
            head = bundle.header
            end = verify_tx_lines(
                bundle.lines(part.name),
                prev_hash=head["prev_hash"],
                seq_from=head["seq_from"],
                centre=bundle.centre,
                sink=sink,
                plain=plain,
            )
            if (end.seq, end.hash) != (head["seq_to"], head["head_hash"]):
                raise FileRejected(
                    _("The transactions do not end at the chain head the manifest names")
                )
        elif part.name == mf.MEMBERS:
            verify_member_lines(bundle.lines(part.name), sink)
        else:
            check_rows(part.name, bundle.rows(part.name), sink)


def read_bundle(
    source: str | os.PathLike[str] | bytes,
    trusted: Trust,
    *,
    limits: Limits = DEFAULT_LIMITS,
    sinks: Mapping[str, RowSink] | None = None,
    plain: PlainSink | None = None,
) -> Bundle:
    """Open, verify and return a sync bundle.

    Args:
        source: a path or the file's bytes.
        trusted: the keys the caller trusts: a callback ``SignerInfo -> PublicKey | None``, a
            mapping from fingerprint to key, or an iterable of keys.
        limits: size caps (the defaults suit a district of 500 centres).
        sinks: per part name, a function given each row of that part as it is verified, in
            order (a refusal may come after some rows were given: discard what was received).
        plain: for a centre export, given instead of the transactions sink every canonical
            transaction with exactly two postings, as a tuple (`txlines.PLAIN_FIELDS`).

    Raises:
        FileRejected: with a translated message, if any check fails.
    """
    data = load_file(source, limits)
    entries = _check_names(container.parse(data, limits))
    manifest_raw, manifest = _read_manifest(data, entries[mf.MANIFEST], limits)
    parts = tuple(PartInfo(**{k: p[k] for k in _PART_KEYS}) for p in manifest["parts"])
    listed = [*(p.name for p in parts), mf.MANIFEST, mf.SIGNATURE]
    for name in entries:
        if name not in listed:
            raise _unexpected(name)
    if list(entries) != listed:
        raise FileRejected(_("The file's entries do not match its manifest"))
    signer = _check_signature(data, entries[mf.SIGNATURE], manifest_raw, manifest, trust=trusted)
    inflated: dict[str, bytes] = {}
    held = 0
    for part in parts:
        keep = held + part.bytes <= MAX_HELD_BYTES
        content = _check_part(data, entries[part.name], part, keep)
        if content is not None:
            inflated[part.name], held = content, held + part.bytes
    bundle = Bundle(
        MappingProxyType(manifest), hashlib.sha256(manifest_raw).hexdigest(),
        hashlib.sha256(data).hexdigest(), signer, parts, data, entries, inflated,
    )  # fmt: skip
    _check_content(bundle, sinks or {}, plain)
    return bundle


def trust_self_signed(info: SignerInfo) -> PublicKey | None:
    """Trust the key a file carries about itself: enrolment and district-config files only.

    For first contact. The signature then proves only that the sender holds the key; staff must
    compare ``bundle.signer.fingerprint`` with the one printed on paper before storing the key.
    """
    field_name = {mf.ENROLMENT: "public_key", mf.DISTRICT_CONFIG: "district_public_key"}.get(
        info.type
    )
    value = info.manifest.get(field_name) if field_name else None
    return PublicKey(bytes.fromhex(value)) if isinstance(value, str) else None


def canonical_row_bytes(row: Mapping[str, Any]) -> bytes:
    """One JSON line as writers produce it (sorted keys, compact, UTF-8, newline)."""
    text = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")
