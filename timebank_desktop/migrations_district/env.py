"""Alembic environment of the district database: runs on the connection handed over."""

from __future__ import annotations

from alembic import context

from timebank_desktop.models.district import DistrictBase
from timebank_desktop.models.district.base import VERSION_TABLE

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - we always pass a connection
    raise RuntimeError("district migrations run through services.district.database")


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Only the district's tables: a centre sharing the database is none of our business."""
    return type_ != "table" or bool(name and name.startswith("district_"))


context.configure(
    connection=connection,
    target_metadata=DistrictBase.metadata,
    version_table=VERSION_TABLE,
    include_object=_ours,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
