"""The statistics' queries: grouped victim sums, outcome totals, month spans, map and timeline rows.

Every number is one aggregate query in the database, so a dashboard over a
hundred thousand incidents costs a few grouped scans, never a Python loop
over rows. Which incidents count is :func:`.conditions.incident_conditions`
with ``counting=True`` (the list's own WHERE terms, with the statistics'
status default; see :class:`~tawthiq.domain.filters.IncidentFilter`).
:mod:`tawthiq.stats` turns these rows into figures; the rules (ranges, open
maxima, month keys) are documented there.

A victim group's upper bound is *open* when it is unknown or when the group
counts families or groups rather than people.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Integer, and_, case, cast, extract, func, literal, or_, select, union
from sqlalchemy.orm import Session

from ..domain import vocab
from ..domain.enums import CountingUnit, InvolvementRole, LocationPrecision, VictimOutcome
from ..domain.filters import IncidentFilter
from .conditions import Visible, incident_conditions
from .db import Database
from .queries import outcome_range
from .tables import incident_violations, incidents, involvements, victim_groups

__all__ = ["DIMENSIONS", "SPANS_MONTHS", "UNDATED_MONTH", "GroupRow", "cluster_date_spans", "dated_rows", "grouped_victims",
           "month_number", "month_spans", "outcome_kind_totals", "outcome_totals", "placed_parts", "placed_rows"]

# Keys of the "month" dimension besides month numbers (year * 12 + month - 1).
SPANS_MONTHS = -1  # the date range lies across more than one month
UNDATED_MONTH = -2  # no usable date
DIMENSIONS = ("total", "perpetrator", "violation", "governorate", "event_type", "month")

# (key, incidents, killed min, killed max or None when open, injured min, injured max or None)
GroupRow = tuple[Any, int, int, int | None, int, int | None]

_DRAWN = [p.value for p in LocationPrecision if p is not LocationPrecision.COUNTRY]


def _where(session: Session, visible: Visible, filters: IncidentFilter | None) -> list[Any]:
    return incident_conditions(session, filters or IncidentFilter(), visible=visible, counting=True)


def _counted_ids(session: Session, visible: Visible, filters: IncidentFilter | None) -> Any:
    """SELECT of the counted incidents' ids, to use as a subquery."""
    return select(incidents.c.id).where(*_where(session, visible, filters))


def month_number(column: Any) -> Any:
    """SQL: year * 12 + month - 1 of a date column (both engines via EXTRACT)."""
    return cast(extract("year", column), Integer) * 12 + cast(extract("month", column), Integer) - 1


# ------------------------------------------------------------------ victims
#
# The unit counted is the cluster: incidents judged the same event (``cluster_id``, or the
# incident's own id when alone) count once. Within a cluster, each source's figure is a
# member's; the cluster's figure is the documented range across them: the lowest member
# minimum to the highest member maximum, open when any member's is open. Members that
# record no group of an outcome say nothing about it and are left out of its range (a
# report that does not mention the dead does not say "no one was killed").

def _cluster(c: Any) -> Any:
    return func.coalesce(c.cluster_id, c.id)


def _open(vg: Any) -> Any:
    """A group whose upper bound is unknown: no maximum, or not counted in people."""
    return or_(vg.count_max.is_(None), vg.unit != CountingUnit.INDIVIDUAL.value)


def _member_ranges(ids: Any, outcome: str) -> Any:
    """Per counted incident: its cluster, and for ``outcome`` (min sum, closed max sum, open groups, groups)."""
    c, vg = incidents.c, victim_groups.c
    hit = vg.outcome == outcome
    lo = func.coalesce(vg.count_min, 0)
    return (select(c.id.label("incident_id"), _cluster(c).label("cluster"),
                   func.sum(case((hit, lo), else_=0)).label("lo"),
                   func.sum(case((and_(hit, ~_open(vg)), vg.count_max), else_=0)).label("hi"),
                   func.sum(case((and_(hit, _open(vg)), 1), else_=0)).label("opened"),
                   func.sum(case((hit, 1), else_=0)).label("groups"))
            .select_from(incidents.outerjoin(victim_groups, vg.incident_id == c.id))
            .where(c.id.in_(ids)).group_by(c.id, _cluster(c)).subquery(f"m_{outcome}"))


