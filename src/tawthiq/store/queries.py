"""Incident lists for the CLI, the web app, the API and exports: filtered, sorted, paged, faceted.

The one incident query path: every list is built from one
:class:`~tawthiq.domain.filters.IncidentFilter` and the confidentialities
the user may see, through :func:`.conditions.incident_conditions` (the
statistics use the same terms). The CLI's list loads whole incidents
(:func:`list_incidents`); web and API lists show a light summary per
incident, not the whole record with its claims, and are built from one
query for the page, one count, and one batched query per part
(perpetrators, violations, victims) for the page's ids only, so a page
costs the same on ten incidents or a hundred thousand.

Counts and facets scan every matching row, which is the slow part on a big
database; they are cached per process under the database's *data version*
(the newest audit-log id: every write to an incident appends one) plus a
time limit, so a cached total is never older than the last change this
process can see, or than ``CACHE_SECONDS``. Every write through the store
appends to the audit log (in any process: the version is read from the
database on each use), so the time limit only bounds what a change made
by hand in SQL could leave behind; at a minute it also threw away every
search's ranking and counts each minute on an unchanged archive, and the
first readers after it waited for them again. Facets may lag a change by up
to ``FACET_STALE_SECONDS``: on 100,000 incidents they take a few hundred
milliseconds, and a busy review session would otherwise recompute them on
every page.
"""
from __future__ import annotations

import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, func, or_, select
from sqlalchemy.orm import Session

from ..domain.enums import CountingUnit, InvolvementRole, VictimOutcome
from ..domain.filters import IncidentFilter
from ..domain.model import Incident
from . import dialect
from .clusters import attach as attach_clusters
from .conditions import Visible, incident_conditions, search_terms, second_review, visible_key
from .db import Database
from .facets import FACETS, count_facets
from .incidents import _load
from .read_scope import facts
from .tables import (
    incident_violations,
    incidents,
    involvements,
    sources,
    victim_groups,
)
from .textnorm import QueryTerm

DESCRIPTION_CHARS = 200
CACHE_SECONDS = 600.0
CACHE_ENTRIES = 512
FACET_STALE_SECONDS = 10.0  # facets may lag a write by this much (see cached)
RANKED_IDS = 10_000  # relevance order kept per search (80 kB): every match of a common word, so its total needs no count

SORTS = ("date", "-date", "id", "-id", "updated", "-updated", "relevance")
# The review queue's orders besides id: the extractor's confidence, doubtful first; one source's together.
REVIEW_SORTS = ("id", "-id", "confidence", "source")

T = TypeVar("T")


@dataclass(slots=True)
class IncidentSummary:
    """One row of a list, the map or the timeline."""

    id: int
    event_type: str
    status: str
    confidentiality: str
    description: str  # the first DESCRIPTION_CHARS characters
    date_edtf: str | None
    date_text: str
    date_precision: str | None
    date_start: date | None
    date_end: date | None
    loc_name: str
    loc_name_ar: str
    loc_text: str
    loc_admin1: str
    lat: float | None
    lon: float | None
    loc_precision: str | None
    source_id: int | None
    updated_at: datetime
    perpetrators: list[str] = field(default_factory=list)  # actor codes, in order
    violations: list[str] = field(default_factory=list)
    # Per outcome, in VictimOutcome's order: (outcome, lowest, highest or None when open).
    # Outcomes are never added together: six killed and fourteen injured are not twenty victims.
    outcomes: list[tuple[str, int, int | None]] = field(default_factory=list)
    killed_min: int | None = None  # None: no killed group at all
    killed_max: int | None = None  # None also when any killed group's upper bound is unknown
    loc_place_id: str = ""  # the gazetteer's id ("" for a place it does not list): names derive from it
    cluster_id: int | None = None  # the lowest id of the incidents judged the same event (its own when alone)
    independent_sources: int = 0  # distinct origins of the sources behind the cluster
    confidence: float | None = None  # the extractor's, 0 to 1


def _rank_terms(filters: IncidentFilter) -> tuple[QueryTerm, ...]:
    """The words a relevance order ranks by; none when words name a place: the incidents inside
    it match without containing the words, and a ranked join would drop them (newest first instead)."""
    if filters.q_place is not None and filters.q_place.areas:
        return ()
    return search_terms(filters)


