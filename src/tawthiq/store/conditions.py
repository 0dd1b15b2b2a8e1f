"""Which incidents a filter selects: the one set of WHERE terms every list and statistic uses.

The CLI's list, the web list and its facets, the API, exports, the map, the
timeline and the dashboard all build their WHERE clause here from the one
:class:`~tawthiq.domain.filters.IncidentFilter` and the confidentialities the
user may see, so a chart and the list it links to always count the same
incidents (including the rule that a perpetrator filter matches the actor's
factions, and that merged incidents are left out unless asked for). The
defaults are documented on the filter; ``counting`` picks the statistics'
status default instead of the list's.

Which incidents a user may see at all is decided by :func:`sight_terms`, the
one place every read for a viewer passes through (lists, facets, exports,
statistics, the map and timeline here; search, the start page's counts and
single incidents through :func:`visible_ids`): the confidentialities of their
role and, when the team requires a second reviewer, only verified incidents
for a reader who cannot see restricted ones.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    exists,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Session

from ..domain.access import SECOND_REVIEW, waits_for_second_review
from ..domain.enums import Confidentiality, IncidentStatus, InvolvementRole
from ..domain.filters import IncidentFilter, PlaceArea
from ..domain.tags import team_only_tags_hidden
from . import dialect
from .mapping import place_key
from .read_scope import facts
from .tables import (
    actors,
    claims,
    incident_media,
    incident_tags,
    incident_violations,
    incidents,
    involvements,
    review_assignments,
    sources,
    tags,
    victim_groups,
)
from .textnorm import QueryTerm, query_terms

__all__ = ["Visible", "actor_and_factions", "area_condition", "incident_conditions", "search_terms", "second_review",
           "shown_tag_terms", "sight_terms", "visible_ids", "visible_key"]

# The confidentialities a user may see (from their role); None: every one (the CLI's operator).
Visible = Sequence[Confidentiality | str] | None

_ALL_CONFIDENTIALITIES = frozenset(c.value for c in Confidentiality)


def visible_key(visible: Visible) -> tuple[str, ...] | None:
    """``visible`` as plain values in a tuple: hashable, for cache keys."""
    return None if visible is None else tuple(Confidentiality(c).value for c in visible)


def second_review(session: Session) -> bool:
    """Whether the team requires a second reviewer before an incident is published (read once per session,
    and once per :func:`.read_scope.read_scope`)."""
    if SECOND_REVIEW not in session.info:
        session.info[SECOND_REVIEW] = facts(session).second_review
    return bool(session.info[SECOND_REVIEW])


def sight_terms(session: Session, visible: Visible, *, confidentiality: ColumnElement[str] | None = None,
                status: ColumnElement[str] | None = None) -> list[ColumnElement[bool]]:
    """The WHERE terms on ``incidents`` for the incidents a user seeing ``visible`` levels may see at all.

    Their role's confidentialities; and, when the team requires a second
    reviewer, a reader limited to public incidents sees a public one only once
    it is verified (accepted but not yet verified is not published). Staff
    (who see restricted incidents) see everything their levels allow.
    ``confidentiality`` and ``status`` replace the columns (a page sorted by an
    index writes them so that no index serves them).
    """
    seen = visible_key(visible)
    if seen is None or _ALL_CONFIDENTIALITIES <= set(seen):
        return []
    conf = incidents.c.confidentiality if confidentiality is None else confidentiality
    state = incidents.c.status if status is None else status
    out: list[ColumnElement[bool]] = [conf.in_(seen)]
    if Confidentiality.PUBLIC.value in seen and waits_for_second_review(seen) and second_review(session):
        out.append(or_(conf != Confidentiality.PUBLIC.value, state == IncidentStatus.VERIFIED.value))
    return out


def shown_tag_terms(visible: Visible) -> list[ColumnElement[bool]]:
    """The terms on ``incident_tags`` for the tags a user seeing ``visible`` levels may see: for a
    viewer only those an admin marked shown to viewers (the rest are the team's working notes), so
    neither a tag facet nor a hand-made ``?tag=`` filter tells a viewer which public incidents carry
    one. Staff: no term."""
    if not team_only_tags_hidden(visible_key(visible)):
        return []
    return [incident_tags.c.tag_id.in_(select(tags.c.id).where(tags.c.shown_to_viewers.is_(True)))]


def visible_ids(session: Session, ids: Iterable[int], visible: Visible) -> set[int]:
    """Those of ``ids`` a user seeing ``visible`` levels may see (by :func:`sight_terms`); merged ones included."""
    wanted = sorted({int(i) for i in ids})
    found: set[int] = set()
    terms = sight_terms(session, visible)
    for chunk in range(0, len(wanted), 500):
        found.update(int(i) for i in session.scalars(
            select(incidents.c.id).where(incidents.c.id.in_(wanted[chunk:chunk + 500]), *terms)))
    return found


def search_terms(filters: IncidentFilter) -> tuple[QueryTerm, ...]:
    """The search words of ``filters.q`` as the index folds them (empty for no or only-punctuation words)."""
    return tuple(query_terms(filters.q)) if filters.q else ()


def actor_and_factions(session: Session, code: str) -> set[str]:
    """``code`` and every faction under it in the actor vocabulary."""
    children: dict[str, list[str]] = defaultdict(list)
    for child, parent in session.execute(select(actors.c.code, actors.c.parent)):
        if parent:
            children[parent].append(child)
    found, todo = {code}, [code]
    while todo:
        for child in children[todo.pop()]:
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def area_condition(areas: Sequence[PlaceArea], *, admin1: ColumnElement[str] | None = None,
                   also_admin1: Sequence[str] = ()) -> ColumnElement[bool]:
    """Incidents inside any of ``areas``: placed at one of their gazetteer ids, or carrying the
    area's admin name at its level (see :class:`~tawthiq.domain.filters.PlaceArea`).

    A governorate is matched on ``loc_admin1`` alone wherever the incident names one: an incident
    placed by gazetteer id carries its governorate (extraction, hand entry and imports write the
    place's admin names with it), so the ids only decide for incidents that name none. Written as
    ``loc_admin1 IN (names, '') AND (loc_admin1 <> '' OR loc_place_id IN ids)`` every term can be
    read from an index on ``loc_admin1``; an OR over two columns made both databases scan every
    incident for each facet of a governorate filter (0.1-0.4 s each on 100,000 incidents).
    ``admin1`` replaces the column (a page sorted by an index hides it), ``also_admin1`` adds
    names (the filter's own values).
    """
    c = incidents.c
    column_admin1 = c.loc_admin1 if admin1 is None else admin1
    columns = {"admin1": column_admin1, "admin2": c.loc_admin2, "admin3": c.loc_admin3}
    # "Raqqa" names the governorate, its district, sub-district and city: the last three are inside
    # the first, and each OR term left is one more way the databases may have to read every incident.
    areas = [a for i, a in enumerate(areas)
             if not any(_within(a, b) and (not _within(b, a) or j < i) for j, b in enumerate(areas) if j != i)]
    top = [a for a in areas if a.column == "admin1"]
    below = [a for a in areas if a.column != "admin1"]
    terms: list[ColumnElement[bool]] = []
    if top or also_admin1:
        names = sorted({n for a in top for n in a.names} | set(also_admin1))
        top_ids = sorted({pid for a in top for pid in a.place_ids})
        if top_ids:
            terms.append(and_(column_admin1.in_([*names, ""]),
                              or_(column_admin1 != "", c.loc_place_id.in_(top_ids))))
        elif names:
            terms.append(column_admin1.in_(names))
    ids = sorted({pid for area in below for pid in area.place_ids})
    if ids:
        terms.append(c.loc_place_id.in_(ids))
    for area in below:
        column = columns.get(area.column)
        if column is None or not area.names:
            continue
        named = column.in_(sorted(set(area.names)))
        terms.append(and_(named, column_admin1.in_(sorted(set(area.governorates)))) if area.governorates else named)
    return or_(*terms) if terms else false()


def _within(inner: PlaceArea, outer: PlaceArea) -> bool:
    """Whether every incident ``inner`` selects is one ``outer`` selects too (by the terms
    :func:`area_condition` writes for each)."""
    if not set(inner.place_ids) <= set(outer.place_ids):
        return False
    if not inner.column:
        return True  # a town: its ids alone
    if outer.column == "admin1":  # a governorate takes whatever names it, below or at its level
        return (set(inner.governorates) <= set(outer.names) if inner.column != "admin1"
                else set(inner.names) <= set(outer.names))
    return (inner.column == outer.column and set(inner.names) <= set(outer.names)
            and set(inner.governorates) <= set(outer.governorates))


def actor_codes(session: Session, chosen: Sequence[str]) -> list[str]:
    """Every chosen actor and the factions under each."""
    found: set[str] = set()
    for code in chosen:
        found |= actor_and_factions(session, code)
    return sorted(found)


def incident_conditions(session: Session, filters: IncidentFilter, *, visible: Visible = None,
                        counting: bool = False, skip: str | None = None, ordered: bool = False,
                        words: bool = True) -> list[ColumnElement[bool]]:
    """The WHERE terms on ``incidents`` for ``filters`` and what the user may see.

    ``counting``: the statuses a statistic counts by default rather than a
    list's (see :meth:`IncidentFilter.statuses`). ``skip`` leaves out one
    facet's own filter.

    ``ordered``: for a page sorted by an indexed column, the coarse filters
    (confidentiality, status, governorate, victim kind) are written so that
    no index serves them (``column || ''``, a correlated EXISTS). SQLite would otherwise pick their index, sort every
    match and keep 50; walking the sort index and skipping non-matching rows
    stops after 50. Selective filters (place, type, words) keep their index.

    ``words=False`` leaves out the search words, for a query that already
    joins the ranked matches (running the same MATCH twice doubled its cost).
    """
    f = filters
    c = incidents.c
    ordered = ordered and dialect.hide_coarse_filters(session)
    conf = c.confidentiality.concat("") if ordered else c.confidentiality
    status = c.status.concat("") if ordered else c.status
    out: list[ColumnElement[bool]] = sight_terms(session, visible, confidentiality=conf, status=status)
    if f.confidentiality and skip != "confidentiality":
        out.append(conf == f.confidentiality)
    # The status facet drops a chosen status, but never the default that hides merged incidents.
    if not (skip == "status" and f.status):
        statuses = f.statuses(counting=counting)
        out.append(status == statuses[0] if len(statuses) == 1 else status.in_(statuses))
    if f.event_type and skip != "event_type":
        out.append(c.event_type.in_(f.event_type) if len(f.event_type) > 1 else c.event_type == f.event_type[0])
    if f.governorate and skip != "governorate":  # fourteen governorates: never very selective
        admin1 = c.loc_admin1.concat("") if ordered else c.loc_admin1
        # Resolved: the governorate's other spellings, and incidents placed inside it by gazetteer id.
        out.append(area_condition(f.governorate_areas, admin1=admin1, also_admin1=f.governorate))
    if f.place and f.place.strip():
        key = place_key(f.place)  # punctuation-only input folds to "" and matches nothing
        named = c.loc_keys.contains(f"|{key}|", autoescape=True) if key else false()
        # A place the gazetteer knows: everything placed inside it too (a governorate's towns).
        out.append(or_(named, area_condition(f.place_areas)) if f.place_areas else named)
    if f.date_from is not None:
        out.append(c.date_end >= f.date_from)
    if f.date_to is not None:
        out.append(c.date_start <= f.date_to)
    # Received: whole UTC days of the record's creation, the end day included.
    if f.received_from is not None:
        out.append(c.created_at >= datetime.combine(f.received_from, time.min, tzinfo=UTC))
    if f.received_to is not None:
        out.append(c.created_at < datetime.combine(f.received_to + timedelta(days=1), time.min, tzinfo=UTC))
    # Parts filters are uncorrelated IN (subquery): computed once through the part's
    # own index, then a cheap membership test per row (a correlated EXISTS ran once per row).
    # Beside a selective column filter the column's index leads and the list is only probed.
    selective = bool((f.event_type and skip != "event_type") or (f.governorate and skip != "governorate")
                     or (f.place and f.place.strip()))
    member = dialect.probe_only(session, c.id) if selective else c.id
    if f.violation and skip != "violation":
        out.append(member.in_(select(incident_violations.c.incident_id)
                            .where(incident_violations.c.code.in_(f.violation))))
    if f.perpetrator and skip != "perpetrator":
        codes = actor_codes(session, f.perpetrator)
        out.append(member.in_(select(involvements.c.incident_id).where(
            involvements.c.actor.in_(codes), involvements.c.role == InvolvementRole.PERPETRATOR.value)))
    if f.tag and skip != "tag":  # a tag taken off (withdrawn) no longer selects the incident
        out.append(member.in_(select(incident_tags.c.incident_id).where(
            incident_tags.c.tag_id.in_(sorted({int(t) for t in f.tag})), incident_tags.c.withdrawn_at.is_(None),
            *shown_tag_terms(visible))))
    if f.victim_kind and skip != "victim_kind":
        if ordered:  # three kinds, no index on kind: test the rows the sort index walks
            out.append(exists().where(victim_groups.c.incident_id == c.id, victim_groups.c.kind == f.victim_kind))
        else:
            out.append(c.id.in_(select(victim_groups.c.incident_id).where(victim_groups.c.kind == f.victim_kind)))
    if f.source_id is not None:
        # The source it was extracted from, any source a claim on it cites (e.g. after a merge), or a source
        # a person attached to it as evidence (and has not withdrawn).
        out.append(or_(c.source_id == f.source_id,
                       c.id.in_(select(claims.c.incident_id).where(claims.c.source_id == f.source_id)),
                       c.id.in_(select(incident_media.c.incident_id).where(
                           incident_media.c.source_id == f.source_id, incident_media.c.withdrawn_at.is_(None)))))
    if f.language:
        out.append(c.source_id.in_(select(sources.c.id).where(sources.c.language == f.language)))
    if f.assigned_to:
        out.append(c.id.in_(select(review_assignments.c.incident_id)
                            .where(review_assignments.c.assignee == f.assigned_to)))
    terms = search_terms(f)
    if f.q and not terms:
        out.append(false())  # only punctuation: nothing matches
    elif terms and words:
        matches = dialect.search_matches(session, terms, kind="incident", ranked=False)
        wanted: Select[Any] | CompoundSelect = select(matches.c.ref_id)
        if f.q_place is not None and f.q_place.areas:
            # Words naming a place match the incidents inside it too; any other words must still match.
            placed = {form for t in query_terms(f.q_place.words) for form in t.forms}
            rest = tuple(t for t in terms if not set(t.forms) & placed)
            inside = area_condition(f.q_place.areas)
            if rest:
                others = dialect.search_matches(session, rest, kind="incident", ranked=False)
                inside = and_(inside, c.id.in_(select(others.c.ref_id)))
            # One list of ids, each half read through its own index: "matches OR inside" made both
            # databases test every incident against both for each facet (seconds on 100,000).
            wanted = wanted.union(select(c.id).where(inside).correlate(None))
        out.append(c.id.in_(wanted))
    return out
