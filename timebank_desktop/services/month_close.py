"""Month close (月结): a closed month becomes read-only (DESIGN §5b).

Months close in order, once they have ended, by an administrator. Closing records the chain
head (its hash is printed on the month's report); from then on nothing is booked on or before
the month's last day: the ledger writer books a late entry on today's date, in the open month,
with its real value date, and that month's report lists it as late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from timebank_desktop.domain.errors import Refused, StorageError
from timebank_desktop.domain.months import Month
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import LedgerHead, MonthClose, Txn
from timebank_desktop.services.context import AppContext


@dataclass(frozen=True, slots=True)
class ClosedMonth:
    month: Month
    closed_at: datetime
    closed_by: str
    head_seq: int
    head_hash: str


def _view(row: MonthClose) -> ClosedMonth:
    return ClosedMonth(
        Month.parse(row.month), row.closed_at, row.closed_by, row.head_seq, row.head_hash
    )


class MonthCloseService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def closed(self) -> list[ClosedMonth]:
        """Every closed month, the latest first."""
        with self.ctx.read() as session:
            rows = session.scalars(select(MonthClose).order_by(MonthClose.month.desc()))
            return [_view(r) for r in rows]

    def closed_through(self) -> Month | None:
        """The latest closed month (every month up to it is read-only)."""
        with self.ctx.read() as session:
            latest = session.scalar(select(func.max(MonthClose.month)))
        return Month.parse(latest) if latest else None

    def next_to_close(self) -> Month | None:
        """The month to close next, or None when every month that has ended is closed."""
        current = Month.of(self.ctx.today())
        latest = self.closed_through()
        if latest is not None:
            candidate = latest.next
        else:
            with self.ctx.read() as session:
                first = session.scalar(select(func.min(Txn.booked_on)))
            candidate = Month.of(first) if first else current.previous
        return candidate if candidate < current else None

    def close(self, month: Month) -> ClosedMonth:
        """Close ``month``: refused unless it has ended and every earlier month is closed."""
        ctx = self.ctx
        ctx.require(Permission.CLOSE_MONTH)
        if month >= Month.of(ctx.today()):
            raise Refused(
                _("{month} has not ended yet: a month is closed after its last day").format(
                    month=month
                )
            )
        with ctx.write() as session:
            latest_text = session.scalar(select(func.max(MonthClose.month)))
            latest = Month.parse(latest_text) if latest_text else None
            if latest is not None and month <= latest:
                raise Refused(_("{month} is already closed").format(month=month))
            if latest is not None and month != latest.next:
                raise Refused(
                    _("Months close in order: close {month} first").format(month=latest.next)
                )
            if latest is None:
                first = session.scalar(select(func.min(Txn.booked_on)))
                if first is not None and Month.of(first) < month:
                    raise Refused(
                        _("Months close in order: close {month} first").format(
                            month=Month.of(first)
                        )
                    )
            head = session.scalars(select(LedgerHead).with_for_update()).first()
            if head is None:
                raise StorageError(_("This database has no centre yet: run init first"))
            row = MonthClose(
                month=str(month),
                closed_at=ctx.now(),
                closed_by=ctx.actor.username,
                head_seq=head.last_seq,
                head_hash=head.last_hash,
            )
            session.add(row)
            ctx.audit(
                session, "month.close", "month", str(month),
                head_seq=head.last_seq, head_hash=head.last_hash,
            )  # fmt: skip
            session.flush()
            return _view(row)
