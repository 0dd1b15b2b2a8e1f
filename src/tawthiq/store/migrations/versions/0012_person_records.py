"""Person records: the entries of victim lists, kept as written (re-imports update, never duplicate).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "person_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("list_name", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False, server_default=""),
        sa.Column("fields", JSON, nullable=False),
        sa.Column("extra", JSON, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_person_records_source_id_sources"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_person_records_incident_id_incidents"),
        sa.PrimaryKeyConstraint("id", name="pk_person_records"),
        sa.UniqueConstraint("list_name", "record_id", name="uq_person_records_list_name_record_id"),
    )
    op.create_index("ix_person_records_cluster_id", "person_records", ["cluster_id"])
    op.create_index("ix_person_records_source_id", "person_records", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_person_records_source_id", table_name="person_records")
    op.drop_index("ix_person_records_cluster_id", table_name="person_records")
    op.drop_table("person_records")
