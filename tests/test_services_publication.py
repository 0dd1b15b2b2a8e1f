"""Nothing goes public without a reviewer, and a viewer is given only the current public values.

Issue 9, B: a merge makes the result as restricted as its strictest part
unless a reviewer decides otherwise; a documenter's edit, correction or
merge into a public incident withdraws it until a reviewer publishes it
again (recorded with who, when and why); and a viewer's incident, list row,
export, map feature and timeline item carry no claim, quote, mention as
written, source or staff name.
"""
from __future__ import annotations

import json

import pytest
from _users import ADMIN, DOCUMENTER, REVIEWER, VIEWER

from tawthiq.domain import (
    Claim,
    ClaimField,
    Confidentiality,
    Incident,
    IncidentDate,
    Involvement,
    Location,
    LocationPrecision,
    Source,
    SourceKind,
    Span,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.access import looser, sees_provenance, strictest
from tawthiq.services import Workspace, review, visuals
from tawthiq.services import reading as rec
from tawthiq.services.errors import NotFound, PermissionDenied, ServiceError
from tawthiq.services.review import IncidentChanges
from tawthiq.store import repository
from tawthiq.store.db import Database

TEXT = "Russian aircraft struck Ariha on 7 October 2015, killing 5 civilians, said the witness Qzwitness."


def _incident(db: Database, sha: str, conf: Confidentiality) -> int:
    span = Span.of(TEXT, 0, 23)
    incident = Incident(
        event_type="air-drone-strike", violations=["killing"], description="An air strike on Ariha.",
        involvements=[Involvement(actor="russia", text="Qzperp Russian aircraft")],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=5, count_max=5,
                             text="Qzvictims 5 civilians")],
        date=IncidentDate(edtf="2015-10-07", text="Qzdate 7 October"), evidence=[Span.of(TEXT, 0, len(TEXT))],
        location=Location(name="Ariha", admin1="Idlib", lat=35.81, lon=36.61, precision=LocationPrecision.TOWN),
        confidentiality=conf,
        claims=[Claim(field=ClaimField.EVENT_TYPE, value="air-drone-strike", span=span, method="rule:trigger",
                      created_by="Qzstaff")],
    )
    _, _, [iid] = repository.add_source_with_incidents(db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=TEXT),
                                                       [incident])
    return iid


def _conf(ws: Workspace, incident_id: int) -> Confidentiality:
    return repository.get_incident(ws.db, incident_id).confidentiality


def _last(ws: Workspace, incident_id: int) -> repository.AuditEntry:
    return repository.incident_history(ws.db, incident_id)[-1]


def test_strictness_order() -> None:
    assert strictest("public", "confidential", "restricted") is Confidentiality.CONFIDENTIAL
    assert strictest(Confidentiality.PUBLIC) is Confidentiality.PUBLIC
    assert looser("public", "restricted") and not looser("restricted", "restricted")
    assert not looser("confidential", "public")
    assert [sees_provenance(r) for r in ("admin", "reviewer", "documenter", "viewer")] == [True, True, True, False]


@pytest.mark.parametrize(("first", "second", "result"), [
    ("public", "public", "public"), ("public", "restricted", "restricted"),
    ("confidential", "public", "confidential"), ("restricted", "confidential", "confidential"),
])
def test_a_reviewers_merge_takes_the_stricter_level(ws: Workspace, db: Database, first: str, second: str,
                                                    result: str) -> None:
    merged, target = _incident(db, "a", Confidentiality(first)), _incident(db, "b", Confidentiality(second))
    outcome = review.merge(ws, user=REVIEWER, incident_id=merged, into_id=target, comment="same strike")
    assert outcome.confidentiality.value == result == _conf(ws, target).value
    assert outcome.withdrawn is (second == "public" and result != "public")
    assert _conf(ws, merged).value == first  # the merged one keeps its own level
    if result != second:
        entry = _last(ws, target)
        assert (entry.action, entry.user, entry.before, entry.after) == (
            "confidentiality", "rana", {"confidentiality": second}, {"confidentiality": result})
        assert entry.comment == f"merged with #{merged} ({first}): as restricted as the stricter of the two"
    else:
        assert _last(ws, target).action == "merge-in"


def test_a_documenters_merge_into_a_public_incident_is_held(ws: Workspace, db: Database) -> None:
    merged, target = _incident(db, "a", Confidentiality.PUBLIC), _incident(db, "b", Confidentiality.PUBLIC)
    with pytest.raises(PermissionDenied):
        review.merge(ws, user=DOCUMENTER, incident_id=merged, into_id=target, comment="x", confidentiality="public")
    assert repository.get_incident(ws.db, merged).merged_into_id is None  # refused whole
    outcome = review.merge(ws, user=DOCUMENTER, incident_id=merged, into_id=target, comment="same strike")
    assert outcome.withdrawn and outcome.confidentiality is Confidentiality.RESTRICTED is _conf(ws, target)
    entry = _last(ws, target)
    assert (entry.action, entry.user, entry.after) == ("withdraw", "amal", {"confidentiality": "restricted"})
    assert entry.comment == review.HELD_REASON
    with pytest.raises(NotFound):
        rec.get_incident_view(ws, user=VIEWER, incident_id=target)


