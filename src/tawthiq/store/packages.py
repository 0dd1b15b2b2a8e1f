"""Rows that packages are made from and imported into: custody by item, imported custody, imported sources.

Packaging reads the custody of a set of items; importing writes what came
with a package. Both live here so that no code outside the store touches
tables (export/package.py and export/bag_import.py call these).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.custody import CustodyEntry
from ..domain.model import Person, Source
from . import dialect
from .custody import _entry
from .db import Database
from .history import record
from .mapping import person_values, source_values
from .tables import audit_log, custody_log, imported_custody, persons, record_seals, sources
from .textnorm import index_text

_CHUNK = 500  # values per IN (...)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


def custody_for_items(db: Database, *, shas: Iterable[str], source_ids: Iterable[int]) -> list[CustodyEntry]:
    """Every ledger entry naming one of these items (by hash) or sources, in id order."""
    found: dict[int, CustodyEntry] = {}
    sha_list, id_list = sorted(set(shas)), sorted(set(source_ids))
    with db.session() as session:
        for chunk in _chunks(sha_list):
            for row in session.execute(select(custody_log).where(custody_log.c.item_sha256.in_(chunk))):
                found[int(row.id)] = _entry(row)
        for chunk in _chunks(id_list):
            for row in session.execute(select(custody_log).where(custody_log.c.source_id.in_(chunk))):
                found[int(row.id)] = _entry(row)
    return [found[k] for k in sorted(found)]


def ledger_head(db: Database) -> tuple[int, str] | None:
    """(id, entry_hash) of the last ledger entry; None for an empty ledger."""
    with db.session() as session:
        row = session.execute(select(custody_log.c.id, custody_log.c.entry_hash)
                              .order_by(custody_log.c.id.desc()).limit(1)).first()
    return (int(row.id), str(row.entry_hash)) if row else None


def seals_head(db: Database) -> tuple[int, str] | None:
    """(id, entry_hash) of the last record seal; None before anything was sealed.

    A package carries it so a reader holding the head published at export time
    (``verify-package --seals-head``) can tell it came from that record.
    """
    with db.session() as session:
        row = session.execute(select(record_seals.c.id, record_seals.c.entry_hash)
                              .order_by(record_seals.c.id.desc()).limit(1)).first()
    return (int(row.id), str(row.entry_hash)) if row else None


def imported_for_items(db: Database, shas: Iterable[str]) -> list[dict[str, Any]]:
    """Custody entries that earlier packages brought in for these items, in the order they were kept."""
    out: dict[int, dict[str, Any]] = {}
    with db.session() as session:
        for chunk in _chunks(sorted(set(shas))):
            for row in session.execute(select(imported_custody)
                                       .where(imported_custody.c.item_sha256.in_(chunk))):
                out[int(row.id)] = {"origin": row.origin, "package": row.package, "position": int(row.position),
                                    "entry": dict(row.entry), "entry_hash": row.entry_hash}
    return [out[k] for k in sorted(out)]


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """One custody entry a package brought in, as kept; ``entry`` is the stored JSON, unchecked."""

    id: int
    package: str
    origin: str
    position: int
    item_sha256: str
    entry: Any
    entry_hash: str


def imported_rows(db: Database) -> list[ImportedRow]:
    """Every imported custody entry in id order (what ``verify`` re-hashes)."""
    with db.session() as session:
        rows = session.execute(select(imported_custody).order_by(imported_custody.c.id)).all()
    return [ImportedRow(id=int(r.id), package=r.package, origin=r.origin, position=int(r.position),
                        item_sha256=r.item_sha256, entry=r.entry, entry_hash=r.entry_hash) for r in rows]


def insert_imported(session: Session, *, package: str, origin: str, position: int, item_sha256: str,
                    entry: dict[str, Any], entry_hash: str, at: datetime) -> bool:
    """Keep one foreign entry as written; False when this origin's entry is already kept."""
    stmt = dialect.insert_ignore(session, imported_custody, values={
        "package": dialect.scrub(package), "origin": dialect.scrub(origin), "position": position,
        "item_sha256": item_sha256, "entry": entry, "entry_hash": entry_hash, "imported_at": at,
    }, conflict_columns=["origin", "entry_hash"])
    return session.execute(stmt).scalar() is not None


def insert_imported_source(session: Session, source: Source) -> tuple[int, bool]:
    """Store a source that arrived in a package; (id, created).

    Unlike :func:`store.sources.insert_source` this writes no "received" and
    "ingested" entries: the item was ingested elsewhere, its history comes
    with the package, and the caller records one "imported" entry instead.
    """
    new_id = session.execute(dialect.insert_ignore(session, sources, values=source_values(source),
                                                   conflict_columns=["sha256", "record_key"])).scalar()
    if new_id is not None:
        dialect.index_document(session, kind="source", ref_id=int(new_id),
                               body=index_text(source.title, source.text))
        return int(new_id), True
    existing = session.scalar(select(sources.c.id).where(sources.c.sha256 == source.sha256,
                                                         sources.c.record_key == (source.record_key or "")))
    return int(existing), False


def imported_incident(session: Session, key: str) -> int | None:
    """The incident an earlier import of ``key`` (origin and incident id) created, if any."""
    found = session.scalar(select(audit_log.c.entity_id).where(
        audit_log.c.entity == "incident", audit_log.c.action == "import", audit_log.c.comment == key))
    return int(found) if found is not None else None


def mark_imported_incident(session: Session, *, incident_id: int, key: str, user: str,
                           after: dict[str, Any]) -> None:
    """The history entry that says where an incident came from (and makes re-import a no-op)."""
    record(session, user=user, entity="incident", entity_id=incident_id, action="import", after=after,
           comment=key)


def insert_person(session: Session, person: Person, *, user: str) -> int:
    """A named person that came with a package, in the caller's transaction (see ``incidents.add_person``)."""
    person_id = int(session.execute(persons.insert().values(**person_values(person)).returning(persons.c.id))
                    .scalar_one())
    record(session, user=user, entity="person", entity_id=person_id, action="create",
           after={"incident_id": person.incident_id})  # names no one: the history may be shown more widely
    return person_id


def incident_ids_of_source(db: Database, source_id: int) -> list[int]:
    """Every incident a source is tied to: its own, those whose claims cite it, those it is attached to."""
    from sqlalchemy import union

    from .tables import claims, incident_media, incidents

    query = union(select(incidents.c.id).where(incidents.c.source_id == source_id),
                  select(claims.c.incident_id).where(claims.c.source_id == source_id),
                  select(incident_media.c.incident_id).where(incident_media.c.source_id == source_id))
    with db.session() as session:
        return sorted({int(i) for i in session.scalars(query)})


def source_ids_with_sha(db: Database, sha256: str) -> list[int]:
    """The sources read out of one original (a batch file gives one per row)."""
    with db.session() as session:
        return [int(i) for i in session.scalars(select(sources.c.id).where(sources.c.sha256 == sha256)
                                                .order_by(sources.c.id))]


def source_names_people(db: Database, source_id: int) -> bool:
    """Whether person records (a victim list's names) were read out of this source."""
    from .tables import person_records

    with db.session() as session:
        return session.scalar(select(person_records.c.id).where(person_records.c.source_id == source_id)
                              .limit(1)) is not None
