"""Look-ups shared by the district services: the identity, enrolled centres, their keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import StorageError
from timebank_desktop.domain.signing import PrivateKey, PublicKey
from timebank_desktop.i18n import _
from timebank_desktop.models.district import DistrictCentre, DistrictIdentity

ACTIVE, FROZEN = "active", "frozen"


def load_identity(session: Session) -> DistrictIdentity:
    identity = session.scalars(select(DistrictIdentity)).first()
    if identity is None:
        raise StorageError(
            _("This database has no district yet: run `timebank district init` first")
        )
    return identity


def private_key(identity: DistrictIdentity) -> PrivateKey:
    return PrivateKey.from_text(identity.private_key)


def centre_keys(session: Session) -> dict[str, PublicKey]:
    """Enrolled centre code → its public key."""
    rows = session.execute(select(DistrictCentre.code, DistrictCentre.public_key))
    return {code: PublicKey.from_text(key) for code, key in rows}


def centre_ids(session: Session) -> dict[str, int]:
    return {c: i for c, i in session.execute(select(DistrictCentre.code, DistrictCentre.id))}
