"""The start page's counts follow the user's role."""
from __future__ import annotations

from tawthiq.domain import Confidentiality, Incident, IncidentStatus
from tawthiq.domain.access import Role, User
from tawthiq.services import Workspace, overview
from tawthiq.store import repository


def user(role: Role) -> User:
    return User(id=1, username=role.value, role=role)


def test_counts_by_role(ws: Workspace) -> None:
    for confidentiality, status in ((Confidentiality.PUBLIC, IncidentStatus.SUGGESTED),
                                    (Confidentiality.RESTRICTED, IncidentStatus.SUGGESTED),
                                    (Confidentiality.CONFIDENTIAL, IncidentStatus.CONFIRMED),
                                    (Confidentiality.PUBLIC, IncidentStatus.MERGED)):
        repository.add_incident(ws.db, Incident(event_type="air_strike", confidentiality=confidentiality,
                                                status=status))
    viewer = overview.counts(ws, user=user(Role.VIEWER))
    assert (viewer.incidents, viewer.suggested, viewer.sources) == (1, None, None)
    documenter = overview.counts(ws, user=user(Role.DOCUMENTER))
    assert (documenter.incidents, documenter.suggested, documenter.sources) == (3, 2, 0)
