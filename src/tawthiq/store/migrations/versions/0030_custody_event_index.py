"""An index on the custody ledger's events, for the export approvals pages.

The reviewers' page (/exports/approvals) and a user's export page read the newest
``requested``/``approved``/``declined`` entries and the newest ``exported`` ones; on a
ledger of mostly ``viewed`` and ``ingested`` entries that was a walk back through the whole
table. ``(event, id)`` makes each of those reads an index range, newest first.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_custody_log_event_id", "custody_log", ["event", "id"])


def downgrade() -> None:
    op.drop_index("ix_custody_log_event_id", table_name="custody_log")
