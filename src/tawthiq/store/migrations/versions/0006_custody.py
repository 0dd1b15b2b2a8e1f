"""The custody ledger: an append-only, hash-chained log of what happened to each original.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tawthiq.store import dialect

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "custody_log",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("item_sha256", sa.Text(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("machine", sa.Text(), nullable=False, server_default=""),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("details", JSON, nullable=False),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("entry_hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_custody_log"),
    )
    op.create_index("ix_custody_log_source_id", "custody_log", ["source_id"])
    op.create_index("ix_custody_log_item_sha256", "custody_log", ["item_sha256"])
    dialect.create_append_only_guard(op.get_bind(), "custody_log")


def downgrade() -> None:
    bind = op.get_bind()
    # The guard function is shared with audit_log on PostgreSQL: drop this table's triggers only.
    if bind.dialect.name == "sqlite":
        dialect.drop_append_only_guard(bind, "custody_log")
    else:
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS custody_log_append_only ON custody_log")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS custody_log_no_truncate ON custody_log")
    op.drop_table("custody_log")
