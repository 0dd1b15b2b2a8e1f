"""Merge candidates: current incidents the person may see that may record the same act."""
from __future__ import annotations

from _users import DOCUMENTER, VIEWER

from tawthiq.domain import (
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Location,
)
from tawthiq.services import Workspace
from tawthiq.services.duplicates import MergeCandidate, merge_candidates
from tawthiq.store import repository


def _add(ws: Workspace, event_type: str, governorate: str, day: str, **kwargs: object) -> int:
    place = Location(name=f"a town in {governorate}", name_ar="بلدة", admin1=governorate) if governorate else None
    return repository.add_incident(ws.db, Incident(event_type=event_type, location=place,  # type: ignore[arg-type]
                                                   date=IncidentDate(edtf=day), **kwargs))


def test_same_type_and_governorate_ranked_by_closeness_of_date_place_and_type(ws: Workspace) -> None:
    strike = _add(ws, "air-drone-strike", "Idlib", "2019-05-12")
    same = _add(ws, "air-drone-strike", "Idlib", "2019-05-10", status=IncidentStatus.CONFIRMED)
    newer = _add(ws, "air-drone-strike", "Idlib", "2019-06-01", confidentiality=Confidentiality.PUBLIC)
    shelling = _add(ws, "shelling-artillery-missile-attack", "Idlib", "2019-07-01")
    _add(ws, "air-drone-strike", "Aleppo", "2019-05-12")  # another governorate
    _add(ws, "air-drone-strike", "Idlib", "2019-05-12", status=IncidentStatus.REJECTED)
    _add(ws, "air-drone-strike", "Idlib", "2019-05-12", status=IncidentStatus.MERGED)
    incident = repository.get_incident(ws.db, strike)
    found = merge_candidates(ws, user=DOCUMENTER, incident=incident)
    # Two days apart beats twenty; a month and more apart counts for nothing, only the place does.
    assert [c.id for c in found] == [same, newer, shelling]
    assert found[0] == MergeCandidate(id=same, event_type="air-drone-strike", place="a town in Idlib",
                                      place_ar="بلدة", date="2019-05-10", status="confirmed",
                                      reasons=(("days_apart", {"days": 2}), ("same_place", {}), ("same_type", {})),
                                      score=found[0].score)
    assert [r for r, _ in found[2].reasons] == ["same_place"] and found[0].score > found[1].score > found[2].score
    assert len(merge_candidates(ws, user=DOCUMENTER, incident=incident, limit=1)) == 1
    assert [c.id for c in merge_candidates(ws, user=VIEWER, incident=incident)] == [newer]  # public only


def test_an_incident_without_a_governorate_looks_by_type_alone(ws: Workspace) -> None:
    unplaced = _add(ws, "air-drone-strike", "", "2019-05-12")
    elsewhere = _add(ws, "air-drone-strike", "Aleppo", "2019-05-11")
    _add(ws, "shelling-artillery-missile-attack", "Aleppo", "2019-05-11")
    found = merge_candidates(ws, user=DOCUMENTER, incident=repository.get_incident(ws.db, unplaced))
    assert [c.id for c in found] == [elsewhere]


def test_the_linkers_probability_ranks_first_and_a_persons_not_same_is_left_out(ws: Workspace) -> None:
    from tawthiq.domain.judgements import Judgement, Subject, Verdict, pair
    from tawthiq.store import judgements

    strike = _add(ws, "air-drone-strike", "Idlib", "2019-05-12")
    close = _add(ws, "air-drone-strike", "Idlib", "2019-05-12")
    linked = _add(ws, "shelling-artillery-missile-attack", "Aleppo", "2018-01-01")  # far, but the linker says so
    likelier = _add(ws, "air-drone-strike", "Hama", "2019-05-13")
    judged_apart = _add(ws, "air-drone-strike", "Idlib", "2019-05-12")
    for other, probability in ((linked, 0.62), (likelier, 0.91)):
        left, right = pair(strike, other)
        judgements.record(ws.db, Judgement(subject=Subject.INCIDENT, left_id=left, right_id=right,
                                           verdict=Verdict.UNSURE, actor="linker", by_person=False,
                                           probability=probability))
    left, right = pair(strike, judged_apart)
    judgements.record(ws.db, Judgement(subject=Subject.INCIDENT, left_id=left, right_id=right,
                                       verdict=Verdict.NOT_SAME, actor="rania", by_person=True, comment="two raids"))
    found = merge_candidates(ws, user=DOCUMENTER, incident=repository.get_incident(ws.db, strike))
    assert [c.id for c in found] == [likelier, linked, close]
    assert found[0].probability == 0.91 and found[0].reasons == (("linker", {"percent": 91}),)
    assert found[2].probability is None and ("same_date", {}) in found[2].reasons
    # A viewer is told nothing of the linker's judgements (and sees only public incidents).
    assert merge_candidates(ws, user=VIEWER, incident=repository.get_incident(ws.db, strike)) == []
