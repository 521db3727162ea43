"""Cross-centre redemption (通兑): honour a visiting member's hours against the statement.

A visitor is a member of another centre, known here only by member key (HMAC of the ID number
they show, with the district's secret). What they may spend here is the balance the last
district statement gives for that key, minus what this centre honoured for them after the
statement's cut-off (our head in the statement), and at most the policy's away allowance
between two statements (visitor_standing.py). Honouring books two transactions
(docs/sync-format.md §5.1): the clearing leg ``member:V… += x, clearing:<home> −= x`` and
either the service ``member:<volunteer> += x, member:V… −= x`` or an exchange for goods (兑换)
``member:V… −= x, goods += x``. The home centre mirrors the debit when the district statement
reaches it. A visit is voided by reversing both (visitor_void.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain import idnumber
from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.ledger import (
    GOODS_ACCOUNT,
    AccountKind,
    PostingLine,
    TxKind,
    member_account_code,
)
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.policy import Policy
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import Account, Category, SyncVisit, SyncVisitor
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import next_value
from timebank_desktop.services.goods import redemption_memo, take_for_redemption
from timebank_desktop.services.ledger_writer import LedgerWriter, PostedTx, TxSpec
from timebank_desktop.services.members import resolve
from timebank_desktop.services.policy import policy_for
from timebank_desktop.services.sync.common import VISITOR_PREFIX, ensure_clearing_account
from timebank_desktop.services.sync.visitor_list import LIMIT as LIST_LIMIT
from timebank_desktop.services.sync.visitor_list import VisitRow, recent_visits
from timebank_desktop.services.sync.visitor_standing import VisitorStanding, key_of, standing_of
from timebank_desktop.services.sync.visitor_void import VisitVoided, void_visit

__all__ = [
    "RedeemInput",
    "RedeemResult",
    "VisitInput",
    "VisitResult",
    "VisitVoided",
    "VisitorService",
    "VisitorStanding",
]

MAX_ITEM = 200  # the item becomes the redemption's note (at most 200 characters)


@dataclass(frozen=True, slots=True)
class VisitInput:
    id_number: str  # shown by the visitor; only its member key is kept
    volunteer: str  # a member of this centre
    category: str
    service_date: date
    duration_minutes: int
    home_centre: str | None = None  # needed when the statement does not say
    name: str = ""  # optional, for the counter staff


@dataclass(frozen=True, slots=True)
class VisitResult:
    visitor_no: str
    home_centre: str
    credited_minutes: int
    clearing_seq: int
    service_seq: int
    remaining: int


@dataclass(frozen=True, slots=True)
class RedeemInput:
    """A visitor exchanges hours for goods (兑换) here, as a member's ``redeem`` does."""

    id_number: str
    amount_minutes: int
    item: str  # a catalogued item comes off its stock; anything else is free text
    home_centre: str | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class RedeemResult:
    visitor_no: str
    home_centre: str
    amount_minutes: int
    item: str
    quantity: int | None  # None: not catalogued
    clearing_seq: int
    redemption_seq: int
    remaining: int


def _visitor(
    session: Session, ctx: AppContext, key: str, home: str, ident: idnumber.IdNumber, name: str
) -> tuple[SyncVisitor, str]:
    visitor = session.scalar(select(SyncVisitor).where(SyncVisitor.member_key == key))
    if visitor is not None:
        code = session.scalar(select(Account.code).where(Account.id == visitor.account_id))
        assert code is not None
        if name.strip() and not visitor.name:
            visitor.name = name.strip()[:40]
        visitor.home_centre = home
        return visitor, code
    number = f"{VISITOR_PREFIX}{next_value(session, 'visitor_no'):06d}"
    account = Account(
        id=ctx.new_id(), code=member_account_code(number), kind=AccountKind.MEMBER.value,
        member_id=None, balance_minutes=0, created_at=ctx.now(),
    )  # fmt: skip
    session.add(account)
    visitor = SyncVisitor(
        id=ctx.new_id(), visitor_no=number, member_key=key, home_centre=home,
        gender=ident.gender, birth_year=ident.birth_date.year, name=name.strip()[:40],
        account_id=account.id, created_at=ctx.now(),
    )  # fmt: skip
    session.add(visitor)
    session.flush()
    return visitor, account.code


