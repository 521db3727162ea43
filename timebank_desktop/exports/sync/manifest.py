"""The manifest of a sync bundle: fields, types per bundle type, version rules, encoding.

The manifest is UTF-8 JSON (an object, no duplicate keys, no NaN). Writers put the common
fields first, then the type's header fields, then ``parts``; readers rely on nothing but the
parsed values. Version ``MAJOR.MINOR``: a reader refuses an unknown major and accepts any minor
of its major, ignoring header fields and parts it does not know (minor = compatible additions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.signing import is_fingerprint
from timebank_desktop.i18n import _

FORMAT = "timebank-sync"
VERSION = "1.0"
MAJOR = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature"
EXTENSION = ".tbsync"

ENROLMENT = "enrolment"
DISTRICT_CONFIG = "district-config"
CENTRE_EXPORT = "centre-export"
DISTRICT_STATEMENT = "district-statement"
TYPES = (ENROLMENT, DISTRICT_CONFIG, CENTRE_EXPORT, DISTRICT_STATEMENT)

TRANSACTIONS = "transactions.jsonl"
MEMBERS = "members.jsonl"
CENTRES = "centres.jsonl"
HEADS = "heads.jsonl"
BALANCES = "balances.jsonl"
ENTRIES = "entries.jsonl"

PART_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}\.jsonl$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$")
HASH_RE = re.compile(r"^[0-9a-f]{64}$")
_VERSION_RE = re.compile(r"^(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})$")
COMMON_FIELDS = ("format", "version", "type", "district", "centre", "created_at", "signer")


def _is_int(low: int) -> Callable[[object], bool]:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= low


def _is_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 200


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and bool(HASH_RE.fullmatch(value))


def _is_code(value: object) -> bool:
    return isinstance(value, str) and bool(CODE_RE.fullmatch(value))


def _is_object(value: object) -> bool:
    return isinstance(value, dict)


# Header fields per type (all required). A public key is 64 lower-case hex digits.
HEADER_FIELDS: dict[str, dict[str, Callable[[object], bool]]] = {
    ENROLMENT: {"centre_name": _is_text, "public_key": _is_hash},
    DISTRICT_CONFIG: {
        "district_name": _is_text,
        "config_seq": _is_int(1),
        "district_public_key": _is_hash,
        "member_key_secret": _is_object,
    },
    CENTRE_EXPORT: {
        "epoch": _is_int(1),
        "seq_from": _is_int(1),
        "seq_to": _is_int(0),
        "prev_hash": _is_hash,
        "head_hash": _is_hash,
    },
    DISTRICT_STATEMENT: {"statement_seq": _is_int(1)},
}

# Parts each type must carry (a newer minor may add more).
REQUIRED_PARTS: dict[str, tuple[str, ...]] = {
    ENROLMENT: (),
    DISTRICT_CONFIG: (CENTRES,),
    CENTRE_EXPORT: (TRANSACTIONS, MEMBERS),
    DISTRICT_STATEMENT: (HEADS, BALANCES, ENTRIES),
}

_PART_FIELDS: dict[str, Callable[[object], bool]] = {
    "name": lambda v: isinstance(v, str) and bool(PART_NAME_RE.fullmatch(v)),
    "sha256": _is_hash,
    "bytes": _is_int(0),
    "rows": _is_int(0),
    "method": lambda v: v in ("stored", "deflate"),
    "packed_sha256": _is_hash,
    "packed_bytes": _is_int(0),
}


def encode(manifest: Mapping[str, Any]) -> bytes:
    """The manifest bytes a writer signs: indented UTF-8 JSON and a final newline."""
    text = json.dumps(manifest, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValueError("duplicate key")
    return found


def _refuse_constant(token: str) -> Any:
    raise ValueError(f"not JSON: {token}")


def loads_strict(text: str | bytes) -> Any:
    """``json.loads`` that refuses duplicate keys, NaN and Infinity."""
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)


def _bad_manifest(detail: str) -> FileRejected:
    return FileRejected(_("The file's manifest is invalid: {detail}").format(detail=detail))


def check_version(value: object) -> None:
    """Refuse a malformed version or an unknown major (any minor of ours is accepted)."""
    if not isinstance(value, str) or not _VERSION_RE.fullmatch(value):
        raise _bad_manifest(_("the version is not MAJOR.MINOR"))
    if int(value.split(".")[0]) != MAJOR:
        raise FileRejected(
            _("Unsupported file version {found} (this program supports {major}.x)").format(
                found=value, major=MAJOR
            )
        )


def parse(raw: bytes) -> dict[str, Any]:
    """Parse and check a manifest: format, version, type, common and header fields, parts."""
    try:
        manifest = loads_strict(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad_manifest(_("not well-formed JSON")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise FileRejected(_("This is not a sync file"))
    check_version(manifest.get("version"))
    check_fields(manifest)
    return manifest


def check_fields(manifest: Mapping[str, Any]) -> None:
    """Check every field except format and version (shared by the writer and the reader)."""
    kind = manifest.get("type")
    if kind not in TYPES:
        raise _bad_manifest(_("unknown file type {kind}").format(kind=kind))
    checks: dict[str, Callable[[object], bool]] = {
        "district": _is_code,
        "centre": _is_code,
        "created_at": _is_text,
        "signer": lambda v: isinstance(v, str) and is_fingerprint(v),
        **HEADER_FIELDS[kind],
    }
    for name, check in checks.items():
        if not check(manifest.get(name)):
            raise _bad_manifest(_("field {name} is missing or wrong").format(name=name))
    _check_parts(manifest.get("parts"), kind)
    if kind == CENTRE_EXPORT and manifest["seq_to"] < manifest["seq_from"] - 1:
        raise _bad_manifest(_("seq_to is before seq_from"))


def _check_parts(parts: object, kind: str) -> None:
    if not isinstance(parts, list):
        raise _bad_manifest(_("field {name} is missing or wrong").format(name="parts"))
    names: list[str] = []
    for part in parts:
        if not isinstance(part, dict) or not all(f(part.get(k)) for k, f in _PART_FIELDS.items()):
            raise _bad_manifest(_("field {name} is missing or wrong").format(name="parts"))
        names.append(part["name"])
    if len(set(names)) != len(names):
        raise _bad_manifest(_("a part is listed twice"))
    for required in REQUIRED_PARTS[kind]:
        if required not in names:
            raise _bad_manifest(_("the part {name} is missing").format(name=required))
