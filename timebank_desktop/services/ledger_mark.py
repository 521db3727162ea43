"""The "ledger damaged" mark: set by `verify` when it finds damage, lifted when it finds none.

While the mark is set the ledger writer refuses every posting (services/ledger_writer.py);
reading, printing, exporting and backups go on as before. The mark is a row of the ``setting``
table whose value is the first problem `verify` named, so the refusal can say what was found.
"""

from __future__ import annotations

from sqlalchemy import CursorResult, Select, delete, select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import Problem, Refused
from timebank_desktop.i18n import _
from timebank_desktop.models import Setting
from timebank_desktop.services.context import AppContext

DAMAGED_KEY = "ledger.damaged"
MAX_TEXT = 1000


def damaged_query() -> Select[str]:
    """The mark's text (no row: the ledger is not marked damaged)."""
    return select(Setting.value).where(Setting.key == DAMAGED_KEY)


def damaged_mark(session: Session) -> str | None:
    return session.scalar(damaged_query())


def set_damaged(session: Session, ctx: AppContext, problem: str) -> None:
    """Mark the ledger damaged (or update what the mark says); audited."""
    text = problem[:MAX_TEXT]
    row = session.get(Setting, DAMAGED_KEY)
    if row is None:
        session.add(Setting(key=DAMAGED_KEY, value=text))
    elif row.value != text:
        row.value = text
    else:
        return
    ctx.audit(session, "ledger.damaged", "ledger", DAMAGED_KEY, problem=text)


def clear_damaged(session: Session, ctx: AppContext) -> None:
    """Lift the mark (verify found the ledger intact again); audited."""
    result = session.execute(delete(Setting).where(Setting.key == DAMAGED_KEY))
    removed = result.rowcount if isinstance(result, CursorResult) else 0
    if removed:
        ctx.audit(session, "ledger.intact", "ledger", DAMAGED_KEY)


def damaged_refusal(problem: str) -> Refused:
    """Why nothing can be booked while the ledger is marked damaged."""
    message = _(
        "The ledger is damaged ({problem}): nothing can be booked. Restore a backup or call "
        "support; the integrity check (timebank verify) lifts this mark once the ledger is intact"
    ).format(problem=problem)
    return Refused(message, (Problem("ledger.damaged", message),))


def head_mismatch_refusal() -> Refused:
    """The cached chain head disagrees with the last transaction row: refuse to chain on it."""
    message = _(
        "The ledger is damaged: its chain head does not match its last transaction, so nothing "
        "can be booked. Run the integrity check (timebank verify), then restore a backup or call "
        "support"
    )
    return Refused(message, (Problem("ledger.damaged", message),))
