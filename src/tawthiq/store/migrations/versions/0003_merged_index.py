"""Index incidents.merged_into_id: the incident page asks which incidents were merged into it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_incidents_merged_into_id", "incidents", ["merged_into_id"])


def downgrade() -> None:
    op.drop_index("ix_incidents_merged_into_id", table_name="incidents")
