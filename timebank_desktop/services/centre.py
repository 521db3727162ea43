"""Setting up a centre: its identity, keys, system accounts, categories and default policy."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.categories import DEFAULT_CATEGORIES
from timebank_desktop.domain.errors import Problem, Refused, StorageError, ValidationError
from timebank_desktop.domain.ledger import GENESIS, GOODS_ACCOUNT, POOL_ACCOUNT, AccountKind
from timebank_desktop.domain.policy import DEFAULT_POLICY
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, Category, Centre, LedgerHead
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.policy import store_policy

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,15}")


@dataclass(frozen=True, slots=True)
class CentreInfo:
    id: str
    code: str
    name: str
    district_code: str
    device_id: str
    public_key: str


def _info(centre: Centre) -> CentreInfo:
    return CentreInfo(
        centre.id,
        centre.code,
        centre.name,
        centre.district_code,
        centre.device_id,
        centre.public_key,
    )


def load_centre(session: Session) -> Centre:
    centre = session.scalars(select(Centre)).first()
    if centre is None:
        raise StorageError(
            _("This database has no centre yet: run the set-up wizard or `timebank init`")
        )
    return centre


def _new_keys() -> tuple[str, str]:
    private = Ed25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return raw_private.hex(), raw_public.hex()


MAX_CENTRE_NAME = 100


def validate_centre(code: str, name: str, district_code: str) -> None:
    problems: list[Problem] = []
    if not _CODE.fullmatch(code):
        problems.append(
            Problem(
                "centre.code",
                _("The centre code must be 1–16 letters, digits, '-' or '_'"),
                "centre_code",
            )
        )
    if not name.strip():
        problems.append(Problem("centre.name", _("The centre name is required"), "centre_name"))
    elif len(name.strip()) > MAX_CENTRE_NAME:  # centre.name is VARCHAR(100)
        problems.append(
            Problem(
                "centre.name_long",
                _("The centre name is too long (at most {n} characters)").format(
                    n=MAX_CENTRE_NAME
                ),
                "centre_name",
            )
        )
    if district_code and not _CODE.fullmatch(district_code):
        problems.append(
            Problem(
                "centre.district",
                _("The district code must be 1–16 letters, digits, '-' or '_'"),
                "district_code",
            )
        )
    if problems:
        raise ValidationError.of(problems)


class CentreService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def exists(self) -> bool:
        with self.ctx.read() as session:
            return session.scalars(select(Centre.id)).first() is not None

    def get(self) -> CentreInfo:
        with self.ctx.read() as session:
            return _info(load_centre(session))

    def init(self, code: str, name: str, district_code: str = "") -> CentreInfo:
        """Create this database's centre; refused if it already has one."""
        code, name, district_code = code.strip(), name.strip(), district_code.strip()
        validate_centre(code, name, district_code)
        ctx = self.ctx
        with ctx.write() as session:
            existing = session.scalars(select(Centre)).first()
            if existing is not None:
                raise Refused(
                    _("This database already belongs to centre {code}").format(code=existing.code)
                )
            private, public = _new_keys()
            centre = Centre(
                id=ctx.new_id(),
                code=code,
                name=name,
                district_code=district_code,
                device_id=ctx.new_id(),
                public_key=public,
                private_key=private,
                chain_epoch=1,
                created_at=ctx.now(),
            )
            session.add(centre)
            session.add(LedgerHead(centre_code=code, last_seq=0, last_hash=GENESIS))
            for account_code, kind in (
                (POOL_ACCOUNT, AccountKind.POOL),
                (GOODS_ACCOUNT, AccountKind.GOODS),
            ):
                session.add(
                    Account(
                        id=ctx.new_id(),
                        code=account_code,
                        kind=kind.value,
                        member_id=None,
                        balance_minutes=0,
                        created_at=ctx.now(),
                    )
                )
            for order, cat in enumerate(DEFAULT_CATEGORIES):
                session.add(
                    Category(
                        code=cat.code,
                        name_zh=cat.name_zh,
                        name_en=cat.name_en,
                        weight_permille=cat.weight_permille,
                        sort_order=order,
                        active=True,
                    )
                )
            store_policy(session, ctx, DEFAULT_POLICY)
            ctx.audit(session, "centre.init", "centre", centre.id, code=code, name=name)
            session.flush()
            return _info(centre)

    def rename(self, name: str, district_code: str | None = None) -> CentreInfo:
        self.ctx.require(Permission.SETTINGS)
        with self.ctx.write() as session:
            centre = load_centre(session)
            validate_centre(centre.code, name, district_code or centre.district_code)
            centre.name = name.strip()
            if district_code is not None:
                centre.district_code = district_code.strip()
            self.ctx.audit(session, "centre.edit", "centre", centre.id, name=name)
            return _info(centre)
