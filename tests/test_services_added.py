"""What came of adding material: the incidents from the new sources, as the adder may see them."""
from __future__ import annotations

from tawthiq.domain import Confidentiality, Incident, Source, SourceKind
from tawthiq.services import Workspace
from tawthiq.services.added import incident_ids, incidents_from
from tawthiq.store import repository

from _users import DOCUMENTER, VIEWER


def _source(ws: Workspace, n: int, *incidents: Incident) -> tuple[int, list[int]]:
    sid, _, ids = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256=f"{n:064x}", text=f"report {n}"), list(incidents))
    return sid, ids


def test_incidents_source_by_source_as_the_user_may_see_them(ws: Workspace) -> None:
    public = Incident(event_type="attack", confidentiality=Confidentiality.PUBLIC)
    first, [a, b] = _source(ws, 1, Incident(event_type="attack"), public)
    second, [c] = _source(ws, 2, Incident(event_type="arrests"))
    assert [s.id for s in incidents_from(ws, user=DOCUMENTER, source_ids=[first, second])] == [a, b, c]
    assert [s.id for s in incidents_from(ws, user=DOCUMENTER, source_ids=[first, second], sources=1)] == [a, b]
    assert [s.id for s in incidents_from(ws, user=DOCUMENTER, source_ids=[first], per_source=1)] == [a]
    assert [s.id for s in incidents_from(ws, user=VIEWER, source_ids=[first, second])] == [b]
    assert incident_ids(ws, user=DOCUMENTER, source_ids=[second, first]) == [c, a, b]
