"""What the Sync page shows: this centre's key, the district, statements and export history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from timebank_desktop.domain.signing import PublicKey
from timebank_desktop.models import LedgerHead, SyncCentre
from timebank_desktop.services.centre import load_centre
from timebank_desktop.services.context import AppContext
from timebank_desktop.services.sync.common import (
    DistrictInfo,
    district_key,
    last_statement,
    load_config,
)
from timebank_desktop.services.sync.exports_history import (
    ExportEntry,
    export_history,
    last_exported_seq,
)


@dataclass(frozen=True, slots=True)
class StatementInfo:
    seq: int
    imported_at: datetime
    head_seq: int
    entries_booked: int
    entries_unmatched: int
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SyncStatus:
    centre_code: str
    centre_fingerprint: str
    district: DistrictInfo | None
    statement: StatementInfo | None
    head_seq: int
    exported_seq: int
    exports: tuple[ExportEntry, ...]
    epoch: int = 1  # this centre's chain epoch (a new one after restoring an old backup)

    @property
    def pending(self) -> int:
        """Transactions not yet in any export."""
        return max(self.head_seq - self.exported_seq, 0)


class SyncStatusService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def status(self) -> SyncStatus:
        with self.ctx.read() as session:
            centre = load_centre(session)
            config = load_config(session)
            district = None
            if config is not None:
                centres = tuple(
                    (c.code, c.name)
                    for c in session.scalars(select(SyncCentre).order_by(SyncCentre.code))
                )
                district = DistrictInfo(
                    config.district_code, config.district_name,
                    district_key(config).fingerprint, config.config_seq, centres,
                )  # fmt: skip
            last = last_statement(session)
            statement = None
            if last is not None:
                statement = StatementInfo(
                    last.statement_seq, last.imported_at, last.head_seq, last.entries_booked,
                    last.entries_unmatched, tuple(w for w in last.warnings.split("\n") if w),
                )  # fmt: skip
            head = session.scalars(select(LedgerHead)).one()
            return SyncStatus(
                centre.code, PublicKey.from_text(centre.public_key).fingerprint, district,
                statement, head.last_seq, last_exported_seq(session, centre.chain_epoch),
                tuple(export_history(session)), centre.chain_epoch,
            )  # fmt: skip
