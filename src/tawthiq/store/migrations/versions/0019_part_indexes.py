"""Covering indexes on the parts the lists filter and count by (perpetrators, violations); place ids.

A perpetrator filter reads the incidents an actor is a perpetrator in, and its
facet counts perpetrators over the matching incidents: with ``actor`` (or
``incident_id``) alone indexed, every involvement found was read from the
table for its role. With all three columns in one index both are answered from
the index (the three-facet list on 100,000 incidents: 30 ms a facet on SQLite,
5 ms with them). The same for violations, whose facet reads ``code`` by
incident and whose filter reads incidents by ``code``.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tawthiq.store import dialect

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    # A town's incidents (a place filter or search words naming it) are found by gazetteer id.
    ("ix_incidents_loc_place_id", "incidents", ["loc_place_id"]),
    # The admin path: a district's or sub-district's incidents within their governorate, and a
    # governorate's unnamed ones by gazetteer id, read from the index alone.
    ("ix_incidents_admin_path", "incidents", ["loc_admin1", "loc_admin2", "loc_admin3", "loc_place_id"]),
    ("ix_involvements_actor_role_incident", "involvements", ["actor", "role", "incident_id"]),
    ("ix_involvements_incident_role_actor", "involvements", ["incident_id", "role", "actor"]),
    ("ix_incident_violations_code_incident", "incident_violations", ["code", "incident_id"]),
    ("ix_incident_violations_incident_code", "incident_violations", ["incident_id", "code"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    dialect.analyze(op.get_bind())


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