def test_loosening_a_merge_is_a_reviewers_decision_with_a_reason(ws: Workspace, db: Database) -> None:
    secret, public = _incident(db, "a", Confidentiality.CONFIDENTIAL), _incident(db, "b", Confidentiality.PUBLIC)
    for level in ("public", "restricted"):
        with pytest.raises(PermissionDenied):
            review.merge(ws, user=DOCUMENTER, incident_id=secret, into_id=public, comment="x", confidentiality=level)
    with pytest.raises(ServiceError, match="comment"):
        review.merge(ws, user=REVIEWER, incident_id=secret, into_id=public, comment="", confidentiality="public")
    with pytest.raises(ServiceError, match="unknown confidentiality"):
        review.merge(ws, user=REVIEWER, incident_id=secret, into_id=public, comment="x", confidentiality="open")
    outcome = review.merge(ws, user=ADMIN, incident_id=secret, into_id=public, comment="no one is named",
                           confidentiality="public")
    assert outcome.confidentiality is Confidentiality.PUBLIC and not outcome.withdrawn
    entry = _last(ws, public)
    assert (entry.action, entry.user, entry.after) == ("confidentiality", "admin", {"confidentiality": "public"})
    assert "looser than its stricter part (confidential)" in entry.comment and "no one is named" in entry.comment


@pytest.mark.parametrize("how", ["update", "accept_with_edit"])
def test_a_documenters_edit_to_a_public_incident_is_held(ws: Workspace, db: Database, how: str) -> None:
    target = _incident(db, "a", Confidentiality.PUBLIC)
    change = getattr(review, "update_incident" if how == "update" else "accept_with_edit")
    changed = change(ws, user=DOCUMENTER, incident_id=target, changes=IncidentChanges(description="Shelling."),
                     comment="from the video")
    assert changed == ["description", "confidentiality"] and changed.withdrawn
    assert _conf(ws, target) is Confidentiality.RESTRICTED
    actions = [(h.action, h.user, h.after) for h in repository.incident_history(ws.db, target)]
    assert ("withdraw", "amal", {"confidentiality": "restricted"}) in actions
    # An edit that changes nothing withdraws nothing; a reviewer's edit keeps it public.
    review.update_incident(ws, user=REVIEWER, incident_id=target, comment="checked",
                           changes=IncidentChanges(confidentiality="public"))
    assert review.update_incident(ws, user=DOCUMENTER, incident_id=target, comment="",
                                  changes=IncidentChanges(description="Shelling.")) == []
    assert _conf(ws, target) is Confidentiality.PUBLIC
    again = review.update_incident(ws, user=REVIEWER, incident_id=target, comment="tidy",
                                   changes=IncidentChanges(description="Shelling of Ariha."))
    assert again == ["description"] and not again.withdrawn and _conf(ws, target) is Confidentiality.PUBLIC
    # A documenter withdrawing it deliberately, or making it stricter, is their own edit.
    stricter = review.update_incident(ws, user=DOCUMENTER, incident_id=target, comment="names a minor",
                                      changes=IncidentChanges(confidentiality="confidential"))
    assert stricter == ["confidentiality"] and not stricter.withdrawn
    assert _conf(ws, target) is Confidentiality.CONFIDENTIAL


def test_every_viewer_projection_drops_claims_quotes_and_sources(ws: Workspace, db: Database) -> None:
    target = _incident(db, "a", Confidentiality.PUBLIC)
    hidden = ("Qzwitness", "Qzperp", "Qzvictims", "Qzdate", "Qzstaff")
    view = rec.get_incident_view(ws, user=VIEWER, incident_id=target)
    assert view.claims_by_field == {} and view.sources == view.history == view.persons == []
    shown = view.incident
    assert (shown.claims, shown.evidence, shown.source_id) == ([], [], None)
    assert shown.victims[0].count_min == 5 and shown.date.edtf == "2015-10-07" and shown.location.name == "Ariha"
    page = rec.query_incidents(ws, user=VIEWER, filters=rec.IncidentFilter())
    assert [(s.id, s.source_id, s.date_text) for s in page.items] == [(target, None, "")]
    for fmt in ("csv", "json", "geojson"):
        body, _, _ = rec.export_incidents(ws, user=VIEWER, filters=rec.IncidentFilter(), fmt=fmt)
        assert str(target) in body.decode() and not [m for m in hidden if m in body.decode()], fmt
    # The incident is an unreviewed suggestion: the map and the timeline count those only when asked.
    suggestions = rec.IncidentFilter(unreviewed=True)
    features = json.dumps(visuals.map_features(ws, user=VIEWER, filters=suggestions), ensure_ascii=False)
    items = visuals.timeline(ws, user=VIEWER, filters=suggestions).items
    assert f'"id": {target}' in features and "Qzdate" not in features
    assert [(i.id, i.date_text) for i in items] == [(target, "")]
    # Staff get the whole record from the same calls.
    staff = rec.get_incident_view(ws, user=DOCUMENTER, incident_id=target)
    assert staff.claims_by_field and staff.incident.victims[0].text == "Qzvictims 5 civilians"
    body, _, _ = rec.export_incidents(ws, user=DOCUMENTER, filters=rec.IncidentFilter(), fmt="json")
    assert all(m in body.decode() for m in ("Qzwitness", "Qzperp", "Qzvictims", "Qzdate"))
    assert visuals.timeline(ws, user=DOCUMENTER, filters=suggestions).items[0].date_text == "Qzdate 7 October"
