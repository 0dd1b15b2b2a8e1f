"""The corroboration matrix of an incident's event: which sources support or contradict each value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.access import User, sees_provenance, visible_confidentialities
from ..domain.model import Incident
from ..link.corroboration import Corroboration
from .errors import NotFound, PermissionDenied

if TYPE_CHECKING:
    from . import Workspace


def corroboration(ws: Workspace, *, user: User | None, incident_id: int,
                  loaded: Incident | None = None) -> Corroboration:
    """The matrix over the incident's cluster, built from the members and sources the user may see.

    Sources and who said what are provenance: viewers get none (``user`` None is the CLI's operator).
    ``loaded``: the incident whole, as its page has just read it (not read again).
    """
    from ..link.corroboration import corroborate
    from ..store.clusters import origins
    from ..store.incidents import incidents_by_ids
    from ..store.judgements import Subject, cluster_members, confidentiality_of

    if user is not None and not sees_provenance(user.role):
        raise PermissionDenied(f"your role ({user.role}) may not see which sources say what")
    with ws.db.session() as session:
        members = cluster_members(session, Subject.INCIDENT, int(incident_id))
        seen = confidentiality_of(session, members)
    if int(incident_id) not in seen:
        raise NotFound(f"no incident with id {incident_id}")
    if user is not None:
        levels = set(visible_confidentialities(user.role))
        if seen[int(incident_id)] not in levels:
            raise NotFound(f"no incident with id {incident_id}")
        members = [m for m in members if seen.get(m) in levels]
    have = loaded if loaded is not None and loaded.id == int(incident_id) else None
    others = [m for m in members if have is None or m != have.id]
    found = incidents_by_ids(ws.db, others) if others else []
    if have is not None and int(incident_id) in members:
        found = sorted([*found, have], key=lambda i: members.index(int(i.id or 0)))
    source_ids = {int(c.source_id) for i in found for c in i.claims if c.source_id} | {
        int(i.source_id) for i in found if i.source_id is not None}
    with ws.db.session() as session:
        known = origins(session, source_ids)
    return corroborate(found, known)


@dataclass(slots=True)
class ShownIncident:
    """What ``tawthiq incidents show`` prints: the incident (with its cluster) and its event's matrix."""

    incident: Incident
    corroboration: Corroboration


def shown_incident(ws: Workspace, *, incident_id: int) -> ShownIncident:
    """The incident whole, for the CLI's operator, with the corroboration matrix of its cluster."""
    from . import get_incident

    incident = get_incident(ws, incident_id)
    return ShownIncident(incident=incident, corroboration=corroboration(ws, user=None, incident_id=incident_id))


def matrix_record(found: Corroboration) -> dict[str, Any]:
    """The matrix as JSON (CLI ``--format json`` and the API)."""
    return {"members": found.members, "sources": found.sources, "independent_sources": found.independent_sources,
            "fields": [{"field": r.field, "value": r.value, "sources": r.sources, "independent": r.independent,
                        "contradicted_by": r.contradicted_by} for r in found.rows]}
