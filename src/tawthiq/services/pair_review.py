"""What the pages for linking incidents show: the queue of pairs, one pair side by side, an incident's event.

The decisions themselves are :mod:`.linking`'s (``decide``, ``undo``); this
module only gathers what a reviewer needs to see to make them, under the same
rules: the queue and the pairs need a role that reads restricted records, and
viewers see nothing of clusters, judgements or corroboration (which sources
say what is provenance).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.access import Action, User, allowed, sees_provenance
from ..domain.judgements import Judgement, pair
from ..link.corroboration import Corroboration
from ..store.queries import IncidentSummary
from . import corroboration, linking, reading
from .errors import NotFound, PermissionDenied

if TYPE_CHECKING:
    from ..domain.model import Incident
    from . import Workspace

# How far down the queue "skip" looks for the pair after the current one: the queue is read whole
# by ``linking.review_queue`` anyway; this bounds what is kept of it.
SKIP_HORIZON = 1000


@dataclass(slots=True)
class QueueRow:
    """One pair waiting for a person, with what the list shows of each incident."""

    judgement: Judgement
    left: IncidentSummary | None
    right: IncidentSummary | None


@dataclass(slots=True)
class QueuePage:
    rows: list[QueueRow]
    page: int
    per_page: int
    has_next: bool


@dataclass(slots=True)
class PairView:
    """Two incidents side by side, with everything said about the pair."""

    left: reading.IncidentView
    right: reading.IncidentView
    history: list[Judgement]  # every judgement of the pair, oldest first, withdrawn ones too
    comparison: Judgement | None  # the linker's latest judgement (its weights and levels), in force or not
    in_force: Judgement | None  # the judgement that decides the pair now, if any


@dataclass(slots=True)
class JudgementRow:
    judgement: Judgement
    other: int  # the pair's other incident


@dataclass(slots=True)
class SameEvent:
    """An incident's "same event" panel: its cluster, the judgements about it and the corroboration matrix."""

    members: list[int]  # the other incidents of its cluster the user may see
    independent_sources: int
    judgements: list[JudgementRow]  # newest first
    matrix: Corroboration


def _require_queue(user: User) -> None:
    if user.disabled or not allowed(user.role, Action.READ_RESTRICTED):
        raise PermissionDenied(f"your role ({user.role}) may not review pairs of incidents")


def queue_page(ws: Workspace, *, user: User, page: int = 1, per_page: int = 25) -> QueuePage:
    """One page of the linker's unsure pairs, most probable first."""
    from ..store.queries import summaries_for_ids

    _require_queue(user)
    page, per_page = max(1, int(page)), max(1, min(int(per_page), 200))
    found = linking.review_queue(ws, user=user, limit=page * per_page + 1)
    chunk = found[(page - 1) * per_page:page * per_page]
    # The queue keeps only pairs whose two incidents the user may see, so their summaries are theirs to see.
    by_id = {s.id: s for s in summaries_for_ids(ws.db, sorted({i for j in chunk for i in (j.left_id, j.right_id)}))}
    rows = [QueueRow(judgement=j, left=by_id.get(j.left_id), right=by_id.get(j.right_id)) for j in chunk]
    return QueuePage(rows=rows, page=page, per_page=per_page, has_next=len(found) > page * per_page)


def next_pair(ws: Workspace, *, user: User, after: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The first pair of the queue, or the one after ``after`` (the first again when ``after`` is last)."""
    _require_queue(user)
    queued = [(j.left_id, j.right_id) for j in linking.review_queue(ws, user=user, limit=SKIP_HORIZON)]
    if after is not None and after in queued:
        rest = queued[queued.index(after) + 1:] + queued[:queued.index(after)]
        return rest[0] if rest else None
    return queued[0] if queued else None


def pair_view(ws: Workspace, *, user: User, a: int, b: int) -> PairView:
    """Both incidents whole (as the user may see them) and every judgement about the pair."""
    _require_queue(user)
    try:
        left, right = pair(int(a), int(b))
    except ValueError:
        raise NotFound(f"no pair of incidents {a} and {b}") from None
    left_view = reading.get_incident_view(ws, user=user, incident_id=left)
    right_view = reading.get_incident_view(ws, user=user, incident_id=right)
    history = [j for j in linking.judgements_of(ws, user=user, incident_id=left)
               if (j.left_id, j.right_id) == (left, right)]
    linker = [j for j in history if not j.by_person and j.weights]
    in_force = [j for j in history if j.in_force]
    return PairView(left=left_view, right=right_view, history=history,
                    comparison=linker[-1] if linker else None, in_force=in_force[-1] if in_force else None)


def same_event(ws: Workspace, *, user: User, incident_id: int, members: list[int],
               independent_sources: int | None, incident: Incident | None = None) -> SameEvent | None:
    """The incident's event for its page: None for a role that may not see provenance (viewers).

    ``members`` and ``independent_sources`` come from the incident's view, read just before, and
    ``incident`` the incident itself as that view holds it whole (so it is not read again).
    """
    if user.disabled or not sees_provenance(user.role) or not allowed(user.role, Action.READ_RESTRICTED):
        return None
    found = linking.judgements_of(ws, user=user, incident_id=incident_id)
    rows = [JudgementRow(judgement=j, other=j.right_id if j.left_id == incident_id else j.left_id)
            for j in reversed(found)]
    matrix = corroboration.corroboration(ws, user=user, incident_id=incident_id, loaded=incident)
    return SameEvent(members=list(members), independent_sources=int(independent_sources or 0), judgements=rows,
                     matrix=matrix)
