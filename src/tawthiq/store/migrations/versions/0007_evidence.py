"""Evidence: derivatives, media facts and perceptual hashes, near-duplicates, source links,
imported custody, instance facts, fixity runs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tawthiq.store import dialect

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def _created_at() -> sa.Column:
    return sa.Column("created_at", TS, nullable=False, server_default=sa.func.current_timestamp())


def upgrade() -> None:
    op.create_table(
        "derivatives",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("original_sha256", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False, server_default=""),
        sa.Column("size", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("tool", sa.Text(), nullable=False),
        sa.Column("tool_version", sa.Text(), nullable=False, server_default=""),
        sa.Column("params", JSON, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False, server_default=""),
        _created_at(),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_derivatives_source_id_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_derivatives"),
        sa.UniqueConstraint("original_sha256", "kind", "sha256", name="uq_derivatives_original_kind_sha256"),
    )
    op.create_index("ix_derivatives_sha256", "derivatives", ["sha256"])
    op.create_table(
        "media_items",
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("taken_at", TS, nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("metadata", JSON, nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("sha256", name="pk_media_items"),
    )
    op.create_table(
        "media_hashes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("at_seconds", sa.Float(), nullable=True),
        sa.Column("algorithm", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["media_items.sha256"], name="fk_media_hashes_sha256_media_items"),
        sa.PrimaryKeyConstraint("id", name="pk_media_hashes"),
        sa.UniqueConstraint("sha256", "frame", "algorithm", name="uq_media_hashes_sha256_frame_algorithm"),
    )
    op.create_table(
        "media_hash_bands",
        sa.Column("hash_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hash_id"], ["media_hashes.id"], name="fk_media_hash_bands_hash_id_media_hashes"),
    )
    op.create_index("ix_media_hash_bands_band_value", "media_hash_bands", ["band", "value"])
    op.create_table(
        "near_duplicates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256_a", sa.Text(), nullable=False),
        sa.Column("sha256_b", sa.Text(), nullable=False),
        sa.Column("distance", sa.Integer(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_near_duplicates"),
        sa.UniqueConstraint("sha256_a", "sha256_b", name="uq_near_duplicates_sha256_a_sha256_b"),
    )
    op.create_index("ix_near_duplicates_sha256_b", "near_duplicates", ["sha256_b"])
    op.create_table(
        "source_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("from_source_id", sa.Integer(), nullable=False),
        sa.Column("to_source_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(["from_source_id"], ["sources.id"], name="fk_source_links_from_source_id_sources"),
        sa.ForeignKeyConstraint(["to_source_id"], ["sources.id"], name="fk_source_links_to_source_id_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_source_links"),
        sa.UniqueConstraint("from_source_id", "to_source_id", "relation", name="uq_source_links_from_to_relation"),
    )
    op.create_index("ix_source_links_to_source_id", "source_links", ["to_source_id"])
    op.create_table(
        "imported_custody",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("package", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_sha256", sa.Text(), nullable=False),
        sa.Column("entry", JSON, nullable=False),
        sa.Column("entry_hash", sa.Text(), nullable=False),
        sa.Column("imported_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imported_custody"),
        sa.UniqueConstraint("origin", "entry_hash", name="uq_imported_custody_origin_entry_hash"),
    )
    op.create_index("ix_imported_custody_item_sha256", "imported_custody", ["item_sha256"])
    dialect.create_append_only_guard(op.get_bind(), "imported_custody")
    op.create_table(
        "instance_meta",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_instance_meta"),
    )
    op.create_table(
        "fixity_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("originals_checked", sa.Integer(), nullable=False),
        sa.Column("derivatives_checked", sa.Integer(), nullable=False),
        sa.Column("entries_checked", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Integer(), nullable=True),
        sa.Column("head_hash", sa.Text(), nullable=True),
        sa.Column("report_path", sa.Text(), nullable=False, server_default=""),
        sa.Column("report_sha256", sa.Text(), nullable=False, server_default=""),
        sa.Column("actor", sa.Text(), nullable=False, server_default=""),
        sa.Column("machine", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name="pk_fixity_runs"),
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        dialect.drop_append_only_guard(bind, "imported_custody")
    else:
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS imported_custody_append_only ON imported_custody")
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS imported_custody_no_truncate ON imported_custody")
    for table in ("fixity_runs", "instance_meta", "imported_custody", "source_links", "near_duplicates",
                  "media_hash_bands", "media_hashes", "media_items", "derivatives"):
        op.drop_table(table)
