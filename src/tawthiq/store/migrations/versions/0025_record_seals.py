"""Content seals: every write to the record appends the SHA-256 of the row's new content.

``record_seals`` is append-only (the same database guard as ``audit_log``) and hash-chained like
``custody_log`` (see tawthiq.domain.seals and tawthiq.store.seals). Every existing row group gets
its first seal here, so ``tawthiq verify`` can tell any later edit made outside the application.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-09
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tawthiq.store import dialect, seals

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_seals",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("table_name", sa.Text(), nullable=False),
        sa.Column("row_key", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("entry_hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_record_seals"),
    )
    op.create_index("ix_record_seals_table_row", "record_seals", ["table_name", "row_key"])
    bind = op.get_bind()
    dialect.create_append_only_guard(bind, "record_seals")
    # The first seal of every row already written (a fresh database has none).
    seals.seal_all(bind)


def downgrade() -> None:
    bind = op.get_bind()
    # The guard function is shared with audit_log on PostgreSQL: drop this table's triggers only.
    if bind.dialect.name == "sqlite":
        dialect.drop_append_only_guard(bind, "record_seals")
    else:
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS record_seals_append_only ON record_seals")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS record_seals_no_truncate ON record_seals")
    op.drop_index("ix_record_seals_table_row", table_name="record_seals")
    op.drop_table("record_seals")
