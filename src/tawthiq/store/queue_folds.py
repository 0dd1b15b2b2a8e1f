"""The review queue's candidate duplicates within one source: found in one grouped pass, their parts read beside.

What makes two suggestions identical is the services' decision
(``services/queue_folds.py``); the store answers two questions for it
without reading any report text. :func:`sharing` finds, in one grouped pass
over the queue's incident rows, the suggestions that share their source,
event type and date with at least one other, with the columns the services
compare; :func:`parts_of` reads the parts (involvements, violations, victim
groups, named persons) of those candidates only.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from ..domain.filters import IncidentFilter
from .conditions import Visible, incident_conditions, visible_key
from .db import Database
from .tables import incident_violations, incidents, involvements, persons, victim_groups

_CHUNK = 500  # ids per IN list
NARROW = ("source_id", "event_type", "date_edtf")  # what identical suggestions share first (cheap to group by)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A suggestion that shares the compared columns with another: its id, confidence and those columns' values."""

    id: int
    confidence: float
    row: tuple[Any, ...]  # the values of the columns asked for, in their order


def sharing(db: Database, *, filters: IncidentFilter, visible: Visible, columns: Sequence[str],
            narrow: Sequence[str] = NARROW) -> list[Candidate]:
    """The matching incidents with a source that share the ``narrow`` columns with at least one other
    matching incident, lowest id first, with the values of ``columns`` (which the caller compares).

    The keys shared are grouped in the database (the source id's index walked
    in order: about 16 ms on 9,000 suggestions, where partitioning every row by
    all the compared columns took 100), then only their incidents are read;
    nothing is read for the suggestions that stand alone, which are nearly all.
    """
    c = incidents.c
    seen = visible_key(visible)
    with db.session() as session:
        where = [c.source_id.is_not(None), *incident_conditions(session, filters, visible=seen)]
        keys = (select(*(c[name] for name in narrow)).where(*where).group_by(*(c[name] for name in narrow))
                .having(func.count() > 1).subquery())
        # NULL (no date) is a value here, as it is to GROUP BY.
        same = and_(*(c[name].is_not_distinct_from(keys.c[name]) for name in narrow))
        rows = session.execute(select(c.id, c.confidence, *(c[name] for name in columns)).join(keys, same)
                               .where(*where).order_by(c.id)).all()
    return [Candidate(id=int(r[0]), confidence=float(r[1]), row=tuple(r[2:])) for r in rows]


@dataclass(frozen=True, slots=True)
class Parts:
    """An incident's parts as plain sorted values: who was involved (actor, role, degree), the violation
    codes, the victim groups' counts and kinds, and the named persons. None is written -1 (no count is)."""

    involvements: tuple[tuple[str, str, str], ...] = ()
    violations: tuple[str, ...] = ()
    victims: tuple[tuple[Any, ...], ...] = ()
    persons: tuple[tuple[Any, ...], ...] = ()


def _n(value: Any) -> Any:
    return -1 if value is None else value


def parts_of(db: Database, ids: Sequence[int]) -> dict[int, Parts]:
    """The parts of each of ``ids`` (an incident with none has empty ones)."""
    found: dict[int, dict[str, list[Any]]] = {int(i): {"inv": [], "vio": [], "vic": [], "per": []} for i in ids}
    wanted = sorted(found)
    v = victim_groups.c
    with db.session() as session:
        for at in range(0, len(wanted), _CHUNK):
            chunk = wanted[at:at + _CHUNK]
            for i, actor, role, degree in session.execute(
                    select(involvements.c.incident_id, involvements.c.actor, involvements.c.role, involvements.c.degree)
                    .where(involvements.c.incident_id.in_(chunk))):
                found[int(i)]["inv"].append((actor, role, degree))
            for i, code in session.execute(select(incident_violations.c.incident_id, incident_violations.c.code)
                                           .where(incident_violations.c.incident_id.in_(chunk))):
                found[int(i)]["vio"].append(code)
            for r in session.execute(select(v.incident_id, v.outcome, v.kind, v.unit, v.count_min, v.count_max, v.sex,
                                            v.age, v.children, v.women, v.men).where(v.incident_id.in_(chunk))):
                found[int(r[0])]["vic"].append(tuple(_n(x) for x in r[1:]))
            p = persons.c
            for r in session.execute(select(p.incident_id, p.name, p.name_alt, p.sex, p.age, p.outcome)
                                     .where(p.incident_id.in_(chunk))):
                found[int(r[0])]["per"].append(tuple("" if x is None else x for x in r[1:4]) + (_n(r[4]), r[5] or ""))
    return {i: Parts(involvements=tuple(sorted(set(f["inv"]))), violations=tuple(sorted(set(f["vio"]))),
                     victims=tuple(sorted(f["vic"])), persons=tuple(sorted(f["per"])))
            for i, f in found.items()}


def alike(db: Database, *, incident_id: int, filters: IncidentFilter, visible: Visible,
          columns: Sequence[str]) -> tuple[Candidate | None, list[Candidate]]:
    """Incident ``incident_id`` (whatever its status, even outside the queue: a suggestion decided a moment
    ago) and the matching incidents other than it whose ``columns`` hold the same values, lowest id first.

    One indexed look-up by the incident's source (NULL equals NULL here, as
    in :func:`sharing`); None and nothing when the incident does not exist or
    has no source (a suggestion without a source repeats no report).
    """
    c = incidents.c
    wanted = [c[name] for name in columns]
    with db.session() as session:
        own = session.execute(select(c.id, c.confidence, c.source_id, *wanted).where(c.id == int(incident_id))).first()
        if own is None or own.source_id is None:
            return None, []
        same = [column.is_not_distinct_from(value) for column, value in zip(wanted, own[3:])]
        rows = session.execute(
            select(c.id, c.confidence, *wanted)
            .where(c.source_id == own.source_id, c.id != int(incident_id), *same,
                   *incident_conditions(session, filters, visible=visible_key(visible)))
            .order_by(c.id)).all()
    found = [Candidate(id=int(r[0]), confidence=float(r[1]), row=tuple(r[2:])) for r in rows]
    return Candidate(id=int(own[0]), confidence=float(own[1]), row=tuple(own[3:])), found
