"""Attached media: a source (or a region, time range or page of it) attached to an incident as evidence.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-10
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incident_media",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Text(), nullable=False),
        sa.Column("region_x", sa.Float(), nullable=True),
        sa.Column("region_y", sa.Float(), nullable=True),
        sa.Column("region_w", sa.Float(), nullable=True),
        sa.Column("region_h", sa.Float(), nullable=True),
        sa.Column("start_seconds", sa.Float(), nullable=True),
        sa.Column("end_seconds", sa.Float(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("withdrawn_at", TS, nullable=True),
        sa.Column("withdrawn_by", sa.Text(), nullable=False, server_default=""),
        sa.Column("withdrawn_why", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_incident_media_incident_id_incidents"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_incident_media_source_id_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_incident_media"),
    )
    op.create_index("ix_incident_media_incident_id", "incident_media", ["incident_id"])
    op.create_index("ix_incident_media_source_id", "incident_media", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_incident_media_source_id", table_name="incident_media")
    op.drop_index("ix_incident_media_incident_id", table_name="incident_media")
    op.drop_table("incident_media")
