"""PostgreSQL: indexes for the default "newest first, unknown dates last" sort.

The list's default order is ``date_start DESC NULLS LAST, id DESC``.
PostgreSQL places NULL above every value, so a plain index on ``date_start``
read backwards yields the unknown dates first and cannot serve that order:
every matching incident was sorted to show one page. These indexes have the
order built in, with and without the event-type filter the list uses most.
SQLite needs nothing: it orders NULL lowest, so its existing indexes already
give that order (see ``dialect.POSTGRESQL_ONLY_INDEXES``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tawthiq.store import dialect

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    dialect.create_sort_indexes(bind)
    dialect.analyze(bind)


def downgrade() -> None:
    dialect.drop_sort_indexes(op.get_bind())
