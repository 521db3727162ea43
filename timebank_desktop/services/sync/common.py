"""What the centre's sync services share: the loaded configuration, keys, accounts, trust."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected, Refused
from timebank_desktop.domain.ledger import AccountKind, clearing_account_code
from timebank_desktop.domain.memberkey import DistrictSecret, member_key
from timebank_desktop.domain.signing import PrivateKey, PublicKey
from timebank_desktop.exports.sync import DISTRICT_CONFIG, DISTRICT_STATEMENT, SignerInfo
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, Member, SyncConfig, SyncStatement
from timebank_desktop.services.context import AppContext

CONFIG_ROW = 1
VISITOR_PREFIX = "V"


@dataclass(frozen=True, slots=True)
class DistrictInfo:
    """The loaded district configuration as the pages and the CLI show it."""

    code: str
    name: str
    fingerprint: str
    config_seq: int
    centres: tuple[tuple[str, str], ...]  # (code, name) of every enrolled centre


def load_config(session: Session) -> SyncConfig | None:
    return session.get(SyncConfig, CONFIG_ROW)


def require_config(session: Session) -> SyncConfig:
    """The loaded configuration, or a refusal telling staff to load it first."""
    config = load_config(session)
    if config is None:
        raise Refused(
            _(
                "Load the district configuration first (sync import): member keys need "
                "the district's member-key secret"
            )
        )
    return config


def secret_of(config: SyncConfig) -> DistrictSecret:
    return DistrictSecret.from_hex(config.member_key_secret)


def district_key(config: SyncConfig) -> PublicKey:
    return PublicKey.from_text(config.public_key)


def last_statement(session: Session) -> SyncStatement | None:
    return session.scalar(
        select(SyncStatement).order_by(SyncStatement.statement_seq.desc()).limit(1)
    )


def created_at(ctx: AppContext) -> str:
    """The informational ``created_at`` of a file: ISO 8601 UTC, whole seconds."""
    return ctx.clock.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def centre_key(private_key_text: str) -> PrivateKey:
    return PrivateKey.from_text(private_key_text)


def member_keys(session: Session, secret: DistrictSecret) -> dict[str, str]:
    """Member key → member number for every member of this centre (a few ms per thousand)."""
    found: dict[str, str] = {}
    for number, id_number in session.execute(select(Member.member_no, Member.id_number)):
        found[member_key(secret, id_number)] = number
    return found


def ensure_clearing_account(session: Session, ctx: AppContext, centre: str) -> str:
    """The clearing account for another centre (created on first use); returns its code."""
    code = clearing_account_code(centre)
    if session.scalar(select(Account.id).where(Account.code == code)) is None:
        session.add(
            Account(
                id=ctx.new_id(),
                code=code,
                kind=AccountKind.CLEARING.value,
                member_id=None,
                balance_minutes=0,
                created_at=ctx.now(),
            )
        )
        session.flush()
    return code


def chunks(items: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class DistrictTrust:
    """The reader's trust callback for files a centre imports.

    A configuration is trusted by its own key only on first contact (the caller then compares
    the fingerprint with the paper copy); afterwards only the stored district key is trusted,
    and only for files of this centre's district.
    """

    def __init__(self, config: SyncConfig | None, own_district: str) -> None:
        self.config = config
        self.own_district = own_district
        self.first_contact = False

    def __call__(self, info: SignerInfo) -> PublicKey | None:
        if info.type not in (DISTRICT_CONFIG, DISTRICT_STATEMENT):
            raise FileRejected(
                _(
                    "This is a {type} file: a centre imports only the district's "
                    "configuration and statements"
                ).format(type=info.type)
            )
        expected = self.config.district_code if self.config else self.own_district
        if expected and info.district != expected:
            raise FileRejected(
                _("This file is for district {found}; this centre belongs to district {ours}")
                .format(found=info.district, ours=expected)
            )  # fmt: skip
        if info.centre != info.district:
            raise FileRejected(_("This file was not sent by the district itself"))
        if self.config is None:
            if info.type != DISTRICT_CONFIG:
                raise Refused(
                    _("Load the district configuration before its statements (sync import)")
                )
            value = info.manifest.get("district_public_key")
            self.first_contact = True
            return PublicKey.from_text(value) if isinstance(value, str) else None
        stored = district_key(self.config)
        return stored if stored.fingerprint == info.fingerprint else None
