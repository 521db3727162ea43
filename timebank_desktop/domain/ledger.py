"""Ledger entries as values: kinds, postings, the zero-sum rule and the hash chain.

The canonical bytes of a transaction are compact, key-sorted UTF-8 JSON. Free text (the memo)
enters only as its SHA-256, so a sync file can carry the chain without personal text and the
district can still recompute every hash. ``hash = SHA-256(prev_hash ‖ canonical bytes)``; the
first transaction of a chain follows `GENESIS`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from timebank_desktop.domain.errors import Problem
from timebank_desktop.i18n import N_, _

GENESIS = "0" * 64
CANONICAL_VERSION = 1


class TxKind(StrEnum):
    SERVICE = "service"  # a service: volunteer credited, payer (recipient/pool/clearing) debited
    GRANT = "grant"  # 发放 from the community pool
    TRANSFER = "transfer"  # 转赠 to a relative
    DONATION = "donation"  # 捐赠 to the pool (also hours above the storage cap)
    REDEMPTION = "redemption"  # 兑换 for goods
    OPENING = "opening"  # 期初余额 carried from paper
    REVERSAL = "reversal"  # 冲正 of an earlier transaction
    MIRROR = "mirror"  # a cross-centre entry mirrored from the district statement

    @property
    def label(self) -> str:
        return _(KIND_LABELS[self])


KIND_LABELS = {
    TxKind.SERVICE: N_("service"),
    TxKind.GRANT: N_("grant"),
    TxKind.TRANSFER: N_("transfer"),
    TxKind.DONATION: N_("donation"),
    TxKind.REDEMPTION: N_("exchange for goods"),
    TxKind.OPENING: N_("opening balance"),
    TxKind.REVERSAL: N_("reversal"),
    TxKind.MIRROR: N_("cross-centre entry"),
}


class AccountKind(StrEnum):
    MEMBER = "member"
    POOL = "pool"
    GOODS = "goods"
    CLEARING = "clearing"


POOL_ACCOUNT = "pool"
GOODS_ACCOUNT = "goods"


def member_account_code(member_no: str) -> str:
    return f"member:{member_no}"


def clearing_account_code(centre_code: str) -> str:
    return f"clearing:{centre_code}"


@dataclass(frozen=True, slots=True)
class PostingLine:
    account: str  # account code
    amount: int  # minutes; positive credits the account, negative debits it


@dataclass(frozen=True, slots=True)
class TxValue:
    """Everything the chain hash covers."""

    centre: str
    seq: int
    id: str
    kind: str
    value_date: date
    booked_on: date
    recorded_at: datetime  # naive UTC, whole seconds
    memo: str
    reverses: str | None
    record: str | None
    funding: str | None
    staff: str
    postings: tuple[PostingLine, ...]


def memo_digest(memo: str) -> str:
    return hashlib.sha256(memo.encode("utf-8")).hexdigest()


def canonical_dict(tx: TxValue, memo_sha256: str | None = None) -> dict[str, object]:
    return {
        "v": CANONICAL_VERSION,
        "centre": tx.centre,
        "seq": tx.seq,
        "id": tx.id,
        "kind": tx.kind,
        "value_date": tx.value_date.isoformat(),
        "booked_on": tx.booked_on.isoformat(),
        "recorded_at": tx.recorded_at.isoformat(timespec="seconds"),
        "memo_sha256": memo_sha256 if memo_sha256 is not None else memo_digest(tx.memo),
        "reverses": tx.reverses,
        "record": tx.record,
        "funding": tx.funding,
        "staff": tx.staff,
        "postings": [[p.account, p.amount] for p in tx.postings],
    }


def canonical_json(tx: TxValue, memo_sha256: str | None = None) -> str:
    """The reference form: ``canonical_dict`` as compact JSON, keys sorted, UTF-8 kept."""
    return json.dumps(
        canonical_dict(tx, memo_sha256), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


_text = json.encoder.encode_basestring  # the C encoder json.dumps uses with ensure_ascii=False


def _text_or_null(value: str | None) -> str:
    return "null" if value is None else _text(value)


def canonical_bytes(tx: TxValue, memo_sha256: str | None = None) -> bytes:
    """``canonical_json(tx)`` encoded, byte for byte (the tests hold the two equal).

    Written out in sorted key order by hand because verify and sync do it for every one of
    half a million transactions, and the generic encoder takes twice as long.
    """
    postings = ",".join(f"[{_text(p.account)},{int(p.amount)}]" for p in tx.postings)
    memo = memo_sha256 if memo_sha256 is not None else memo_digest(tx.memo)
    return (
        f'{{"booked_on":"{tx.booked_on.isoformat()}","centre":{_text(tx.centre)},'
        f'"funding":{_text_or_null(tx.funding)},"id":{_text(tx.id)},"kind":{_text(tx.kind)},'
        f'"memo_sha256":{_text(memo)},"postings":[{postings}],'
        f'"record":{_text_or_null(tx.record)},'
        f'"recorded_at":"{tx.recorded_at.isoformat(timespec="seconds")}",'
        f'"reverses":{_text_or_null(tx.reverses)},"seq":{int(tx.seq)},'
        f'"staff":{_text(tx.staff)},"v":{CANONICAL_VERSION},'
        f'"value_date":"{tx.value_date.isoformat()}"}}'
    ).encode()


def chain_hash(prev_hash: str, tx: TxValue, memo_sha256: str | None = None) -> str:
    digest = hashlib.sha256(bytes.fromhex(prev_hash))
    digest.update(canonical_bytes(tx, memo_sha256))
    return digest.hexdigest()


def posting_problems(postings: tuple[PostingLine, ...] | list[PostingLine]) -> list[Problem]:
    """A transaction needs two or more non-zero postings that sum to zero."""
    found: list[Problem] = []
    if len(postings) < 2:
        found.append(Problem("ledger.postings", _("A transaction needs at least two postings")))
    if any(p.amount == 0 for p in postings):
        found.append(Problem("ledger.zero_posting", _("A posting cannot be zero")))
    if sum(p.amount for p in postings) != 0:
        found.append(Problem("ledger.unbalanced", _("The postings do not sum to zero")))
    return found


def reversed_postings(postings: tuple[PostingLine, ...]) -> tuple[PostingLine, ...]:
    return tuple(PostingLine(p.account, -p.amount) for p in postings)
