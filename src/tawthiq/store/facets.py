"""Facet counts for an incident filter: every facet in one statement, each matching set read once.

A facet counts the incidents matching every filter *but its own* (so a chosen
value's alternatives stay visible). Counted one query per facet, a list with
three filters read the matching incidents eight times over: the five facets
with no filter of their own all count the same set, and each of the three
others a set that differs from it by one filter. On 100,000 incidents and
two cores that was most of the page's time under load.

Here the facets are one statement, a ``UNION ALL`` of one arm per facet (one
round trip, which matters most on PostgreSQL), and the full match is read
once, as the common table expression ``matching``, for every facet with no
choice of its own. It carries the incident columns the column facets count
(``_carried``), which the two facet indexes hold, so it is read from an index
alone. A chosen facet's arm reads its own set straight from the table, as
before: that set serves no other facet, and copying a large one (a whole
governorate) into a CTE to read it back once was slower than the index.

With no narrowing filter at all (only what the user may see and the default
statuses) nothing is materialised: every facet is counted straight from the
table through its column's index, as reading 100,000 ids into a temporary
table and probing them back was slower than that.

Measured in one run on 100,000 incidents (``benchmarks/facet_counts.py``):
see docs/web-benchmark.md, "Third round".
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from sqlalchemy import CTE, ColumnElement, Select, String, case, cast, func, literal, select
from sqlalchemy.orm import Session

from ..domain import vocab
from ..domain.enums import InvolvementRole
from ..domain.filters import IncidentFilter
from .conditions import incident_conditions, shown_tag_terms
from .tables import incident_tags, incident_violations, incidents, involvements, victim_groups

FACETS = ("event_type", "violation", "perpetrator", "victim_kind", "governorate", "status", "confidentiality", "tag")
FACET_LIMIT = 50  # values per facet; a list of 300 place names helps nobody
COLUMN_FACETS = {"event_type": "event_type", "governorate": "loc_admin1", "status": "status",
                 "confidentiality": "confidentiality"}


def own_filter(filters: IncidentFilter, name: str) -> bool:
    """Whether the facet ``name`` has a choice of its own in ``filters`` (its count then leaves it out).

    Mirrors the ``skip`` handling of :func:`.conditions.incident_conditions`.
    """
    return bool(getattr(filters, name, None))


def count_facets(session: Session, *, filters: IncidentFilter, seen: tuple[str, ...] | None,
                 wanted: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
    """Per facet of ``wanted``: (value, incidents) most frequent first, at most FACET_LIMIT."""
    if not wanted:
        return {}
    chosen = [name for name in FACETS if own_filter(filters, name)]
    otherwise = _narrows_otherwise(filters)

    def conditions(skip: str | None) -> list[ColumnElement[bool]]:
        return incident_conditions(session, filters, visible=seen, skip=skip)

    # Each chosen facet counts its own set, read once by its own arm through the table's indexes (as a
    # CTE it was slower: a large set copied, then read back). The others share the full match, read once.
    matching = (select(*_carried()).where(*conditions(None)).cte("matching").prefix_with("MATERIALIZED")
                if (otherwise or chosen) and any(name not in chosen for name in wanted) else None)
    arms = [_arm(name, within=None if name in chosen else matching, conditions=partial(conditions, name),
                 seen=seen) for name in wanted]
    statement = arms[0] if len(arms) == 1 else arms[0].union_all(*arms[1:])
    counted: dict[str, list[tuple[str, int]]] = {name: [] for name in wanted}
    for name, value, count in session.execute(statement):
        counted[str(name)].append((str(value), int(count)))
    return {name: sorted(rows, key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT] for name, rows in counted.items()}


def _carried() -> list[Any]:
    """What a matching set holds: the ids, and the columns the column facets count. Both facet indexes
    (``ix_incidents_facets_type``, ``ix_incidents_facets_place``) hold these columns, so a set is read
    from an index alone and a column facet needs no look-up of each incident's row."""
    return [incidents.c.id, *(incidents.c[column] for column in COLUMN_FACETS.values())]


def _narrows_otherwise(filters: IncidentFilter) -> bool:
    """Filters that narrow the matching set without being a facet (words, dates, place, source…)."""
    f = filters
    return bool((f.q and f.q.strip()) or (f.place and f.place.strip()) or f.date_from or f.date_to
                or f.received_from or f.received_to or f.source_id is not None or f.language or f.assigned_to)


def _arm(name: str, *, within: CTE | None, conditions: Callable[[], list[ColumnElement[bool]]],
         seen: tuple[str, ...] | None) -> Select[Any]:
    """One facet's grouped count: over the ids of ``within``, or the table under ``conditions()``."""
    label = literal(name, String)
    c = incidents.c
    part, key, extra = _part(name, seen=seen)
    if part is None:  # a column of the incident: carried by the set, or read through the table's index
        source = within if within is not None else incidents
        column = source.c[COLUMN_FACETS[name]]
        stmt = select(label, column, func.count()).select_from(source).group_by(column)
        if name == "governorate":
            stmt = stmt.where(column != "")
        return stmt if within is not None else stmt.where(*conditions())
    # A part (violations, perpetrators, victims, tags): counted straight from its table when the set
    # is known, an incident with two matching parts once.
    ref = part.c.incident_id
    counted = func.count(func.distinct(ref))
    if within is not None:
        return select(label, key, counted).where(ref.in_(select(within.c.id)), *extra).group_by(key)
    return (select(label, key, counted).join_from(incidents, part, ref == c.id)
            .where(*extra, *conditions()).group_by(key))


def _part(name: str, *, seen: tuple[str, ...] | None) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    """(table, grouped key as text, its own conditions) of a facet over a part; (None, None, []) for a column."""
    if name == "violation":
        return incident_violations, incident_violations.c.code, []
    if name == "perpetrator":  # counted under the top-level actor (a faction under its coalition)
        actor = involvements.c.actor
        tops = {a: vocab.top_actor(a) for a in vocab.actors() if vocab.top_actor(a) != a}
        key = case(tops, value=actor, else_=actor) if tops else actor
        return involvements, key, [involvements.c.role == InvolvementRole.PERPETRATOR.value]
    if name == "tag":  # the tags on the matching incidents now, by id (the services name them)
        # A viewer counts only the tags shown to viewers (the rest are the team's working notes).
        return incident_tags, cast(incident_tags.c.tag_id, String), [incident_tags.c.withdrawn_at.is_(None),
                                                                     *shown_tag_terms(seen)]
    if name == "victim_kind":
        return victim_groups, victim_groups.c.kind, []
    return None, None, []
