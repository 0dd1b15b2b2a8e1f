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

    # Multi-choice: repeat the parameter for "any of" (perpetrator=russia&perpetrator=syrian-government).
    event_type: Annotated[list[str] | None, Query(max_length=100, description="event type code, e.g. "
                                                  "air-drone-strike; repeat it for any of several")] = None
    violation: Annotated[list[str] | None, Query(max_length=100, description="violation code, e.g. killing; "
                                                 "repeat it for any of several")] = None
    perpetrator: Annotated[list[str] | None, Query(max_length=100, description="actor code (its factions match "
                                                   "too); repeat it for any of several")] = None
    victim_kind: Annotated[str | None, Query(max_length=20, description="civilian, combatant or unknown")] = None
    governorate: Annotated[list[str] | None, Query(
        max_length=100, description="governorate (admin1) as stored, e.g. Raqqa, or any spelling of it; the "
                                    "incidents placed inside it by the gazetteer count too; repeat it for any "
                                    "of several")] = None
    place: Annotated[str | None, Query(max_length=200, description="a place's whole name (Arabic or English), "
                                                                  "an admin name or a gazetteer id; a place the "
                                                                  "gazetteer knows includes everything inside it "
                                                                  "(Raqqa: the governorate's towns)")] = None
    date_from: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD; incidents that may have "
                                                                     "happened on or after it")] = None
    date_to: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None
    status: Annotated[list[str] | None, Query(max_length=20, description="suggested, confirmed, verified, "
                                                                        "rejected, merged or reviewed; repeat "
                                                                        "it for any of several")] = None
    tag: Annotated[list[str] | None, Query(max_length=20, description="tag number (as on the tags page): "
                                                                     "incidents carrying it now; repeat it for "
                                                                     "any of several")] = None
    confidentiality: Annotated[str | None, Query(max_length=20, description="public, restricted, "
                                                                           "confidential")] = None
    q: Annotated[str | None, Query(max_length=500, description="words, Arabic or English; words naming a "
                                                              "place also find the incidents inside it")] = None
    source_id: Annotated[str | None, Query(max_length=20, description="incidents of one source")] = None

    def to_filter(self) -> IncidentFilter:
        params = {f.name: getattr(self, f.name) for f in fields(self)}
        return parse_filter({k: v for k, v in params.items() if v is not None})
