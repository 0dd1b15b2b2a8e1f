"""The review queue's candidate duplicates within one source: found in one grouped pass, their parts read beside.

What makes two suggestions identical is the services' decision
(``services/queue_folds.py``); the store answers two questions for it
without reading any report text. :func:`sharing` finds, in one pass over
the queue's incident rows (a window function partitioned by the columns
asked for), the suggestions that share every one of those columns with at
least one other; :func:`parts_of` reads the parts (involvements,
violations, victim groups, named persons) of those candidates only.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..domain.filters import IncidentFilter
from .conditions import Visible, incident_conditions, visible_key
from .db import Database
from .tables import incident_violations, incidents, involvements, persons, victim_groups

_CHUNK = 500  # ids per IN list


@dataclass(frozen=True, slots=True)
class Candidate:
    """A suggestion that shares the compared columns with another: its id, confidence and those columns' values."""

    id: int
    confidence: float
    row: tuple[Any, ...]  # the values of the columns asked for, in their order


def sharing(db: Database, *, filters: IncidentFilter, visible: Visible, columns: Sequence[str]) -> list[Candidate]:
    """The matching incidents with a source that share each of ``columns`` (which should name
    ``source_id``) with at least one other matching incident, lowest id first.

    One pass over the matching rows, grouped in the database; nothing is read
    for the suggestions that stand alone, which are nearly all of them.
    """
    c = incidents.c
    keys = [c[name] for name in columns]
    with db.session() as session:
        inner = (select(c.id, c.confidence, *keys, func.count().over(partition_by=keys).label("same"))
                 .where(c.source_id.is_not(None), *incident_conditions(session, filters, visible=visible_key(visible)))
                 .subquery())
        rows = session.execute(select(inner.c.id, inner.c.confidence, *(inner.c[name] for name in columns))
                               .where(inner.c.same > 1).order_by(inner.c.id)).all()
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