def _order(sort: str, session: Session, terms: tuple[QueryTerm, ...]) -> tuple[Select[Any] | None, list[Any]]:
    c = incidents.c
    if sort == "relevance" and terms:
        matches = dialect.search_matches(session, terms, kind="incident")
        return matches, [matches.c.rank.desc(), c.id.desc()]
    orders: dict[str, list[Any]] = {
        "date": [c.date_start.asc().nulls_last(), c.id.asc()],
        "-date": [c.date_start.desc().nulls_last(), c.id.desc()],
        "id": [c.id.asc()],
        "-id": [c.id.desc()],
        "updated": [c.updated_at.asc(), c.id.asc()],
        "-updated": [c.updated_at.desc(), c.id.desc()],
        "confidence": [c.confidence.asc(), c.id.asc()],
        "source": [c.source_id.asc().nulls_last(), c.id.asc()],
    }
    return None, orders.get(sort, orders["-date"])


# --------------------------------------------------------------------- page

_SUMMARY_COLUMNS = (
    incidents.c.id, incidents.c.event_type, incidents.c.status, incidents.c.confidentiality,
    func.substr(incidents.c.description, 1, DESCRIPTION_CHARS).label("description"),
    incidents.c.date_edtf, incidents.c.date_text, incidents.c.date_precision, incidents.c.date_start,
    incidents.c.date_end, incidents.c.loc_name, incidents.c.loc_name_ar, incidents.c.loc_text,
    incidents.c.loc_admin1, incidents.c.loc_lat, incidents.c.loc_lon, incidents.c.loc_precision,
    incidents.c.source_id, incidents.c.updated_at, incidents.c.confidence, incidents.c.loc_place_id,
)


def page_incidents(db: Database, *, filters: IncidentFilter, visible: Visible = None, sort: str, limit: int,
                   offset: int, hidden: Collection[int] = ()) -> tuple[list[IncidentSummary], int]:
    """(summaries of one page, total matching) in the order asked for; ``hidden`` ids are left out of
    both (the review queue's folded suggestions; not with a relevance order)."""
    seen = visible_key(visible)
    leaving_out = _leaving_out(hidden)
    with db.session() as session:
        joined, order = _order(sort, session, _rank_terms(filters))
        if joined is not None and leaving_out:
            raise ValueError("a relevance order leaves nothing out")
        if joined is not None:
            ranked = cached(db, session, ("ranked", filters, seen),
                            lambda: _ranked_ids(session, filters, seen, joined, order))
            if offset + limit <= len(ranked) or len(ranked) < RANKED_IDS:
                return _ranked_page(db, session, filters, seen, ranked, limit=limit, offset=offset)
        stmt = select(*_SUMMARY_COLUMNS).where(*incident_conditions(
            session, filters, visible=seen, ordered=joined is None, words=joined is None), *leaving_out)
        if joined is not None:
            stmt = stmt.join(joined, joined.c.ref_id == incidents.c.id)
        rows = session.execute(stmt.order_by(*order).limit(max(0, limit)).offset(max(0, offset))).all()
        total = _total(db, session, filters, seen, frozenset(hidden))
        found = [_summary(r) for r in rows]
        _attach_parts(session, found)
    return found, total


def _total(db: Database, session: Session, filters: IncidentFilter, seen: tuple[str, ...] | None,
           hidden: frozenset[int] = frozenset()) -> int:
    key = ("count", filters, seen, hidden) if hidden else ("count", filters, seen)
    return cached(db, session, key, lambda: int(session.scalar(
        select(func.count()).select_from(incidents).where(*incident_conditions(session, filters, visible=seen),
                                                          *_leaving_out(hidden)))
        or 0))


def _leaving_out(hidden: Collection[int]) -> list[ColumnElement[bool]]:
    """``id NOT IN (…)`` for ``hidden``, the ids written into the SQL (integers only): a bound parameter
    each would meet SQLite's limit on parameters with a few thousand folded suggestions."""
    if not hidden:
        return []
    ids = sorted(int(i) for i in hidden)
    return [incidents.c.id.not_in(bindparam("hidden_ids", ids, expanding=True, literal_execute=True))]


