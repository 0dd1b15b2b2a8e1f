"""Alembic environment: runs on the connection ``init_db`` hands over.

``tawthiq.store.db.alembic_config`` builds the Config in code and puts an
open connection in ``config.attributes["connection"]``; the ``alembic`` command
line works too when ``sqlalchemy.url`` is set (``-x`` is not needed).
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from tawthiq.store.tables import metadata

config = context.config


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    # The search index is per-dialect DDL (FTS5 shadow tables on SQLite).
    return not (type_ == "table" and name is not None and name.startswith("search_index"))


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # type: ignore[attr-defined]
        include_object=_include,  # type: ignore[arg-type]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: the search index is per-dialect DDL")
run_migrations_online()
