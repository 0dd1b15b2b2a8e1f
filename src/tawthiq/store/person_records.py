"""The ``person_records`` table: victim-list entries stored by (list, record id), read back in pages.

A re-imported list updates its records in place: a record whose values
changed gets them, with an audit entry holding the values before and after
(the earlier file also stays, as a source, byte for byte); a record the new
file no longer has stays as it was. Nothing here deletes a row.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..domain.persons import PersonRecord
from . import identity_vault
from .db import Database
from .dialect import scrub
from .history import record as audit
from .mapping import now
from .tables import person_records

CHUNK = 500  # rows per statement: well under SQLite's limit on bound values
PAGE = 1000  # rows per page when every record is read
_NAME_PARTS = ("given_name", "father_name", "grandfather_name", "family_name")


@dataclass(slots=True)
class UpsertCounts:
    """What an upsert did: records new to their list, changed, or as they were."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


def display_name(fields: dict[str, str]) -> str:
    """The ``name`` column: the full name as written, else its written parts joined (for listing and sorting).

    Derived for display only: the fields keep each part as the list wrote it.
    """
    if fields.get("name"):
        return fields["name"]
    return " ".join(fields[p] for p in _NAME_PARTS if fields.get(p))


def upsert(db: Database, records: Iterable[PersonRecord], *, actor: str) -> UpsertCounts:
    """Store ``records`` by (list, record id) in one transaction: all of them, or none."""
    with db.session(write=True) as session:
        return upsert_in(session, records, actor=actor)


def upsert_in(session: Session, records: Iterable[PersonRecord], *, actor: str) -> UpsertCounts:
    """:func:`upsert` inside a caller's transaction; ``records`` is read in chunks, never held whole.

    A record's ``source_id`` moves to the file it was last imported from
    (also when its values did not change); ``cluster_id`` is the linkage's
    and is never touched here. A later duplicate of a (list, record id) in
    the same call counts as an update of the first.
    """
    counts = UpsertCounts()
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        _upsert_chunk(session, chunk, counts, actor=actor)
    return counts


def _upsert_chunk(session: Session, chunk: list[PersonRecord], counts: UpsertCounts, *, actor: str) -> None:
    stamp = now()
    by_list: dict[str, dict[str, PersonRecord]] = {}
    for rec in chunk:
        recs = by_list.setdefault(scrub(rec.list_name), {})
        key = scrub(rec.record_id)  # as the database will hold it, so the rows read back are found by it
        if key in recs:  # repeated within the chunk: the later values win, as they would across chunks
            counts.updated += 1
        recs[key] = rec
    for list_name, recs in by_list.items():
        existing = {row.record_id: row for row in session.execute(
            select(person_records.c.id, person_records.c.record_id, person_records.c.fields,
                   person_records.c.extra, person_records.c.source_id)
            .where(person_records.c.list_name == list_name,
                   person_records.c.record_id.in_(sorted(recs)))).all()}
        new_rows = [_values(rec, stamp, session) for record_id, rec in recs.items() if record_id not in existing]
        if new_rows:
            session.execute(person_records.insert(), new_rows)
            counts.added += len(new_rows)
        for record_id, row in existing.items():
            _update(session, row, recs[record_id], counts, stamp=stamp, actor=actor)


def _update(session: Session, row: Any, rec: PersonRecord, counts: UpsertCounts, *, stamp: Any, actor: str) -> None:
    fields, extra = dict(row.fields or {}), dict(row.extra or {})
    if fields == rec.fields and extra == rec.extra:
        counts.unchanged += 1
        if row.source_id != rec.source_id and rec.source_id is not None:
            session.execute(update(person_records).where(person_records.c.id == row.id)
                            .values(source_id=rec.source_id))
        return
    counts.updated += 1
    name = display_name(rec.fields)
    session.execute(update(person_records).where(person_records.c.id == row.id).values(
        fields=rec.fields, extra=rec.extra, name=name, name_index=name_index(session, name),
        source_id=rec.source_id if rec.source_id is not None else row.source_id, updated_at=stamp))
    before, after = _changes(fields, rec.fields), _changes(rec.fields, fields)
    before.update({f"extra.{k}": v for k, v in _changes(extra, rec.extra).items()})
    after.update({f"extra.{k}": v for k, v in _changes(rec.extra, extra).items()})
    before, after = _vaulted(session, before), _vaulted(session, after)
    audit(session, user=actor, entity="person_record", entity_id=int(row.id), action="import-update",
          before=before, after=after, comment=f"re-import of {rec.list_name}"
          + (f" from source {rec.source_id}" if rec.source_id is not None else ""))


def _vaulted(session: Session, changes: dict[str, str | None]) -> dict[str, str | None]:
    """The changed values encrypted (store.identity_vault): a record's fields name and place a person, and the
    audit log, append-only, would otherwise keep them in the clear for good. ``history`` opens them."""
    vault = identity_vault.of(session.get_bind())
    if vault is None:
        return changes
    return {k: vault.encrypt(v, context=identity_vault.PERSON_RECORD_AUDIT) if isinstance(v, str) and v else v
            for k, v in changes.items()}