def _ranked_ids(session: Session, filters: IncidentFilter, seen: tuple[str, ...] | None, matches: Select[Any],
                order: list[Any]) -> array[int]:
    """The best RANKED_IDS matching ids in relevance order.

    bm25 has to be computed for every match to find the best ones (3,000 to
    5,000 for a common word in the benchmark, most of the search page's
    cost), and the rank of a document does not change until the data does;
    so the order is computed once per data version and each page is a slice
    of it. Only ids are sorted: with the summary columns in the SELECT,
    SQLite built each match's whole row (its description excerpt too) before
    sorting them.
    """
    stmt = (select(incidents.c.id).join(matches, matches.c.ref_id == incidents.c.id)
            .where(*incident_conditions(session, filters, visible=seen, words=False))
            .order_by(*order).limit(RANKED_IDS))
    return array("q", session.scalars(stmt))


def _ranked_page(db: Database, session: Session, filters: IncidentFilter, seen: tuple[str, ...] | None,
                 ranked: array[int], *, limit: int, offset: int) -> tuple[list[IncidentSummary], int]:
    ids = list(ranked[offset:offset + max(0, limit)]) if offset >= 0 else []
    if len(ranked) < RANKED_IDS:
        total = len(ranked)  # every match is in the ranking
    else:
        total = _total(db, session, filters, seen)
    if not ids:
        return [], total
    rows = {r.id: r for r in session.execute(select(*_SUMMARY_COLUMNS).where(incidents.c.id.in_(ids)))}
    found = [_summary(rows[i]) for i in ids if i in rows]
    _attach_parts(session, found)
    return found, total


def summaries_for_ids(db: Database, ids: Sequence[int]) -> list[IncidentSummary]:
    """Summaries of the given incidents (no visibility check: the caller filters)."""
    if not ids:
        return []
    with db.session() as session:
        rows = session.execute(select(*_SUMMARY_COLUMNS).where(incidents.c.id.in_(list(ids)))
                               .order_by(incidents.c.id)).all()
        found = [_summary(r) for r in rows]
        _attach_parts(session, found)
    return found


def matching_ids(db: Database, *, filters: IncidentFilter, visible: Visible = None, sort: str = "id") -> list[int]:
    """Every matching id in order (exports); no paging."""
    with db.session() as session:
        joined, order = _order(sort, session, _rank_terms(filters))
        where = incident_conditions(session, filters, visible=visible, words=joined is None)
        stmt = select(incidents.c.id).where(*where)
        if joined is not None:
            stmt = stmt.join(joined, joined.c.ref_id == incidents.c.id)
        return [int(i) for i in session.scalars(stmt.order_by(*order))]


def next_after(db: Database, *, filters: IncidentFilter, visible: Visible = None, sort: str,
               incident_id: int, backwards: bool = False, skip: Collection[int] = ()) -> int | None:
    """The first matching incident after ``incident_id`` in a REVIEW_SORTS order (``backwards``:
    the last one before it), or None; ``skip`` ids are stepped over (folded copies).

    Found from the incident's own sort key rather than its place in a list, because the
    decision just taken has usually moved it out of the matches.
    """
    c = incidents.c
    with db.session() as session:
        row = session.execute(select(c.confidence, c.source_id).where(c.id == incident_id)).first()
        if row is None:
            return None
        beyond: ColumnElement[bool]
        # "Later in the order" for the id (ties) and for the sort key, or "earlier" going backwards.
        later_id = c.id < incident_id if backwards else c.id > incident_id
        if sort in ("id", "-id"):
            beyond = c.id > incident_id if (sort == "id") != backwards else c.id < incident_id
        elif sort == "confidence":
            key = c.confidence < row.confidence if backwards else c.confidence > row.confidence
            beyond = or_(key, and_(c.confidence == row.confidence, later_id))
        elif sort == "source" and row.source_id is None:  # no source sorts last
            beyond = (or_(c.source_id.is_not(None), and_(c.source_id.is_(None), later_id)) if backwards
                      else and_(c.source_id.is_(None), later_id))
        elif sort == "source":
            if backwards:
                beyond = or_(c.source_id < row.source_id, and_(c.source_id == row.source_id, later_id))
            else:
                beyond = or_(c.source_id > row.source_id, and_(c.source_id == row.source_id, later_id),
                             c.source_id.is_(None))
        else:
            beyond = false()
        _, order = _order(sort, session, ())
        if backwards:
            order = _reversed(sort)
        stmt = (select(c.id).where(beyond, *incident_conditions(session, filters, visible=visible),
                                   *_leaving_out(skip))
                .order_by(*order).limit(1))
        found = session.scalar(stmt)
        return None if found is None else int(found)


