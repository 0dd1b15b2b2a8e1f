"""Saved searches: rows of a user's named incident-list filters; withdrawing keeps the row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from .db import Database
from .mapping import now
from .tables import saved_searches

__all__ = ["SavedSearch", "add", "count_for", "get", "list_for", "withdraw"]


@dataclass(frozen=True, slots=True)
class SavedSearch:
    id: int
    user_id: int
    name: str
    query: str  # the incidents list's query string, without "?"
    created_at: datetime


def _row(r: object) -> SavedSearch:
    m = r._mapping  # type: ignore[attr-defined]
    return SavedSearch(id=int(m["id"]), user_id=int(m["user_id"]), name=m["name"], query=m["query"],
                       created_at=m["created_at"])


def add(db: Database, *, user_id: int, name: str, query: str) -> int:
    with db.session(write=True) as session:
        return int(session.execute(saved_searches.insert().values(
            user_id=user_id, name=name, query=query, created_at=now())).inserted_primary_key[0])


def count_for(db: Database, user_id: int) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(saved_searches).where(
            saved_searches.c.user_id == user_id, saved_searches.c.deleted_at.is_(None))) or 0)


def list_for(db: Database, user_id: int) -> list[SavedSearch]:
    """The user's current saved searches, by name."""
    with db.session() as session:
        rows = session.execute(select(saved_searches).where(
            saved_searches.c.user_id == user_id, saved_searches.c.deleted_at.is_(None))
            .order_by(saved_searches.c.name, saved_searches.c.id)).all()
    return [_row(r) for r in rows]


def get(db: Database, *, search_id: int, user_id: int) -> SavedSearch | None:
    """One of the user's current saved searches; None for another user's, a withdrawn one or none."""
    with db.session() as session:
        row = session.execute(select(saved_searches).where(
            saved_searches.c.id == search_id, saved_searches.c.user_id == user_id,
            saved_searches.c.deleted_at.is_(None))).first()
    return _row(row) if row is not None else None


def withdraw(db: Database, *, search_id: int, user_id: int, by: str) -> bool:
    """Mark the user's saved search deleted (who, when); False when there is no such current one."""
    with db.session(write=True) as session:
        done = session.execute(saved_searches.update().where(
            saved_searches.c.id == search_id, saved_searches.c.user_id == user_id,
            saved_searches.c.deleted_at.is_(None)).values(deleted_at=now(), deleted_by=by))
        return bool(done.rowcount)
