"""The digits of the Arabic interface on the user's account, so the choice follows them to every browser.

``users.digits`` is "latn" (0-9) or "arab" (٠-٩) once chosen on the account page, and "" before: existing
accounts start with "", so a choice already made in a browser (the ``tawthiq_digits`` cookie) still holds
there until the user saves one on their account.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-15
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # An added column with a default: no table rebuild on SQLite.
    op.add_column("users", sa.Column("digits", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("digits")
