"""District import of centre files (`timebank district import FILE …`).

Each file: read and verify completely (signature by the enrolled key of its sender, district,
version, hashes, rows, chain), place it on the centre's chain, then, in one database
transaction, either change nothing (already imported), hold it back (a gap: kept until the
missing seqs arrive), refuse it as a fork (alarm recorded, centre frozen) or add its new rows
and every aggregate (`apply`). Rules: docs/sync-format.md §8 and §10.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.domain.errors import FileRejected
from timebank_desktop.exports.sync import (
    Bundle,
)
from timebank_desktop.exports.sync.reader import load_file
from timebank_desktop.i18n import _
from timebank_desktop.models.district import (
    DistrictCentre,
    DistrictFile,
    DistrictHeldFile,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.apply import FileApplier, MemberTotals
from timebank_desktop.services.district.batch import import_many
from timebank_desktop.services.district.chain import (
    APPLIED,
    DUPLICATE,
    HELD,
    ForkFound,
    classify,
)
from timebank_desktop.services.district.effects import Applied
from timebank_desktop.services.district.epochs import start_epoch
from timebank_desktop.services.district.prepared import Prepared, prepare_bytes
from timebank_desktop.services.district.register import drop_held, file_row, hold, raise_alarm
from timebank_desktop.services.district.registry import (
    FROZEN,
    centre_ids,
    centre_keys,
    load_identity,
)
from timebank_desktop.services.district.verify import verify_centre_file

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What became of one file: status, centre, seq range, rows added, a one-line message."""

    source: str
    status: str
    centre: str
    seq_from: int
    seq_to: int
    added: int
    message: str
    caught_up: tuple[str, ...] = ()  # held files applied because this one closed their gap


