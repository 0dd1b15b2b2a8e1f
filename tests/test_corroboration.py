"""The corroboration matrix: who supports which value of an event, how independently, and who contradicts it."""
from __future__ import annotations

import pytest
from _users import REVIEWER, VIEWER

from tawthiq.domain import Confidentiality, Incident, IncidentDate, Location, Source, SourceKind
from tawthiq.domain.enums import DatePrecision, LocationPrecision, VictimOutcome
from tawthiq.domain.judgements import Judgement, Subject, Verdict
from tawthiq.domain.model import Involvement, VictimGroup
from tawthiq.link.corroboration import corroborate
from tawthiq.services import Workspace
from tawthiq.services.corroboration import corroboration, shown_incident
from tawthiq.services.errors import NotFound, PermissionDenied
from tawthiq.store import judgements, repository


def _inc(i: int, *, edtf: str, place: Location, killed: tuple[int, int | None], perps: tuple[str, ...] = (),
         event: str = "air-drone-strike") -> Incident:
    return Incident(id=i, source_id=100 + i, event_type=event, date=IncidentDate(edtf=edtf),
                    location=place, involvements=[Involvement(actor=a) for a in perps],
                    victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=killed[0], count_max=killed[1])])


ARIHA = Location(name="Ariha", admin1="Idlib", admin2="Ariha", precision=LocationPrecision.TOWN, place_id="g1")
IDLIB = Location(name="Idlib", admin1="Idlib", precision=LocationPrecision.GOVERNORATE, place_id="g0")
SARAQIB = Location(name="Saraqib", admin1="Idlib", admin2="Idlib", precision=LocationPrecision.TOWN, place_id="g2")


def test_precision_is_not_contradiction_but_other_facts_are() -> None:
    members = [
        _inc(1, edtf="2015-10-07", place=ARIHA, killed=(5, 5), perps=("russia",)),
        _inc(2, edtf="2015-10", place=IDLIB, killed=(6, None), perps=("russia", "syrian-government")),
        _inc(3, edtf="2015-10-09", place=SARAQIB, killed=(9, 9)),
        _inc(4, edtf="2015-10-07", place=ARIHA, killed=(5, 5), perps=("russia",)),  # a copy of 1's account
    ]
    origins = {101: "text:x", 102: "text:y", 103: "text:z", 104: "text:x"}
    found = corroborate(members, origins)
    assert found.members == [1, 2, 3, 4] and found.independent_sources == 3
    dates = {r.value: r for r in found.for_field("date")}
    assert dates["2015-10-07"].sources == [101, 104] and dates["2015-10-07"].independent == 1
    assert dates["2015-10-07"].contradicted_by == [103]  # the 9th, not "October" (it contains the 7th)
    assert dates["2015-10"].contradicted_by == []
    places = {r.value: r for r in found.for_field("place")}
    assert places["Ariha (Idlib)"].contradicted_by == [103]  # Saraqib; the governorate contains Ariha
    assert places["Idlib"].contradicted_by == []
    killed = {r.value: r for r in found.for_field("victims:killed")}
    assert killed["5"].contradicted_by == [102, 103]  # "at least 6" and 9 cannot also be 5
    assert killed["≥ 6"].contradicted_by == [101, 104]  # 9 fits "at least 6"
    perps = {r.value: r for r in found.for_field("perpetrator")}
    assert perps["russia"].independent == 2 and perps["syrian-government"].sources == [102]
    assert all(not r.contradicted_by for r in found.for_field("perpetrator"))  # naming one denies no other


def test_the_service_builds_it_from_what_the_user_may_see(ws: Workspace) -> None:
    ids = []
    for n, (text, conf) in enumerate((("First account of the strike on Ariha, five killed.", Confidentiality.PUBLIC),
                                      ("Second account: seven killed in Ariha.", Confidentiality.CONFIDENTIAL))):
        _, _, [iid] = repository.add_source_with_incidents(
            ws.db, Source(kind=SourceKind.TEXT, sha256=f"{n:064x}", text=text),
            [Incident(event_type="air-drone-strike", confidentiality=conf, location=ARIHA,
                      date=IncidentDate(edtf="2015-10-07", precision=DatePrecision.DAY),
                      victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=5 + 2 * n, count_max=5 + 2 * n)])])
        ids.append(iid)
    judgements.record(ws.db, Judgement(subject=Subject.INCIDENT, left_id=ids[0], right_id=ids[1],
                                       verdict=Verdict.SAME, actor="rana", by_person=True))
    whole = corroboration(ws, user=REVIEWER, incident_id=ids[0])
    assert whole.members == ids and len(whole.for_field("victims:killed")) == 2
    shown = shown_incident(ws, incident_id=ids[1])
    assert shown.corroboration.members == ids and shown.incident.cluster_id == ids[0]
    with pytest.raises(PermissionDenied):
        corroboration(ws, user=VIEWER, incident_id=ids[0])
    with pytest.raises(NotFound):
        corroboration(ws, user=REVIEWER, incident_id=10**9)
