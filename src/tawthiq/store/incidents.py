"""Incidents with their involvements, victims, evidence and claims: writes and reads by id.

An incident is written together with its parts in one transaction and read
back whole; reads of many load the parts for a whole page at once rather than
one incident at a time. Filtered lists are :mod:`.queries`' (the one query
path), which loads whole incidents through :func:`_load`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..domain.model import Claim, Incident, Person, Source
from . import dialect
from .db import Database
from .history import NotFoundError, record
from .mapping import (
    claim_from_row,
    claim_values,
    incident_from_row,
    incident_values,
    involvement_from_row,
    involvement_values,
    person_from_row,
    person_values,
    span_from_row,
    span_values,
    victim_from_row,
    victim_values,
)
from .sources import insert_source
from .tables import (
    claims,
    evidence_spans,
    incident_violations,
    involvements,
    persons,
    victim_groups,
)
from .tables import incidents as incidents_table
from .textnorm import index_text

_CHUNK = 500  # ids per IN (...) when loading the parts of many incidents


# -------------------------------------------------------------------- write


def incident_index_body(incident: Incident) -> str:
    loc = incident.location
    parts = [incident.description]
    if loc is not None:
        parts += [loc.name, loc.name_ar, loc.text, loc.admin1, loc.admin2, loc.admin3]
    return index_text(*parts)


def insert_incident(session: Session, incident: Incident, *, source_id: int | None, user: str = "system") -> int:
    """Write an incident and all its parts in the caller's transaction."""
    incident_id = int(
        session.execute(
            incidents_table.insert()
            .values(**incident_values(incident, source_id=source_id))
            .returning(incidents_table.c.id)
        ).scalar_one()
    )
    # The ordered parts of an incident: one row per item, in the order given.
    ordered_parts = (
        (incident_violations, [{"code": code} for code in incident.violations]),
        (evidence_spans, [span_values(span) for span in incident.evidence]),
        (involvements, [involvement_values(inv) for inv in incident.involvements]),
        (victim_groups, [victim_values(group) for group in incident.victims]),
    )
    for table, rows in ordered_parts:
        if rows:
            session.execute(table.insert(), [
                {"incident_id": incident_id, "position": i, **row} for i, row in enumerate(rows)
            ])
    if incident.claims:
        session.execute(claims.insert(), [
            claim_values(claim, incident_id=incident_id, default_source_id=source_id) for claim in incident.claims
        ])
    dialect.index_document(session, kind="incident", ref_id=incident_id, body=incident_index_body(incident))
    record(session, user=user, entity="incident", entity_id=incident_id, action="create",
           after={"status": str(incident.status), "event_type": incident.event_type, "source_id": source_id})
    return incident_id


def add_source_with_incidents(db: Database, source: Source, incidents: list[Incident], *,
                              actor: str = "system") -> tuple[int, bool, list[int]]:
    """Store a source and the incidents extracted from it, all or nothing.

    If the source is already stored nothing is added and (id, False, [])
    is returned, so re-ingesting a file, or re-running a batch that was
    killed half-way, never duplicates incidents.
    """
    with db.session(write=True) as session:
        source_id, created = insert_source(session, source, actor=actor)
        if not created:
            return source_id, False, []
        ids = [insert_incident(session, inc, source_id=source_id) for inc in incidents]
    return source_id, True, ids


def add_incident(db: Database, incident: Incident, *, user: str = "system") -> int:
    """Store one incident (e.g. entered by hand); ``incident.source_id`` may be None."""
    with db.session(write=True) as session:
        return insert_incident(session, incident, source_id=incident.source_id, user=user)


def add_claim(db: Database, incident_id: int, claim: Claim, *, user: str) -> int:
    """Attach a claim to an incident (a person's or a later extractor's)."""
    with db.session(write=True) as session:
        if session.scalar(select(incidents_table.c.id).where(incidents_table.c.id == incident_id)) is None:
            raise NotFoundError(f"no incident with id {incident_id}")
        claim_id = int(session.execute(
            claims.insert().values(**claim_values(claim, incident_id=incident_id, default_source_id=None))
            .returning(claims.c.id)
        ).scalar_one())
        record(session, user=user, entity="incident", entity_id=incident_id, action="claim",
               after={"claim_id": claim_id, "field": str(claim.field)}, comment=claim.note)
        return claim_id


