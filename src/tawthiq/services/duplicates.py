"""Incidents that may record the same act as another: what the review page offers to merge into.

The same strike is often reported by several networks, each report becoming
a suggestion of its own. Candidates are current incidents (not merged, not
rejected) the person may see, found with the same query as the incidents
list: the same event type in the same governorate first, then anything in
that governorate. They are ranked: those the linker compared with the
incident by its probability, then the others by closeness of date, same
place and same type, each with the reason in words. Deciding whether two are
the same act stays the person's (:func:`tawthiq.services.review.merge`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.access import Action, User, allowed, visible_confidentialities
from ..domain.edtfrange import date_range
from ..domain.enums import IncidentStatus
from ..domain.filters import IncidentFilter
from ..domain.judgements import Verdict
from ..domain.model import Incident
from . import Workspace, claim_pages, linking, queue_work, reading
from .reading import IncidentSummary

__all__ = ["MAX_CANDIDATES", "MergeCandidate", "merge_candidates"]

MAX_CANDIDATES = 8
# Read more than are shown: the incident itself and closed ones are left out of each page read.
_READ_FACTOR = 3
_CLOSED = (IncidentStatus.MERGED.value, IncidentStatus.REJECTED.value)
NEAR_DAYS = 31  # dates further apart than this count for nothing in the ranking


@dataclass(frozen=True, slots=True)
class MergeCandidate:
    id: int
    event_type: str
    place: str  # the place's name as stored ("" when unplaced)
    place_ar: str  # its Arabic name, when the gazetteer gave one
    date: str  # EDTF, "" when undated
    status: str
    outcomes: list[tuple[str, int, int | None]] = field(default_factory=list)  # victims, per outcome
    probability: float | None = None  # the linker's, where it compared the two
    # Why it is offered, in words the page translates: (reason, values), e.g. ("days_apart", {"days": 2}).
    reasons: tuple[tuple[str, dict[str, Any]], ...] = ()
    score: float = 0.0  # the closeness ranking's, when the linker has not compared the pair
    place_text: str = ""  # the place as the report wrote it (names are derived from all three)
    place_id: str = ""  # the gazetteer's id, "" when unlisted


def _days_apart(a: tuple[date | None, date | None], b: tuple[date | None, date | None]) -> int | None:
    """Days between two date ranges (0 when they overlap); None when either is unknown."""
    if None in a or None in b:
        return None
    if a[1] < b[0]:  # type: ignore[operator]
        return (b[0] - a[1]).days  # type: ignore[operator]
    if b[1] < a[0]:  # type: ignore[operator]
        return (a[0] - b[1]).days  # type: ignore[operator]
    return 0


def _closeness(incident: Incident, s: IncidentSummary) -> tuple[float, tuple[tuple[str, dict[str, Any]], ...]]:
    """A ranking score from the date, the place and the type, and the reasons in words."""
    reasons: list[tuple[str, dict[str, Any]]] = []
    score = 0.0
    days = _days_apart(date_range(incident.date.edtf if incident.date else None), (s.date_start, s.date_end))
    if days is None:
        reasons.append(("date_unknown", {}))
    elif days == 0:
        score += 3
        reasons.append(("same_date", {}))
    elif days <= NEAR_DAYS:
        score += 3 * (1 - days / (NEAR_DAYS + 1))
        reasons.append(("days_apart", {"days": days}))
    loc = incident.location
    if loc is not None and loc.name and s.loc_name and loc.name.casefold() == s.loc_name.casefold():
        score += 2
        reasons.append(("same_place", {}))
    elif loc is not None and loc.admin1 and loc.admin1 == s.loc_admin1:
        score += 0.5
        reasons.append(("same_governorate", {}))
    if s.event_type == incident.event_type:
        score += 1
        reasons.append(("same_type", {}))
    return score, tuple(reasons)


def _candidate(s: IncidentSummary, **extra: Any) -> MergeCandidate:
    return MergeCandidate(id=s.id, event_type=s.event_type, place=s.loc_name or "", place_ar=s.loc_name_ar or "",
                          place_text=s.loc_text or "", place_id=s.loc_place_id,
                          date=s.date_edtf or "", status=s.status, outcomes=list(s.outcomes), **extra)


def _linker_scores(ws: Workspace, user: User, incident_id: int) -> tuple[dict[int, float], set[int]]:
    """The linker's probability for each incident it compared with this one (judgements in force), and
    the incidents a person judged not the same (never offered)."""
    if not allowed(user.role, Action.READ_RESTRICTED):
        return {}, set()
    scores: dict[int, float] = {}
    not_same: set[int] = set()
    for j in linking.judgements_of(ws, user=user, incident_id=incident_id):
        if not j.in_force:
            continue
        other = j.right_id if j.left_id == incident_id else j.left_id
        if j.by_person and j.verdict is Verdict.NOT_SAME:
            not_same.add(other)
        elif not j.by_person and j.probability is not None:
            scores[other] = max(scores.get(other, 0.0), float(j.probability))
    return scores, not_same


def merge_candidates(ws: Workspace, *, user: User, incident: Incident,
                     limit: int = MAX_CANDIDATES) -> list[MergeCandidate]:
    """Up to ``limit`` current incidents ``user`` may see that may record the same act as ``incident``,
    most likely first: those the linker compared with it by its probability, then the others by
    closeness of date, same place and same type. A pair a person judged "not the same" is left out."""
    assert incident.id is not None
    scores, not_same = _linker_scores(ws, user, incident.id)
    visible = {c.value for c in visible_confidentialities(user.role)}
    scored = [_candidate(s, probability=scores[s.id], reasons=(("linker", {"percent": round(scores[s.id] * 100)}),))
              for s in reading.summaries(ws, user=user, ids=sorted(scores))
              if s.status not in _CLOSED and s.confidentiality in visible and s.id != incident.id]
    scored.sort(key=lambda c: (-(c.probability or 0.0), c.id))
    seen: dict[int, MergeCandidate] = {c.id: c for c in scored}
    admin1 = (incident.location.admin1 if incident.location else "") or None
    near: dict[int, MergeCandidate] = {}
    for filters in (IncidentFilter(event_type=incident.event_type, governorate=admin1),
                    IncidentFilter(governorate=admin1)):
        if not filters.governorate and not filters.event_type:
            continue
        found = reading.query_incidents(ws, user=user, filters=filters, sort="-date", page=1,
                                        per_page=limit * _READ_FACTOR)
        for s in found.items:
            if s.id == incident.id or s.status in _CLOSED or s.id in seen or s.id in not_same or s.id in near:
                continue
            score, reasons = _closeness(incident, s)
            near[s.id] = _candidate(s, reasons=reasons, score=score)
        if len(near) >= limit:
            break
    ranked = scored + sorted(near.values(), key=lambda c: (-c.score, -c.id))
    return ranked[:limit]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One incident as the review page shows it: its view, and the incidents it may duplicate."""

    view: reading.IncidentView
    candidates: list[MergeCandidate]
    assignee: str | None = None  # the team member it is assigned to
    team: list[queue_work.Member] = field(default_factory=list)  # whom it can be assigned to (for ASSIGN)
    # The page of its claims listed (a long report leaves thousands on one suggestion).
    claims: claim_pages.ClaimPage = field(default_factory=lambda: claim_pages.claim_page(()))


def review_item(ws: Workspace, *, user: User, incident_id: int, claims_page: int = 1) -> ReviewItem:
    """The review page of ``incident_id``, listing page ``claims_page`` of its claims."""
    view = reading.get_incident_view(ws, user=user, incident_id=incident_id, claims_page=claims_page)
    return ReviewItem(view=view, candidates=merge_candidates(ws, user=user, incident=view.incident),
                      assignee=queue_work.assignee_of(ws, user=user, incident_id=incident_id),
                      team=queue_work.team(ws, user=user) if allowed(user.role, Action.ASSIGN) else [],
                      claims=view.claims)
