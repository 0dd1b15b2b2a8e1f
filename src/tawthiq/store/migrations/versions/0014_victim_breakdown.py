"""Victim groups: how many of the group are children, women and men ("of whom 3 children, 2 women").

A report that says "12 killed, among them 5 children and 3 women" could only
be recorded as twelve; the breakdown was lost. Three nullable counts keep it
(NULL: the source does not say).

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-08
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("children", "women", "men")


def upgrade() -> None:
    with op.batch_alter_table("victim_groups") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("victim_groups") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
