"""Incident and victim counts by perpetrator, violation, place, type, month and outcome.

Every number is one aggregate query in the database, so a dashboard over a
hundred thousand incidents costs a few grouped scans, never a Python loop
over rows.

Victims are counted per outcome and never added across outcomes (six
killed and fourteen injured are not "twenty victims"); the headline also
keeps victim kinds apart (:func:`by_outcome_kind`), so combatants never
swell a civilian figure unseen. They are ranges, as reports give them
("between 10 and 15", "dozens"):

* the minimum is the sum of the groups' lower bounds (an unknown lower bound
  counts as 0);
* the maximum is the sum of the upper bounds, unless any counted group has no
  upper bound, or counts families or groups rather than people: then the
  maximum is open (``None``, shown as "≥ minimum"). A family counts for its
  lower bound of people (at least one each), never for an invented size.
  A minimum of 0 with an open maximum is "an unknown number", never "≥ 0".

An incident with two perpetrators (or two violations) counts once under each;
two factions of one coalition count once under the coalition (``vocab.top_actor``).
Incidents without any perpetrator, violation or governorate are counted under
the key ``""`` (unattributed/unknown), so the groups add up to the total.

Months: an incident counts under the month of its date when its whole date
range lies in that month (a day, or a month-precision date). A range across
months (a year, a season, "early 2015", an interval) is counted under
``"uncertain"`` rather than placed in its first month, and an incident without
a usable date under ``"undated"``. :func:`month_histogram` spreads the
uncertain ranges instead, as a separate series.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, and_, case, cast, extract, func, literal, or_, select, union
from sqlalchemy.orm import Session

from ..domain import vocab
from ..domain.enums import Confidentiality, CountingUnit, InvolvementRole, VictimKind, VictimOutcome
from ..store.db import Database
from ..store.tables import incident_violations, incidents, involvements, victim_groups
from .filters import StatsFilter, matching_ids

__all__ = ["UNCERTAIN", "UNDATED", "Count", "KindTotal", "OutcomeTotal", "by_event_type", "by_governorate",
           "by_month", "by_outcome", "by_outcome_kind", "by_perpetrator", "by_violation", "format_range", "totals"]

UNCERTAIN = "uncertain"  # month key: the date range spans more than one month
UNDATED = "undated"  # month key: no usable date

Visible = Sequence[Confidentiality | str]


@dataclass(frozen=True, slots=True)
class Count:
    """Incidents and victims under one key (an actor code, a month "2015-03", …)."""

    key: str
    incidents: int
    killed_min: int
    killed_max: int | None  # None: open, "at least killed_min"
    injured_min: int
    injured_max: int | None


@dataclass(frozen=True, slots=True)
class OutcomeTotal:
    outcome: str  # VictimOutcome value
    incidents: int
    victims_min: int
    victims_max: int | None


@dataclass(frozen=True, slots=True)
class KindTotal:
    """Victims of one outcome and one kind (civilian, combatant, unknown status)."""

    outcome: str  # VictimOutcome value
    kind: str  # VictimKind value
    incidents: int
    victims_min: int
    victims_max: int | None


def format_range(lo: int, hi: int | None, *, unknown: str = "?") -> str:
    """"12", "12–15", "≥ 12" (an open maximum), or ``unknown`` for "0 or more"."""
    if hi is None:
        return f"≥ {lo}" if lo else unknown
    return str(lo) if hi == lo else f"{lo}–{hi}"


# ------------------------------------------------------------------ victims

def _open(vg: Any) -> Any:
    """A group whose upper bound is unknown: no maximum, or not counted in people."""
    return or_(vg.count_max.is_(None), vg.unit != CountingUnit.INDIVIDUAL.value)


def _grouped(session: Session, pairs: Any) -> list[tuple[Any, int, int, int | None, int, int | None]]:
    """(key, incidents, killed min, max, injured min, max) per key of ``pairs`` (incident_id, key).

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
    out = []
    for key, n, kmin, kmax, kopen, imin, imax, iopen in session.execute(stmt):
        out.append((key, int(n), int(kmin or 0), None if kopen else int(kmax or 0),
                    int(imin or 0), None if iopen else int(imax or 0)))
    return out


def _counts(rows: list[tuple[Any, int, int, int | None, int, int | None]]) -> list[Count]:
    found = [Count(str(k if k is not None else ""), n, kmin, kmax, imin, imax)
             for k, n, kmin, kmax, imin, imax in rows]
    merged: dict[str, Count] = {}
    for c in found:  # keys that differ only before str() (None vs "") fold together
        old = merged.get(c.key)
        merged[c.key] = c if old is None else _add(old, c)
    return sorted(merged.values(), key=lambda c: (-c.incidents, c.key == "", c.key))


def _add(a: Count, b: Count) -> Count:
    def plus(x: int | None, y: int | None) -> int | None:
        return None if x is None or y is None else x + y

    return Count(a.key, a.incidents + b.incidents, a.killed_min + b.killed_min, plus(a.killed_max, b.killed_max),
                 a.injured_min + b.injured_min, plus(a.injured_max, b.injured_max))


# --------------------------------------------------------------- dimensions

