"""Actors added from the interface, and the team's settings (the second-reviewer step).

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-12
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "recorded_actors",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("label_ar", sa.Text(), nullable=False),
        sa.Column("aliases_en", JSON, nullable=False),
        sa.Column("aliases_ar", JSON, nullable=False),
        sa.Column("parent", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False, server_default=""),
        sa.Column("retired", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_recorded_actors"),
        sa.UniqueConstraint("code", name="uq_recorded_actors_code"),
    )
    op.create_table(
        "team_settings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_team_settings"),
        sa.UniqueConstraint("key", name="uq_team_settings_key"),
    )


def downgrade() -> None:
    op.drop_table("team_settings")
    op.drop_table("recorded_actors")