def _cluster_ranges(ids: Any, outcome: str) -> Any:
    """Per cluster: the documented range of ``outcome`` across its counted members (see above)."""
    m = _member_ranges(ids, outcome)
    told = m.c.groups > 0
    return (select(m.c.cluster.label("cluster"),
                   func.coalesce(func.min(case((told, m.c.lo))), 0).label("lo"),
                   func.coalesce(func.max(case((told, m.c.hi))), 0).label("hi"),
                   func.sum(case((and_(told, m.c.opened > 0), 1), else_=0)).label("opened"))
            .group_by(m.c.cluster).subquery(f"c_{outcome}"))


# Dimensions where an incident has one key: a cluster whose members disagree falls under the
# greatest key (a named governorate or type before "", a month before "uncertain" and "undated");
# the corroboration view shows the disagreement itself.
_SINGLE = ("total", "governorate", "event_type", "month")


def _cluster_keys(session: Session, by: str, ids: Any) -> Any:
    """(cluster, key) for every counted cluster: once per key it falls under."""
    p = _pairs(session, by, ids)
    c = incidents.c
    keyed = (select(_cluster(c).label("cluster"), p.c.key.label("key"))
             .select_from(p.join(incidents, c.id == p.c.incident_id)).subquery("k"))
    if by in _SINGLE:
        return select(keyed.c.cluster, func.max(keyed.c.key).label("key")).group_by(keyed.c.cluster).subquery("ck")
    # Many keys (perpetrators, violations): "" only for a cluster none of whose members names one.
    named = select(keyed.c.cluster, keyed.c.key).where(keyed.c.key != "")
    unnamed = (select(keyed.c.cluster, keyed.c.key).where(keyed.c.key == "")
               .where(keyed.c.cluster.not_in(select(keyed.c.cluster).where(keyed.c.key != ""))))
    return union(named, unnamed).subquery("ck")


def _grouped(session: Session, by: str, ids: Any) -> list[GroupRow]:
    """One :data:`GroupRow` per key: clusters, and their killed and injured ranges summed."""
    keys = _cluster_keys(session, by, ids)
    killed = _cluster_ranges(ids, VictimOutcome.KILLED.value)
    injured = _cluster_ranges(ids, VictimOutcome.INJURED.value)
    stmt = (
        select(keys.c.key, func.count(func.distinct(keys.c.cluster)),
               func.sum(killed.c.lo), func.sum(killed.c.hi), func.sum(killed.c.opened),
               func.sum(injured.c.lo), func.sum(injured.c.hi), func.sum(injured.c.opened))
        .select_from(keys.join(killed, killed.c.cluster == keys.c.cluster)
                     .join(injured, injured.c.cluster == keys.c.cluster))
        .group_by(keys.c.key)
    )
    out: list[GroupRow] = []
    for key, n, kmin, kmax, kopen, imin, imax, iopen in session.execute(stmt):
        out.append((key, int(n), int(kmin or 0), None if kopen else int(kmax or 0),
                    int(imin or 0), None if iopen else int(imax or 0)))
    return out


