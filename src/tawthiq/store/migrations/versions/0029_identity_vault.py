"""The identity vault: names, contact details, authors and second-factor secrets encrypted field by field.

Adds ``person_records.name_index`` (the name's blind index, what a name search matches) and an
index for a list's pages in import order (names no longer sort in the database). When
the connection carries the identity vault (``tawthiq init`` / ``Workspace.open(create=True)``
attach it before migrating), every existing value is encrypted in place and the key check is
written; the plaintext does not change, so seals stay valid, and the person records (whose new
column changes their content) are sealed again. Without the key the rows stay as they were and
the next workspace open encrypts them (store.identity_rows).

Revision ID: 0029
Revises: 0025
Create Date: 2026-12-07
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tawthiq.store import identity_rows, identity_vault, seals

revision: str = "0029"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("person_records", sa.Column("name_index", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_person_records_list_name_id", "person_records", ["list_name", "id"])
    bind = op.get_bind()
    vault = identity_vault.of(bind)
    if vault is not None:
        identity_rows.encrypt_plaintext(bind)
        identity_rows.write_check(bind, vault)
    # Every record's content now includes name_index: a fresh seal for each, so verify stays quiet.
    ids = list(bind.scalars(sa.select(sa.column("id")).select_from(sa.table("person_records"))))
    for start in range(0, len(ids), 5000):
        seals.reseal(bind, "person_records", ids[start:start + 5000])


def downgrade() -> None:
    op.drop_index("ix_person_records_list_name_id", table_name="person_records")
    with op.batch_alter_table("person_records") as batch:
        batch.drop_column("name_index")