def add_person(db: Database, person: Person, *, user: str) -> int:
    """Store a named person (sensitive: confidential unless set otherwise)."""
    with db.session(write=True) as session:
        return insert_person(session, person, user=user)


def insert_person(session: Session, person: Person, *, user: str, comment: str = "") -> int:
    """:func:`add_person` in the caller's transaction (ingest stores a report's names with its incidents)."""
    person_id = int(session.execute(
        persons.insert().values(**person_values(person)).returning(persons.c.id)
    ).scalar_one())
    # The audit entry names no one: the history may be shown more widely.
    record(session, user=user, entity="person", entity_id=person_id, action="create",
           after={"incident_id": person.incident_id}, comment=comment)
    return person_id


# --------------------------------------------------------------------- read


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def _load(session: Session, stmt: Select[Any], *, with_claims: bool = True) -> list[Incident]:
    """Run an incidents query and attach every part (claims unless told not to), a page at a time."""
    found = [incident_from_row(r) for r in session.execute(stmt)]
    if not found:
        return []
    by_id = {inc.id: inc for inc in found if inc.id is not None}
    ids = list(by_id)
    parts: dict[str, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for chunk in _chunks(ids):
        for name, table, order, convert in (
            ("violations", incident_violations, incident_violations.c.position, lambda r: r.code),
            ("evidence", evidence_spans, evidence_spans.c.position, span_from_row),
            ("involvements", involvements, involvements.c.position, involvement_from_row),
            ("victims", victim_groups, victim_groups.c.position, victim_from_row),
            ("claims", claims, claims.c.id, claim_from_row),
        ):
            if name == "claims" and not with_claims:
                continue
            rows = session.execute(select(table).where(table.c.incident_id.in_(chunk)).order_by(order))
            for row in rows:
                parts[name][row.incident_id].append(convert(row))
    for incident_id, inc in by_id.items():
        inc.violations = parts["violations"][incident_id]
        inc.evidence = parts["evidence"][incident_id]
        inc.involvements = parts["involvements"][incident_id]
        inc.victims = parts["victims"][incident_id]
        inc.claims = parts["claims"][incident_id]
    return found


def get_incident(db: Database, incident_id: int) -> Incident | None:
    from .clusters import attach

    with db.session() as session:
        found = _load(session, select(incidents_table).where(incidents_table.c.id == incident_id))
        attach(session, found)
    return found[0] if found else None


def incidents_by_ids(db: Database, ids: Sequence[int]) -> list[Incident]:
    """Whole incidents (with their parts and their cluster), in id order."""
    from .clusters import attach

    with db.session() as session:
        found = _load(session, select(incidents_table).where(incidents_table.c.id.in_(list(ids)))
                      .order_by(incidents_table.c.id))
        attach(session, found)
        return found


def incidents_for_source(db: Database, source_id: int) -> list[Incident]:
    from .clusters import attach

    with db.session() as session:
        stmt = select(incidents_table).where(incidents_table.c.source_id == source_id)
        found = _load(session, stmt.order_by(incidents_table.c.id))
        attach(session, found)
        return found


def count_incidents(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(incidents_table)) or 0)


def persons_for_incident(db: Database, incident_id: int, *, offset: int = 0,
                         limit: int | None = None) -> list[Person]:
    """The incident's named persons in id order; ``offset``/``limit`` read one page of them (a long victim list
    names thousands on one incident, and a page shows fifty)."""
    query = select(persons).where(persons.c.incident_id == incident_id).order_by(persons.c.id)
    if offset:
        query = query.offset(max(0, int(offset)))
    if limit is not None:
        query = query.limit(max(0, int(limit)))
    with db.session() as session:
        return [person_from_row(r) for r in session.execute(query)]


def count_persons_for_incident(db: Database, incident_id: int) -> int:
    """How many named persons the incident has (what its pages of persons count)."""
    with db.session() as session:
        return int(session.execute(select(func.count()).select_from(persons)
                                   .where(persons.c.incident_id == incident_id)).scalar_one())
