"""Statistics over the record: counts of incidents and victim ranges, per
perpetrator, violation, governorate, type, month and outcome.

Pure functions of the database and the user's visible confidentialities;
the web dashboard, the API and any report read the same numbers.
"""
from __future__ import annotations

from .counts import (
    UNCERTAIN,
    UNDATED,
    Count,
    KindTotal,
    OutcomeTotal,
    by_event_type,
    by_governorate,
    by_month,
    by_outcome,
    by_outcome_kind,
    by_perpetrator,
    by_violation,
    format_range,
    totals,
)
from .filters import REVIEWED, StatsFilter
from .histogram import Histogram, MonthBar, month_histogram

__all__ = [
    "REVIEWED", "UNCERTAIN", "UNDATED", "Count", "Histogram", "KindTotal", "MonthBar", "OutcomeTotal",
    "StatsFilter", "by_event_type", "by_governorate", "by_month", "by_outcome", "by_outcome_kind", "by_perpetrator", "by_violation", "format_range",
    "month_histogram", "totals",
]
