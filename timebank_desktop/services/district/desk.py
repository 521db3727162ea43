"""The district's services behind one object, for the GUI's district mode.

The district database is opened lazily on first use (on the GUI's worker thread), from a target
named like the CLI's (`database.default_district_target`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from timebank_desktop.domain.clock import Clock, SystemClock
from timebank_desktop.domain.errors import FileRejected, StorageError
from timebank_desktop.domain.months import Month
from timebank_desktop.services.context import SYSTEM_ACTOR, Actor, AppContext
from timebank_desktop.services.district.database import (
    default_district_target,
    open_district_database,
)
from timebank_desktop.services.district.identity import (
    DistrictIdentityService,
    DistrictInfo,
    EnrolledCentre,
)
from timebank_desktop.services.district.importer import DistrictImporter, ImportOutcome
from timebank_desktop.services.district.positions import DistrictPositionsService, Position
from timebank_desktop.services.district.report import DistrictReportService
from timebank_desktop.services.district.statement import DistrictStatementService, StatementInfo
from timebank_desktop.services.district.status import CentreState, DistrictStatusService

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class DistrictOverview:
    """What the district panel shows: who we are, each centre, positions, overdrafts."""

    info: DistrictInfo | None
    centres: tuple[CentreState, ...]
    positions: tuple[Position, ...]
    overdrafts: int


class DistrictDesk:
    def __init__(
        self,
        target: str | os.PathLike[str] | None = None,
        clock: Clock | None = None,
        actor: Actor = SYSTEM_ACTOR,
    ) -> None:
        self.target = str(target) if target is not None else default_district_target()
        self.clock = clock or SystemClock()
        self.actor = actor
        self._ctx: AppContext | None = None

    @property
    def ctx(self) -> AppContext:
        if self._ctx is None:
            engine = open_district_database(self.target)
            self._ctx = AppContext(engine, clock=self.clock, actor=self.actor)
        return self._ctx

    def close(self) -> None:
        if self._ctx is not None:
            self._ctx.engine.dispose()
            self._ctx = None

    def overview(self) -> DistrictOverview:
        try:
            info: DistrictInfo | None = DistrictIdentityService(self.ctx).info()
        except StorageError:
            return DistrictOverview(None, (), (), 0)
        positions = DistrictPositionsService(self.ctx)
        return DistrictOverview(
            info,
            tuple(DistrictStatusService(self.ctx).centres()),
            tuple(positions.positions()),
            len(positions.overdrafts()),
        )

    def init(self, code: str, name: str) -> DistrictInfo:
        return DistrictIdentityService(self.ctx).init(code, name)

    def enrol(self, path: Path, fingerprint: str | None = None) -> EnrolledCentre:
        return DistrictIdentityService(self.ctx).enrol(path, fingerprint)

    def inspect_enrolment(self, path: Path) -> tuple[str, str]:
        """The centre code and fingerprint of an enrolment file, to confirm before enrolling."""
        from timebank_desktop.exports.sync import ENROLMENT, read_bundle, trust_self_signed

        bundle = read_bundle(path, trust_self_signed)
        if bundle.type != ENROLMENT:
            raise FileRejected(bundle.type)
        return bundle.centre, bundle.signer.fingerprint

    def config(self, path: Path) -> int:
        written = DistrictIdentityService(self.ctx).config(path)
        return int(written.manifest["config_seq"])

    def import_files(
        self, paths: Sequence[Path], progress: ProgressFn | None = None
    ) -> list[ImportOutcome | FileRejected]:
        """Import files in order; ``progress`` may raise to stop between files."""
        return DistrictImporter(self.ctx).import_files(paths, progress)

    def statement(self, path: Path) -> StatementInfo:
        return DistrictStatementService(self.ctx).write(path)

    def report(self, month: Month, path: Path, progress: ProgressFn | None = None) -> None:
        DistrictReportService(self.ctx).write(month, path, progress)
