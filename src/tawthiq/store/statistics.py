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

from typing import Any

from sqlalchemy import Integer, and_, case, cast, extract, func, literal, or_, select, union
from sqlalchemy.orm import Session

from ..domain import vocab
from ..domain.enums import CountingUnit, InvolvementRole, LocationPrecision, VictimOutcome
from ..domain.filters import IncidentFilter
from .conditions import Visible, incident_conditions
from .db import Database
from .tables import incident_violations, incidents, involvements, victim_groups

__all__ = ["DIMENSIONS", "SPANS_MONTHS", "UNDATED_MONTH", "GroupRow", "dated_rows", "grouped_victims",
           "month_number", "month_spans", "outcome_kind_totals", "outcome_totals", "placed_rows"]

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

def _open(vg: Any) -> Any:
    """A group whose upper bound is unknown: no maximum, or not counted in people."""
    return or_(vg.count_max.is_(None), vg.unit != CountingUnit.INDIVIDUAL.value)


def _grouped(session: Session, pairs: Any) -> list[GroupRow]:
    """One :data:`GroupRow` per key of ``pairs`` (incident_id, key).

    ``pairs`` holds each (incident, key) once, so summing the victim groups
    joined to it counts every group once per key: no per-incident subquery.
    """
    vg = victim_groups.c
    lo = func.coalesce(vg.count_min, 0)
    is_open = _open(vg)
    killed = vg.outcome == VictimOutcome.KILLED.value
    injured = vg.outcome == VictimOutcome.INJURED.value
    stmt = (
        select(
            pairs.c.key,
            func.count(func.distinct(pairs.c.incident_id)),
            func.sum(case((killed, lo), else_=0)),
            func.sum(case((and_(killed, ~is_open), vg.count_max), else_=0)),
            func.sum(case((and_(killed, is_open), 1), else_=0)),
            func.sum(case((injured, lo), else_=0)),
            func.sum(case((and_(injured, ~is_open), vg.count_max), else_=0)),
            func.sum(case((and_(injured, is_open), 1), else_=0)),
        )
        .select_from(pairs.outerjoin(victim_groups, vg.incident_id == pairs.c.incident_id))
        .group_by(pairs.c.key)
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
    """Counted incidents and their killed and injured, per key of one of :data:`DIMENSIONS`.

    An incident with two perpetrators (or violations) falls under each; one
    with none under ``""``. "total" has the single key ``""``; "month" keys
    are month numbers, :data:`SPANS_MONTHS` or :data:`UNDATED_MONTH`.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; choose one of {', '.join(DIMENSIONS)}")
    with db.session() as session:
        return _grouped(session, _pairs(session, by, _counted_ids(session, visible, filters)))


def outcome_totals(db: Database, *, visible: Visible,
                   filters: IncidentFilter | None = None) -> list[tuple[str, int, int, int | None]]:
    """(outcome, incidents, victims min, max or None when open) per victim outcome, unordered."""
    vg = victim_groups.c
    with db.session() as session:
        stmt = (
            select(vg.outcome, func.count(func.distinct(vg.incident_id)), func.sum(func.coalesce(vg.count_min, 0)),
                   func.sum(case((_open(vg), 0), else_=vg.count_max)), func.sum(case((_open(vg), 1), else_=0)))
            .where(vg.incident_id.in_(_counted_ids(session, visible, filters)))
            .group_by(vg.outcome)
        )
        rows = session.execute(stmt).all()
    return [(str(o), int(n), int(lo or 0), None if n_open else int(hi or 0)) for o, n, lo, hi, n_open in rows]


def outcome_kind_totals(db: Database, *, visible: Visible, filters: IncidentFilter | None = None
                        ) -> list[tuple[str, str, int, int, int | None]]:
    """(outcome, victim kind, incidents, victims min, max or None when open), unordered."""
    vg = victim_groups.c
    with db.session() as session:
        stmt = (
            select(vg.outcome, vg.kind, func.count(func.distinct(vg.incident_id)),
                   func.sum(func.coalesce(vg.count_min, 0)), func.sum(case((_open(vg), 0), else_=vg.count_max)),
                   func.sum(case((_open(vg), 1), else_=0)))
            .where(vg.incident_id.in_(_counted_ids(session, visible, filters)))
            .group_by(vg.outcome, vg.kind)
        )
        rows = session.execute(stmt).all()
    return [(str(o), str(k), int(n), int(lo or 0), None if n_open else int(hi or 0))
            for o, k, n, lo, hi, n_open in rows]


# ------------------------------------------------------------------- months

def month_spans(db: Database, *, visible: Visible,
                filters: IncidentFilter | None = None) -> tuple[int, list[tuple[int, int, bool, int]]]:
    """(undated incidents, [(first month, last month, exact day?, incidents)]) of the counted ones.

    One row per distinct triple, so whoever spreads ranges over months loops
    over a few thousand groups at most, however many incidents there are.
    """
    c = incidents.c
    first, last = month_number(c.date_start), month_number(c.date_end)
    exact = c.date_start == c.date_end
    with db.session() as session:
        where = _where(session, visible, filters)
        undated = session.scalar(select(func.count()).select_from(incidents).where(
            *where, (c.date_start.is_(None)) | (c.date_end.is_(None)))) or 0
        rows = session.execute(
            select(first.label("first"), last.label("last"), exact.label("exact"), func.count())
            .where(*where, c.date_start.is_not(None), c.date_end.is_not(None))
            .group_by(first, last, exact)
        ).all()
    return int(undated), [(int(lo), int(hi), bool(is_day), int(n)) for lo, hi, is_day, n in rows]


# ------------------------------------------------------- map and timeline

def placed_rows(db: Database, *, visible: Visible, filters: IncidentFilter | None,
                limit: int) -> tuple[list[Any], int]:
    """The newest ``limit`` counted incidents with a drawable place (light rows: no parts, no
    claims), and how many counted ones have none."""
    c = incidents.c
    drawable = c.loc_lat.is_not(None) & c.loc_lon.is_not(None) & c.loc_precision.in_(_DRAWN)
    with db.session() as session:
        where = _where(session, visible, filters)
        rows = session.execute(
            select(c.id, c.event_type, c.status, c.date_edtf, c.date_text, c.loc_name, c.loc_name_ar,
                   c.loc_admin1, c.loc_lat, c.loc_lon, c.loc_precision)
            .where(*where, drawable)
            .order_by(c.date_start.desc().nulls_last(), c.id.desc())
            .limit(limit)
        ).all()
        unmapped = session.scalar(select(func.count()).select_from(incidents).where(*where, ~drawable)) or 0
    return list(rows), int(unmapped)


def dated_rows(db: Database, *, visible: Visible, filters: IncidentFilter | None,
               limit: int) -> tuple[list[Any], int]:
    """The newest ``limit`` dated counted incidents (newest first), and how many counted ones are dated."""
    c = incidents.c
    dated = c.date_start.is_not(None) & c.date_end.is_not(None)
    with db.session() as session:
        where = _where(session, visible, filters)
        rows = session.execute(
            select(c.id, c.event_type, c.status, c.date_edtf, c.date_text, c.date_precision, c.date_start,
                   c.date_end, c.loc_name, c.loc_name_ar)
            .where(*where, dated)
            .order_by(c.date_start.desc(), c.id.desc())
            .limit(limit)
        ).all()
        total = int(session.scalar(select(func.count()).select_from(incidents).where(*where, dated)) or 0)
    return list(rows), total
