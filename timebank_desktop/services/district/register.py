"""The district's register of received files: their rows, held files, fork alarms.

`importer` decides what a file is (applied, already imported, held back, a fork); this module
writes what the register keeps of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank_desktop.exports.sync import Bundle
from timebank_desktop.i18n import _
from timebank_desktop.models.district import (
    DistrictAlarm,
    DistrictCentre,
    DistrictFile,
    DistrictHeldFile,
)
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.chain import FORK, HELD, ForkFound
from timebank_desktop.services.district.registry import FROZEN


def hold(
    session: Session,
    centre: DistrictCentre,
    bundle: Bundle,
    data: bytes,
    sha: str,
    now: datetime,
) -> str:
    """Keep a file whose seqs do not yet join the centre's chain; the message saying so."""
    head = bundle.header
    missing = _(
        "{code} seq {a}–{b}: held back, seq {c}–{d} are missing; it will be applied "
        "when they arrive"
    ).format(
        code=centre.code,
        a=head["seq_from"],
        b=head["seq_to"],
        c=centre.head_seq + 1,
        d=head["seq_from"] - 1,
    )
    if head["epoch"] > centre.epoch:
        missing = _("{code} epoch {e}: held back until the epoch's first file arrives").format(
            code=centre.code, e=head["epoch"]
        )
    known = session.scalar(
        select(DistrictFile.id).where(DistrictFile.file_sha256 == sha, DistrictFile.status == HELD)
    )
    if known is None:
        row = file_row(sha, centre.id, head["epoch"], head, HELD, now, missing)
        session.add(row)
        session.flush()
        session.add(
            DistrictHeldFile(
                file_id=row.id,
                centre_id=centre.id,
                epoch=head["epoch"],
                seq_from=head["seq_from"],
                data=data,
            )
        )
    return missing


def raise_alarm(
    ctx: AppContext,
    fork: ForkFound,
    sha: str,
    span: Mapping[str, Any],
    held_id: int | None,
) -> None:
    """Record a fork: the file's row, an alarm, and the centre frozen until it is resolved."""
    with ctx.write() as session:
        centre = session.get_one(DistrictCentre, fork.centre_id)
        centre.status = FROZEN
        now = ctx.now()
        if held_id is not None:
            drop_held(session, held_id)
        session.add(file_row(sha, centre.id, fork.epoch, span, FORK, now, fork.detail))
        session.add(
            DistrictAlarm(
                centre_id=centre.id,
                epoch=fork.epoch,
                seq=fork.seq,
                file_sha256=sha,
                detail=fork.detail,
                raised_at=now,
                resolved_at=None,
                resolution="",
            )
        )


def file_row(
    sha: str,
    centre_id: int,
    epoch: int,
    span: Mapping[str, Any],
    status: str,
    received_at: datetime,
    detail: str,
) -> DistrictFile:
    """The register row of a received file (``span``: its seq_from and seq_to)."""
    return DistrictFile(
        file_sha256=sha,
        centre_id=centre_id,
        epoch=epoch,
        seq_from=span["seq_from"],
        seq_to=span["seq_to"],
        status=status,
        added=0,
        received_at=received_at,
        detail=detail,
    )


def drop_held(session: Session, file_id: int) -> None:
    session.query(DistrictHeldFile).filter_by(file_id=file_id).delete()
    session.query(DistrictFile).filter_by(id=file_id).delete()
