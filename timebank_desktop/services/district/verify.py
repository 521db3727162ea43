"""Reading and verifying a centre file for the district (the same rules in every process)."""

from __future__ import annotations

from collections.abc import Mapping

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.signing import PublicKey
from timebank_desktop.exports.sync import CENTRE_EXPORT, Bundle, SignerInfo, read_bundle
from timebank_desktop.exports.sync.txlines import PlainSink, RowSink
from timebank_desktop.i18n import _


def verify_centre_file(
    data: bytes,
    district: str,
    keys: Mapping[str, PublicKey],
    sinks: Mapping[str, RowSink] | None = None,
    plain: PlainSink | None = None,
) -> Bundle:
    """Verify a centre export for ``district``, signed by the enrolled key of its sender.

    ``sinks``: per part, a function given each row as it is verified; ``plain``: given the
    common transactions as tuples instead (`read_bundle`).
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

    return read_bundle(data, trust, sinks=sinks, plain=plain)
