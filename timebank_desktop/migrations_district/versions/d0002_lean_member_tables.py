"""Leaner aggregate tables: member and account rows stored by their key; overdrafts indexed.

Every imported file upserts one `district_member` and one `district_account` row per member it
touches. On SQLite both tables become WITHOUT ROWID (the row is stored in its primary key's
B-tree: one tree to update instead of two), and the index on every member balance, moved on
every upsert, becomes a partial index of the overdrawn ones (the only query that uses it lists
balances below zero). An upsert of an existing member costs about half as much.

Revision ID: d0002
Revises: d0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d0002"
down_revision = "d0001"
branch_labels = None
depends_on = None

OVERDRAWN = sa.text("balance < 0")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    lean = {"sqlite_with_rowid": False}
    with op.batch_alter_table(
        "district_member", recreate="always" if sqlite else "auto", table_kwargs=lean
    ) as batch_op:
        batch_op.drop_index("ix_district_member_balance")
        batch_op.create_index(
            "ix_district_member_overdrawn",
            ["balance", "key"],
            unique=False,
            sqlite_where=OVERDRAWN,
            postgresql_where=OVERDRAWN,
        )
    if sqlite:
        with op.batch_alter_table("district_account", recreate="always", table_kwargs=lean):
            pass


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table(
        "district_member", recreate="always" if sqlite else "auto"
    ) as batch_op:
        batch_op.drop_index("ix_district_member_overdrawn")
        batch_op.create_index("ix_district_member_balance", ["balance"], unique=False)
    if sqlite:
        with op.batch_alter_table("district_account", recreate="always"):
            pass
