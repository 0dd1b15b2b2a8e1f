"""What came of adding material: the incidents drawn from newly stored sources, as the adder may see them.

Adding a file or pasted text answers with the sources it stored; the add
page and the API then show what the extractor suggested from them. Both read
through the reading service, so an incident the person may not see is not
listed, as everywhere else.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..domain.access import User
from ..domain.filters import IncidentFilter
from . import Workspace, reading

__all__ = ["LISTED_SOURCES", "PER_SOURCE", "incident_ids", "incidents_from"]

LISTED_SOURCES = 20  # a big CSV batch lists the first sources' incidents; the sources list has the rest
PER_SOURCE = 50


def incidents_from(ws: Workspace, *, user: User, source_ids: Sequence[int], sources: int = LISTED_SOURCES,
                   per_source: int = PER_SOURCE) -> list[reading.IncidentSummary]:
    """The incidents from the first ``sources`` of ``source_ids`` (at most ``per_source`` each), oldest first."""
    found: list[reading.IncidentSummary] = []
    for source_id in source_ids[:sources]:
        page = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id),
                                       sort="id", page=1, per_page=per_source)
        found.extend(page.items)
    return found


def incident_ids(ws: Workspace, *, user: User, source_ids: Sequence[int]) -> list[int]:
    """The ids of every incident from ``source_ids`` the user may see, source by source."""
    return [s.id for source_id in source_ids
            for s in reading.get_source_view(ws, user=user, source_id=source_id).incidents]
