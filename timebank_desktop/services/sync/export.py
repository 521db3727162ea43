"""`sync export`: everything since the last export, signed, written atomically and re-read.

The file holds transactions ``seq_from``..``seq_to`` of this centre's chain with their hashes,
the members they touch as pseudonymous keys (HMAC of the normalised ID number with the
district's secret; gender, birth year, roles — nothing else), and the chain head. The writer
verifies the file before and after renaming it into place; only then is the export recorded,
so the next export starts after it. ``from_seq`` sends an earlier range again (a lost file).
In a new chain epoch (sync.epoch) nothing of it was exported yet: it starts at seq 1, GENESIS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import ValidationError
from timebank_desktop.domain.ledger import GENESIS, PostingLine, TxValue
from timebank_desktop.domain.memberkey import DistrictSecret, member_key
from timebank_desktop.domain.roles import Permission
from timebank_desktop.exports.sync import (
    CENTRE_EXPORT,
    MEMBERS,
    TRANSACTIONS,
    member_row,
    tx_row,
    write_bundle,
)
from timebank_desktop.i18n import _
from timebank_desktop.models import (
    Account,
    LedgerHead,
    Member,
    Posting,
    SyncExport,
    SyncVisitor,
    Txn,
)
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.sync.common import (
    centre_key,
    chunks,
    created_at,
    require_config,
    secret_of,
)
from timebank_desktop.services.sync.exports_history import last_exported_seq

Progress = Callable[[int, int], None]
_STEP = 1000
_TXN_COLUMNS = (
    Txn.id, Txn.seq, Txn.centre_code, Txn.kind, Txn.value_date, Txn.booked_on,
    Txn.recorded_at, Txn.memo, Txn.reverses_id, Txn.record_id, Txn.funding, Txn.staff,
    Txn.prev_hash, Txn.hash,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    seq_from: int
    seq_to: int
    transactions: int
    members: int
    head_hash: str
    file_sha256: str
    epoch: int = 1

    def message(self) -> str:
        if self.transactions == 0:
            text = _("No new transactions: {path} carries the chain head only ({seq})").format(
                path=self.path, seq=self.seq_to
            )
        else:
            text = _("Exported transactions {a}–{b} ({n}) and {m} members to {path}").format(
                a=self.seq_from, b=self.seq_to, n=self.transactions, m=self.members,
                path=self.path,
            )  # fmt: skip
        if self.epoch > 1 and self.seq_from == 1:
            text += "\n" + _(
                "First file of chain epoch {epoch}: the whole chain is sent again from seq 1 "
                "(the district counts what it already holds once)"
            ).format(epoch=self.epoch)
        return text


class _Rows:
    """Streams transaction rows and remembers the member accounts they touch."""

    def __init__(self, session: Session, seq_from: int, seq_to: int, prev: str) -> None:
        self.session, self.seq_from, self.seq_to, self.prev = session, seq_from, seq_to, prev
        self.accounts: set[str] = set()

    def transactions(self, progress: Progress | None) -> Iterator[dict[str, Any]]:
        """The range's transaction rows in seq order, each with its postings in line order.

        Two streams merged by seq: the transactions, and their postings (about three each).
        One joined query would repeat, and convert, every transaction column per posting.
        """
        in_range = (Txn.seq >= self.seq_from, Txn.seq <= self.seq_to)
        conn = self.session.connection()
        txns: Any = conn.execute(
            select(*_TXN_COLUMNS)
            .where(*in_range)
            .order_by(Txn.seq)
            .execution_options(yield_per=5000)
        )
        postings: Any = conn.execute(
            select(Txn.seq, Account.code, Posting.amount)
            .join(Posting, Posting.txn_id == Txn.id)
            .join(Account, Account.id == Posting.account_id)
            .where(*in_range)
            .order_by(Txn.seq, Posting.line)
            .execution_options(yield_per=5000)
        )
        total = self.seq_to - self.seq_from + 1
        accounts = self.accounts
        pending = iter(postings)
        posting = next(pending, None)
        for txn in txns:  # Core rows read by position: no ORM loading, no name lookups
            seq = txn[1]
            lines: list[PostingLine] = []
            while posting is not None and posting[0] == seq:
                code = posting[1]
                lines.append(PostingLine(code, posting[2]))
                if code.startswith("member:"):
                    accounts.add(code)
                posting = next(pending, None)
            yield self._row(txn, lines)
            done = seq - self.seq_from + 1
            if progress and done % _STEP == 0:
                progress(done, total)
        if posting is not None:  # a posting of no transaction in the range: cannot happen
            raise AssertionError(f"posting of seq {posting[0]} out of order")
        if progress:
            progress(total, total)

    @staticmethod
    def _row(txn: Any, lines: list[PostingLine]) -> dict[str, Any]:
        (id_, seq, centre, kind, value_date, booked_on, recorded_at, memo, reverses, record,
         funding, staff, prev_hash, hash_) = txn  # fmt: skip
        value = TxValue(
            centre=centre, seq=seq, id=id_, kind=kind, value_date=value_date,
            booked_on=booked_on, recorded_at=recorded_at, memo=memo, reverses=reverses,
            record=record, funding=funding, staff=staff, postings=tuple(lines),
        )  # fmt: skip
        return tx_row(value, prev_hash, hash_)

    def members(self, secret: DistrictSecret, counted: list[int]) -> Iterator[dict[str, Any]]:
        codes = sorted(self.accounts)
        numbers = [c.removeprefix("member:") for c in codes]
        for batch in chunks(numbers):
            query = select(Member).where(Member.member_no.in_(batch)).order_by(Member.member_no)
            for m in self.session.scalars(query):
                flags = (("recipient", m.is_recipient), ("volunteer", m.is_volunteer))
                roles = [role for role, on in flags if on]
                counted[0] += 1
                yield member_row(
                    member_key(secret, m.id_number), m.gender, m.birth_date.year, roles,
                    f"member:{m.member_no}",
                )  # fmt: skip
        for batch in chunks(codes):
            visitors = (
                select(SyncVisitor, Account.code)
                .join(Account, Account.id == SyncVisitor.account_id)
                .where(Account.code.in_(batch))
                .order_by(Account.code)
            )
            for visitor, code in self.session.execute(visitors):
                counted[0] += 1
                yield member_row(
                    visitor.member_key, visitor.gender, visitor.birth_year, ["recipient"], code
                )


class ExportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def next_range(self) -> tuple[int, int]:
        """The seqs the next export would carry (``seq_to < seq_from`` when nothing is new)."""
        with self.ctx.read() as session:
            centre = load_centre(session)
            head = session.scalars(select(LedgerHead)).one()
            return last_exported_seq(session, centre.chain_epoch) + 1, head.last_seq

    def export(
        self, path: str | Path, *, from_seq: int | None = None, progress: Progress | None = None
    ) -> ExportResult:
        """Write the export file; recorded in the history only once it is verified on disk."""
        ctx = self.ctx
        ctx.require(Permission.EXPORT)
        target = Path(path)
        with ctx.read() as session:
            config = require_config(session)
            centre = load_centre(session)
            head = session.scalars(select(LedgerHead)).one()
            last = last_exported_seq(session, centre.chain_epoch)
            seq_from = last + 1 if from_seq is None else from_seq
            if not 1 <= seq_from <= last + 1:
                raise ValidationError.single(
                    "sync.from_seq",
                    _("Export again from a seq between 1 and {n}").format(n=last + 1),
                    "from_seq",
                )
            seq_to = max(head.last_seq, seq_from - 1)
            prev = (
                GENESIS
                if seq_from == 1
                else session.scalar(select(Txn.hash).where(Txn.seq == seq_from - 1)) or GENESIS
            )
            head_hash = (
                prev if seq_to < seq_from else session.scalar(
                    select(Txn.hash).where(Txn.seq == seq_to)) or GENESIS
            )  # fmt: skip
            rows = _Rows(session, seq_from, seq_to, prev)
            counted = [0]
            header = {
                "type": CENTRE_EXPORT, "district": config.district_code, "centre": centre.code,
                "created_at": created_at(ctx), "epoch": centre.chain_epoch,
                "seq_from": seq_from, "seq_to": seq_to,
                "prev_hash": prev, "head_hash": head_hash,
            }  # fmt: skip
            written = write_bundle(
                target,
                header,
                {
                    TRANSACTIONS: rows.transactions(progress),
                    MEMBERS: rows.members(secret_of(config), counted),
                },
                centre_key(centre.private_key),
            )
            epoch = centre.chain_epoch
        result = ExportResult(
            written.path, seq_from, seq_to, seq_to - seq_from + 1, counted[0],
            head_hash, written.file_sha256, epoch,
        )  # fmt: skip
        with ctx.write() as session:
            session.add(
                SyncExport(
                    id=ctx.new_id(), epoch=epoch, seq_from=seq_from, seq_to=result.seq_to,
                    prev_hash=prev, head_hash=head_hash, transactions=result.transactions,
                    members=result.members, file_name=str(target)[:400],
                    file_sha256=written.file_sha256, created_at=ctx.now(),
                    created_by=ctx.actor.username,
                )
            )  # fmt: skip
            ctx.audit(
                session, "sync.export", "export", f"{seq_from}-{result.seq_to}",
                file_sha256=written.file_sha256,
            )  # fmt: skip
        return result
