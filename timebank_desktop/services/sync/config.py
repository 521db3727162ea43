"""Load the district configuration: district key, member-key secret, the centre registry.

First contact trusts the key inside the file only after staff confirm its fingerprint against
the paper copy; the sealed secret is opened with the passphrase the district gave by another
channel. A later configuration must be signed by the stored key and have a higher
``config_seq``; the same or an older one changes nothing.
"""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected, Refused, ValidationError
from timebank_desktop.domain.memberkey import open_secret
from timebank_desktop.domain.signing import normalise_fingerprint
from timebank_desktop.exports.sync import CENTRES, Bundle
from timebank_desktop.i18n import _
from timebank_desktop.models import Centre, SyncCentre, SyncConfig
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.sync.common import CONFIG_ROW, load_config
from timebank_desktop.services.sync.result import ImportResult


def _check_fingerprint(bundle: Bundle, fingerprint: str | None) -> None:
    actual = bundle.signer.fingerprint
    if not fingerprint:
        raise Refused(
            _(
                "First district configuration: compare its fingerprint {fingerprint} with the "
                "one the district printed, then confirm it"
            ).format(fingerprint=actual),
            (),
        )
    if normalise_fingerprint(fingerprint) != actual:
        raise FileRejected(
            _(
                "The fingerprint does not match: the file is signed by {actual}, the paper "
                "says {given}. Do not load this file"
            ).format(actual=actual, given=normalise_fingerprint(fingerprint))
        )


def _registry(bundle: Bundle, centre: Centre) -> list[dict[str, str]]:
    rows = [
        {"code": r["code"], "name": r["name"], "public_key": r["public_key"]}
        for r in bundle.rows(CENTRES)
    ]
    ours = next((r for r in rows if r["code"] == centre.code), None)
    if ours is None:
        raise FileRejected(
            _("The district configuration does not list this centre ({code}): enrol it first")
            .format(code=centre.code)
        )  # fmt: skip
    if ours["public_key"].lower() != centre.public_key.lower():
        raise FileRejected(
            _("The district has enrolled a different key for this centre ({code})").format(
                code=centre.code
            )
        )
    if len({r["code"] for r in rows}) != len(rows):
        raise FileRejected(_("The district configuration lists a centre twice"))
    return rows


def apply_config(
    session: Session,
    ctx: AppContext,
    bundle: Bundle,
    centre: Centre,
    passphrase: str | None,
    fingerprint: str | None,
) -> ImportResult:
    """Apply a verified district-config bundle inside the caller's transaction."""
    header = bundle.header
    config = load_config(session)
    seq = int(header["config_seq"])
    if config is not None and seq <= config.config_seq:
        return ImportResult(
            "config",
            _("Already loaded: district configuration {seq} (this centre has {have})").format(
                seq=seq, have=config.config_seq
            ),
            already=True,
        )
    if config is None:
        _check_fingerprint(bundle, fingerprint)
    rows = _registry(bundle, centre)
    secret_hex = config.member_key_secret if config else None
    if passphrase:
        secret = open_secret(header["member_key_secret"], passphrase).hex()
        if secret_hex is not None and secret != secret_hex:
            raise Refused(
                _("The district changed its member-key secret: ask the district what to do")
            )
        secret_hex = secret
    if secret_hex is None:
        raise ValidationError.single(
            "sync.passphrase",
            _("Enter the passphrase the district gave you for the member-key secret"),
            "passphrase",
        )
    if config is None:
        config = SyncConfig(id=CONFIG_ROW)
        session.add(config)
    config.district_code = bundle.district
    config.district_name = str(header["district_name"])
    config.public_key = str(header["district_public_key"]).lower()
    config.config_seq = seq
    config.member_key_secret = secret_hex
    config.file_sha256 = bundle.file_sha256
    config.loaded_at = ctx.now()
    config.loaded_by = ctx.actor.username
    if not centre.district_code:
        centre.district_code = bundle.district
    session.execute(delete(SyncCentre))
    session.execute(insert(SyncCentre), rows)
    ctx.audit(
        session,
        "sync.config",
        "district",
        bundle.district,
        config_seq=seq,
        centres=len(rows),
        fingerprint=bundle.signer.fingerprint,
    )
    return ImportResult(
        "config",
        _("District configuration {seq} of {district} loaded: {n} centres").format(
            seq=seq, district=bundle.district, n=len(rows)
        ),
    )
