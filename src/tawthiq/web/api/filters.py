"""The incident filter as documented query parameters, shared by the list and the export.

Only the HTTP layer: FastAPI needs the parameters declared one by one to
document them; :meth:`FilterParams.to_filter` gives the one domain filter
(:class:`~tawthiq.domain.filters.IncidentFilter`), parsed as the web pages parse theirs.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Annotated

from fastapi import Query

from ...domain.filters import IncidentFilter
from ...services.reading import parse_filter


@dataclass(slots=True)
class FilterParams:
    """Declared one by one so the OpenAPI document lists them."""

    event_type: Annotated[str | None, Query(max_length=100, description="event type code, e.g. "
                                                                       "air-drone-strike")] = None
    violation: Annotated[str | None, Query(max_length=100, description="violation code, e.g. killing")] = None
    perpetrator: Annotated[str | None, Query(max_length=100, description="actor code; its factions match "
                                                                        "too")] = None
    victim_kind: Annotated[str | None, Query(max_length=20, description="civilian, combatant or unknown")] = None
    governorate: Annotated[str | None, Query(max_length=100, description="governorate (admin1) as stored, "
                                                                        "e.g. Aleppo")] = None
    place: Annotated[str | None, Query(max_length=200, description="a place's whole name (Arabic or English), "
                                                                  "an admin name or a gazetteer id")] = None
    date_from: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD; incidents that may have "
                                                                     "happened on or after it")] = None
    date_to: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None
    status: Annotated[str | None, Query(max_length=20, description="suggested, confirmed, verified, "
                                                                  "rejected, merged")] = None
    confidentiality: Annotated[str | None, Query(max_length=20, description="public, restricted, "
                                                                           "confidential")] = None
    q: Annotated[str | None, Query(max_length=500, description="words, Arabic or English")] = None
    source_id: Annotated[str | None, Query(max_length=20, description="incidents of one source")] = None

    def to_filter(self) -> IncidentFilter:
        params = {f.name: getattr(self, f.name) for f in fields(self)}
        return parse_filter({k: v for k, v in params.items() if v is not None})
