"""Time accounts: balances, history, transfers, grants, donations, redemptions, openings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ClauseElement, bindparam, select
from sqlalchemy.orm import Session, aliased

from timebank_desktop.domain.errors import Refused, ValidationError
from timebank_desktop.domain.idnumber import looks_like_id_number
from timebank_desktop.domain.ledger import (
    GOODS_ACCOUNT,
    POOL_ACCOUNT,
    PostingLine,
    TxKind,
    member_account_code,
)
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import (
    Account,
    HouseholdRelation,
    Member,
    Posting,
    Txn,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.goods import redemption_memo, take_for_redemption
from timebank_desktop.services.ledger_writer import LedgerWriter, PostedTx, TxSpec
from timebank_desktop.services.members import resolve
from timebank_desktop.services.policy import policy_for


@dataclass(frozen=True, slots=True)
class BalanceView:
    member_no: str
    name: str
    balance_minutes: int
    account: str


@dataclass(frozen=True, slots=True)
class Movement:
    """One line of a passbook: a posting to the member's account with its running balance."""

    seq: int
    txn_id: str
    value_date: date
    booked_on: date
    kind: str
    memo: str
    counterparty: str
    amount: int
    running_balance: int


def _check_memo(memo: str) -> str:
    if len(memo) > 200:
        raise ValidationError.single("memo.long", _("The note is too long"), "memo")
    return memo.strip()


def _balance_query() -> ClauseElement:
    return (
        select(Member.member_no, Member.name, Account.balance_minutes)
        .outerjoin(Account, Account.member_id == Member.id)
        .where(Member.member_no == bindparam("member_no"))
    )


class AccountService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------ reading
    def balance(self, ref: str) -> BalanceView:
        """A member's balance: by member number on the quick path, else resolved as usual."""
        text = ref.strip().upper()
        if not looks_like_id_number(text):
            rows = self.ctx.quick.rows("balance", _balance_query, {"member_no": text})
            if rows:
                member_no, name, balance = rows[0]
                return BalanceView(member_no, name, balance or 0, member_account_code(member_no))
        with self.ctx.read() as session:
            member = resolve(session, ref)
            code = member_account_code(member.member_no)
            balance = (
                session.scalar(select(Account.balance_minutes).where(Account.code == code)) or 0
            )
            return BalanceView(member.member_no, member.name, balance, code)

    def system_balance(self, code: str) -> int:
        with self.ctx.read() as session:
            return session.scalar(select(Account.balance_minutes).where(Account.code == code)) or 0

    def history(
        self, ref: str, start: date | None = None, end: date | None = None
    ) -> tuple[int, list[Movement]]:
        """Opening balance before ``start`` and every movement in [start, end] (booking date)."""
        with self.ctx.read() as session:
            member = resolve(session, ref)
            account_id = session.scalar(select(Account.id).where(Account.member_id == member.id))
            return movements(session, account_id or "", start, end)

    # ------------------------------------------------------------ writing
    def _book(self, spec: TxSpec, action: str, **detail: object) -> PostedTx:
        with self.ctx.write() as session:
            writer = LedgerWriter(session, self.ctx)
            posted = writer.post(spec, policy_for(session, spec.value_date))
            writer.flush()
            self.ctx.audit(session, action, "txn", posted.id, seq=posted.seq, **detail)
            return posted

    def transfer(self, from_ref: str, to_ref: str, amount: int, memo: str = "") -> PostedTx:
        """转赠: hours to a spouse or direct relative recorded in the household."""
        ctx = self.ctx
        ctx.require(Permission.MOVE_HOURS)
        memo = _check_memo(memo)
        with ctx.read() as session:
            giver, taker = resolve(session, from_ref, "from"), resolve(session, to_ref, "to")
            if giver.id == taker.id:
                raise Refused(_("A member cannot transfer hours to themselves"))
            policy = policy_for(session, ctx.today())
            if policy.transfers_relatives_only:
                relation = session.scalar(
                    select(HouseholdRelation.relation).where(
                        HouseholdRelation.member_id == giver.id,
                        HouseholdRelation.relative_id == taker.id,
                    )
                )
                if relation not in policy.transfer_relations:
                    raise Refused(
                        _(
                            "{to} is not a recorded spouse or direct relative of {frm}: "
                            "transfers go only to relatives"
                        ).format(to=taker.name, frm=giver.name)
                    )
            lines = (
                PostingLine(member_account_code(giver.member_no), -amount),
                PostingLine(member_account_code(taker.member_no), amount),
            )
        return self._book(
            TxSpec(TxKind.TRANSFER, ctx.today(), lines, memo=memo),
            "ledger.transfer",
            amount=amount,
        )

    def grant(
        self, to_ref: str, amount: int, memo: str = "", funding: str = "government"
    ) -> PostedTx:
        """发放 from the community pool, tagged with its funding source."""
        ctx = self.ctx
        ctx.require(Permission.GRANT)
        memo = _check_memo(memo)
        with ctx.read() as session:
            member = resolve(session, to_ref, "to")
            policy = policy_for(session, ctx.today())
        if funding not in policy.funding_sources:
            raise ValidationError.single(
                "grant.funding",
                _("Unknown funding source: {source}").format(source=funding),
                "funding",
            )
        too_large = policy.grant_problem(amount)
        if too_large is not None:
            raise ValidationError.of((too_large,))
        lines = (
            PostingLine(POOL_ACCOUNT, -amount),
            PostingLine(member_account_code(member.member_no), amount),
        )
        return self._book(
            TxSpec(TxKind.GRANT, ctx.today(), lines, memo=memo, funding=funding),
            "ledger.grant",
            amount=amount,
        )

    def donate(self, from_ref: str, amount: int, memo: str = "") -> PostedTx:
        """捐赠 to the community pool."""
        self.ctx.require(Permission.MOVE_HOURS)
        memo = _check_memo(memo)
        with self.ctx.read() as session:
            member = resolve(session, from_ref, "from")
        lines = (
            PostingLine(member_account_code(member.member_no), -amount),
            PostingLine(POOL_ACCOUNT, amount),
        )
        return self._book(
            TxSpec(TxKind.DONATION, self.ctx.today(), lines, memo=memo),
            "ledger.donation",
            amount=amount,
        )

    def redeem(self, ref: str, amount: int, item: str) -> PostedTx:
        """兑换 hours for goods (never for money); catalogued goods come off their stock."""
        self.ctx.require(Permission.MOVE_HOURS)
        item = item.strip()
        if not item:
            raise ValidationError.single("redeem.item", _("Name the goods exchanged"), "item")
        if len(item) > 200:  # it becomes the transaction's note
            raise ValidationError.single(
                "redeem.item_long", _("The name of the goods is too long"), "item"
            )
        with self.ctx.write() as session:
            member = resolve(session, ref)
            quantity = take_for_redemption(session, item, amount)  # catalogued goods
            writer = LedgerWriter(session, self.ctx)
            posted = writer.post(
                TxSpec(
                    TxKind.REDEMPTION,
                    self.ctx.today(),
                    (
                        PostingLine(member_account_code(member.member_no), -amount),
                        PostingLine(GOODS_ACCOUNT, amount),
                    ),
                    memo=_check_memo(redemption_memo(item, quantity)),
                ),
                policy_for(session, self.ctx.today()),
            )
            writer.flush()
            self.ctx.audit(
                session, "ledger.redemption", "txn", posted.id, item=item, quantity=quantity
            )
            return posted

    def opening(self, ref: str, amount: int, memo: str = "", day: date | None = None) -> PostedTx:
        """期初余额 carried over from a paper card (the pool takes on the liability)."""
        self.ctx.require(Permission.GRANT)
        with self.ctx.read() as session:
            member = resolve(session, ref)
        if amount <= 0:
            raise ValidationError.single(
                "hours.not_positive", _("Hours must be more than zero"), "hours"
            )
        lines = (
            PostingLine(POOL_ACCOUNT, -amount),
            PostingLine(member_account_code(member.member_no), amount),
        )
        return self._book(
            TxSpec(TxKind.OPENING, day or self.ctx.today(), lines, memo=_check_memo(memo)),
            "ledger.opening",
            amount=amount,
        )

    def reverse(self, seq: int, reason: str) -> PostedTx:
        """Undo any booked transaction (admin) with a reversal that points at it."""
        from timebank_desktop.services.reversal import check_reason, reverse_txn

        self.ctx.require(Permission.VOID)
        reason = check_reason(reason)
        with self.ctx.write() as session:
            original = session.scalar(select(Txn).where(Txn.seq == seq))
            if original is None:
                raise Refused(_("No transaction number {seq}").format(seq=seq))
            posted = reverse_txn(session, self.ctx, original, reason.strip())
            self.ctx.audit(session, "ledger.reversal", "txn", posted.id, reverses=seq)
            return posted


