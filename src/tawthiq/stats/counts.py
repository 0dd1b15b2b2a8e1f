"""Incident and victim counts by perpetrator, violation, place, type, month and outcome.

Every number is one aggregate query in the database
(:mod:`tawthiq.store.statistics`), so a dashboard over a hundred thousand
incidents costs a few grouped scans, never a Python loop over rows; this
module turns those rows into figures. Which incidents count: the one filter
(:class:`~tawthiq.domain.filters.IncidentFilter`) and its statistics default,
reviewed incidents only.

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

from ..domain.enums import Confidentiality, VictimKind, VictimOutcome
from ..domain.filters import IncidentFilter
from ..store import statistics
from ..store.db import Database

__all__ = ["UNCERTAIN", "UNDATED", "Count", "KindTotal", "OutcomeTotal", "by_event_type", "by_governorate",
           "by_month", "by_outcome", "by_outcome_kind", "by_perpetrator", "by_violation", "format_range",
           "month_key", "totals"]

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


def _counts(rows: list[statistics.GroupRow]) -> list[Count]:
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

def totals(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> Count:
    """All counted incidents as one group (key "")."""
    rows = statistics.grouped_victims(db, by="total", visible=visible, filters=filters)
    return _counts(rows)[0] if rows else Count("", 0, 0, 0, 0, 0)


def by_perpetrator(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> list[Count]:
    """Per top-level actor (factions fold into their coalition); "" = no perpetrator named."""
    return _counts(statistics.grouped_victims(db, by="perpetrator", visible=visible, filters=filters))


def by_violation(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> list[Count]:
    """Per violation code; "" = no violation recorded."""
    return _counts(statistics.grouped_victims(db, by="violation", visible=visible, filters=filters))


def by_governorate(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> list[Count]:
    """Per ``loc_admin1`` as stored (see :mod:`.governorates` for P-codes); "" = not known."""
    return _counts(statistics.grouped_victims(db, by="governorate", visible=visible, filters=filters))


def by_event_type(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> list[Count]:
    return _counts(statistics.grouped_victims(db, by="event_type", visible=visible, filters=filters))


def month_key(number: int) -> str:
    """"YYYY-MM" of a month number (year * 12 + month - 1)."""
    year, month = divmod(number, 12)
    return f"{year:04d}-{month + 1:02d}"


def by_month(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> list[Count]:
    """Per "YYYY-MM" in date order, then UNCERTAIN and UNDATED (see the module notes)."""
    rows = statistics.grouped_victims(db, by="month", visible=visible, filters=filters)
    named = {statistics.SPANS_MONTHS: UNCERTAIN, statistics.UNDATED_MONTH: UNDATED}
    found = [Count(named.get(int(k)) or month_key(int(k)), n, a, b, d, e) for k, n, a, b, d, e in rows]
    order = {UNCERTAIN: 1, UNDATED: 2}
    return sorted(found, key=lambda x: (order.get(x.key, 0), x.key))


def by_outcome(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> list[OutcomeTotal]:
    """Victims per outcome (killed, injured, detained…), in the enum's order."""
    order = {o.value: i for i, o in enumerate(VictimOutcome)}
    found = [OutcomeTotal(*row) for row in statistics.outcome_totals(db, visible=visible, filters=filters)]
    return sorted(found, key=lambda t: (order.get(t.outcome, len(order)), t.outcome))


def by_outcome_kind(db: Database, *, visible: Visible, filters: IncidentFilter | None = None) -> list[KindTotal]:
    """Victims per outcome and victim kind, outcomes in the enum's order, then civilian, combatant, unknown."""
    outcomes = {o.value: i for i, o in enumerate(VictimOutcome)}
    kinds = {k.value: i for i, k in enumerate(VictimKind)}
    found = [KindTotal(*row) for row in statistics.outcome_kind_totals(db, visible=visible, filters=filters)]
    return sorted(found, key=lambda t: (outcomes.get(t.outcome, len(outcomes)), t.outcome,
                                        kinds.get(t.kind, len(kinds)), t.kind))
