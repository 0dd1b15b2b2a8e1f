"""A second factor for signing in (TOTP), its recovery codes, and a sign-in history.

``users.totp_secret`` is the confirmed authenticator secret (never shown again,
never in the audit log); ``users.totp_last_step`` the last 30-second step a
code was accepted for, so one code is never accepted twice. ``recovery_codes``
keeps Argon2 hashes of the ten one-use codes. ``web_sessions.pending`` marks a
session whose password was right but whose code is still to come: it opens no
page. ``login_attempts`` says which second factor a check used and from which
browser (the history on the account page).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Added columns only (no table rebuild on SQLite): nullable or with a default.
    op.add_column("users", sa.Column("totp_secret", sa.Text(), nullable=True))
    op.add_column("users", sa.Column("totp_enabled_at", TS, nullable=True))
    op.add_column("users", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.add_column("web_sessions", sa.Column("pending", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("login_attempts", sa.Column("second_factor", sa.Text(), nullable=False, server_default=""))
    op.add_column("login_attempts", sa.Column("user_agent", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.Text(), nullable=False),
        sa.Column("created_at", TS, server_default=sa.func.current_timestamp(), nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_recovery_codes_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_codes"),
    )
    op.create_index("ix_recovery_codes_user_id", "recovery_codes", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_recovery_codes_user_id", table_name="recovery_codes")
    op.drop_table("recovery_codes")
    with op.batch_alter_table("login_attempts") as batch:
        batch.drop_column("user_agent")
        batch.drop_column("second_factor")
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("pending")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_secret")