def movements(
    session: Session, account_id: str, start: date | None, end: date | None
) -> tuple[int, list[Movement]]:
    """Opening balance and the movements of one account booked in [start, end], in value-date
    order (then ledger order), each with the running balance in that order."""
    other = aliased(Posting)
    other_account = aliased(Account)
    opening = 0
    if start is not None:
        from sqlalchemy import func

        opening = (
            session.scalar(
                select(func.coalesce(func.sum(Posting.amount), 0))
                .join(Txn, Txn.id == Posting.txn_id)
                .where(Posting.account_id == account_id, Txn.booked_on < start)
            )
            or 0
        )
    query = (
        select(
            Txn.seq,
            Txn.id,
            Txn.value_date,
            Txn.booked_on,
            Txn.kind,
            Txn.memo,
            Posting.amount,
            other_account.code,
        )
        .join(Txn, Txn.id == Posting.txn_id)
        .join(other, (other.txn_id == Posting.txn_id) & (other.account_id != account_id))
        .join(other_account, other_account.id == other.account_id)
        .where(Posting.account_id == account_id)
        .order_by(Txn.value_date, Txn.seq)  # date order: a late entry sits at its own date
    )
    if start is not None:
        query = query.where(Txn.booked_on >= start)
    if end is not None:
        query = query.where(Txn.booked_on <= end)
    running = opening
    lines: list[Movement] = []
    seen: set[str] = set()
    for seq, txn_id, value_date, booked_on, kind, memo, amount, counter in session.execute(query):
        if txn_id in seen:  # several counter-postings: show the first
            continue
        seen.add(txn_id)
        running += amount
        lines.append(
            Movement(
                seq,
                txn_id,
                value_date,
                booked_on,
                kind,
                memo,
                counter.removeprefix("member:"),
                amount,
                running,
            )
        )
    return opening, lines