def totals(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> Count:
    """All counted incidents as one group (key "")."""
    with db.session() as session:
        ids = matching_ids(session, visible=visible, filters=filters)
        pairs = select(incidents.c.id.label("incident_id"), literal("").label("key")).where(
            incidents.c.id.in_(ids)).subquery("p")
        rows = _grouped(session, pairs)
    return _counts(rows)[0] if rows else Count("", 0, 0, 0, 0, 0)


def by_perpetrator(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> list[Count]:
    """Per top-level actor (factions fold into their coalition); "" = no perpetrator named."""
    inv = involvements.c
    tops = {code: vocab.top_actor(code) for code in vocab.actors() if vocab.top_actor(code) != code}
    key = case(tops, value=inv.actor, else_=inv.actor) if tops else inv.actor
    perpetrator = inv.role == InvolvementRole.PERPETRATOR.value
    with db.session() as session:
        ids = matching_ids(session, visible=visible, filters=filters)
        named = select(inv.incident_id.label("incident_id"), key.label("key")).where(
            perpetrator, inv.incident_id.in_(ids))
        unnamed = select(incidents.c.id.label("incident_id"), literal("").label("key")).where(
            incidents.c.id.in_(ids), incidents.c.id.not_in(select(inv.incident_id).where(perpetrator)))
        pairs = union(named, unnamed).subquery("p")  # UNION: one row per incident and coalition
        return _counts(_grouped(session, pairs))


def by_violation(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> list[Count]:
    """Per violation code; "" = no violation recorded."""
    iv = incident_violations.c
    with db.session() as session:
        ids = matching_ids(session, visible=visible, filters=filters)
        coded = select(iv.incident_id.label("incident_id"), iv.code.label("key")).where(iv.incident_id.in_(ids))
        uncoded = select(incidents.c.id.label("incident_id"), literal("").label("key")).where(
            incidents.c.id.in_(ids), incidents.c.id.not_in(select(iv.incident_id)))
        pairs = union(coded, uncoded).subquery("p")
        return _counts(_grouped(session, pairs))


def _by_column(db: Database, column: Any, *, visible: Visible, filters: StatsFilter | None) -> list[Count]:
    with db.session() as session:
        ids = matching_ids(session, visible=visible, filters=filters)
        pairs = select(incidents.c.id.label("incident_id"), column.label("key")).where(
            incidents.c.id.in_(ids)).subquery("p")
        return _counts(_grouped(session, pairs))


def by_governorate(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> list[Count]:
    """Per ``loc_admin1`` as stored (see :mod:`.governorates` for P-codes); "" = not known."""
    return _by_column(db, incidents.c.loc_admin1, visible=visible, filters=filters)


def by_event_type(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> list[Count]:
    return _by_column(db, incidents.c.event_type, visible=visible, filters=filters)


def month_number(column: Any) -> Any:
    """SQL: year * 12 + month - 1 of a date column (both engines via EXTRACT)."""
    return cast(extract("year", column), Integer) * 12 + cast(extract("month", column), Integer) - 1


def month_key(number: int) -> str:
    year, month = divmod(number, 12)
    return f"{year:04d}-{month + 1:02d}"


def by_month(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> list[Count]:
    """Per "YYYY-MM" in date order, then UNCERTAIN and UNDATED (see the module notes)."""
    c = incidents.c
    start, end = month_number(c.date_start), month_number(c.date_end)
    key = case((or_(c.date_start.is_(None), c.date_end.is_(None)), -2), (start == end, start), else_=-1)
    with db.session() as session:
        ids = matching_ids(session, visible=visible, filters=filters)
        pairs = select(c.id.label("incident_id"), key.label("key")).where(c.id.in_(ids)).subquery("p")
        rows = _grouped(session, pairs)
    named = {-1: UNCERTAIN, -2: UNDATED}
    found = [Count(named.get(int(k)) or month_key(int(k)), n, a, b, d, e) for k, n, a, b, d, e in rows]
    order = {UNCERTAIN: 1, UNDATED: 2}
    return sorted(found, key=lambda x: (order.get(x.key, 0), x.key))


def by_outcome(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> list[OutcomeTotal]:
    """Victims per outcome (killed, injured, detained…), in the enum's order."""
    vg = victim_groups.c
    with db.session() as session:
        ids = matching_ids(session, visible=visible, filters=filters)
        stmt = (
            select(vg.outcome, func.count(func.distinct(vg.incident_id)), func.sum(func.coalesce(vg.count_min, 0)),
                   func.sum(case((_open(vg), 0), else_=vg.count_max)), func.sum(case((_open(vg), 1), else_=0)))
            .where(vg.incident_id.in_(ids))
            .group_by(vg.outcome)
        )
        rows = session.execute(stmt).all()
    order = {o.value: i for i, o in enumerate(VictimOutcome)}
    found = [OutcomeTotal(str(o), int(n), int(lo or 0), None if n_open else int(hi or 0))
             for o, n, lo, hi, n_open in rows]
    return sorted(found, key=lambda t: (order.get(t.outcome, len(order)), t.outcome))


def by_outcome_kind(db: Database, *, visible: Visible, filters: StatsFilter | None = None) -> list[KindTotal]:
    """Victims per outcome and victim kind, outcomes in the enum's order, then civilian, combatant, unknown."""
    vg = victim_groups.c
    with db.session() as session:
        ids = matching_ids(session, visible=visible, filters=filters)
        stmt = (
            select(vg.outcome, vg.kind, func.count(func.distinct(vg.incident_id)),
                   func.sum(func.coalesce(vg.count_min, 0)), func.sum(case((_open(vg), 0), else_=vg.count_max)),
                   func.sum(case((_open(vg), 1), else_=0)))
            .where(vg.incident_id.in_(ids))
            .group_by(vg.outcome, vg.kind)
        )
        rows = session.execute(stmt).all()
    outcomes = {o.value: i for i, o in enumerate(VictimOutcome)}
    kinds = {k.value: i for i, k in enumerate(VictimKind)}
    found = [KindTotal(str(o), str(k), int(n), int(lo or 0), None if n_open else int(hi or 0))
             for o, k, n, lo, hi, n_open in rows]
    return sorted(found, key=lambda t: (outcomes.get(t.outcome, len(outcomes)), t.outcome,
                                        kinds.get(t.kind, len(kinds)), t.kind))
