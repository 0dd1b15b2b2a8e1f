"""Sources: reports and files as received, stored once per (sha256, record_key)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.model import Source
from . import dialect
from .db import Database
from .mapping import source_from_row, source_values
from .tables import sources
from .textnorm import index_text


def insert_source(session: Session, source: Source) -> tuple[int, bool]:
    """Insert unless the same bytes (and batch row) are stored; (id, created).

    Insert-or-ignore rather than look-then-insert, so two processes ingesting
    the same file at once still store it once.
    """
    stmt = dialect.insert_ignore(session, sources, values=source_values(source),
                                 conflict_columns=["sha256", "record_key"])
    new_id = session.execute(stmt).scalar()
    if new_id is not None:
        dialect.index_document(session, kind="source", ref_id=new_id,
                               body=index_text(source.title, source.text))
        return int(new_id), True
    existing = session.scalar(
        select(sources.c.id).where(sources.c.sha256 == source.sha256,
                                   sources.c.record_key == (source.record_key or ""))
    )
    if existing is None:  # pragma: no cover - only if a conflict on another unique key appears
        raise RuntimeError("source insert was ignored but no existing row was found")
    return int(existing), False


def add_source(db: Database, source: Source) -> tuple[int, bool]:
    """Store a source; (id, created). Idempotent on (sha256, record_key)."""
    with db.session(write=True) as session:
        return insert_source(session, source)


def get_source(db: Database, source_id: int) -> Source | None:
    with db.session() as session:
        row = session.execute(select(sources).where(sources.c.id == source_id)).first()
    return source_from_row(row) if row is not None else None


def find_source(db: Database, *, sha256: str, record_key: str = "") -> Source | None:
    """The stored source for these bytes (and batch row), if any."""
    with db.session() as session:
        row = session.execute(
            select(sources).where(sources.c.sha256 == sha256, sources.c.record_key == record_key)
        ).first()
    return source_from_row(row) if row is not None else None


def list_sources(db: Database, *, limit: int | None = None, offset: int = 0) -> list[Source]:
    """Sources in the order they were stored."""
    stmt = select(sources).order_by(sources.c.id).offset(max(0, offset))
    if limit is not None:
        stmt = stmt.limit(max(0, limit))
    with db.session() as session:
        return [source_from_row(r) for r in session.execute(stmt)]


def count_sources(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(sources)) or 0)