def _changes(mine: dict[str, str], other: dict[str, str]) -> dict[str, str | None]:
    """The keys whose value in ``mine`` differs from ``other`` (None: ``mine`` has none)."""
    return {k: mine.get(k) for k in sorted(set(mine) | set(other)) if mine.get(k) != other.get(k)}


def name_index(session: Session, name: str) -> str:
    """The blind index of ``name`` under the session's identity vault ("" on a connection without one:
    the rows are encrypted and indexed once the key is there, store.identity_rows)."""
    vault = identity_vault.of(session.get_bind())
    return vault.name_index(name) if vault is not None else ""


def _values(rec: PersonRecord, stamp: Any, session: Session) -> dict[str, Any]:
    name = display_name(rec.fields)
    return {"list_name": rec.list_name, "record_id": rec.record_id, "name": name,
            "name_index": name_index(session, name),
            "fields": rec.fields, "extra": rec.extra, "source_id": rec.source_id, "incident_id": rec.incident_id,
            "span_start": rec.span_start, "span_end": rec.span_end, "created_at": stamp, "updated_at": stamp}


def _record(row: Any) -> PersonRecord:
    return PersonRecord(list_name=row.list_name, record_id=row.record_id, fields=dict(row.fields or {}),
                        extra=dict(row.extra or {}), source_id=row.source_id, incident_id=row.incident_id,
                        span_start=row.span_start, span_end=row.span_end, cluster_id=row.cluster_id,
                        id=int(row.id), created_at=row.created_at, updated_at=row.updated_at)


# -------------------------------------------------------------------- reads


def get(db: Database, record_id: int) -> PersonRecord | None:
    """One record by its database id."""
    with db.session() as session:
        row = session.execute(select(person_records).where(person_records.c.id == record_id)).first()
    return _record(row) if row is not None else None


def get_many(db: Database, ids: Iterable[int]) -> list[PersonRecord]:
    """The records with these database ids, in id order (unknown ids are left out)."""
    wanted = sorted({int(i) for i in ids})
    found: list[PersonRecord] = []
    with db.session() as session:
        for start in range(0, len(wanted), CHUNK):
            rows = session.execute(select(person_records).where(
                person_records.c.id.in_(wanted[start:start + CHUNK])).order_by(person_records.c.id)).all()
            found.extend(_record(row) for row in rows)
    return found


def find(db: Database, *, list_name: str, record_id: str) -> PersonRecord | None:
    """A record by where it comes from: its list and its id there."""
    with db.session() as session:
        row = session.execute(select(person_records).where(
            person_records.c.list_name == list_name, person_records.c.record_id == record_id)).first()
    return _record(row) if row is not None else None


def _cluster_of(cluster_id: int) -> Any:
    """Records of cluster ``cluster_id``: those naming it, and the record it is named after."""
    return or_(person_records.c.cluster_id == cluster_id,
               (person_records.c.id == cluster_id) & person_records.c.cluster_id.is_(None))


def list_records(db: Database, *, lists: Sequence[str] = (), cluster_id: int | None = None, limit: int = 100,
                 offset: int = 0) -> list[PersonRecord]:
    """One page of records, by list then id (the order each list was imported in); ``lists`` and
    ``cluster_id`` narrow it. Not by name: names are encrypted (store.identity_vault), and sorting
    them would mean decrypting every record for every page."""
    stmt = select(person_records)
    if lists:
        stmt = stmt.where(person_records.c.list_name.in_(list(lists)))
    if cluster_id is not None:
        stmt = stmt.where(_cluster_of(cluster_id))
    stmt = stmt.order_by(person_records.c.list_name, person_records.c.id)
    with db.session() as session:
        rows = session.execute(stmt.limit(max(0, limit)).offset(max(0, offset))).all()
    return [_record(row) for row in rows]


def iter_records(db: Database, *, lists: Sequence[str] = (), page: int = PAGE) -> Iterator[PersonRecord]:
    """Every record (of ``lists``, if given) in id order, read a page at a time: memory stays bounded."""
    after = 0
    while True:
        stmt = select(person_records).where(person_records.c.id > after)
        if lists:
            stmt = stmt.where(person_records.c.list_name.in_(list(lists)))
        with db.session() as session:
            rows = session.execute(stmt.order_by(person_records.c.id).limit(page)).all()
        if not rows:
            return
        for row in rows:
            yield _record(row)
        after = int(rows[-1].id)


def count_by_list(db: Database) -> dict[str, int]:
    """How many records each list has, by list name."""
    with db.session() as session:
        rows = session.execute(select(person_records.c.list_name, func.count())
                               .group_by(person_records.c.list_name).order_by(person_records.c.list_name)).all()
    return {row[0]: int(row[1]) for row in rows}


def count_in(session: Session, list_name: str) -> int:
    """How many records ``list_name`` has, inside a caller's transaction."""
    return int(session.scalar(select(func.count()).select_from(person_records)
                              .where(person_records.c.list_name == list_name)) or 0)
