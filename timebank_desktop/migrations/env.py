"""Alembic environment: runs on the connection handed over by `services.database`."""

from __future__ import annotations

from alembic import context

from timebank_desktop.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - we always pass a connection
    raise RuntimeError("timebank migrations run through timebank_desktop.services.database")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
