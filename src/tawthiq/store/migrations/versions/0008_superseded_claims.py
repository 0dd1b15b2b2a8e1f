"""Claims: when, by whom and why a claim was replaced (superseded_at, superseded_by, superseded_note).

A correction used to leave the machine's claim beside the person's with
nothing saying which one the record follows; now the replaced claim is
marked, never deleted.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("superseded_at", "superseded_by", "superseded_note")


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.Text(), nullable=True))
        batch.add_column(sa.Column("superseded_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
