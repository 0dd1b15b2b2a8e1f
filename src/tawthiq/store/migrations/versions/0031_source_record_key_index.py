"""An index on the sources' record keys, for imports keyed by another system's id.

``tawthiq import acled`` keys each row's source ``acled:<event_id_cnty>``, and
finds a row imported before by that key alone: a row ACLED changed since
(a new ``timestamp``) has other bytes, so the unique (sha256, record_key) pair
cannot find it. Without this index that look-up walks the whole table once per
imported row.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_sources_record_key", "sources", ["record_key"])


def downgrade() -> None:
    op.drop_index("ix_sources_record_key", table_name="sources")