def _pairs(session: Session, by: str, ids: Any) -> Any:
    """(incident_id, key) for every counted incident: once per key it falls under."""
    c = incidents.c
    if by == "perpetrator":  # factions fold into their coalition; "" = no perpetrator named
        inv = involvements.c
        tops = {code: vocab.top_actor(code) for code in vocab.actors() if vocab.top_actor(code) != code}
        key = case(tops, value=inv.actor, else_=inv.actor) if tops else inv.actor
        perpetrator = inv.role == InvolvementRole.PERPETRATOR.value
        named = select(inv.incident_id.label("incident_id"), key.label("key")).where(
            perpetrator, inv.incident_id.in_(ids))
        unnamed = select(c.id.label("incident_id"), literal("").label("key")).where(
            c.id.in_(ids), c.id.not_in(select(inv.incident_id).where(perpetrator)))
        return union(named, unnamed).subquery("p")  # UNION: one row per incident and coalition
    if by == "violation":  # "" = no violation recorded
        iv = incident_violations.c
        coded = select(iv.incident_id.label("incident_id"), iv.code.label("key")).where(iv.incident_id.in_(ids))
        uncoded = select(c.id.label("incident_id"), literal("").label("key")).where(
            c.id.in_(ids), c.id.not_in(select(iv.incident_id)))
        return union(coded, uncoded).subquery("p")
    if by == "month":  # the month when the whole date range lies in it, else SPANS_MONTHS or UNDATED_MONTH
        start, end = month_number(c.date_start), month_number(c.date_end)
        column = case((or_(c.date_start.is_(None), c.date_end.is_(None)), UNDATED_MONTH), (start == end, start),
                      else_=SPANS_MONTHS)
    else:
        column = {"total": literal(""), "governorate": c.loc_admin1, "event_type": c.event_type}[by]
    return select(c.id.label("incident_id"), column.label("key")).where(c.id.in_(ids)).subquery("p")


