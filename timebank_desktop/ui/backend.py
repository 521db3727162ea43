"""The services of one signed-in session, built from the composed `AppContext`.

Services that pull in openpyxl, reportlab or the sync machinery are imported when first
used, not at start-up (the main window must be interactive within 1.5 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from timebank_desktop.domain.roles import Permission, may
from timebank_desktop.services.accounts import AccountService
from timebank_desktop.services.auth import StaffService
from timebank_desktop.services.backup import BackupService
from timebank_desktop.services.catalogue import CategoryService
from timebank_desktop.services.centre import CentreService
from timebank_desktop.services.context import Actor, AppContext
from timebank_desktop.services.dashboard import DashboardService
from timebank_desktop.services.lookup import MemberLookup
from timebank_desktop.services.members import MemberService
from timebank_desktop.services.paths import AppPaths
from timebank_desktop.services.policy import PolicyService
from timebank_desktop.services.record_list import RecordListService
from timebank_desktop.services.records import RecordService
from timebank_desktop.services.service_form import ServiceFormService
from timebank_desktop.services.verify import VerifyService

if TYPE_CHECKING:
    from timebank_desktop.services.disputes import DisputeService
    from timebank_desktop.services.goods import GoodsService
    from timebank_desktop.services.month_close import MonthCloseService
    from timebank_desktop.services.monthly_report import MonthlyReportService
    from timebank_desktop.services.paper.desk import PaperDesk
    from timebank_desktop.services.request_match import MatchService
    from timebank_desktop.services.service_requests import RequestService
    from timebank_desktop.services.sync.export import ExportService
    from timebank_desktop.services.sync.files import SyncFileService
    from timebank_desktop.services.sync.status import SyncStatusService
    from timebank_desktop.services.sync.visitors import VisitorService
    from timebank_desktop.services.volunteers import VolunteerService


@dataclass
class Backend:
    """What the pages talk to; every service acts as the signed-in staff user."""

    ctx: AppContext
    paths: AppPaths
    database: Path | None = None
    demo: bool = False

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    def may(self, permission: Permission) -> bool:
        return may(self.ctx.actor.role, permission)

    @property
    def members(self) -> MemberService:
        return MemberService(self.ctx)

    @property
    def lookup(self) -> MemberLookup:
        return MemberLookup(self.ctx)

    @property
    def records(self) -> RecordService:
        return RecordService(self.ctx)

    @property
    def record_list(self) -> RecordListService:
        return RecordListService(self.ctx)

    @property
    def service_form(self) -> ServiceFormService:
        return ServiceFormService(self.ctx)

    @property
    def accounts(self) -> AccountService:
        return AccountService(self.ctx)

    @property
    def dashboard(self) -> DashboardService:
        return DashboardService(self.ctx)

    @property
    def centre(self) -> CentreService:
        return CentreService(self.ctx)

    @property
    def categories(self) -> CategoryService:
        return CategoryService(self.ctx)

    @property
    def policy(self) -> PolicyService:
        return PolicyService(self.ctx)

    @property
    def staff(self) -> StaffService:
        return StaffService(self.ctx)

    @property
    def backup(self) -> BackupService:
        return BackupService(self.ctx)

    @property
    def verify(self) -> VerifyService:
        return VerifyService(self.ctx)

    @property
    def monthly_report(self) -> MonthlyReportService:
        from timebank_desktop.services.monthly_report import MonthlyReportService

        return MonthlyReportService(self.ctx)

    @property
    def month_close(self) -> MonthCloseService:
        from timebank_desktop.services.month_close import MonthCloseService

        return MonthCloseService(self.ctx)

    @property
    def paper(self) -> PaperDesk:
        from timebank_desktop.services.paper.desk import PaperDesk

        return PaperDesk(self.ctx)

    @property
    def sync_files(self) -> SyncFileService:
        from timebank_desktop.services.sync.files import SyncFileService

        return SyncFileService(self.ctx)

    @property
    def sync_export(self) -> ExportService:
        from timebank_desktop.services.sync.export import ExportService

        return ExportService(self.ctx)

    @property
    def sync_status(self) -> SyncStatusService:
        from timebank_desktop.services.sync.status import SyncStatusService

        return SyncStatusService(self.ctx)

    @property
    def visitors(self) -> VisitorService:
        from timebank_desktop.services.sync.visitors import VisitorService

        return VisitorService(self.ctx)

    # ------------------------------------------------------------------ care (DESIGN §2.7)
    @property
    def volunteers(self) -> VolunteerService:
        from timebank_desktop.services.volunteers import VolunteerService

        return VolunteerService(self.ctx)

    @property
    def requests(self) -> RequestService:
        from timebank_desktop.services.service_requests import RequestService

        return RequestService(self.ctx)

    @property
    def matching(self) -> MatchService:
        from timebank_desktop.services.request_match import MatchService

        return MatchService(self.ctx)

    @property
    def disputes(self) -> DisputeService:
        from timebank_desktop.services.disputes import DisputeService

        return DisputeService(self.ctx)

    @property
    def goods(self) -> GoodsService:
        from timebank_desktop.services.goods import GoodsService

        return GoodsService(self.ctx)
