"""Initial schema: sources, incidents and their parts, actors, audit log, search index.

Written out in full rather than generated from ``tables.py`` at run time, so
this revision keeps creating the same schema after the tables change;
``tests/test_store_schema.py`` checks that the two agree.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from tawthiq.store import dialect

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)
NOW = sa.func.current_timestamp()


def _text(name: str, *, default: str | None = "", nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=nullable, server_default=default)


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        _text("label_ar"),
        sa.Column("aliases_en", JSON, nullable=False),
        sa.Column("aliases_ar", JSON, nullable=False),
        sa.Column("parent", sa.Text(), nullable=True),
        _text("description"),
        sa.PrimaryKeyConstraint("code", name="pk_actors"),
        sa.ForeignKeyConstraint(["parent"], ["actors.code"], name="fk_actors_parent_actors"),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        _text("record_key"),
        sa.Column("text", sa.Text(), nullable=False),
        _text("title"),
        _text("author"),
        _text("url"),
        _text("language"),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("retrieved_at", TS, nullable=True),
        _text("original_name"),
        _text("media_type"),
        sa.Column("size", sa.BigInteger(), nullable=False, server_default="0"),
        _text("reliability", default="F"),
        _text("credibility", default="6"),
        _text("evaluation_note"),
        sa.Column("graded_by", sa.Text(), nullable=True),
        sa.Column("graded_at", TS, nullable=True),
        sa.Column("metadata", JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("sha256", "record_key", name="uq_sources_sha256_record_key"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("event_type", sa.Text(), nullable=False),
        _text("status", default="suggested"),
        _text("confidentiality", default="restricted"),
        _text("description"),
        sa.Column("confidence", sa.Float(), nullable=False, server_default="0.5"),
        sa.Column("date_edtf", sa.Text(), nullable=True),
        _text("date_text"),
        sa.Column("date_precision", sa.Text(), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("has_location", sa.Boolean(), nullable=False, server_default="0"),
        _text("loc_name"),
        _text("loc_text"),
        _text("loc_name_ar"),
        _text("loc_country"),
        _text("loc_admin1"),
        _text("loc_admin2"),
        _text("loc_admin3"),
        sa.Column("loc_lat", sa.Float(), nullable=True),
        sa.Column("loc_lon", sa.Float(), nullable=True),
        sa.Column("loc_precision", sa.Text(), nullable=True),
        _text("loc_place_id"),
        _text("loc_keys"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_incidents_source_id_sources"),
    )
    for column in ("source_id", "event_type", "status", "date_start", "date_end"):
        op.create_index(f"ix_incidents_{column}", "incidents", [column])

    op.create_table(
        "incident_violations",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "position", name="pk_incident_violations"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"],
                                name="fk_incident_violations_incident_id_incidents"),
    )
    op.create_index("ix_incident_violations_code", "incident_violations", ["code"])

    op.create_table(
        "evidence_spans",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "position", name="pk_evidence_spans"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_evidence_spans_incident_id_incidents"),
    )
    op.create_table(
        "involvements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("degree", sa.Text(), nullable=False),
        _text("text"),
        sa.PrimaryKeyConstraint("id", name="pk_involvements"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_involvements_incident_id_incidents"),
    )
    op.create_index("ix_involvements_incident_id", "involvements", ["incident_id"])
    op.create_index("ix_involvements_actor", "involvements", ["actor"])

    op.create_table(
        "victim_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("count_min", sa.BigInteger(), nullable=True),
        sa.Column("count_max", sa.BigInteger(), nullable=True),
        sa.Column("sex", sa.Text(), nullable=False),
        sa.Column("age", sa.Text(), nullable=False),
        _text("text"),
        sa.PrimaryKeyConstraint("id", name="pk_victim_groups"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_victim_groups_incident_id_incidents"),
    )
    op.create_index("ix_victim_groups_incident_id", "victim_groups", ["incident_id"])

    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        _text("name_alt"),
        sa.Column("sex", sa.Text(), nullable=False),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        _text("confidentiality", default="confidential"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_persons_incident_id_incidents"),
    )
    op.create_index("ix_persons_incident_id", "persons", ["incident_id"])

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("value", JSON, nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("span_quote", sa.Text(), nullable=True),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False, server_default="1.0"),
        _text("created_by", default="system"),
        sa.Column("created_at", TS, nullable=False),
        _text("note"),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_claims_incident_id_incidents"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_claims_source_id_sources"),
    )
    op.create_index("ix_claims_incident_id", "claims", ["incident_id"])
    op.create_index("ix_claims_source_id", "claims", ["source_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("before", JSON, nullable=True),
        sa.Column("after", JSON, nullable=True),
        _text("comment"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id"])

    bind = op.get_bind()
    dialect.create_append_only_guard(bind, "audit_log")
    dialect.create_search_objects(bind)


def downgrade() -> None:
    bind = op.get_bind()
    dialect.drop_search_objects(bind)
    dialect.drop_append_only_guard(bind, "audit_log")
    for table in ("audit_log", "claims", "persons", "victim_groups", "involvements", "evidence_spans",
                  "incident_violations", "incidents", "sources", "actors"):
        op.drop_table(table)
