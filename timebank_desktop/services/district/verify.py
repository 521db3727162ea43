"""Reading and verifying a centre file for the district (the same rules in every process)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.signing import PublicKey
from timebank_desktop.exports.sync import CENTRE_EXPORT, Bundle, SignerInfo, read_bundle
from timebank_desktop.exports.sync.container import DEFAULT_LIMITS
from timebank_desktop.exports.sync.txlines import RowSink
from timebank_desktop.i18n import _


def read_file_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, refusing anything over the size cap before reading it."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > DEFAULT_LIMITS.max_file_bytes:
                raise FileRejected(
                    _("The file is too large ({size} bytes; at most {cap})").format(
                        size=size, cap=DEFAULT_LIMITS.max_file_bytes
                    )
                )
            return handle.read()
    except OSError as exc:
        raise FileRejected(
            _("The file cannot be read: {reason}").format(reason=exc.strerror or exc)
        ) from None


def verify_centre_file(
    data: bytes,
    district: str,
    keys: Mapping[str, PublicKey],
    sinks: Mapping[str, RowSink] | None = None,
) -> Bundle:
    """Verify a centre export for ``district``, signed by the enrolled key of its sender.

    ``sinks``: per part, a function given each row as it is verified (`read_bundle`).
    """

    def trust(info: SignerInfo) -> PublicKey | None:
        if info.district != district:
            raise FileRejected(
                _("The file is for district {theirs}, not this district ({ours})").format(
                    theirs=info.district, ours=district
                )
            )
        if info.type != CENTRE_EXPORT:
            raise FileRejected(
                _("This is not a centre export file (it is a {kind} file)").format(kind=info.type)
            )
        return keys.get(info.centre)

    return read_bundle(data, trust, sinks=sinks)
