"""The planner setting the PostgreSQL connections take (store/dialect.py): 1.1 where nobody chose one.

An administrator's choice (for the server, the database or the role) is kept;
SQLite connections are untouched.
"""
from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy import make_url, text

from tawthiq.store import dialect
from tawthiq.store.db import connect

PG_URL = os.environ.get("TAWTHIQ_TEST_DATABASE_URL", "")
needs_pg = pytest.mark.skipif(not PG_URL, reason="set TAWTHIQ_TEST_DATABASE_URL to run against PostgreSQL")


def _setting(url: str) -> str:
    db = connect(url)
    try:
        with db.engine.connect() as conn:
            return str(conn.execute(text("SHOW random_page_cost")).scalar())
    finally:
        db.dispose()


@needs_pg
def test_a_default_server_plans_for_memory_or_ssd() -> None:
    assert _setting(PG_URL) == str(dialect.PG_RANDOM_PAGE_COST)


@needs_pg
def test_a_value_the_administrator_chose_is_kept() -> None:
    role = f"t_rpc_{secrets.token_hex(4)}"
    admin = connect(PG_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'ALTER ROLE "{role}" SET random_page_cost = 2.5'))
    try:
        assert _setting(make_url(PG_URL).set(username=role).render_as_string(hide_password=False)) == "2.5"
    finally:
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP ROLE "{role}"'))
        admin.dispose()


def test_sqlite_connections_are_untouched(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = connect(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1  # the SQLite hooks still run
    finally:
        db.dispose()
