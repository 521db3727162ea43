"""Verify a centre file and compute its effects in one pass (in a worker or in place).

`prepare_bytes` reads a file's rows once: the reader verifies each row
(`verify.verify_centre_file`) and hands it to `effects.FileEffects`, which computes what the
rows do, assuming the file continues its centre's chain. The importer then writes the effects
in its own database transaction when the file does continue the chain as the district holds
it; anything else (already imported, overlap, gap, fork) goes through the ordinary placing
path. `prepare` does the same in a worker process (`district import --jobs N`); for those
other cases the main process then reads and verifies the file again. Neither touches the
database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from timebank_desktop.domain.signing import PublicKey
from timebank_desktop.exports.sync import Bundle
from timebank_desktop.exports.sync.reader import load_file
from timebank_desktop.i18n import set_language
from timebank_desktop.services.district.effects import FileEffects
from timebank_desktop.services.district.heap import fewer_collections
from timebank_desktop.services.district.verify import verify_centre_file

MAX_PREPARED_BYTES = 64 << 20  # larger files are imported in the main process (memory)


@dataclass
class Prepared:
    """A verified file and its effects (``effects`` None: too large, import it in place)."""

    source: str
    sha256: str
    centre: str
    header: dict[str, Any]
    effects: FileEffects | None


def prepare(source: str, district: str, keys: dict[str, str], language: str) -> Prepared:
    """Run in a worker: read, verify, compute. Raises `FileRejected` like the importer."""
    set_language(language)
    with fewer_collections():
        data = load_file(source)
        trusted = {code: PublicKey.from_text(key) for code, key in keys.items()}
        prepared = prepare_bytes(data, source, district, trusted)[1]
        if prepared.effects is not None:
            prepared.effects.pack()  # it goes back to the writer pickled
    return prepared


def prepare_bytes(
    data: bytes, source: str, district: str, keys: Mapping[str, PublicKey]
) -> tuple[Bundle, Prepared]:
    """Verify a file and compute its effects in the same pass over its rows (in any process).

    Raises:
        FileRejected: as `verify_centre_file`.
    """
    effects = FileEffects() if len(data) <= MAX_PREPARED_BYTES else None
    if effects is None:
        bundle = verify_centre_file(data, district, keys)
    else:
        bundle = verify_centre_file(data, district, keys, effects.sinks(), effects.keep_plain)
        effects.summarise()
    header = dict(bundle.header)
    return bundle, Prepared(source, bundle.file_sha256, bundle.centre, header, effects)