class VisitorService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def standing(self, id_number: str, home_centre: str | None = None) -> VisitorStanding:
        with self.ctx.read() as session:
            idnumber.parse(id_number, self.ctx.today())
            return standing_of(session, self.ctx, key_of(session, id_number), home_centre)

    def honour(self, data: VisitInput) -> VisitResult:
        """Serve a visitor: our volunteer is credited, the visitor's home centre is cleared."""
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        with ctx.write() as session:
            ident = idnumber.parse(data.id_number, ctx.today())
            key = key_of(session, data.id_number)
            standing = standing_of(session, ctx, key, data.home_centre, lock=True)
            volunteer = resolve(session, data.volunteer, "volunteer")
            category = session.get(Category, data.category.strip().lower())
            policy = policy_for(session, data.service_date)
            if category is None:
                raise ValidationError.single(
                    "visit.category", _("Unknown category: {code}").format(code=data.category),
                    "category",
                )  # fmt: skip
            if not 0 < data.duration_minutes <= policy.max_service_minutes:
                raise ValidationError.single(
                    "visit.duration",
                    _("The duration must be between 1 and {n} minutes").format(
                        n=policy.max_service_minutes
                    ),
                    "duration",
                )
            credited = policy.credited(data.duration_minutes, category.weight_permille)
            check_allowance(standing, credited)
            visitor, account = _visitor(session, ctx, key, standing.home_centre, ident, data.name)
            visit_id = ctx.new_id()
            writer = LedgerWriter(session, ctx)
            leg = _clearing_leg(
                session, ctx, writer, standing.home_centre, account, credited, data.service_date,
                visit_id, policy,
            )  # fmt: skip
            service = writer.post(
                TxSpec(
                    TxKind.SERVICE, data.service_date,
                    (PostingLine(member_account_code(volunteer.member_no), credited),
                     PostingLine(account, -credited)),
                    memo=category.name_zh, record=visit_id,
                ),
                policy,
            )  # fmt: skip
            writer.flush()
            session.add(
                SyncVisit(
                    id=visit_id, visitor_id=visitor.id, volunteer_id=volunteer.id,
                    category_code=category.code, service_date=data.service_date,
                    duration_minutes=data.duration_minutes, credited_minutes=credited,
                    clearing_seq=leg.seq, clearing_txn_id=leg.id, service_txn_id=service.id,
                    created_at=ctx.now(), recorded_by=ctx.actor.username,
                )
            )  # fmt: skip
            ctx.audit(
                session, "sync.visit", "visitor", visitor.visitor_no,
                home=standing.home_centre, credited=credited, seq=leg.seq,
            )  # fmt: skip
            return VisitResult(
                visitor.visitor_no, standing.home_centre, credited, leg.seq, service.seq,
                standing.available - credited,
            )  # fmt: skip

    def redeem(self, data: RedeemInput) -> RedeemResult:
        """兑换 a visitor's hours for goods here: the goods side as a member's redemption (a
        catalogued item comes off its stock), the hours cleared with the home centre, bounded
        by the same standing and away allowance as a service."""
        ctx = self.ctx
        ctx.require(Permission.MOVE_HOURS)
        item = data.item.strip()
        if not item:
            raise ValidationError.single("redeem.item", _("Name the goods exchanged"), "item")
        if len(item) > MAX_ITEM:
            raise ValidationError.single(
                "redeem.item_long", _("The name of the goods is too long"), "item"
            )
        if data.amount_minutes <= 0:
            raise ValidationError.single(
                "hours.not_positive", _("Hours must be more than zero"), "hours"
            )
        with ctx.write() as session:
            today = ctx.today()
            ident = idnumber.parse(data.id_number, today)
            key = key_of(session, data.id_number)
            standing = standing_of(session, ctx, key, data.home_centre, lock=True)
            amount = data.amount_minutes
            check_allowance(standing, amount, exchange=True)
            quantity = take_for_redemption(session, item, amount)  # catalogued goods
            visitor, account = _visitor(session, ctx, key, standing.home_centre, ident, data.name)
            policy = policy_for(session, today)
            visit_id = ctx.new_id()
            writer = LedgerWriter(session, ctx)
            leg = _clearing_leg(
                session, ctx, writer, standing.home_centre, account, amount, today, visit_id,
                policy,
            )  # fmt: skip
            redemption = writer.post(
                TxSpec(
                    TxKind.REDEMPTION, today,
                    (PostingLine(account, -amount), PostingLine(GOODS_ACCOUNT, amount)),
                    memo=redemption_memo(item, quantity), record=visit_id,
                ),
                policy,
            )  # fmt: skip
            writer.flush()
            ctx.audit(
                session, "sync.visit_redeem", "visitor", visitor.visitor_no,
                home=standing.home_centre, amount=amount, item=item, quantity=quantity,
                seq=leg.seq,
            )  # fmt: skip
            return RedeemResult(
                visitor.visitor_no, standing.home_centre, amount, item, quantity, leg.seq,
                redemption.seq, standing.available - amount,
            )  # fmt: skip

    def void(self, seq: int, reason: str) -> VisitVoided:
        """Void a visitor's service or exchange by the seq of either of its transactions:
        both are reversed, so the visitor's standing here is restored and the next export
        carries the counter-entry to the district."""
        return void_visit(self.ctx, seq, reason)

    def recent(self, limit: int = LIST_LIMIT) -> list[VisitRow]:
        """The latest visits booked here, newest first (what the visitor panel lists)."""
        return recent_visits(self.ctx, limit)


def _clearing_leg(
    session: Session, ctx: AppContext, writer: LedgerWriter, home: str, account: str,
    amount: int, day: date, visit_id: str, policy: Policy,
) -> PostedTx:  # fmt: skip
    """``member:V… += amount, clearing:<home> −= amount``: the home centre will mirror it."""
    clearing = ensure_clearing_account(session, ctx, home)
    return writer.post(
        TxSpec(
            TxKind.TRANSFER, day, (PostingLine(account, amount), PostingLine(clearing, -amount)),
            memo=_("Hours of a visitor from {code}, honoured against the district "
                   "statement").format(code=home),
            record=visit_id,
        ),
        policy,
    )  # fmt: skip


def check_allowance(standing: VisitorStanding, minutes: int, exchange: bool = False) -> None:
    """Refused when ``minutes`` exceed the visitor's balance here or the away allowance."""
    left = standing.balance_left
    if minutes > left:
        text = (
            _(
                "Insufficient balance: the district statement {seq} leaves this visitor "
                "{left} h here, the exchange needs {needed} h"
            )
            if exchange
            else _(
                "Insufficient balance: the district statement {seq} leaves this visitor "
                "{left} h here, the service needs {needed} h"
            )
        )
        raise Refused(
            text.format(
                seq=standing.statement_seq,
                left=format_hours(max(left, 0)),
                needed=format_hours(minutes),
            )
        )
    if minutes > standing.allowance_left:
        raise Refused(
            _(
                "Beyond the away allowance: {allowance} h per visitor between two district "
                "statements, {used} h already honoured here"
            ).format(
                allowance=format_hours(standing.allowance),
                used=format_hours(standing.honoured_since),
            )
        )
