"""Apply a district statement: balances as the basis for visitors, mirrors, loss detection.

All inside the caller's database transaction: a refusal anywhere leaves nothing written. The
entries addressed to this centre are booked once each (by entry id) as ``mirror``
transactions through the `LedgerWriter`: ``member:<no for key>`` += amount and
``clearing:<counter centre>`` −= amount. An entry whose key is none of our members is kept as
unmatched and reported (booked later if a statement repeats it once the member exists).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.domain.ledger import GENESIS, PostingLine, TxKind, member_account_code
from timebank_desktop.exports.sync import BALANCES, ENTRIES, HEADS, Bundle
from timebank_desktop.i18n import _
from timebank_desktop.models import Centre, SyncBalance, SyncMirror, SyncStatement
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.ledger_writer import LedgerWriter, TxSpec
from timebank_desktop.services.policy import policy_for
from timebank_desktop.services.sync.common import (
    chunks,
    ensure_clearing_account,
    last_statement,
    member_keys,
    require_config,
    secret_of,
)
from timebank_desktop.services.sync.epoch import EpochNeeded, epoch_needed, start_epoch
from timebank_desktop.services.sync.exports_history import last_exported_seq
from timebank_desktop.services.sync.result import ImportResult

_BATCH = 5000
Progress = Callable[[int, int], None]


def _our_head(
    bundle: Bundle, centre: Centre, session: Session, ctx: AppContext, new_epoch: bool
) -> tuple[int, str, list[str]]:
    """Where the district holds our current chain epoch; warns about lost exports.

    A district holding more of this chain than this database has, other content at a seq (a
    restored backup) or a later epoch of it refuses the statement (`EpochNeeded`), unless
    ``new_epoch``: then a new chain epoch starts here (sync.epoch) and the next export sends
    the chain again from seq 1. A district that has not yet received our current epoch holds
    nothing of it: (0, GENESIS).
    """
    rows = [r for r in bundle.rows(HEADS) if r["centre"] == centre.code]
    if len(rows) > 1:
        raise FileRejected(_("The statement lists this centre's chain head twice"))
    if not rows:
        return 0, GENESIS, []
    epoch, seq, digest = rows[0]["epoch"], rows[0]["seq"], rows[0]["hash"]
    if epoch < centre.chain_epoch:
        return 0, GENESIS, [
            _(
                "The district holds chain epoch {found} of this centre, not yet epoch {ours}: "
                "send the next export"
            ).format(found=epoch, ours=centre.chain_epoch)
        ]  # fmt: skip
    try:
        epoch_needed(session, centre, epoch, seq, digest)
    except EpochNeeded as needed:
        if not new_epoch:
            raise
        started = start_epoch(session, ctx, centre, needed.epoch, seq, "statement")
        return 0, GENESIS, [started.message()]
    warnings: list[str] = []
    exported = last_exported_seq(session, centre.chain_epoch)
    if exported > seq:
        warnings.append(
            _(
                "The district has this centre's transactions up to {seq}, but exports reach "
                "{exported}: a file sent before this statement was lost or not yet imported. "
                "If it was sent in time, export again from {next} (sync export --from {next})"
            ).format(seq=seq, exported=exported, next=seq + 1)
        )
    return seq, digest, warnings


def _replace_balances(session: Session, bundle: Bundle, progress: Progress | None) -> int:
    """Replace the balances with the statement's, as plain driver-level batches (200,000 rows
    of a large district must not go through per-row ORM or statement compilation)."""
    connection = session.connection()
    connection.execute(delete(SyncBalance))
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO sync_balance (key, balance, home_centre) VALUES ({mark}, {mark}, {mark})"
    total = bundle.part(BALANCES).rows
    batch: list[tuple[str, int, str | None]] = []
    seen: set[str] = set()
    for row in bundle.rows(BALANCES):
        key, home = row["key"], row.get("centre")
        if key in seen:
            raise FileRejected(_("The statement lists a member key twice"))
        seen.add(key)
        home = home if isinstance(home, str) and len(home) <= 16 else None
        batch.append((key, row["balance"], home))
        if len(batch) >= _BATCH:
            connection.exec_driver_sql(sql, batch)
            batch = []
            if progress:
                progress(len(seen), total)
    if batch:
        connection.exec_driver_sql(sql, batch)
    if progress:
        progress(total, total)
    return len(seen)


def _our_entries(bundle: Bundle, centre: Centre) -> list[dict[str, Any]]:
    entries = [e for e in bundle.rows(ENTRIES) if e["centre"] == centre.code]
    for entry in entries:
        if entry["amount"] == 0 or entry["counter_centre"] == centre.code:
            raise FileRejected(
                _("Statement entry {id} cannot be booked (zero, or cleared with itself)").format(
                    id=entry["id"]
                )
            )
        if len(entry["id"]) > 200:
            raise FileRejected(_("Statement entry id too long: {id}").format(id=entry["id"][:40]))
    return entries


def _book_entries(
    session: Session, ctx: AppContext, entries: list[dict[str, Any]], statement_seq: int
) -> tuple[int, int]:
    config = require_config(session)
    keys = member_keys(session, secret_of(config)) if entries else {}
    known: dict[str, SyncMirror] = {}
    for batch in chunks(e["id"] for e in entries):
        query = select(SyncMirror).where(SyncMirror.entry_id.in_(batch))
        known.update((m.entry_id, m) for m in session.scalars(query))
    writer = LedgerWriter(session, ctx)
    booked = unmatched = 0
    done: list[tuple[SyncMirror, str]] = []
    for entry in entries:
        previous = known.get(entry["id"])
        if previous is not None and previous.status == "booked":
            continue
        number = keys.get(entry["key"])
        day = date.fromisoformat(entry["value_date"])
        if previous is None:
            previous = SyncMirror(
                entry_id=entry["id"], statement_seq=statement_seq, key=entry["key"],
                amount=entry["amount"], counter_centre=entry["counter_centre"],
                value_date=day, status="unmatched", txn_id=None,
            )  # fmt: skip
            session.add(previous)
            known[entry["id"]] = previous
        if number is None:
            unmatched += 1
            continue
        clearing = ensure_clearing_account(session, ctx, entry["counter_centre"])
        spec = TxSpec(
            TxKind.MIRROR,
            day,
            (
                PostingLine(member_account_code(number), entry["amount"]),
                PostingLine(clearing, -entry["amount"]),
            ),
            memo=_("Cross-centre entry {id} (district statement {seq})").format(
                id=entry["id"], seq=statement_seq
            ),
            record=entry["id"] if len(entry["id"]) <= 36 else None,
        )
        posted = writer.post(spec, policy_for(session, day))
        done.append((previous, posted.id))
        booked += 1
    writer.flush()  # the transactions exist from here on: now point at them
    for mirror, txn_id in done:
        mirror.status, mirror.txn_id = "booked", txn_id
        mirror.statement_seq = statement_seq
    return booked, unmatched


def apply_statement(
    session: Session,
    ctx: AppContext,
    bundle: Bundle,
    centre: Centre,
    progress: Progress | None = None,
    *,
    new_epoch: bool = False,
) -> ImportResult:
    """Apply a verified district-statement bundle inside the caller's transaction.

    ``progress(done, total)`` follows the member balances; raising from it (Cancel) rolls
    the whole statement back.
    """
    seq = int(bundle.header["statement_seq"])
    previous = last_statement(session)
    if previous is not None and seq <= previous.statement_seq:
        return ImportResult(
            "statement",
            _("Already imported: district statement {seq} (the last one here is {last})").format(
                seq=seq, last=previous.statement_seq
            ),
            already=True,
        )
    head_seq, head_hash, warnings = _our_head(bundle, centre, session, ctx, new_epoch)
    entries = _our_entries(bundle, centre)
    balances = _replace_balances(session, bundle, progress)
    booked, unmatched = _book_entries(session, ctx, entries, seq)
    if unmatched:
        warnings.append(
            _(
                "{n} cross-centre entries name a member key that is none of this centre's "
                "members: not booked; tell the district"
            ).format(n=unmatched)
        )
    session.add(
        SyncStatement(
            statement_seq=seq, district_code=bundle.district, file_sha256=bundle.file_sha256,
            head_seq=head_seq, head_hash=head_hash, balances=balances, entries_booked=booked,
            entries_unmatched=unmatched, warnings="\n".join(warnings), imported_at=ctx.now(),
            imported_by=ctx.actor.username,
        )
    )  # fmt: skip
    ctx.audit(session, "sync.statement", "statement", str(seq), booked=booked, unmatched=unmatched)
    return ImportResult(
        "statement",
        _(
            "District statement {seq} imported: {balances} member balances, {booked} "
            "cross-centre entries booked"
        ).format(seq=seq, balances=balances, booked=booked),
        warnings=tuple(warnings),
        booked=booked,
        unmatched=unmatched,
    )