class DistrictImporter:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # ------------------------------------------------------------------ entry points
    def import_files(
        self,
        paths: Sequence[str | os.PathLike[str]],
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        on_result: Callable[[ImportOutcome | FileRejected, str], None] | None = None,
        jobs: int = 1,
    ) -> list[ImportOutcome | FileRejected]:
        """Import each file all-or-nothing, in the order given; a refusal does not stop the
        others. ``jobs`` > 1 verifies and computes files in that many worker processes while
        this one writes (the result is the same). Files are committed in groups (`batch`)."""
        results: list[ImportOutcome | FileRejected] = []
        for done, (path, result) in enumerate(import_many(self, paths, cancel, jobs)):
            results.append(result)
            if on_result is not None:
                on_result(result, str(path))
            if progress is not None:
                progress(done + 1, len(paths))
        return results

    def write_continuing(
        self, session: Session, prepared: Prepared, members: MemberTotals | None = None
    ) -> ImportOutcome | None:
        """Inside the caller's transaction, write a verified file's precomputed effects when it
        continues its centre's chain; None, with nothing written, for anything else (a new
        epoch shares history: `_place`). ``members``: where its member rows go to be written
        with other files' before the caller commits (default: written now)."""
        head = prepared.header
        epoch, seq_from, seq_to = head["epoch"], head["seq_from"], head["seq_to"]
        effects = prepared.effects
        if effects is None:
            return None
        centre = _lock_centre(session, prepared.centre)
        same = (epoch, seq_from - 1, head["prev_hash"]) == (
            centre.epoch,
            centre.head_seq,
            centre.head_hash,
        )
        if centre.status == FROZEN or not same:  # a new epoch is placed: epochs.start_epoch
            return None
        added = self._apply(
            session,
            centre,
            head,
            prepared.sha256,
            None,
            lambda a: a.run_computed(effects),
            members,
        )
        message = _("{code} seq {a}–{b}: {n} new transactions imported").format(
            code=centre.code, a=seq_from, b=seq_to, n=added
        )
        return ImportOutcome(
            prepared.source, APPLIED, centre.code, seq_from, seq_to, added, message
        )

    def import_file(self, path: str | os.PathLike[str]) -> ImportOutcome:
        data = load_file(path)
        return self.import_bytes(data, str(path))

    def import_bytes(self, data: bytes, source: str = "") -> ImportOutcome:
        """Verify a file and compute its effects in one pass over its rows, write them when it
        continues its centre's chain, else place it (already imported, overlap, gap, fork)."""
        with self.ctx.read() as session:
            district = load_identity(session).code
            keys = centre_keys(session)
        bundle, prepared = prepare_bytes(data, source, district, keys)
        with self.ctx.write() as session:
            outcome = self.write_continuing(session, prepared)
        if outcome is None:
            return self.place_verified(bundle, data, source)
        caught = self.catch_up(bundle.centre)
        return replace(outcome, caught_up=tuple(caught)) if caught else outcome

    def place_verified(self, bundle: Bundle, data: bytes, source: str) -> ImportOutcome:
        """Place a verified file on its centre's chain (`_place`), then let held files whose
        gap it closed through."""
        outcome = self._place(bundle, data, source)
        if outcome.status == APPLIED:
            caught = self.catch_up(bundle.centre)
            if caught:
                outcome = replace(outcome, caught_up=tuple(caught))
        return outcome

    # ------------------------------------------------------------------ verification
    def _verify(self, data: bytes) -> Bundle:
        with self.ctx.read() as session:
            district = load_identity(session).code
            keys = centre_keys(session)
        return verify_centre_file(data, district, keys)

    # ------------------------------------------------------------------ placing on the chain
    def _place(
        self, bundle: Bundle, data: bytes, source: str, held_id: int | None = None
    ) -> ImportOutcome:
        head = bundle.header
        epoch, seq_from, seq_to = head["epoch"], head["seq_from"], head["seq_to"]
        sha = bundle.file_sha256

        def outcome(status: str, added: int, message: str) -> ImportOutcome:
            return ImportOutcome(source, status, bundle.centre, seq_from, seq_to, added, message)

        try:
            with self.ctx.write() as session:
                centre = _lock_centre(session, bundle.centre)
                if centre.status == FROZEN:
                    raise FileRejected(
                        _(
                            "Centre {code} is frozen after a fork alarm; resolve it first "
                            "(timebank district resolve {code})"
                        ).format(code=centre.code)
                    )
                action = classify(session, centre, bundle)
                if action == DUPLICATE:
                    if held_id is not None:
                        drop_held(session, held_id)
                    return outcome(
                        DUPLICATE,
                        0,
                        _("{code} seq {a}–{b}: already imported").format(
                            code=centre.code, a=seq_from, b=seq_to
                        ),
                    )
                if action == HELD:
                    return outcome(
                        HELD, 0, hold(session, centre, bundle, data, sha, self.ctx.now())
                    )
                started = start_epoch(session, centre, bundle) if epoch > centre.epoch else None
                added = self._apply(
                    session, centre, head, sha, held_id, lambda a: a.run(bundle, centre.head_seq)
                )
                message = _("{code} seq {a}–{b}: {n} new transactions imported").format(
                    code=centre.code, a=seq_from, b=seq_to, n=added
                )
                if started is not None:
                    message = f"{message}; {started.message()}"
                return outcome(APPLIED, added, message)
        except ForkFound as fork:
            raise_alarm(self.ctx, fork, sha, {"seq_from": seq_from, "seq_to": seq_to}, held_id)
            raise FileRejected(fork.detail) from None

    def _apply(
        self,
        session: Session,
        centre: DistrictCentre,
        head: Mapping[str, Any],
        sha: str,
        held_id: int | None,
        run: Callable[[FileApplier], Applied],
        members: MemberTotals | None = None,
    ) -> int:
        now = self.ctx.now()
        if held_id is not None:
            row = session.get_one(DistrictFile, held_id)
            session.query(DistrictHeldFile).filter_by(file_id=held_id).delete()
        else:
            row = file_row(sha, centre.id, head["epoch"], head, APPLIED, now, "")
            session.add(row)
            session.flush()
        applier = FileApplier(
            session.connection(),
            centre.id,
            centre.code,
            centre.epoch,
            row.id,
            centre_ids(session),
            members,
        )
        result = run(applier)
        row.status, row.added = APPLIED, result.added
        row.first_value_date, row.last_value_date = result.first_date, result.last_date
        notes = []
        if result.unattributed:
            notes.append(
                _("{n} cross-centre postings without a member").format(n=result.unattributed)
            )
        if result.orphan_mirrors:
            notes.append(_("{n} mirrors of unknown entries").format(n=result.orphan_mirrors))
        row.detail = _("; ").join(notes)
        if result.added:
            centre.head_seq, centre.head_hash = result.head_seq, result.head_hash
        centre.last_file_at = now
        return result.added

    # ------------------------------------------------------------------ held files
    def catch_up(self, code: str) -> list[str]:
        """Apply held files of ``code`` whose gap is now closed, in seq order."""
        applied: list[str] = []
        while True:
            with self.ctx.read() as session:
                centre = session.scalars(
                    select(DistrictCentre).where(DistrictCentre.code == code)
                ).one()
                held = session.execute(
                    select(DistrictHeldFile.file_id, DistrictHeldFile.data)
                    .where(
                        DistrictHeldFile.centre_id == centre.id,
                        DistrictHeldFile.epoch == centre.epoch,
                        DistrictHeldFile.seq_from <= centre.head_seq + 1,
                    )
                    .order_by(DistrictHeldFile.seq_from)
                    .limit(1)
                ).first()
            if held is None:
                return applied
            try:
                bundle = self._verify(held.data)
                outcome = self._place(bundle, held.data, "", held_id=held.file_id)
            except FileRejected:
                with self.ctx.write() as session:
                    drop_held(session, held.file_id)
                continue
            if outcome.status == APPLIED:
                applied.append(outcome.message)


def _lock_centre(session: Session, code: str) -> DistrictCentre:
    query = select(DistrictCentre).where(DistrictCentre.code == code)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    centre = session.scalars(query).first()
    if centre is None:  # enrolled when verified, so only a concurrent change gets here
        raise FileRejected(_("Centre {code} is not enrolled").format(code=code))
    return centre
