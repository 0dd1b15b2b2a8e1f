"""The store's service-level API in one import.

Callers (CLI, ingest, web) use ``from tawthiq.store import repository`` and
never touch tables or sessions; the functions live in one module per
concept and are gathered here.
"""
from __future__ import annotations

from ..domain.audit import AuditEntry
from ..domain.search import SearchHit
from .history import NotFoundError, history, incident_history, set_incident_status
from .incidents import (
    add_claim,
    add_incident,
    add_person,
    add_source_with_incidents,
    count_incidents,
    count_persons_for_incident,
    get_incident,
    incidents_for_source,
    persons_for_incident,
)
from .queries import IncidentSummary, list_incidents, page_incidents, summaries_for_ids
from .search import search
from .sources import add_source, count_sources, find_source, get_source, grade_source, list_sources

__all__ = [
    "AuditEntry",
    "IncidentSummary",
    "NotFoundError",
    "SearchHit",
    "add_claim",
    "add_incident",
    "add_person",
    "add_source",
    "add_source_with_incidents",
    "count_incidents",
    "count_persons_for_incident",
    "count_sources",
    "find_source",
    "get_incident",
    "get_source",
    "grade_source",
    "history",
    "incident_history",
    "incidents_for_source",
    "list_incidents",
    "list_sources",
    "page_incidents",
    "persons_for_incident",
    "search",
    "set_incident_status",
    "summaries_for_ids",
]
