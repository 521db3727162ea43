"""Cross-centre redemption (通兑): honour a visiting member's hours against the statement.

A visitor is a member of another centre, known here only by member key (HMAC of the ID number
they show, with the district's secret). What they may spend here is the balance the last
district statement gives for that key, minus what this centre honoured for them after the
statement's cut-off (our head in the statement), and at most the policy's away allowance
between two statements. Honouring books two transactions (docs/sync-format.md §5.1): the
clearing leg ``member:V… += x, clearing:<home> −= x`` and the service
``member:<volunteer> += x, member:V… −= x``. The home centre mirrors the debit when the
district statement reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank_desktop.domain import idnumber
from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.ledger import (
    AccountKind,
    PostingLine,
    TxKind,
    member_account_code,
)
from timebank_desktop.domain.memberkey import member_key, normalise_id_number
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import (
    Account,
    Category,
    Member,
    SyncBalance,
    SyncCentre,
    SyncVisit,
    SyncVisitor,
)
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.counters import next_value
from timebank_desktop.services.ledger_writer import LedgerWriter, TxSpec
from timebank_desktop.services.members import resolve
from timebank_desktop.services.policy import policy_for
from timebank_desktop.services.sync.common import (
    VISITOR_PREFIX,
    ensure_clearing_account,
    last_statement,
    require_config,
    secret_of,
)


@dataclass(frozen=True, slots=True)
class VisitorStanding:
    """Where a visitor stands here: the statement balance, what we honoured since, the rest."""

    key: str
    home_centre: str
    statement_seq: int
    statement_balance: int
    honoured_since: int
    allowance: int

    @property
    def available(self) -> int:
        """Minutes this centre may still honour now (never below zero)."""
        return max(
            0,
            min(
                self.statement_balance - self.honoured_since,
                self.allowance - self.honoured_since,
            ),
        )


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


def _key_of(session: Session, id_number: str) -> str:
    secret = secret_of(require_config(session))
    normalised = normalise_id_number(id_number)
    if session.scalar(select(Member.id).where(Member.id_number == normalised)) is not None:
        raise Refused(_("This is a member of this centre: record an ordinary service"))
    return member_key(secret, normalised)


def _home(session: Session, given: str | None, listed: str | None, own: str) -> str:
    home = (given or "").strip() or listed
    if not home:
        raise ValidationError.single(
            "visit.home", _("Name the visitor's home centre"), "home_centre"
        )
    if listed and home != listed:
        raise ValidationError.single(
            "visit.home",
            _("The district statement lists this member at centre {code}").format(code=listed),
            "home_centre",
        )
    if home == own or session.get(SyncCentre, home) is None:
        raise ValidationError.single(
            "visit.home",
            _("{code} is not another centre of this district").format(code=home),
            "home_centre",
        )
    return home


def _standing(session: Session, ctx: AppContext, key: str, home: str | None) -> VisitorStanding:
    statement = last_statement(session)
    if statement is None:
        raise Refused(
            _("No district statement has been imported yet: visitors cannot be honoured")
        )
    row = session.get(SyncBalance, key)
    visitor = session.scalar(select(SyncVisitor).where(SyncVisitor.member_key == key))
    listed = row.home_centre if row else None
    own = load_centre(session).code
    if visitor is not None and not home and not listed:
        home = visitor.home_centre
    home_code = _home(session, home, listed, own)
    since = 0
    if visitor is not None:
        since = int(
            session.scalar(
                select(func.coalesce(func.sum(SyncVisit.credited_minutes), 0)).where(
                    SyncVisit.visitor_id == visitor.id,
                    SyncVisit.clearing_seq > statement.head_seq,
                )
            )
            or 0
        )
    policy = policy_for(session, ctx.today())
    return VisitorStanding(
        key, home_code, statement.statement_seq, row.balance if row else 0, since,
        policy.away_allowance_minutes,
    )  # fmt: skip


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
            return _standing(session, self.ctx, _key_of(session, id_number), home_centre)

    def honour(self, data: VisitInput) -> VisitResult:
        """Serve a visitor: our volunteer is credited, the visitor's home centre is cleared."""
        ctx = self.ctx
        ctx.require(Permission.RECORD_SERVICES)
        with ctx.write() as session:
            ident = idnumber.parse(data.id_number, ctx.today())
            key = _key_of(session, data.id_number)
            standing = _standing(session, ctx, key, data.home_centre)
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
            self._check_allowance(standing, credited)
            visitor, account = _visitor(session, ctx, key, standing.home_centre, ident, data.name)
            clearing = ensure_clearing_account(session, ctx, standing.home_centre)
            visit_id = ctx.new_id()
            writer = LedgerWriter(session, ctx)
            leg = writer.post(
                TxSpec(
                    TxKind.TRANSFER, data.service_date,
                    (PostingLine(account, credited), PostingLine(clearing, -credited)),
                    memo=_("Hours of a visitor from {code}, honoured against the district "
                           "statement").format(code=standing.home_centre),
                    record=visit_id,
                ),
                policy,
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

    @staticmethod
    def _check_allowance(standing: VisitorStanding, credited: int) -> None:
        left = standing.statement_balance - standing.honoured_since
        if credited > left:
            raise Refused(
                _(
                    "Insufficient balance: the district statement {seq} leaves this visitor "
                    "{left} h here, the service needs {needed} h"
                ).format(
                    seq=standing.statement_seq,
                    left=format_hours(max(left, 0)),
                    needed=format_hours(credited),
                )
            )
        room = standing.allowance - standing.honoured_since
        if credited > room:
            raise Refused(
                _(
                    "Beyond the away allowance: {allowance} h per visitor between two district "
                    "statements, {used} h already honoured here"
                ).format(
                    allowance=format_hours(standing.allowance),
                    used=format_hours(standing.honoured_since),
                )
            )
