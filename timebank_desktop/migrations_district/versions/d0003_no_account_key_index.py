"""No index on `district_account.key`.

Every imported file inserts or updates one account row per member it touches, and the index
on the member key (a hash: every insert lands somewhere else in the tree) cost three times what
the account row itself cost. No import reads it: the statement groups every account by key
(one pass either way) and the overdraft list finds the centres of its few keys in one pass
over the accounts (`positions.overdrafts`).

Revision ID: d0003
Revises: d0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "d0003"
down_revision = "d0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_district_account_key", table_name="district_account")


def downgrade() -> None:
    op.create_index("ix_district_account_key", "district_account", ["key"], unique=False)
