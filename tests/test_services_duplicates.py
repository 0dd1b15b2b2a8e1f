"""Merge candidates: current incidents the person may see that may record the same act."""
from __future__ import annotations

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location
from tawthiq.services import Workspace
from tawthiq.services.duplicates import MergeCandidate, merge_candidates
from tawthiq.store import repository

from _users import DOCUMENTER, VIEWER


def _add(ws: Workspace, event_type: str, governorate: str, day: str, **kwargs: object) -> int:
    place = Location(name=f"a town in {governorate}", name_ar="بلدة", admin1=governorate) if governorate else None
    return repository.add_incident(ws.db, Incident(event_type=event_type, location=place,  # type: ignore[arg-type]
                                                   date=IncidentDate(edtf=day), **kwargs))


def test_same_type_and_governorate_first_then_the_governorate_newest_first(ws: Workspace) -> None:
    strike = _add(ws, "air-drone-strike", "Idlib", "2019-05-12")
    same = _add(ws, "air-drone-strike", "Idlib", "2019-05-10", status=IncidentStatus.CONFIRMED)
    newer = _add(ws, "air-drone-strike", "Idlib", "2019-06-01", confidentiality=Confidentiality.PUBLIC)
    shelling = _add(ws, "shelling-artillery-missile-attack", "Idlib", "2019-07-01")
    _add(ws, "air-drone-strike", "Aleppo", "2019-05-12")  # another governorate
    _add(ws, "air-drone-strike", "Idlib", "2019-05-12", status=IncidentStatus.REJECTED)
    _add(ws, "air-drone-strike", "Idlib", "2019-05-12", status=IncidentStatus.MERGED)
    incident = repository.get_incident(ws.db, strike)
    found = merge_candidates(ws, user=DOCUMENTER, incident=incident)
    assert [c.id for c in found] == [newer, same, shelling]
    assert found[0] == MergeCandidate(id=newer, event_type="air-drone-strike", place="a town in Idlib",
                                      place_ar="بلدة", date="2019-06-01", status="suggested")
    assert [c.id for c in merge_candidates(ws, user=DOCUMENTER, incident=incident, limit=1)] == [newer]
    assert [c.id for c in merge_candidates(ws, user=VIEWER, incident=incident)] == [newer]  # public only


def test_an_incident_without_a_governorate_looks_by_type_alone(ws: Workspace) -> None:
    unplaced = _add(ws, "air-drone-strike", "", "2019-05-12")
    elsewhere = _add(ws, "air-drone-strike", "Aleppo", "2019-05-11")
    _add(ws, "shelling-artillery-missile-attack", "Aleppo", "2019-05-11")
    found = merge_candidates(ws, user=DOCUMENTER, incident=repository.get_incident(ws.db, unplaced))
    assert [c.id for c in found] == [elsewhere]
