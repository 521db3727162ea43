"""The district schema: identity, centres, files, chains and incremental aggregates.

Revision ID: d0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "district_centre",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=49), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("head_seq", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("last_file_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_centre")),
        sa.UniqueConstraint("code", name=op.f("uq_district_centre_code")),
    )
    op.create_table(
        "district_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("private_key", sa.String(length=64), nullable=False),
        sa.Column("member_key_secret", sa.String(length=64), nullable=False),
        sa.Column("passphrase", sa.String(length=100), nullable=False),
        sa.Column("config_seq", sa.Integer(), nullable=False),
        sa.Column("statement_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_identity")),
        sa.UniqueConstraint("code", name=op.f("uq_district_identity_code")),
    )
    op.create_table(
        "district_member",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_district_member")),
    )
    with op.batch_alter_table("district_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_district_member_balance"), ["balance"], unique=False)

    op.create_table(
        "district_statement",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("centres", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_district_statement")),
    )
    op.create_table(
        "district_account",
        sa.Column("centre_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=True),
        sa.Column("roles", sa.String(length=30), nullable=False),
        sa.Column("legs", sa.Integer(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_account_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint("centre_id", "account", name=op.f("pk_district_account")),
    )
    with op.batch_alter_table("district_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_district_account_key"), ["key"], unique=False)

    op.create_table(
        "district_alarm",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_alarm_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_alarm")),
    )
    with op.batch_alter_table("district_alarm", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_district_alarm_centre_id"), ["centre_id"], unique=False
        )

    op.create_table(
        "district_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("counter_centre_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("origin_epoch", sa.Integer(), nullable=False),
        sa.Column("origin_seq", sa.BigInteger(), nullable=False),
        sa.Column("origin_tx", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column("mirrored", sa.Boolean(), nullable=False),
        sa.Column("mirror_seq", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_entry_centre_id_district_centre"),
        ),
        sa.ForeignKeyConstraint(
            ["counter_centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_entry_counter_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_entry")),
    )
    with op.batch_alter_table("district_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_district_entry_key"), ["key"], unique=False)
        batch_op.create_index("ix_district_entry_open", ["mirrored", "centre_id"], unique=False)

    op.create_table(
        "district_file",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("seq_from", sa.BigInteger(), nullable=False),
        sa.Column("seq_to", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("added", sa.BigInteger(), nullable=False),
        sa.Column("first_value_date", sa.Date(), nullable=True),
        sa.Column("last_value_date", sa.Date(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_file_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_file")),
    )
    with op.batch_alter_table("district_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_district_file_centre_id"), ["centre_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_district_file_file_sha256"), ["file_sha256"], unique=False
        )

    op.create_table(
        "district_flow",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("from_centre_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("to_centre_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_flow_from_centre_id_district_centre"),
        ),
        sa.ForeignKeyConstraint(
            ["to_centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_flow_to_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint(
            "month", "from_centre_id", "to_centre_id", name=op.f("pk_district_flow")
        ),
    )
    op.create_table(
        "district_month",
        sa.Column("centre_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("services", sa.BigInteger(), nullable=False),
        sa.Column("credited", sa.BigInteger(), nullable=False),
        sa.Column("withdrawn", sa.BigInteger(), nullable=False),
        sa.Column("transactions", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_month_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint("centre_id", "month", name=op.f("pk_district_month")),
    )
    op.create_table(
        "district_orphan_mirror",
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_orphan_mirror_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_district_orphan_mirror")),
    )
    op.create_table(
        "district_tx",
        sa.Column("centre_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("tx_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("postings", sa.Text(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_tx_centre_id_district_centre"),
        ),
        sa.PrimaryKeyConstraint("centre_id", "epoch", "seq", name=op.f("pk_district_tx")),
    )
    op.create_table(
        "district_held_file",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("seq_from", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"],
            ["district_centre.id"],
            name=op.f("fk_district_held_file_centre_id_district_centre"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["district_file.id"],
            name=op.f("fk_district_held_file_file_id_district_file"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_district_held_file")),
        sa.UniqueConstraint("file_id", name=op.f("uq_district_held_file_file_id")),
    )
    with op.batch_alter_table("district_held_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_district_held_file_centre_id"), ["centre_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("district_held_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_district_held_file_centre_id"))

    op.drop_table("district_held_file")
    op.drop_table("district_tx")
    op.drop_table("district_orphan_mirror")
    op.drop_table("district_month")
    op.drop_table("district_flow")
    with op.batch_alter_table("district_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_district_file_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_district_file_centre_id"))

    op.drop_table("district_file")
    with op.batch_alter_table("district_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_district_entry_open")
        batch_op.drop_index(batch_op.f("ix_district_entry_key"))

    op.drop_table("district_entry")
    with op.batch_alter_table("district_alarm", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_district_alarm_centre_id"))

    op.drop_table("district_alarm")
    with op.batch_alter_table("district_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_district_account_key"))

    op.drop_table("district_account")
    op.drop_table("district_statement")
    with op.batch_alter_table("district_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_district_member_balance"))

    op.drop_table("district_member")
    op.drop_table("district_identity")
    op.drop_table("district_centre")
