"""The second-reviewer step (issue 12, H2): a team setting, the verify refusal, and what viewers see.

With the setting on, an incident is published only once a reviewer other
than the one who accepted it verified it: the accepter's own verification is
refused, and an accepted but unverified public incident is absent from every
read a viewer makes (lists, facets, the incident page, search, counts, map,
timeline, dashboard, exports) until it is verified. Run on SQLite and
PostgreSQL (``-k postgresql`` with TAWTHIQ_TEST_DATABASE_URL set).
"""
from __future__ import annotations

import dataclasses
import json

import pytest
from _users import ADMIN, DOCUMENTER, REVIEWER, VIEWER

from tawthiq.domain import (
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Location,
    LocationPrecision,
    Source,
    SourceKind,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.access import Role, User
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, browse, overview, review, second_review, visuals
from tawthiq.services import reading as rec
from tawthiq.services.errors import NotFound, PermissionDenied
from tawthiq.store import repository
from tawthiq.store.history import history

MARKER = "Qzunverifiedmarker"
SECOND = User(id=5, username="sami", role=Role.REVIEWER)


def _incident(ws: Workspace, sha: str, *, description: str, conf: Confidentiality = Confidentiality.PUBLIC) -> int:
    incident = Incident(
        event_type="air-drone-strike", violations=["killing"], description=description,
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=7, count_max=7)],
        date=IncidentDate(edtf="2016-03-04"),
        location=Location(name="Saraqib", admin1="Idlib", lat=35.86, lon=36.80, precision=LocationPrecision.TOWN),
        confidentiality=conf,
    )
    _, _, [iid] = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=description), [incident])
    return iid


def _turn_on(ws: Workspace) -> None:
    assert second_review.set_required(ws, user=ADMIN, on=True, comment="two pairs of eyes before publication")


def _viewer_reads(ws: Workspace, incident_id: int) -> dict[str, str]:
    """Everything a viewer is given, by path, as text to search for the marker."""
    everything = IncidentFilter()
    out = {
        "list": json.dumps([dataclasses.asdict(s) for s in rec.query_incidents(
            ws, user=VIEWER, filters=everything).items], default=str),
        "verified list": json.dumps([dataclasses.asdict(s) for s in rec.query_incidents(
            ws, user=VIEWER, filters=IncidentFilter(q=MARKER)).items], default=str),
        "facets": json.dumps(rec.facet_counts(ws, user=VIEWER, filters=IncidentFilter(event_type="air-drone-strike"))),
        "search": json.dumps([dataclasses.asdict(h) for h in browse.search(ws, user=VIEWER, query=MARKER)],
                             default=str),
        "map": json.dumps(visuals.map_features(ws, user=VIEWER, filters=everything), default=str),
        "timeline": json.dumps([dataclasses.asdict(i) for i in visuals.timeline(ws, user=VIEWER).items],
                               default=str),
        "counts": json.dumps(dataclasses.asdict(overview.counts(ws, user=VIEWER))),
        "dashboard": json.dumps(dataclasses.asdict(visuals.dashboard(ws, user=VIEWER).total), default=str),
    }
    for fmt in ("csv", "json", "geojson"):
        out[fmt] = rec.export_incidents(ws, user=VIEWER, filters=everything, fmt=fmt)[0].decode("utf-8")
    try:
        out["page"] = rec.get_incident_view(ws, user=VIEWER, incident_id=incident_id).incident.description
    except NotFound:
        out["page"] = ""
    return out


def test_the_setting_is_off_until_an_admin_turns_it_on_with_a_reason(ws: Workspace) -> None:
    assert second_review.required(ws) is False
    with pytest.raises(second_review.SettingError) as refused:
        second_review.set_required(ws, user=ADMIN, on=True, comment="  ")
    assert refused.value.key == "reason_missing"
    for who in (REVIEWER, DOCUMENTER, VIEWER):
        with pytest.raises(PermissionDenied):
            second_review.set_required(ws, user=who, on=True, comment="why not")
        with pytest.raises(PermissionDenied):
            second_review.team_settings(ws, user=who)
    _turn_on(ws)
    assert second_review.required(ws) is True
    assert second_review.set_required(ws, user=ADMIN, on=True, comment="again") is False  # no change, no entry
    page = second_review.team_settings(ws, user=ADMIN)
    assert page.second_review is True
    [entry] = page.changes
    assert (entry.user, entry.action, entry.before, entry.after, entry.comment) == (
        "admin", "set", {"second_review": False}, {"second_review": True}, "two pairs of eyes before publication")
    assert entry.at is not None
    assert second_review.set_required(ws, user=ADMIN, on=False, comment="back to one reviewer") is True
    assert [e.after for e in second_review.team_settings(ws, user=ADMIN).changes] == [
        {"second_review": True}, {"second_review": False}]


