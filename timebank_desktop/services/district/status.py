"""Where each enrolled centre stands: chain head, last file, held files, open alarms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from timebank_desktop.i18n import N_, _
from timebank_desktop.models.district import DistrictAlarm, DistrictCentre, DistrictFile
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.district.epochs import LostRange, lost_ranges
from timebank_desktop.services.district.registry import ACTIVE, FROZEN

_STATUS_LABELS = {ACTIVE: N_("Active"), FROZEN: N_("Frozen (fork alarm)")}


@dataclass(frozen=True, slots=True)
class CentreState:
    code: str
    name: str
    fingerprint: str
    status: str
    epoch: int
    head_seq: int
    last_file_at: datetime | None
    held_files: int
    open_alarms: int
    lost: tuple[LostRange, ...] = ()  # rows of closed epochs lost at the centre (epochs)

    @property
    def status_label(self) -> str:
        """The status in the user's language."""
        return _(_STATUS_LABELS[self.status]) if self.status in _STATUS_LABELS else self.status

    @property
    def lost_transactions(self) -> int:
        return sum(r.transactions for r in self.lost)


class DistrictStatusService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def centres(self) -> list[CentreState]:
        with self.ctx.read() as session:
            held = dict(
                session.execute(
                    select(DistrictFile.centre_id, func.count())
                    .where(DistrictFile.status == "held")
                    .group_by(DistrictFile.centre_id)
                ).all()
            )
            alarms = dict(
                session.execute(
                    select(DistrictAlarm.centre_id, func.count())
                    .where(DistrictAlarm.resolved_at.is_(None))
                    .group_by(DistrictAlarm.centre_id)
                ).all()
            )
            lost: dict[str, list[LostRange]] = {}
            for r in lost_ranges(session):
                lost.setdefault(r.centre, []).append(r)
            return [
                CentreState(
                    c.code,
                    c.name,
                    c.fingerprint,
                    c.status,
                    c.epoch,
                    c.head_seq,
                    c.last_file_at,
                    held.get(c.id, 0),
                    alarms.get(c.id, 0),
                    tuple(lost.get(c.code, ())),
                )
                for c in session.scalars(select(DistrictCentre).order_by(DistrictCentre.code))
            ]
