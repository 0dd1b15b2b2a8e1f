"""Incidents that may record the same act as another: what the review page offers to merge into.

The same strike is often reported by several networks, each report becoming
a suggestion of its own. Candidates are current incidents (not merged, not
rejected) the person may see, found with the same query as the incidents
list: the same event type in the same governorate first, then anything in
that governorate; newest first. Deciding whether two are the same act stays
the person's (:func:`tawthiq.services.review.merge`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.access import Action, User, allowed
from ..domain.enums import IncidentStatus
from ..domain.filters import IncidentFilter
from ..domain.model import Incident
from . import Workspace, queue_work, reading

__all__ = ["MAX_CANDIDATES", "MergeCandidate", "merge_candidates"]

MAX_CANDIDATES = 8
# Read more than are shown: the incident itself and closed ones are left out of each page read.
_READ_FACTOR = 3
_CLOSED = (IncidentStatus.MERGED.value, IncidentStatus.REJECTED.value)


@dataclass(frozen=True, slots=True)
class MergeCandidate:
    id: int
    event_type: str
    place: str  # the place's name as stored ("" when unplaced)
    place_ar: str  # its Arabic name, when the gazetteer gave one
    date: str  # EDTF, "" when undated
    status: str


def merge_candidates(ws: Workspace, *, user: User, incident: Incident,
                     limit: int = MAX_CANDIDATES) -> list[MergeCandidate]:
    """Up to ``limit`` current incidents ``user`` may see that may record the same act as ``incident``."""
    admin1 = (incident.location.admin1 if incident.location else "") or None
    seen: dict[int, MergeCandidate] = {}
    for filters in (IncidentFilter(event_type=incident.event_type, governorate=admin1),
                    IncidentFilter(governorate=admin1)):
        if filters.governorate is None and filters.event_type is None:
            continue
        found = reading.query_incidents(ws, user=user, filters=filters, sort="-date", page=1,
                                        per_page=limit * _READ_FACTOR)
        for s in found.items:
            if s.id == incident.id or s.status in _CLOSED:
                continue
            seen.setdefault(s.id, MergeCandidate(id=s.id, event_type=s.event_type, place=s.loc_name or "",
                                                 place_ar=s.loc_name_ar or "", date=s.date_edtf or "",
                                                 status=s.status))
        if len(seen) >= limit:
            break
    return list(seen.values())[:limit]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One incident as the review page shows it: its view, and the incidents it may duplicate."""

    view: reading.IncidentView
    candidates: list[MergeCandidate]
    assignee: str | None = None  # the team member it is assigned to
    team: list[queue_work.Member] = field(default_factory=list)  # whom it can be assigned to (for ASSIGN)


def review_item(ws: Workspace, *, user: User, incident_id: int) -> ReviewItem:
    view = reading.get_incident_view(ws, user=user, incident_id=incident_id)
    return ReviewItem(view=view, candidates=merge_candidates(ws, user=user, incident=view.incident),
                      assignee=queue_work.assignee_of(ws, user=user, incident_id=incident_id),
                      team=queue_work.team(ws, user=user) if allowed(user.role, Action.ASSIGN) else [])
