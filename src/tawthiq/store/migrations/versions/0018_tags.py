"""Tags: a team's labels (English and Arabic, a colour), on incidents and sources; withdrawals keep the row.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-14
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _links(name: str, target: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column(f"{target}_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("withdrawn_at", TS, nullable=True),
        sa.Column("withdrawn_by", sa.Text(), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["tag_id"], ["tags.id"], name=f"fk_{name}_tag_id_tags"),
        sa.ForeignKeyConstraint([f"{target}_id"], [f"{target}s.id"], name=f"fk_{name}_{target}_id_{target}s"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
    )
    op.create_index(f"ix_{name}_{target}_id", name, [f"{target}_id"])
    op.create_index(f"ix_{name}_tag_id", name, ["tag_id"])


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("label_ar", sa.Text(), nullable=False),
        sa.Column("key_en", sa.Text(), nullable=False),
        sa.Column("key_ar", sa.Text(), nullable=False),
        sa.Column("colour", sa.Text(), nullable=False, server_default=""),
        sa.Column("retired", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.current_timestamp()),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tags"),
        sa.UniqueConstraint("key_en", name="uq_tags_key_en"),
        sa.UniqueConstraint("key_ar", name="uq_tags_key_ar"),
    )
    _links("incident_tags", "incident")
    _links("source_tags", "source")


def downgrade() -> None:
    for name, target in (("source_tags", "source"), ("incident_tags", "incident")):
        op.drop_index(f"ix_{name}_tag_id", table_name=name)
        op.drop_index(f"ix_{name}_{target}_id", table_name=name)
        op.drop_table(name)
    op.drop_table("tags")