def grouped_victims(db: Database, *, by: str, visible: Visible,
                    filters: IncidentFilter | None = None) -> list[GroupRow]:
    """Counted events (clusters) and their killed and injured, per key of one of :data:`DIMENSIONS`.

    A cluster with two perpetrators (or violations) falls under each; one
    with none under ``""``. "total" has the single key ``""``; "month" keys
    are month numbers, :data:`SPANS_MONTHS` or :data:`UNDATED_MONTH`.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; choose one of {', '.join(DIMENSIONS)}")
    with db.session() as session:
        return _grouped(session, by, _counted_ids(session, visible, filters))


def _outcome_rows(session: Session, ids: Any, *, with_kind: bool) -> list[Any]:
    """(outcome[, kind], clusters, min, closed max, open clusters) over the counted clusters."""
    c, vg = incidents.c, victim_groups.c
    parts = [vg.outcome, vg.kind] if with_kind else [vg.outcome]
    lo = func.coalesce(vg.count_min, 0)
    member = (select(_cluster(c).label("cluster"), *parts,
                     func.sum(lo).label("lo"), func.sum(case((_open(vg), 0), else_=vg.count_max)).label("hi"),
                     func.sum(case((_open(vg), 1), else_=0)).label("opened"))
              .select_from(victim_groups.join(incidents, c.id == vg.incident_id))
              .where(c.id.in_(ids)).group_by(c.id, _cluster(c), *parts).subquery("mo"))
    names = [member.c.outcome, member.c.kind] if with_kind else [member.c.outcome]
    per_cluster = (select(member.c.cluster, *names, func.min(member.c.lo).label("lo"),
                          func.max(member.c.hi).label("hi"), func.max(member.c.opened).label("opened"))
                   .group_by(member.c.cluster, *names).subquery("co"))
    keys = [per_cluster.c.outcome, per_cluster.c.kind] if with_kind else [per_cluster.c.outcome]
    return session.execute(
        select(*keys, func.count(), func.sum(per_cluster.c.lo), func.sum(per_cluster.c.hi),
               func.sum(case((per_cluster.c.opened > 0, 1), else_=0)))
        .group_by(*keys)).all()


def outcome_totals(db: Database, *, visible: Visible,
                   filters: IncidentFilter | None = None) -> list[tuple[str, int, int, int | None]]:
    """(outcome, events, victims min, max or None when open) per victim outcome, unordered."""
    with db.session() as session:
        rows = _outcome_rows(session, _counted_ids(session, visible, filters), with_kind=False)
    return [(str(o), int(n), int(lo or 0), None if n_open else int(hi or 0)) for o, n, lo, hi, n_open in rows]


def outcome_kind_totals(db: Database, *, visible: Visible, filters: IncidentFilter | None = None
                        ) -> list[tuple[str, str, int, int, int | None]]:
    """(outcome, victim kind, events, victims min, max or None when open), unordered."""
    with db.session() as session:
        rows = _outcome_rows(session, _counted_ids(session, visible, filters), with_kind=True)
    return [(str(o), str(k), int(n), int(lo or 0), None if n_open else int(hi or 0))
            for o, k, n, lo, hi, n_open in rows]


# ------------------------------------------------------------------- months

def _representatives(session: Session, where: list[Any], *, extra: Any = None, order: list[Any] | None = None) -> Any:
    """One counted incident per cluster (the first by ``order``, then the lowest id), as a subquery of ids.

    The map, the timeline and the month spans draw an event once, through
    the member that says most about it: the narrowest date, a drawable place.
    """
    c = incidents.c
    ranked = (select(c.id.label("id"), func.row_number().over(
        partition_by=_cluster(c), order_by=[*(order or []), c.id]).label("rank"))
        .where(*where, *([extra] if extra is not None else [])).subquery("ranked"))
    return select(ranked.c.id).where(ranked.c.rank == 1)


def _narrowest(c: Any) -> list[Any]:
    dated = or_(c.date_start.is_(None), c.date_end.is_(None))
    return [case((dated, 1), else_=0), month_number(c.date_end) - month_number(c.date_start), c.date_start.desc()]


def month_spans(db: Database, *, visible: Visible,
                filters: IncidentFilter | None = None) -> tuple[int, list[tuple[int, int, bool, int]]]:
    """(undated events, [(first month, last month, exact day?, events)]) of the counted clusters.

    A cluster counts once, through its member with the narrowest date. One
    row per distinct triple, so whoever spreads ranges over months loops
    over a few thousand groups at most, however many incidents there are.
    """
    c = incidents.c
    first, last = month_number(c.date_start), month_number(c.date_end)
    exact = c.date_start == c.date_end
    with db.session() as session:
        chosen = c.id.in_(_representatives(session, _where(session, visible, filters), order=_narrowest(c)))
        undated = session.scalar(select(func.count()).select_from(incidents).where(
            chosen, (c.date_start.is_(None)) | (c.date_end.is_(None)))) or 0
        rows = session.execute(
            select(first.label("first"), last.label("last"), exact.label("exact"), func.count())
            .where(chosen, c.date_start.is_not(None), c.date_end.is_not(None))
            .group_by(first, last, exact)
        ).all()
    return int(undated), [(int(lo), int(hi), bool(is_day), int(n)) for lo, hi, is_day, n in rows]


# ------------------------------------------------------- map and timeline

def _clusters(session: Session, where: list[Any], extra: Any = None) -> int:
    c = incidents.c
    stmt = select(func.count(func.distinct(_cluster(c)))).where(*where, *([extra] if extra is not None else []))
    return int(session.scalar(stmt) or 0)


def placed_rows(db: Database, *, visible: Visible, filters: IncidentFilter | None,
                limit: int) -> tuple[list[Any], int]:
    """The newest ``limit`` counted events with a drawable place, one row per cluster (light rows: no
    parts, no claims), and how many counted events have none."""
    c = incidents.c
    drawable = c.loc_lat.is_not(None) & c.loc_lon.is_not(None) & c.loc_precision.in_(_DRAWN)
    with db.session() as session:
        where = _where(session, visible, filters)
        chosen = _representatives(session, where, extra=drawable, order=_narrowest(c))
        rows = session.execute(
            select(c.id, c.event_type, c.status, c.date_edtf, c.date_text, c.loc_name, c.loc_name_ar,
                   c.loc_text, c.loc_place_id, c.loc_admin1, c.loc_lat, c.loc_lon, c.loc_precision)
            .where(c.id.in_(chosen))
            .order_by(c.date_start.desc().nulls_last(), c.id.desc())
            .limit(limit)
        ).all()
        unmapped = _clusters(session, where) - _clusters(session, where, drawable)
    return list(rows), int(unmapped)


def placed_parts(db: Database, ids: list[int]) -> dict[int, tuple[list[str], list[tuple[str, int, int | None]]]]:
    """Per incident id: (perpetrator codes in order, victims per outcome as (outcome, lowest, highest or None
    when open)) for the map's popups. The caller passes only ids it may show; outcomes are never added."""
    out: dict[int, tuple[list[str], list[tuple[str, int, int | None]]]] = {i: ([], []) for i in ids}
    groups: dict[int, list[tuple[str, int | None, int | None]]] = {}
    inv, vg = involvements.c, victim_groups.c
    with db.session() as session:
        for start in range(0, len(ids), _CHUNK):  # bounded IN lists (SQLite's variable limit)
            chunk = ids[start:start + _CHUNK]
            for inc_id, actor in session.execute(
                select(inv.incident_id, inv.actor)
                .where(inv.incident_id.in_(chunk), inv.role == InvolvementRole.PERPETRATOR.value)
                .order_by(inv.incident_id, inv.position)
            ):
                if actor not in out[inc_id][0]:
                    out[inc_id][0].append(actor)
            for inc_id, outcome, unit, lo, hi in session.execute(
                select(vg.incident_id, vg.outcome, vg.unit, vg.count_min, vg.count_max).where(vg.incident_id.in_(chunk))
            ):
                # Families or groups: their lower bound of people, no upper bound (as the statistics count them).
                groups.setdefault(inc_id, []).append((outcome, lo, hi if unit == CountingUnit.INDIVIDUAL.value else None))
    order = {o.value: i for i, o in enumerate(VictimOutcome)}
    for inc_id, rows in groups.items():
        for outcome in sorted({r[0] for r in rows}, key=lambda o: (order.get(o, len(order)), o)):
            lo, hi = outcome_range([r for r in rows if r[0] == outcome])
            out[inc_id][1].append((outcome, lo, hi))
    return out


