"""The district database (区级数据库): its own tables, metadata and migration chain.

Kept apart from the centre's `timebank_desktop.models.Base`: a district database holds what
centres send (chains of transactions, pseudonymous member keys), never a centre's members.
Every table name starts with ``district_`` and the Alembic version table is
``district_alembic_version``, so a district may share a database with a centre without either
schema seeing the other.
"""

from timebank_desktop.models.district.base import DistrictBase
from timebank_desktop.models.district.chain import (
    DistrictCentre,
    DistrictFile,
    DistrictHeldFile,
    DistrictTx,
)
from timebank_desktop.models.district.identity import (
    DistrictAlarm,
    DistrictIdentity,
    DistrictStatement,
)
from timebank_desktop.models.district.totals import (
    DistrictAccount,
    DistrictEntry,
    DistrictFlow,
    DistrictMember,
    DistrictMonth,
    DistrictOrphanMirror,
)

__all__ = [
    "DistrictAccount",
    "DistrictAlarm",
    "DistrictBase",
    "DistrictCentre",
    "DistrictEntry",
    "DistrictFile",
    "DistrictFlow",
    "DistrictHeldFile",
    "DistrictIdentity",
    "DistrictMember",
    "DistrictMonth",
    "DistrictOrphanMirror",
    "DistrictStatement",
    "DistrictTx",
]
