"""The two facet indexes carry the gazetteer place id (and on PostgreSQL the incident id), so a facet
of a filtered list is read from them alone.

A governorate matches ``loc_admin1`` where an incident names one and, where it
names none, the place ids inside it (``store.conditions.area_condition``).
Without ``loc_place_id`` in the index, both databases fetched every candidate
row to test that second half: on 100,000 incidents PostgreSQL's facet of a
governorate filter read 14,000-19,000 rows from the table (a bitmap heap scan,
about 25 ms a facet), and SQLite's plan was not covering. Appended last, the
column changes no order either index is used for. PostgreSQL also needs the
incident's id in the index to join a set read from it with the parts (a
perpetrator filter beside a governorate): without it the same facets read the
table for every candidate row (SQLite's indexes hold the rowid, its id).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tawthiq.store import dialect

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = {
    "ix_incidents_facets_type": ["event_type", "loc_admin1", "status", "confidentiality"],
    "ix_incidents_facets_place": ["loc_admin1", "status", "confidentiality", "event_type"],
}


def upgrade() -> None:
    for name, columns in BEFORE.items():
        op.drop_index(name, table_name="incidents")
        op.create_index(name, "incidents", [*columns, "loc_place_id"], postgresql_include=["id"])
    dialect.analyze(op.get_bind())


def downgrade() -> None:
    for name, columns in BEFORE.items():
        op.drop_index(name, table_name="incidents")
        op.create_index(name, "incidents", columns)
