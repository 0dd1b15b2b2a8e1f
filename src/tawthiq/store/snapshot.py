"""Every table of the record as JSON lines, read in one snapshot and written back in dependency order.

Backups use this on both engines. On SQLite it replaces the backup API and
``VACUUM INTO`` on purpose: both write a plaintext database file to disk,
and a backup's plaintext must never touch the disk. The rows are read in one
read transaction (SQLite in WAL mode and PostgreSQL in REPEATABLE READ both
give it one consistent snapshot), a table at a time, a batch of rows at a
time, so memory stays bounded whatever the size of the record.

Values are written by column type (dates and times as ISO 8601, JSON
columns as JSON) and read back by the same column types, so a dump made on
one engine loads on the other. The search index lives outside the table
metadata (an FTS5 virtual table on SQLite) and is dumped as (kind, ref_id,
body) and written back through the dialect's own indexing.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, Table, func, inspect, select, text
from sqlalchemy.orm import Session

from . import dialect
from .db import Database, alembic_config
from .tables import metadata

SEARCH_INDEX = "search_index"
BATCH = 500


def table_names() -> list[str]:
    """Every table of the record, parents before children, then the search index."""
    return [table.name for table in metadata.sorted_tables] + [SEARCH_INDEX]


def schema_revision(db: Database) -> str:
    """The Alembic revision the database is at (one head; several joined with '+')."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return "+".join(sorted(MigrationContext.configure(conn).get_current_heads()))


def head_revision(db: Database) -> str:
    """The newest revision this version of Tawthiq knows."""
    from alembic.script import ScriptDirectory

    return "+".join(sorted(ScriptDirectory.from_config(alembic_config(db)).get_heads()))


def has_tables(db: Database) -> bool:
    """Whether anything at all has been created in the database (a restore wants none)."""
    with db.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


@contextmanager
def snapshot(db: Database) -> Iterator[Session]:
    """One read transaction that sees a single consistent state of every table."""
    with db.session() as session:
        if db.dialect_name == "postgresql":
            session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        yield session


def table_lines(session: Session, name: str) -> Iterator[bytes]:
    """The rows of ``name``, one JSON object a line, in primary-key order, read a batch at a time."""
    if name == SEARCH_INDEX:
        rows = session.execute(text("SELECT kind, ref_id, body FROM search_index ORDER BY kind, ref_id"))
        for kind, ref_id, body in rows.yield_per(BATCH):
            yield _line({"kind": kind, "ref_id": ref_id, "body": body})
        return
    table = metadata.tables[name]
    query = select(table).order_by(*table.primary_key.columns)
    for row in session.execute(query.execution_options(yield_per=BATCH)):
        yield _line({key: _plain(value) for key, value in row._mapping.items()})


def count_rows(session: Session, name: str) -> int:
    if name == SEARCH_INDEX:
        return int(session.execute(text("SELECT count(*) FROM search_index")).scalar_one())
    return int(session.execute(select(func.count()).select_from(metadata.tables[name])).scalar_one())


def clear_seeded_rows(session: Session) -> None:
    """Remove what setting up a schema put in (the built-in actors), so the backup's own rows go in."""
    for table in reversed(metadata.sorted_tables):
        if count_rows(session, table.name):
            session.execute(table.delete())


def defer_foreign_keys(session: Session) -> None:
    """On SQLite, check foreign keys at commit: a table's rows may refer to one another in any order."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))


def load_lines(session: Session, name: str, lines: Iterable[bytes]) -> int:
    """Insert the rows of one table from its JSON lines; returns how many."""
    if name == SEARCH_INDEX:
        count = 0
        for raw in lines:
            row = json.loads(raw)
            dialect.index_document(session, kind=row["kind"], ref_id=int(row["ref_id"]), body=row["body"])
            count += 1
        return count
    if name not in metadata.tables:
        raise ValueError(f"the backup holds a table this version does not know: {name}")
    table = metadata.tables[name]
    batch: list[dict[str, Any]] = []
    count = 0
    for raw in lines:
        batch.append(_typed(table, json.loads(raw)))
        if len(batch) >= BATCH:
            session.execute(table.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        session.execute(table.insert(), batch)
        count += len(batch)
    return count


def reset_sequences(session: Session) -> None:
    """On PostgreSQL, move each id sequence past the ids just restored (SQLite follows by itself)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), COALESCE(MAX(id), 1), "
            f"MAX(id) IS NOT NULL) FROM {table.name} WHERE pg_get_serial_sequence('{table.name}', 'id') IS NOT NULL"
        ))


def _line(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # "nan", "inf": JSON has no spelling for them
    return value


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for key, value in row.items():
        column = table.c.get(key)
        if column is None:
            raise ValueError(f"the backup's table {table.name} has a column this version does not know: {key}")
        kind = column.type
        # None goes in as the table's own type writes it (a JSON column: the JSON value null), as the app does.
        if value is None:
            typed[key] = None
        elif isinstance(kind, dialect.UTCDateTime):
            typed[key] = datetime.fromisoformat(value)
        elif isinstance(kind, Date) and isinstance(value, str):
            typed[key] = date.fromisoformat(value)
        elif isinstance(kind, Float) and isinstance(value, str):
            typed[key] = float(value)
        else:
            typed[key] = value
    return typed
