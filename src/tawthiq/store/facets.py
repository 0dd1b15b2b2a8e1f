"""Facet counts for an incident filter: every facet in one statement, each matching set read once.

A facet counts the incidents matching every filter *but its own* (so a chosen
value's alternatives stay visible). Counted one query per facet, a list with
three filters read the matching incidents eight times over: the five facets
with no filter of their own all count the same set, and each of the three
others a set that differs from it by one filter. On 100,000 incidents and
two cores that was most of the page's time under load.

Here each distinct set is written once as a common table expression:

* ``skip_<name>`` for each shown facet whose own filter is set: the
  incidents matching all the *other* filters;
* ``matching``: all filters, for the facets with no filter of their own.
  With two or more ``skip`` sets it is the intersection of two of them (an
  incident in both meets every filter), so it costs no further read of the
  incidents.

A set with no narrowing filter at all (only what the user may see and the
default statuses) is never materialised: its facets are counted straight
from the table through the column's index, as reading 100,000 ids into a
temporary table and probing them back was slower than that. Every facet is
one arm of a ``UNION ALL``: one round trip, which matters most on PostgreSQL.
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
    skipping = [name for name in wanted if own_filter(filters, name)]
    chosen = [name for name in FACETS if own_filter(filters, name)]
    otherwise = _narrows_otherwise(filters)

    def conditions(skip: str | None) -> list[ColumnElement[bool]]:
        return incident_conditions(session, filters, visible=seen, skip=skip)

    # The matching set of each facet as a CTE, or None: counted straight from the table, because
    # leaving out the facet's own filter leaves nothing narrowing.
    sets: dict[str | None, CTE | None] = {}
    for name in skipping:
        narrow = otherwise or any(other != name for other in chosen)
        sets[name] = (select(incidents.c.id).where(*conditions(name)).cte(f"skip_{name}")
                      .prefix_with("MATERIALIZED") if narrow else None)
    if any(name not in skipping for name in wanted):
        ready = [cte for cte in sets.values() if cte is not None]
        if not (otherwise or chosen):
            sets[None] = None
        elif len(ready) >= 2:  # in both: meets every filter
            first, second = ready[0], ready[1]
            sets[None] = (select(first.c.id).where(first.c.id.in_(select(second.c.id))).cte("matching")
                          .prefix_with("MATERIALIZED"))
        else:
            sets[None] = select(incidents.c.id).where(*conditions(None)).cte("matching").prefix_with("MATERIALIZED")
    arms = [_arm(name, within=sets[name if name in skipping else None], conditions=partial(conditions, name),
                 seen=seen)
            for name in wanted]
    statement = arms[0] if len(arms) == 1 else arms[0].union_all(*arms[1:])
    counted: dict[str, list[tuple[str, int]]] = {name: [] for name in wanted}
    for name, value, count in session.execute(statement):
        counted[str(name)].append((str(value), int(count)))
    return {name: sorted(rows, key=lambda kv: (-kv[1], kv[0]))[:FACET_LIMIT] for name, rows in counted.items()}


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
    if part is None:  # a column of the incident
        column = getattr(c, COLUMN_FACETS[name])
        stmt = select(label, column, func.count()).select_from(incidents).group_by(column)
        if name == "governorate":
            stmt = stmt.where(c.loc_admin1 != "")
        where = c.id.in_(select(within.c.id)) if within is not None else None
        return stmt.where(where) if where is not None else stmt.where(*conditions())
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