def _reversed(sort: str) -> list[Any]:
    """A REVIEW_SORTS order read from its end."""
    c = incidents.c
    return {"-id": [c.id.asc()], "id": [c.id.desc()], "confidence": [c.confidence.desc(), c.id.desc()],
            "source": [c.source_id.desc().nulls_first(), c.id.desc()]}.get(sort, [c.id.desc()])


def source_titles(db: Database, ids: Sequence[int]) -> dict[int, str]:
    """Each source's title, or its file name when it has none."""
    if not ids:
        return {}
    with db.session() as session:
        return {int(i): title or name for i, title, name in session.execute(
            select(sources.c.id, sources.c.title, sources.c.original_name).where(sources.c.id.in_(sorted(set(ids)))))}


def list_incidents(db: Database, *, filters: IncidentFilter | None = None, visible: Visible = None,
                   limit: int | None = None, offset: int = 0) -> list[Incident]:
    """Whole incidents (parts and claims) matching ``filters``, oldest record first (the CLI's list)."""
    with db.session() as session:
        stmt = (select(incidents).where(*incident_conditions(session, filters or IncidentFilter(), visible=visible))
                .order_by(incidents.c.id).offset(max(0, offset)))
        if limit is not None:
            stmt = stmt.limit(max(0, limit))
        found = _load(session, stmt)
        attach_clusters(session, found)
        return found


def _summary(row: Any) -> IncidentSummary:
    return IncidentSummary(
        id=row.id, event_type=row.event_type, status=row.status, confidentiality=row.confidentiality,
        description=row.description or "", date_edtf=row.date_edtf, date_text=row.date_text,
        date_precision=row.date_precision, date_start=row.date_start, date_end=row.date_end,
        loc_name=row.loc_name, loc_name_ar=row.loc_name_ar, loc_text=row.loc_text, loc_admin1=row.loc_admin1,
        lat=row.loc_lat, lon=row.loc_lon, loc_precision=row.loc_precision, source_id=row.source_id,
        updated_at=row.updated_at, confidence=row.confidence, loc_place_id=row.loc_place_id or "",
    )


def _attach_parts(session: Session, found: list[IncidentSummary]) -> None:
    by_id = {s.id: s for s in found}
    if not by_id:
        return
    attach_clusters(session, found)
    ids = list(by_id)
    for inc_id, actor in session.execute(
        select(involvements.c.incident_id, involvements.c.actor)
        .where(involvements.c.incident_id.in_(ids), involvements.c.role == InvolvementRole.PERPETRATOR.value)
        .order_by(involvements.c.incident_id, involvements.c.position)
    ):
        if actor not in by_id[inc_id].perpetrators:
            by_id[inc_id].perpetrators.append(actor)
    for inc_id, code in session.execute(
        select(incident_violations.c.incident_id, incident_violations.c.code)
        .where(incident_violations.c.incident_id.in_(ids))
        .order_by(incident_violations.c.incident_id, incident_violations.c.position)
    ):
        by_id[inc_id].violations.append(code)
    groups: dict[int, list[tuple[str, int | None, int | None]]] = {}
    for inc_id, outcome, unit, lo, hi in session.execute(
        select(victim_groups.c.incident_id, victim_groups.c.outcome, victim_groups.c.unit, victim_groups.c.count_min,
               victim_groups.c.count_max).where(victim_groups.c.incident_id.in_(ids))
    ):
        # Families or groups count for their lower bound of people, with no upper bound (as the statistics do).
        groups.setdefault(inc_id, []).append((outcome, lo, hi if unit == CountingUnit.INDIVIDUAL.value else None))
    order = {o.value: i for i, o in enumerate(VictimOutcome)}
    for inc_id, rows in groups.items():
        summary = by_id[inc_id]
        for outcome in sorted({r[0] for r in rows}, key=lambda o: (order.get(o, len(order)), o)):
            lo, hi = outcome_range([r for r in rows if r[0] == outcome])
            summary.outcomes.append((outcome, lo, hi))
            if outcome == VictimOutcome.KILLED.value:
                summary.killed_min, summary.killed_max = lo, hi


