"""Incident clusters: ``incidents.cluster_id`` (derived from the ``same`` judgements), the linker's detail,
and each source's origin key (copies of one account count once), computed for the sources already stored.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # batch mode: SQLite adds the columns in place (no rebuild needed for nullable columns).
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
    op.create_index("ix_incidents_cluster_id", "incidents", ["cluster_id"])
    with op.batch_alter_table("judgements") as batch:
        batch.add_column(sa.Column("detail", JSON, nullable=True))
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("origin", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_sources_origin", "sources", ["origin"])
    _backfill_origins()


def _backfill_origins() -> None:
    from tawthiq.domain.origins import origin_key

    sources = sa.table("sources", sa.column("id", sa.Integer()), sa.column("sha256", sa.Text()),
                       sa.column("record_key", sa.Text()), sa.column("text", sa.Text()),
                       sa.column("metadata", JSON), sa.column("origin", sa.Text()))
    bind = op.get_bind()
    last = 0
    while True:  # a page at a time: texts can be long
        rows = bind.execute(sa.select(sources).where(sources.c.id > last).order_by(sources.c.id).limit(200)).all()
        if not rows:
            return
        for row in rows:
            key = origin_key(sha256=row.sha256, record_key=row.record_key or "", text=row.text or "",
                             metadata=row.metadata if isinstance(row.metadata, dict) else None)
            bind.execute(sa.update(sources).where(sources.c.id == row.id).values(origin=key))
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_sources_origin", table_name="sources")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("origin")
    with op.batch_alter_table("judgements") as batch:
        batch.drop_column("detail")
    op.drop_index("ix_incidents_cluster_id", table_name="incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("cluster_id")
