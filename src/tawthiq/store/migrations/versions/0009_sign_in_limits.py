"""Sign-in limits per account and address, admin unlock, API token expiry.

``login_attempts`` says what each check was for (signing in, or the current
password on the password page) and whether the limit refused it unchecked;
``users.failures_cleared_at`` is when an admin last unlocked the account
(failures before it no longer count); ``api_tokens.expires_at`` is when a
token stops working. Tokens made before this revision expire 90 days after it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
EXISTING_TOKEN_LIFETIME = timedelta(days=90)


def upgrade() -> None:
    # Added columns only (no table rebuild on SQLite): nullable or with a default.
    op.add_column("login_attempts", sa.Column("purpose", sa.Text(), nullable=False, server_default="login"))
    op.add_column("login_attempts", sa.Column("limited", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("users", sa.Column("failures_cleared_at", TS, nullable=True))
    op.add_column("api_tokens", sa.Column("expires_at", TS, nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", TS))
    op.execute(tokens.update().where(tokens.c.expires_at.is_(None))
               .values(expires_at=datetime.now(UTC) + EXISTING_TOKEN_LIFETIME))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("failures_cleared_at")
    with op.batch_alter_table("login_attempts") as batch:
        batch.drop_column("limited")
        batch.drop_column("purpose")