def outcome_range(rows: list[tuple[str, int | None, int | None]]) -> tuple[int, int | None]:
    """(lowest, highest) of one outcome's groups: lower bounds summed (unknown counts 0), the
    highest open (None) when any group's is unknown. (0, None) says "an unknown number"."""
    lo = sum(r[1] or 0 for r in rows)
    hi: int | None = 0
    for _, _, group_max in rows:
        hi = None if hi is None or group_max is None else hi + group_max
    return lo, hi


# ------------------------------------------------------------------- facets


def stored_governorates(db: Database) -> list[str]:
    """Every distinct non-empty ``loc_admin1`` value (a few dozen at most), once per data version.

    Every filter naming a place or a governorate asks (twice a list page: its rows and its facets).
    SQLite skips through its index in 0.2 ms; PostgreSQL has no skip scan and read all 100,000
    index entries (12 ms) each time.
    """
    with db.session() as session:
        return list(cached(db, session, ("stored-governorates",), lambda: tuple(sorted(
            str(v) for v in session.scalars(select(incidents.c.loc_admin1).where(incidents.c.loc_admin1 != "")
                                            .distinct()) if v))))


def facet_counts(db: Database, *, filters: IncidentFilter, visible: Visible = None,
                 names: Sequence[str] = FACETS) -> dict[str, list[tuple[str, int]]]:
    """Per facet of ``names`` (default: all), (value, incidents) most frequent first, each counted
    under the *other* filters (a facet's own choice does not hide its alternatives)."""
    seen = visible_key(visible)
    wanted = tuple(n for n in FACETS if n in set(names))  # each a query: a page counts only what it shows
    with db.session() as session:
        return cached(db, session, ("facets", filters, seen, wanted),
                      lambda: count_facets(session, filters=filters, seen=seen, wanted=wanted),
                      stale_seconds=FACET_STALE_SECONDS)


# -------------------------------------------------------------------- cache

_cache: OrderedDict[Hashable, tuple[int, float, Any]] = OrderedDict()  # key -> (version, computed at, value)
_cache_lock = threading.Lock()
_key_locks: dict[Hashable, threading.Lock] = {}


def data_version(session: Session) -> int:
    """Changes whenever an incident is written (each write appends to the audit log)."""
    return facts(session).version


def cached(db: Database, session: Session, key: Hashable, compute: Callable[[], T], *,
           stale_seconds: float = 0.0) -> T:
    """``compute()`` once per data version (and at most every CACHE_SECONDS).

    ``stale_seconds`` lets a value from an older version be served while it
    is that young: facets are costly and a few seconds behind is harmless,
    whereas a list's total must match its rows. Concurrent requests for the
    same key wait for one computation instead of each running it.
    """
    # The team's second-review rule changes what a viewer's key selects: a value computed under the
    # other setting is never served, however young.
    full = (db.url, key, second_review(session))
    version = data_version(session)

    def fresh() -> T | None:
        hit = _cache.get(full)
        if hit is None:
            return None
        age = time.monotonic() - hit[1]
        if (hit[0] == version and age < CACHE_SECONDS) or age < stale_seconds:
            _cache.move_to_end(full)
            return hit[2]  # type: ignore[no-any-return]
        return None

    with _cache_lock:
        value = fresh()
        if value is not None:
            return value
        key_lock = _key_locks.setdefault(full, threading.Lock())
    with key_lock:
        with _cache_lock:
            value = fresh()  # another request may have computed it meanwhile
        if value is not None:
            return value
        started = time.monotonic()
        value = compute()
        with _cache_lock:
            _cache[full] = (version, started, value)
            _cache.move_to_end(full)
            while len(_cache) > CACHE_ENTRIES:
                old, _ = _cache.popitem(last=False)
                _key_locks.pop(old, None)
    return value



def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
