"""Under the second-reviewer rule a verified incident that is changed goes back to confirmed and out
of viewers' sight until someone other than the editor verifies it again (issue 12 fixes, A2).
On SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from _users import REVIEWER, VIEWER
from test_services_second_review import SECOND, _incident, _turn_on

from tawthiq.domain import (
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Source,
    SourceKind,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, review
from tawthiq.services import reading as rec
from tawthiq.services.errors import NotFound
from tawthiq.services.review import IncidentChanges, SecondReviewNeeded
from tawthiq.store import repository
from tawthiq.store.incidents import get_incident

FIFTY = [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=50, count_max=50)]


def _verified(ws: Workspace, sha: str, *, conf: Confidentiality = Confidentiality.PUBLIC) -> int:
    iid = _incident(ws, sha, description="An air strike on Saraqib.", conf=conf)
    review.accept(ws, user=REVIEWER, incident_id=iid)
    review.verify(ws, user=SECOND, incident_id=iid)
    return iid


def _viewer_sees(ws: Workspace, iid: int) -> bool:
    listed = iid in [s.id for s in rec.query_incidents(ws, user=VIEWER, filters=IncidentFilter()).items]
    try:
        rec.get_incident_view(ws, user=VIEWER, incident_id=iid)
        page = True
    except NotFound:
        page = False
    assert listed == page
    return page


def _status(ws: Workspace, iid: int) -> IncidentStatus:
    found = get_incident(ws.db, iid)
    assert found is not None
    return found.status


def test_the_accepter_changing_a_verified_incident_sends_it_back_for_a_second_verification(ws: Workspace) -> None:
    _turn_on(ws)
    iid = _verified(ws, "1", conf=Confidentiality.RESTRICTED)
    changed = review.update_incident(ws, user=REVIEWER, incident_id=iid, comment="the list has fifty names",
                                     changes=IncidentChanges(victims=FIFTY, confidentiality="public"))
    assert set(changed) == {"victims", "confidentiality"}
    assert _status(ws, iid) is IncidentStatus.CONFIRMED
    assert not _viewer_sees(ws, iid)  # public now, but fifty is nobody's second look yet
    entry = [e for e in repository.incident_history(ws.db, iid) if e.action == "status"][-1]
    assert (entry.user, entry.before, entry.after) == (REVIEWER.username, {"status": "verified"},
                                                       {"status": "confirmed"})
    assert "changed after it was verified" in entry.comment and REVIEWER.username in entry.comment
    with pytest.raises(SecondReviewNeeded) as refused:  # the editor cannot verify their own change
        review.verify(ws, user=REVIEWER, incident_id=iid)
    assert refused.value.key == "same_reviewer"
    review.verify(ws, user=SECOND, incident_id=iid, comment="checked the fifty names")
    assert _viewer_sees(ws, iid)
    view = rec.get_incident_view(ws, user=VIEWER, incident_id=iid)
    assert [v.count_min for v in view.incident.victims] == [50]


@pytest.mark.parametrize("change", [
    IncidentChanges(date=IncidentDate(edtf="2016-03-05")),
    IncidentChanges(description="Another wording."),
    IncidentChanges(confidentiality="restricted"),
    IncidentChanges(violations=[]),
])
def test_any_change_of_content_needs_the_second_look_again(ws: Workspace, change: IncidentChanges) -> None:
    _turn_on(ws)
    iid = _verified(ws, "2")
    assert _viewer_sees(ws, iid)
    review.update_incident(ws, user=SECOND, incident_id=iid, changes=change, comment="fixed")
    assert _status(ws, iid) is IncidentStatus.CONFIRMED
    assert not _viewer_sees(ws, iid)


def test_no_change_keeps_it_verified(ws: Workspace) -> None:
    _turn_on(ws)
    iid = _verified(ws, "3")
    assert review.update_incident(ws, user=REVIEWER, incident_id=iid,
                                  changes=IncidentChanges(description="An air strike on Saraqib."),
                                  comment="") == []
    assert _status(ws, iid) is IncidentStatus.VERIFIED


def test_with_the_rule_off_a_change_keeps_it_verified(ws: Workspace) -> None:
    iid = _verified(ws, "4")
    review.update_incident(ws, user=REVIEWER, incident_id=iid, changes=IncidentChanges(victims=FIFTY),
                           comment="fifty")
    assert _status(ws, iid) is IncidentStatus.VERIFIED
    assert _viewer_sees(ws, iid)


def test_a_merge_that_changes_a_verified_incidents_figures_sends_it_back(ws: Workspace) -> None:
    _turn_on(ws)
    iid = _verified(ws, "5")
    injured = VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.CIVILIAN, count_min=12, count_max=12)
    _, _, [other] = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256="6" * 64, text="12 injured in Saraqib"),
        [Incident(event_type="air-drone-strike", victims=[injured], date=IncidentDate(edtf="2016-03-04"),
                  confidentiality=Confidentiality.PUBLIC)])
    review.merge(ws, user=REVIEWER, incident_id=other, into_id=iid, comment="same strike")
    assert _status(ws, iid) is IncidentStatus.CONFIRMED
    assert not _viewer_sees(ws, iid)

