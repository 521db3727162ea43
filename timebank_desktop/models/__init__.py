"""SQLAlchemy 2 typed ORM tables (and the engine set-up). No business rules here."""

from timebank_desktop.models.base import Base
from timebank_desktop.models.centre import Centre, Counter, Setting
from timebank_desktop.models.ledger import Account, LedgerHead, MonthClose, Posting, Txn
from timebank_desktop.models.members import (
    HouseholdRelation,
    InsurancePolicy,
    Member,
    TrainingCertificate,
)
from timebank_desktop.models.records import (
    Category,
    Dispute,
    GoodsItem,
    IssuedDocument,
    PolicyVersion,
    ServiceRecord,
    ServiceRequest,
)
from timebank_desktop.models.staff import AuditEntry, StaffUser
from timebank_desktop.models.sync import (
    SyncBalance,
    SyncCentre,
    SyncConfig,
    SyncExport,
    SyncMirror,
    SyncStatement,
    SyncVisit,
    SyncVisitor,
)

__all__ = [
    "Account",
    "AuditEntry",
    "Base",
    "Category",
    "Centre",
    "Counter",
    "Dispute",
    "GoodsItem",
    "HouseholdRelation",
    "InsurancePolicy",
    "IssuedDocument",
    "LedgerHead",
    "Member",
    "MonthClose",
    "PolicyVersion",
    "Posting",
    "ServiceRecord",
    "ServiceRequest",
    "Setting",
    "StaffUser",
    "SyncBalance",
    "SyncCentre",
    "SyncConfig",
    "SyncExport",
    "SyncMirror",
    "SyncStatement",
    "SyncVisit",
    "SyncVisitor",
    "TrainingCertificate",
    "Txn",
]
