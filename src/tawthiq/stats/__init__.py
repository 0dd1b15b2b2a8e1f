"""Statistics over the record: counts of incidents and victim ranges, per
perpetrator, violation, governorate, type, month and outcome.

Figures computed from the rows :mod:`tawthiq.store.statistics` queries
(all SQL lives in the store), under the one incident filter
(:class:`~tawthiq.domain.filters.IncidentFilter`) and the user's visible
confidentialities; the web dashboard, the API and any report read the same
numbers.
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
from .histogram import Histogram, MonthBar, month_histogram

__all__ = [
    "UNCERTAIN", "UNDATED", "Count", "Histogram", "KindTotal", "MonthBar", "OutcomeTotal", "by_event_type",
    "by_governorate", "by_month", "by_outcome", "by_outcome_kind", "by_perpetrator", "by_violation", "format_range",
    "month_histogram", "totals",
]