_CHUNK = 5000


def dated_rows(db: Database, *, visible: Visible, filters: IncidentFilter | None,
               limit: int) -> tuple[list[Any], int]:
    """The newest ``limit`` dated counted events (newest first, one row per cluster, through its member with
    the narrowest date), and how many counted events are dated."""
    c = incidents.c
    dated = c.date_start.is_not(None) & c.date_end.is_not(None)
    with db.session() as session:
        where = _where(session, visible, filters)
        chosen = _representatives(session, where, extra=dated, order=_narrowest(c))
        rows = session.execute(
            select(c.id, c.event_type, c.status, c.date_edtf, c.date_text, c.date_precision, c.date_start,
                   c.date_end, c.loc_name, c.loc_name_ar, c.loc_text, c.loc_place_id, c.cluster_id)
            .where(c.id.in_(chosen))
            .order_by(c.date_start.desc(), c.id.desc())
            .limit(limit)
        ).all()
        total = _clusters(session, where, dated)
    return list(rows), total


def cluster_date_spans(db: Database, *, visible: Visible,
                       filters: IncidentFilter | None) -> dict[int, tuple[date, date]]:
    """Per cluster of more than one dated counted incident: (the earliest start, the latest end) of its members.

    A cluster is drawn through one member (:func:`dated_rows`); under a narrower date range another member
    may stand for it instead. The timeline's script redraws a narrower range from the drawn members alone,
    and asks the server instead wherever this span says another member might fall in the range.
    """
    c = incidents.c
    with db.session() as session:
        where = _where(session, visible, filters)
        rows = session.execute(
            select(c.cluster_id, func.min(c.date_start), func.max(c.date_end))
            .where(*where, c.cluster_id.is_not(None), c.date_start.is_not(None), c.date_end.is_not(None))
            .group_by(c.cluster_id)
            .having(func.count() > 1)
        ).all()
    return {int(key): (lo, hi) for key, lo, hi in rows}


# ------------------------------------------------------------- named persons

def named_persons(db: Database) -> tuple[int, int, int]:
    """(distinct persons, person records, lists) of the person records: a person is a cluster, counted once
    however many lists and reports name them."""
    from .tables import person_records

    p = person_records.c
    with db.session() as session:
        row = session.execute(select(func.count(func.distinct(func.coalesce(p.cluster_id, p.id))), func.count(),
                                     func.count(func.distinct(p.list_name)))).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
