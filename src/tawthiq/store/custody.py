"""The custody ledger table: serialised appends and reads.

Appends are serialised (see :func:`dialect.lock_custody_log`) and read the
previous hash inside the same transaction, so two writers can never both
chain onto the same entry and fork the ledger. Entries get their id from a
``max(id) + 1`` under that lock, not from the sequence, because the id is
part of the hashed content and must be known before the insert.
"""
from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.custody import EVENTS, GENESIS, CustodyEntry, entry_hash
from . import dialect
from .db import Database
from .tables import custody_log


def append(session: Session, *, item_sha256: str, event: str, actor: str, machine: str,
           source_id: int | None = None, reason: str = "", details: dict[str, Any] | None = None,
           at: datetime | None = None) -> CustodyEntry:
    """Add one entry at the end of the chain, in the caller's write transaction."""
    if event not in EVENTS:
        raise ValueError(f"unknown custody event {event!r}")
    dialect.lock_custody_log(session)
    last = session.execute(select(custody_log.c.id, custody_log.c.entry_hash)
                           .order_by(custody_log.c.id.desc()).limit(1)).first()
    entry = CustodyEntry(
        id=(int(last.id) + 1) if last else 1,
        # Microseconds are the precision both engines keep, so the hash survives a round trip.
        at=(at or datetime.now(UTC)).astimezone(UTC),
        item_sha256=item_sha256, source_id=source_id, event=event, actor=dialect.scrub(actor),
        machine=dialect.scrub(machine), reason=dialect.scrub(reason),
        details=_normalised(details or {}), prev_hash=str(last.entry_hash) if last else GENESIS,
    )
    entry.entry_hash = entry_hash(id=entry.id, at=entry.at, item_sha256=entry.item_sha256,
                                  source_id=entry.source_id, event=entry.event, actor=entry.actor,
                                  machine=entry.machine, reason=entry.reason, details=entry.details,
                                  prev_hash=entry.prev_hash)
    session.execute(custody_log.insert().values(
        id=entry.id, at=entry.at, item_sha256=entry.item_sha256, source_id=entry.source_id, event=entry.event,
        actor=entry.actor, machine=entry.machine, reason=entry.reason, details=entry.details,
        prev_hash=entry.prev_hash, entry_hash=entry.entry_hash,
    ))
    return entry


def _normalised(details: dict[str, Any]) -> dict[str, Any]:
    """The details as they will read back from the database (JSON types only)."""
    return json.loads(dialect.json_dumps(details))


def record(db: Database, **fields: Any) -> CustodyEntry:
    """:func:`append` in a transaction of its own."""
    with db.session(write=True) as session:
        return append(session, **fields)


def _entry(row: Any) -> CustodyEntry:
    return CustodyEntry(id=int(row.id), at=row.at, item_sha256=row.item_sha256, source_id=row.source_id,
                        event=row.event, actor=row.actor, machine=row.machine, reason=row.reason,
                        details=dict(row.details or {}), prev_hash=row.prev_hash, entry_hash=row.entry_hash)


def iter_entries(db: Database, *, batch: int = 5000) -> Iterator[CustodyEntry]:
    """Every entry in id order, read in pages so a long ledger is never held at once."""
    after = 0
    while True:
        with db.session() as session:
            rows = session.execute(select(custody_log).where(custody_log.c.id > after)
                                   .order_by(custody_log.c.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _entry(row)
        after = int(rows[-1].id)


def latest_for_item(db: Database, item_sha256: str, *, event: str) -> CustodyEntry | None:
    """The newest entry of ``event`` about ``item_sha256`` (by the item's index), or None."""
    with db.session() as session:
        row = session.execute(select(custody_log).where(custody_log.c.item_sha256 == item_sha256,
                                                        custody_log.c.event == event)
                              .order_by(custody_log.c.id.desc()).limit(1)).first()
    return None if row is None else _entry(row)


def recent_of_events(db: Database, events: tuple[str, ...], *, limit: int) -> list[CustodyEntry]:
    """The newest ``limit`` entries of any of ``events``, newest first (bounded: a page's worth)."""
    with db.session() as session:
        rows = session.execute(select(custody_log).where(custody_log.c.event.in_(events))
                               .order_by(custody_log.c.id.desc()).limit(limit)).all()
    return [_entry(r) for r in rows]


def entry_by_id(db: Database, entry_id: int) -> CustodyEntry | None:
    with db.session() as session:
        row = session.execute(select(custody_log).where(custody_log.c.id == entry_id)).first()
    return None if row is None else _entry(row)


def entries_for_source(db: Database, source_id: int, *, sha256: str | None = None) -> list[CustodyEntry]:
    """The entries naming this source (or, with ``sha256``, its original), oldest first."""
    cond = custody_log.c.source_id == source_id
    if sha256:
        cond = cond | ((custody_log.c.item_sha256 == sha256) & custody_log.c.source_id.is_(None))
    with db.session() as session:
        return [_entry(r) for r in session.execute(select(custody_log).where(cond).order_by(custody_log.c.id))]


def count_entries(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(custody_log)) or 0)


def this_machine() -> str:
    return socket.gethostname() or "unknown"
