"""Incidents per month with the uncertainty of their dates kept apart.

Three series, never added into one bar, because they mean different things:

* ``day``: dated to the day, in that month;
* ``month``: known month, unknown day;
* ``range``: the date is a range across months (a year, a season, an
  interval); the incident is counted in *every* month it may have happened
  in, so this series says "could have been this month" and its sum exceeds
  the number of incidents. Ranges longer than ``MAX_SPREAD_MONTHS`` (a bare
  year is 12; open-ended intervals are unbounded) would flatten the chart and
  are only counted in ``Histogram.too_wide``.

The database (:func:`tawthiq.store.statistics.month_spans`) returns one row per distinct (first month, last month, exact
day) triple, so the spreading loop runs over a few thousand groups at most,
however many incidents there are.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.enums import Confidentiality
from ..domain.filters import IncidentFilter
from ..store.db import Database
from ..store.statistics import month_spans
from .counts import month_key

__all__ = ["MAX_BARS", "MAX_SPREAD_MONTHS", "Histogram", "MonthBar", "month_histogram"]

MAX_SPREAD_MONTHS = 24
MAX_BARS = 600  # fifty years: a mistyped year ("0215") must not make a chart of 20,000 months


@dataclass(frozen=True, slots=True)
class MonthBar:
    month: str  # "YYYY-MM"
    day: int
    month_only: int
    range: int


@dataclass(slots=True)
class Histogram:
    bars: list[MonthBar] = field(default_factory=list)  # every month from the first to the last, gaps as zeros
    undated: int = 0
    too_wide: int = 0  # ranges wider than MAX_SPREAD_MONTHS, not spread
    earlier: int = 0  # counts in months before the last MAX_BARS months (bars left out)


def month_histogram(db: Database, *, visible: Sequence[Confidentiality | str],
                    filters: IncidentFilter | None = None) -> Histogram:
    undated, rows = month_spans(db, visible=visible, filters=filters)
    day: dict[int, int] = {}
    month: dict[int, int] = {}
    spread: dict[int, int] = {}
    too_wide = 0
    for lo, hi, is_day, n in rows:
        if lo == hi:
            target = day if is_day else month
            target[lo] = target.get(lo, 0) + n
        elif hi - lo + 1 > MAX_SPREAD_MONTHS:
            too_wide += n
        else:
            for m in range(lo, hi + 1):
                spread[m] = spread.get(m, 0) + n
    used = day.keys() | month.keys() | spread.keys()
    if not used:
        return Histogram(undated=int(undated), too_wide=too_wide)
    end = max(used)
    start = max(min(used), end - MAX_BARS + 1)
    earlier = sum(n for series in (day, month, spread) for m, n in series.items() if m < start)
    bars = [MonthBar(month_key(m), day.get(m, 0), month.get(m, 0), spread.get(m, 0)) for m in range(start, end + 1)]
    return Histogram(bars=bars, undated=int(undated), too_wide=too_wide, earlier=earlier)