def test_the_accepter_cannot_verify_another_reviewer_can(ws: Workspace) -> None:
    iid = _incident(ws, "a", description="An air strike on Saraqib.")
    _turn_on(ws)
    with pytest.raises(review.SecondReviewNeeded) as early:
        review.verify(ws, user=REVIEWER, incident_id=iid, comment="looks right")  # a suggestion nobody accepted
    assert early.value.key == "not_accepted"
    review.accept(ws, user=REVIEWER, incident_id=iid)
    with pytest.raises(review.SecondReviewNeeded) as same:
        review.verify(ws, user=REVIEWER, incident_id=iid, comment="checked")
    assert same.value.key == "same_reviewer"
    assert repository.get_incident(ws.db, iid).status is IncidentStatus.CONFIRMED
    assert [e.action for e in repository.incident_history(ws.db, iid)][-1] == "status"  # the refusal wrote nothing
    review.verify(ws, user=SECOND, incident_id=iid, comment="checked against the video")
    assert repository.get_incident(ws.db, iid).status is IncidentStatus.VERIFIED
    last = repository.incident_history(ws.db, iid)[-1]
    assert (last.user, last.after, last.comment) == ("sami", {"status": "verified"}, "checked against the video")


def test_corrected_and_accepted_counts_as_accepting(ws: Workspace) -> None:
    iid = _incident(ws, "b", description="An air strike on Saraqib.")
    _turn_on(ws)
    review.accept_with_edit(ws, user=SECOND, incident_id=iid, changes=review.IncidentChanges(
        description="An air strike on Saraqib market."), comment="the market, per the second report")
    with pytest.raises(review.SecondReviewNeeded):
        review.verify(ws, user=SECOND, incident_id=iid)
    review.verify(ws, user=REVIEWER, incident_id=iid)
    assert repository.get_incident(ws.db, iid).status is IncidentStatus.VERIFIED


def test_the_accepter_is_the_latest_one(ws: Workspace) -> None:
    """Accepted by one, sent back, accepted again by another: the second is the one who may not verify."""
    iid = _incident(ws, "c", description="An air strike on Saraqib.")
    _turn_on(ws)
    review.accept(ws, user=REVIEWER, incident_id=iid)
    review.reject(ws, user=SECOND, incident_id=iid, comment="wrong town")
    review.accept(ws, user=SECOND, incident_id=iid, comment="the town was right after all")
    with pytest.raises(review.SecondReviewNeeded):
        review.verify(ws, user=SECOND, incident_id=iid)
    review.verify(ws, user=REVIEWER, incident_id=iid)


def test_with_the_setting_off_one_reviewer_may_accept_and_verify(ws: Workspace) -> None:
    iid = _incident(ws, "d", description="An air strike on Saraqib.")
    review.accept(ws, user=REVIEWER, incident_id=iid)
    review.verify(ws, user=REVIEWER, incident_id=iid)
    assert repository.get_incident(ws.db, iid).status is IncidentStatus.VERIFIED
    other = _incident(ws, "e", description="Another strike.")
    review.verify(ws, user=REVIEWER, incident_id=other)  # straight from a suggestion, as before
    assert repository.get_incident(ws.db, other).status is IncidentStatus.VERIFIED


def test_a_documenter_still_may_not_verify(ws: Workspace) -> None:
    iid = _incident(ws, "f", description="An air strike on Saraqib.")
    _turn_on(ws)
    review.accept(ws, user=REVIEWER, incident_id=iid)
    with pytest.raises(PermissionDenied):
        review.verify(ws, user=DOCUMENTER, incident_id=iid)


