"""When a browser session was last used, so one left unused ends (the idle timeout).

``web_sessions.last_used_at`` is moved on at most once a minute while the session is used;
NULL (a session opened before this revision) counts from ``created_at``. An idle session is
ended by setting ``revoked_at``, never deleted, so the sign-in history keeps it.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An added nullable column only (no table rebuild on SQLite).
    op.add_column("web_sessions", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("last_used_at")
