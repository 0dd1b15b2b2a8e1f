"""Whether viewers may see a tag: ``tags.shown_to_viewers``, false unless an admin sets it.

Until now a viewer saw every tag on the public incidents they read, and a team's
tags are mostly working notes ("needs follow-up", "witness contacted"). Every
existing tag starts hidden from viewers: an admin marks the ones meant for them.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-16
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An added column with a default: no table rebuild on SQLite; existing tags read false.
    op.add_column("tags", sa.Column("shown_to_viewers", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("tags") as batch:
        batch.drop_column("shown_to_viewers")