def test_viewers_do_not_see_an_accepted_unverified_incident_until_verified(ws: Workspace) -> None:
    shown = _incident(ws, "1", description="A published strike, verified long ago.")
    review.accept(ws, user=REVIEWER, incident_id=shown)
    review.verify(ws, user=SECOND, incident_id=shown)
    iid = _incident(ws, "2", description=f"An air strike {MARKER} on Saraqib.")
    review.accept(ws, user=REVIEWER, incident_id=iid)
    # Off: the accepted public incident is published as before, and the cached figures count it.
    before = _viewer_reads(ws, iid)
    assert MARKER in before["list"] and MARKER in before["csv"] and MARKER in before["page"]
    assert json.loads(before["counts"])["incidents"] == 2

    _turn_on(ws)
    hidden = _viewer_reads(ws, iid)
    for path, text in hidden.items():
        assert MARKER not in text, path
    assert json.loads(hidden["counts"])["incidents"] == 1
    assert json.loads(hidden["facets"])["event_type"] == [["air-drone-strike", 1]]
    assert json.loads(hidden["dashboard"])["incidents"] == 1  # not served from the cache made before
    assert len(json.loads(hidden["geojson"])["features"]) == 1
    assert len(json.loads(hidden["map"])["features"]) == 1
    assert "A published strike" in hidden["list"]
    assert [i.id for i in visuals.timeline(ws, user=VIEWER).items] == [shown]
    with pytest.raises(NotFound):
        rec.get_incident_view(ws, user=VIEWER, incident_id=iid)
    # Staff see it, marked as it is.
    for who in (DOCUMENTER, REVIEWER, ADMIN):
        assert rec.get_incident_view(ws, user=who, incident_id=iid).incident.status is IncidentStatus.CONFIRMED
        assert iid in [s.id for s in rec.query_incidents(ws, user=who, filters=IncidentFilter()).items]

    review.verify(ws, user=SECOND, incident_id=iid, comment="checked")
    after = _viewer_reads(ws, iid)
    for path in ("list", "verified list", "search", "csv", "json", "geojson", "page"):
        assert MARKER in after[path], path
    assert len(json.loads(after["map"])["features"]) == 2  # features carry no description
    assert iid in [i.id for i in visuals.timeline(ws, user=VIEWER).items]  # items carry no description
    assert json.loads(after["counts"])["incidents"] == 2


def test_restricted_incidents_stay_hidden_whatever_the_setting(ws: Workspace) -> None:
    iid = _incident(ws, "3", description=f"A restricted {MARKER} report.", conf=Confidentiality.RESTRICTED)
    _turn_on(ws)
    review.accept(ws, user=REVIEWER, incident_id=iid)
    review.verify(ws, user=SECOND, incident_id=iid)
    for path, text in _viewer_reads(ws, iid).items():
        assert MARKER not in text, path


def test_merged_references_follow_the_rule(ws: Workspace) -> None:
    """A published incident's page does not name an unverified one merged into it."""
    kept = _incident(ws, "4", description="The strike, as verified.")
    review.accept(ws, user=REVIEWER, incident_id=kept)
    review.verify(ws, user=SECOND, incident_id=kept)
    dup = _incident(ws, "5", description="The same strike, told again.")
    review.accept(ws, user=REVIEWER, incident_id=dup)
    _turn_on(ws)
    review.merge(ws, user=REVIEWER, incident_id=dup, into_id=kept, comment="the same strike")
    view = rec.get_incident_view(ws, user=VIEWER, incident_id=kept)
    assert view.merged_from == []  # the merged one was never verified: a viewer is not told of it
    assert rec.get_incident_view(ws, user=REVIEWER, incident_id=kept).merged_from == [dup]


def test_the_list_to_verify(ws: Workspace) -> None:
    mine = _incident(ws, "6", description="Accepted by Rana.")
    theirs = _incident(ws, "7", description="Accepted by Sami.")
    waiting = _incident(ws, "8", description="Still a suggestion.")
    done = _incident(ws, "9", description="Already verified.")
    review.accept(ws, user=REVIEWER, incident_id=mine)
    review.accept(ws, user=SECOND, incident_id=theirs)
    review.accept(ws, user=SECOND, incident_id=done)
    review.verify(ws, user=REVIEWER, incident_id=done)
    page = second_review.verify_queue(ws, user=REVIEWER, sort="id")
    assert [r.summary.id for r in page.rows] == [mine, theirs]
    assert waiting not in [r.summary.id for r in page.rows]
    assert [(r.accepted_by, r.mine) for r in page.rows] == [("rana", True), ("sami", False)]
    assert page.total == 2 and page.required is False
    assert dict(page.facets["event_type"]) == {"air-drone-strike": 2}  # counted over the list only
    _turn_on(ws)
    assert second_review.verify_queue(ws, user=ADMIN).required is True
    filtered = second_review.verify_queue(ws, user=REVIEWER, filters=IncidentFilter(governorate="Aleppo"))
    assert filtered.rows == [] and filtered.total == 0
    for who in (DOCUMENTER, VIEWER):
        with pytest.raises(PermissionDenied):
            second_review.verify_queue(ws, user=who)
    with pytest.raises(rec.ServiceError):
        second_review.verify_queue(ws, user=REVIEWER, sort="drop table")
    assert second_review.team_settings(ws, user=ADMIN).waiting == 2


def test_the_setting_history_is_in_the_audit_log(ws: Workspace) -> None:
    from tawthiq.store.vocabulary import setting_id

    _turn_on(ws)
    entries = history(ws.db, entity="setting", entity_id=setting_id(ws.db, "second_review") or 0)
    assert [(e.user, e.comment) for e in entries] == [("admin", "two pairs of eyes before publication")]
