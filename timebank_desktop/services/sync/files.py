"""`sync enrolment` and `sync import`: the files a centre sends once and the files it receives.

Every file is read and verified completely (signature by a trusted key, hashes, district,
format version) before anything is written, and applied in one database transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from timebank_desktop.domain.errors import FileRejected, ValidationError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.sync import (
    DISTRICT_CONFIG,
    ENROLMENT,
    Bundle,
    read_bundle,
    write_bundle,
)
from timebank_desktop.i18n import _
from timebank_desktop.models import Centre
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.sync.common import (
    DistrictTrust,
    centre_key,
    created_at,
    load_config,
)
from timebank_desktop.services.sync.config import apply_config
from timebank_desktop.services.sync.result import ImportResult
from timebank_desktop.services.sync.statement import apply_statement


@dataclass(frozen=True, slots=True)
class EnrolmentResult:
    path: Path
    centre: str
    name: str
    public_key: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What a district file is, shown before importing it (the fingerprint to compare)."""

    type: str
    district: str
    seq: int
    fingerprint: str
    first_contact: bool

    @property
    def is_config(self) -> bool:
        return self.type == DISTRICT_CONFIG


def _district_of(centre: Centre) -> str:
    if not centre.district_code:
        raise ValidationError.single(
            "sync.district",
            _("This centre has no district code yet: set it in the settings first"),
            "district_code",
        )
    return centre.district_code


class SyncFileService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def enrolment(self, path: str | Path) -> EnrolmentResult:
        """Write this centre's enrolment file (its public key, self-signed)."""
        ctx = self.ctx
        ctx.require(Permission.EXPORT)
        with ctx.read() as session:
            centre = load_centre(session)
            config = load_config(session)
            district = config.district_code if config else _district_of(centre)
            key = centre_key(centre.private_key)
            header = {
                "type": ENROLMENT, "district": district, "centre": centre.code,
                "created_at": created_at(ctx), "centre_name": centre.name[:200],
                "public_key": key.public_key().hex(),
            }  # fmt: skip
            code, name = centre.code, centre.name
        written = write_bundle(path, header, {}, key)
        with ctx.write() as session:
            ctx.audit(session, "sync.enrolment", "centre", code, file_sha256=written.file_sha256)
        public = key.public_key()
        return EnrolmentResult(written.path, code, name, public.hex(), public.fingerprint)

    def _read(self, path: str | Path) -> tuple[Bundle, bool]:
        with self.ctx.read() as session:
            centre = load_centre(session)
            trust = DistrictTrust(load_config(session), centre.district_code)
        bundle = read_bundle(path, trust)
        return bundle, trust.first_contact

    def inspect(self, path: str | Path) -> FileSummary:
        """Verify a district file and say what it is, without importing it."""
        bundle, first = self._read(path)
        seq_field = "config_seq" if bundle.type == DISTRICT_CONFIG else "statement_seq"
        return FileSummary(
            bundle.type, bundle.district, int(bundle.header[seq_field]),
            bundle.signer.fingerprint, first,
        )  # fmt: skip

    def import_file(
        self,
        path: str | Path,
        *,
        passphrase: str | None = None,
        fingerprint: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        new_epoch: bool = False,
    ) -> ImportResult:
        """Import a district configuration or statement; all or nothing, idempotent.

        ``progress`` follows a statement's member balances; raising from it cancels the
        import and nothing is written. ``new_epoch``: a statement showing this ledger behind
        the district's copy of its chain starts a new chain epoch instead of being refused
        (`sync.epoch.EpochNeeded`).
        """
        ctx = self.ctx
        ctx.require(Permission.IMPORT)
        bundle, _first = self._read(path)
        with ctx.write() as session:
            centre = load_centre(session)
            # The configuration may have changed since the file was read: check again.
            if load_config(session) is None and bundle.type != DISTRICT_CONFIG:
                raise FileRejected(_("Load the district configuration before its statements"))
            if bundle.type == DISTRICT_CONFIG:
                return apply_config(session, ctx, bundle, centre, passphrase, fingerprint)
            return apply_statement(session, ctx, bundle, centre, progress, new_epoch=new_epoch)
