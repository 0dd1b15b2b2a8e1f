"""Review assignments: which team member is to review a suggestion (the history is in the audit log).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-10
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_assignments",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("assignee", sa.Text(), nullable=True),
        sa.Column("assigned_by", sa.Text(), nullable=False),
        sa.Column("assigned_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name="fk_review_assignments_incident_id_incidents"),
        sa.PrimaryKeyConstraint("incident_id", name="pk_review_assignments"),
    )
    op.create_index("ix_review_assignments_assignee", "review_assignments", ["assignee"])


def downgrade() -> None:
    op.drop_index("ix_review_assignments_assignee", table_name="review_assignments")
    op.drop_table("review_assignments")
