"""Incident clusters: ``incidents.cluster_id`` (derived from the ``same`` judgements) and the linker's detail.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite adds the columns in place (no rebuild needed for nullable columns).
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
    op.create_index("ix_incidents_cluster_id", "incidents", ["cluster_id"])
    with op.batch_alter_table("judgements") as batch:
        batch.add_column(sa.Column("detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("judgements") as batch:
        batch.drop_column("detail")
    op.drop_index("ix_incidents_cluster_id", table_name="incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("cluster_id")
