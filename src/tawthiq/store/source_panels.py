"""Reads behind a source's evidence panels, and the rate-limited "viewed" custody entry.

Each panel costs one query whatever the number of rows: the sources that
hold near-duplicate originals, the titles of linked sources and the custody
entries an earlier instance wrote for these bytes are each read in one go.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.custody import CustodyEntry
from . import dialect
from .db import Database
from .tables import custody_log, imported_custody, sources

MAX_RELATED = 200  # sources listed per panel; more than this is not a page a reviewer reads


@dataclass(slots=True)
class SourceRef:
    """Enough of another source to name and link it."""

    id: int
    sha256: str
    kind: str
    title: str
    original_name: str


@dataclass(slots=True)
class ImportedEntry:
    """A custody entry written by another Tawthiq instance and carried here in a package.

    ``entry`` holds the fields exactly as packaged; the typed fields are read
    from it for display and may be empty when the package left them out.
    """

    id: int
    package: str
    origin: str
    position: int
    item_sha256: str
    entry_hash: str
    imported_at: datetime
    entry: dict[str, Any] = field(default_factory=dict)

    @property
    def event(self) -> str:
        return str(self.entry.get("event", ""))

    @property
    def at(self) -> str:
        return str(self.entry.get("at", ""))

    @property
    def actor(self) -> str:
        return str(self.entry.get("actor", ""))

    @property
    def machine(self) -> str:
        return str(self.entry.get("machine", ""))

    @property
    def reason(self) -> str:
        return str(self.entry.get("reason", ""))


def sources_holding(db: Database, shas: Iterable[str]) -> list[SourceRef]:
    """The sources whose original is one of ``shas`` (any batch row of them), by id."""
    wanted = sorted(set(shas))
    if not wanted:
        return []
    with db.session() as session:
        rows = session.execute(
            select(sources.c.id, sources.c.sha256, sources.c.kind, sources.c.title, sources.c.original_name)
            .where(sources.c.sha256.in_(wanted)).order_by(sources.c.id).limit(MAX_RELATED))
        return [SourceRef(id=int(r.id), sha256=r.sha256, kind=r.kind, title=r.title,
                          original_name=r.original_name) for r in rows]


def source_refs(db: Database, ids: Iterable[int]) -> dict[int, SourceRef]:
    """id -> reference for the sources that exist among ``ids``."""
    wanted = sorted({int(i) for i in ids})[:MAX_RELATED]
    if not wanted:
        return {}
    with db.session() as session:
        rows = session.execute(
            select(sources.c.id, sources.c.sha256, sources.c.kind, sources.c.title, sources.c.original_name)
            .where(sources.c.id.in_(wanted)))
        return {int(r.id): SourceRef(id=int(r.id), sha256=r.sha256, kind=r.kind, title=r.title,
                                     original_name=r.original_name) for r in rows}


def imported_entries(db: Database, shas: Iterable[str]) -> list[ImportedEntry]:
    """Custody entries other instances wrote for these bytes (an original and its working copies),
    each instance's in its own order (one indexed lookup on the hashes)."""
    wanted = sorted(set(shas))[:MAX_RELATED]
    if not wanted:
        return []
    with db.session() as session:
        rows = session.execute(select(imported_custody).where(imported_custody.c.item_sha256.in_(wanted))
                               .order_by(imported_custody.c.origin, imported_custody.c.position,
                                         imported_custody.c.id))
        return [ImportedEntry(id=int(r.id), package=r.package, origin=r.origin, position=int(r.position),
                              item_sha256=r.item_sha256, entry_hash=r.entry_hash, imported_at=r.imported_at,
                              entry=dict(r.entry or {})) for r in rows]


def _viewed_since(session: Session, *, source_id: int, actor: str, since: datetime) -> bool:
    return session.scalar(select(custody_log.c.id).where(
        custody_log.c.source_id == source_id, custody_log.c.event == "viewed",
        custody_log.c.actor == actor, custody_log.c.at >= since).limit(1)) is not None


def record_view_once(db: Database, *, source_id: int, sha256: str, actor: str, machine: str, since: datetime,
                     details: dict[str, Any]) -> CustodyEntry | None:
    """Append a "viewed" entry unless ``actor`` has one on this source at or after ``since``.

    A reload is answered from a plain read, so it never takes the write lock;
    only a view to record does, and then checks again under the ledger's
    lock, so two tabs opening the page at once still record one view. The
    check walks only this source's entries (ix_custody_log_source_id).
    """
    from .custody import append

    actor = dialect.scrub(actor)
    with db.session() as session:
        if _viewed_since(session, source_id=source_id, actor=actor, since=since):
            return None
    with db.session(write=True) as session:
        dialect.lock_custody_log(session)
        if _viewed_since(session, source_id=source_id, actor=actor, since=since):
            return None
        return append(session, item_sha256=sha256, source_id=source_id, event="viewed", actor=actor,
                      machine=machine, details=details)
