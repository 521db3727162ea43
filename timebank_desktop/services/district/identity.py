"""The district's identity and its centres: `district init`, `enrol`, `config`, `resolve`.

``init`` makes the district's Ed25519 key pair, its member-key secret and the passphrase that
seals the secret in configuration files (told to centres by telephone or on paper, never in
the file). ``enrol`` stores a centre's key from its self-signed enrolment file once staff have
compared the fingerprint with the one on paper. ``config`` writes the signed configuration:
the district's public key, the sealed secret and the registry of enrolled centres.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from timebank_desktop.domain.errors import FileRejected, Refused, ValidationError
from timebank_desktop.domain.ledger import GENESIS
from timebank_desktop.domain.memberkey import DistrictSecret, seal_secret
from timebank_desktop.domain.signing import PublicKey, generate_key_pair, normalise_fingerprint
from timebank_desktop.exports.sync import (
    CENTRES,
    DISTRICT_CONFIG,
    ENROLMENT,
    SignerInfo,
    WrittenBundle,
    read_bundle,
    trust_self_signed,
    write_bundle,
)
from timebank_desktop.exports.sync.manifest import CODE_RE
from timebank_desktop.exports.sync.reader import load_file
from timebank_desktop.i18n import _
from timebank_desktop.models.district import DistrictAlarm, DistrictCentre, DistrictIdentity
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.registry import ACTIVE, FROZEN, load_identity, private_key

_PASS_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out by telephone


@dataclass(frozen=True, slots=True)
class DistrictInfo:
    code: str
    name: str
    fingerprint: str
    passphrase: str


@dataclass(frozen=True, slots=True)
class EnrolledCentre:
    code: str
    name: str
    fingerprint: str
    new: bool


def new_passphrase() -> str:
    """Four groups of four unambiguous characters (about 79 bits)."""
    chars = "".join(secrets.choice(_PASS_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


class DistrictIdentityService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def init(self, code: str, name: str = "") -> DistrictInfo:
        if not CODE_RE.fullmatch(code):
            raise ValidationError.single(
                "district.code",
                _("The district code must be 1–16 letters, digits, '-' or '_'"),
                "district_code",
            )
        with self.ctx.write() as session:
            if session.scalars(select(DistrictIdentity)).first() is not None:
                raise Refused(_("This database already belongs to a district"))
            private, public = generate_key_pair()
            passphrase = new_passphrase()
            session.add(
                DistrictIdentity(
                    id=1,
                    code=code,
                    name=name.strip() or code,
                    public_key=public.hex(),
                    private_key=private.hex(),
                    member_key_secret=DistrictSecret.generate().hex(),
                    passphrase=passphrase,
                    config_seq=0,
                    statement_seq=0,
                    created_at=self.ctx.now(),
                )
            )
        return DistrictInfo(code, name.strip() or code, public.fingerprint, passphrase)

    def info(self) -> DistrictInfo:
        with self.ctx.read() as session:
            ident = load_identity(session)
            key = PublicKey.from_text(ident.public_key)
            return DistrictInfo(ident.code, ident.name, key.fingerprint, ident.passphrase)

    def enrol(
        self, path: str | os.PathLike[str], fingerprint: str | None = None
    ) -> EnrolledCentre:
        """Store a centre's key from its enrolment file (refused if ``fingerprint`` differs)."""
        data = load_file(path)
        with self.ctx.read() as session:
            district = load_identity(session).code

        def trust(info: SignerInfo) -> PublicKey | None:
            if info.type != ENROLMENT:
                raise FileRejected(
                    _("This is not an enrolment file (it is a {kind} file)").format(kind=info.type)
                )
            if info.district != district:
                raise FileRejected(
                    _("The file is for district {theirs}, not this district ({ours})").format(
                        theirs=info.district, ours=district
                    )
                )
            return trust_self_signed(info)

        bundle = read_bundle(data, trust)
        key = bundle.signer
        if fingerprint is not None and normalise_fingerprint(fingerprint) != key.fingerprint:
            raise FileRejected(
                _("The fingerprint does not match the paper copy: the file says {found}").format(
                    found=key.fingerprint
                )
            )
        code, name = bundle.centre, str(bundle.header["centre_name"])
        with self.ctx.write() as session:
            found = session.scalars(
                select(DistrictCentre).where(DistrictCentre.code == code)
            ).first()
            if found is not None:
                if found.public_key != key.hex():
                    raise Refused(
                        _(
                            "Centre {code} is already enrolled with another key ({fingerprint})"
                        ).format(code=code, fingerprint=found.fingerprint)
                    )
                return EnrolledCentre(code, found.name, found.fingerprint, new=False)
            session.add(
                DistrictCentre(
                    code=code,
                    name=name,
                    public_key=key.hex(),
                    fingerprint=key.fingerprint,
                    status=ACTIVE,
                    epoch=1,
                    head_seq=0,
                    head_hash=GENESIS,
                    enrolled_at=self.ctx.now(),
                    last_file_at=None,
                )
            )
        return EnrolledCentre(code, name, key.fingerprint, new=True)

    def config(self, path: str | os.PathLike[str], passphrase: str | None = None) -> WrittenBundle:
        """Write the signed district configuration (the secret sealed with the passphrase)."""
        with self.ctx.write() as session:
            ident = load_identity(session)
            centres = session.scalars(select(DistrictCentre).order_by(DistrictCentre.code)).all()
            if not centres:
                raise Refused(_("No centre is enrolled yet: enrol centres first"))
            ident.config_seq += 1
            sealed = seal_secret(
                DistrictSecret.from_hex(ident.member_key_secret), passphrase or ident.passphrase
            )
            header = {
                "type": DISTRICT_CONFIG,
                "district": ident.code,
                "centre": ident.code,
                "created_at": self.ctx.now().isoformat() + "Z",
                "district_name": ident.name,
                "config_seq": ident.config_seq,
                "district_public_key": ident.public_key,
                "member_key_secret": sealed,
            }
            rows = [{"code": c.code, "name": c.name, "public_key": c.public_key} for c in centres]
            return write_bundle(Path(path), header, {CENTRES: rows}, private_key(ident))

    def resolve(self, code: str, note: str = "") -> int:
        """Close a centre's fork alarms and unfreeze it; returns how many alarms were closed."""
        with self.ctx.write() as session:
            centre = session.scalars(
                select(DistrictCentre).where(DistrictCentre.code == code)
            ).first()
            if centre is None:
                raise Refused(_("Centre {code} is not enrolled").format(code=code))
            alarms = session.scalars(
                select(DistrictAlarm).where(
                    DistrictAlarm.centre_id == centre.id, DistrictAlarm.resolved_at.is_(None)
                )
            ).all()
            if centre.status != FROZEN and not alarms:
                raise Refused(_("Centre {code} has no open fork alarm").format(code=code))
            for alarm in alarms:
                alarm.resolved_at, alarm.resolution = self.ctx.now(), note
            centre.status = ACTIVE
            return len(alarms)
