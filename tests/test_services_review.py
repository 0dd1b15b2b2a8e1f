"""Writing services: each decision's permission, its audit entry, and its effect on the record."""
from __future__ import annotations

from dataclasses import replace

import pytest
from _users import DOCUMENTER, REVIEWER, VIEWER

from tawthiq.domain import (
    Claim,
    ClaimField,
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Involvement,
    InvolvementRole,
    Location,
    Source,
    SourceKind,
    Span,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.services import Workspace, review
from tawthiq.services import reading as rec
from tawthiq.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from tawthiq.services.review import IncidentChanges
from tawthiq.store import repository
from tawthiq.store.db import Database

TEXT = "Russian aircraft struck Ariha on 7 October 2015, killing 5 civilians. قصف بحلب."
SECOND = "A second report: the strike on Ariha killed at least 6 people."


def _suggestion(text: str) -> Incident:
    span = Span.of(text, 0, 23)
    return Incident(
        event_type="air-drone-strike", violations=["killing"], description=text[:40],
        involvements=[Involvement(actor="russia"), Involvement(actor="isis", role=InvolvementRole.TARGET)],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=5, count_max=5)],
        date=IncidentDate(edtf="2015-10-07"), location=Location(name="Ariha", admin1="Idlib"),
        claims=[Claim(field=ClaimField.EVENT_TYPE, value="air-drone-strike", span=span, method="rule:trigger"),
                Claim(field=ClaimField.PERPETRATOR, value="russia", span=span, method="rule:actor")],
    )


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, sha, text in (("first", "a", TEXT), ("second", "b", SECOND)):
        sid, _, [iid] = repository.add_source_with_incidents(
            db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=text), [_suggestion(text)])
        out[name], out[f"{name}_source"] = iid, sid
    return out


def _last(ws: Workspace, incident_id: int) -> repository.AuditEntry:
    return repository.incident_history(ws.db, incident_id)[-1]


# ------------------------------------------------------------------ status


def test_accept_records_who_when_what_why(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(PermissionDenied):
        review.accept(ws, user=VIEWER, incident_id=ids["first"])
    review.accept(ws, user=DOCUMENTER, incident_id=ids["first"], comment="matches the report")
    assert repository.get_incident(ws.db, ids["first"]).status is IncidentStatus.CONFIRMED
    entry = _last(ws, ids["first"])
    assert (entry.user, entry.action, entry.comment) == ("amal", "status", "matches the report")
    assert entry.before == {"status": "suggested"} and entry.after == {"status": "confirmed"}
    assert entry.at is not None


def test_reject_a_suggestion_needs_a_comment(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(ServiceError, match="a comment is needed to reject a suggestion"):
        review.reject(ws, user=DOCUMENTER, incident_id=ids["first"], comment="  ")
    assert repository.get_incident(ws.db, ids["first"]).status is IncidentStatus.SUGGESTED
    review.reject(ws, user=DOCUMENTER, incident_id=ids["first"], comment="not an incident: a commemoration")
    assert repository.get_incident(ws.db, ids["first"]).status is IncidentStatus.REJECTED
    assert _last(ws, ids["first"]).after == {"status": "rejected"}


def test_verify_needs_a_reviewer(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(PermissionDenied):
        review.verify(ws, user=DOCUMENTER, incident_id=ids["first"])
    review.verify(ws, user=REVIEWER, incident_id=ids["first"], comment="checked both sources")
    assert repository.get_incident(ws.db, ids["first"]).status is IncidentStatus.VERIFIED
    assert _last(ws, ids["first"]).user == "rana"


def test_decisions_on_hidden_or_missing_incidents(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(NotFound):
        review.accept(ws, user=DOCUMENTER, incident_id=999_999)
    disabled = replace(DOCUMENTER, disabled=True)
    with pytest.raises(PermissionDenied):
        review.accept(ws, user=disabled, incident_id=ids["first"])


# -------------------------------------------------------------------- edit


def test_edit_records_changed_fields_and_human_claims(ws: Workspace, ids: dict[str, int]) -> None:
    span = Span.of(TEXT, 58, 69)
    changes = IncidentChanges(
        event_type="air-drone-strike",  # unchanged: not recorded
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=5, count_max=6)],
        date=IncidentDate(edtf="2015-10"), spans={"victims": span},
    )
    with pytest.raises(ServiceError, match="a comment is needed"):
        review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"], changes=changes, comment="")
    changed = review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"], changes=changes,
                                     comment="count per the second report")
    assert sorted(changed) == ["date", "victims"]
    incident = repository.get_incident(ws.db, ids["first"])
    assert incident.victims[0].count_max == 6 and incident.date.edtf == "2015-10"
    assert [i.actor for i in incident.involvements] == ["russia", "isis"]  # untouched
    entry = _last(ws, ids["first"])
    assert entry.action == "edit" and entry.user == "amal" and entry.comment == "count per the second report"
    assert set(entry.before) == set(entry.after) == {"date", "victims"}
    assert entry.before["date"]["edtf"] == "2015-10-07" and entry.after["victims"][0]["count_max"] == 6
    human = [c for c in incident.claims if c.method == "human"]
    assert {c.field for c in human} == {ClaimField.VICTIMS, ClaimField.DATE}
    victims_claim = next(c for c in human if c.field is ClaimField.VICTIMS)
    assert victims_claim.span == span and victims_claim.source_id == ids["first_source"]
    assert victims_claim.created_by == "amal" and victims_claim.confidence == 1.0
    assert review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"], changes=changes,
                                  comment="again") == []  # nothing left to change, nothing recorded
    assert _last(ws, ids["first"]).id == entry.id


def test_edit_validation(ws: Workspace, ids: dict[str, int]) -> None:
    bad = [
        (IncidentChanges(event_type="picnic"), "unknown event type"),
        (IncidentChanges(violations=["killing", "rudeness"]), "unknown violation"),
        (IncidentChanges(perpetrators=["martians"]), "unknown actor"),
        (IncidentChanges(date=IncidentDate(edtf="last spring")), "not a valid EDTF date"),
        (IncidentChanges(victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=9, count_max=2)]),
         "victim counts"),
        (IncidentChanges(description="x", spans={"description": Span(0, 7, "Turkish")}), "does not match"),
        (IncidentChanges(description="x", spans={"description": Span(0, 9999, "x")}), "outside the source"),
    ]
    for changes, message in bad:
        with pytest.raises(ServiceError, match=message):
            review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"], changes=changes, comment="c")
    assert [h.action for h in repository.incident_history(ws.db, ids["first"])] == ["create"]


def test_edit_perpetrators_keep_targets_and_reindex(ws: Workspace, ids: dict[str, int]) -> None:
    review.accept(ws, user=DOCUMENTER, incident_id=ids["first"])
    changes = IncidentChanges(perpetrators=["syrian-government"], description="Barrel bombs on Saraqib market")
    with pytest.raises(ServiceError, match="a comment is needed"):  # perpetrator claims are all machine-made
        review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"], changes=changes, comment="")
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"], changes=changes, comment="video shows")
    incident = repository.get_incident(ws.db, ids["first"])
    assert [(i.actor, i.role) for i in incident.involvements] == [
        ("syrian-government", InvolvementRole.PERPETRATOR), ("isis", InvolvementRole.TARGET)]
    found = rec.query_incidents(ws, user=DOCUMENTER, filters=rec.IncidentFilter(q="saraqib"))
    assert [s.id for s in found.items] == [ids["first"]]
    # Now a person's claim backs the perpetrator: a further change needs no comment on a confirmed incident.
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"],
                           changes=IncidentChanges(perpetrators=["russia"]), comment="")
    assert _last(ws, ids["first"]).after == {"perpetrators": [{"actor": "russia", "degree": "carried-out",
                                                               "text": ""}]}


def test_publishing_needs_publish(ws: Workspace, ids: dict[str, int]) -> None:
    public = IncidentChanges(confidentiality=Confidentiality.PUBLIC)
    with pytest.raises(PermissionDenied):
        review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"], changes=public, comment="ok")
    review.update_incident(ws, user=REVIEWER, incident_id=ids["first"], changes=public, comment="cleared")
    assert repository.get_incident(ws.db, ids["first"]).confidentiality is Confidentiality.PUBLIC
    assert _last(ws, ids["first"]).after == {"confidentiality": "public"}
    # Withdrawing from public is an ordinary edit.
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["first"],
                           changes=IncidentChanges(confidentiality="restricted"), comment="names a minor")


def test_accept_with_edit_is_one_transaction(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(ServiceError):
        review.accept_with_edit(ws, user=DOCUMENTER, incident_id=ids["first"],
                                changes=IncidentChanges(description="ok", violations=["nope"]), comment="x")
    assert repository.get_incident(ws.db, ids["first"]).status is IncidentStatus.SUGGESTED
    review.accept_with_edit(ws, user=DOCUMENTER, incident_id=ids["first"],
                            changes=IncidentChanges(location=Location(name="Saraqib", admin1="Idlib")),
                            comment="place was wrong")
    incident = repository.get_incident(ws.db, ids["first"])
    assert incident.status is IncidentStatus.CONFIRMED and incident.location.name == "Saraqib"
    assert [h.action for h in repository.incident_history(ws.db, ids["first"])] == ["create", "edit", "status"]
    by_place = rec.query_incidents(ws, user=DOCUMENTER, filters=rec.IncidentFilter(governorate="Idlib"))
    assert by_place.total == 2


def _same(current: Incident) -> IncidentChanges:
    return IncidentChanges()


def _described(current: Incident) -> IncidentChanges:
    return IncidentChanges(description="Strike on Ariha, corrected")


def test_correct_saves_or_accepts_and_says_which(ws: Workspace, ids: dict[str, int]) -> None:
    first, second = ids["first"], ids["second"]
    history = len(repository.incident_history(ws.db, first))
    assert review.correct(ws, user=DOCUMENTER, incident_id=first, changes=_same, comment="",
                          then_accept=False) is review.Correction.UNCHANGED
    assert len(repository.incident_history(ws.db, first)) == history  # nothing asked, nothing recorded
    with pytest.raises(review.CommentMissing):  # changing a suggestion: say why, before anything is written
        review.correct(ws, user=DOCUMENTER, incident_id=first, changes=_described, comment="  ", then_accept=True)
    assert repository.get_incident(ws.db, first).status is IncidentStatus.SUGGESTED
    seen: list[str] = []

    def recorded(current: Incident) -> IncidentChanges:
        seen.append(current.description)  # the incident as stored, to read the form against
        return _described(current)

    assert review.correct(ws, user=DOCUMENTER, incident_id=first, changes=recorded, comment="the report says so",
                          then_accept=True) is review.Correction.ACCEPTED
    incident = repository.get_incident(ws.db, first)
    assert seen == [TEXT[:40]]
    assert incident.status is IncidentStatus.CONFIRMED and incident.description == "Strike on Ariha, corrected"
    assert [h.action for h in repository.incident_history(ws.db, first)][-2:] == ["edit", "status"]
    # Accepting as it stands needs no comment; a confirmed incident is then edited, not accepted again.
    assert review.correct(ws, user=DOCUMENTER, incident_id=second, changes=_same, comment="",
                          then_accept=True) is review.Correction.ACCEPTED
    assert review.correct(ws, user=DOCUMENTER, incident_id=second, changes=_described, comment="",
                          then_accept=True) is review.Correction.EDITED
    assert repository.get_incident(ws.db, second).description == "Strike on Ariha, corrected"
    with pytest.raises(NotFound):
        review.correct(ws, user=DOCUMENTER, incident_id=99999, changes=_same, comment="", then_accept=False)


def test_correct_to_public_is_a_reviewers_decision(ws: Workspace, ids: dict[str, int]) -> None:
    def public(current: Incident) -> IncidentChanges:
        return IncidentChanges(confidentiality=Confidentiality.PUBLIC)

    with pytest.raises(review.PublishNeedsReviewer):
        review.correct(ws, user=DOCUMENTER, incident_id=ids["first"], changes=public, comment="ok",
                       then_accept=False)
    assert repository.get_incident(ws.db, ids["first"]).confidentiality is Confidentiality.RESTRICTED
    assert review.correct(ws, user=REVIEWER, incident_id=ids["first"], changes=public, comment="cleared",
                          then_accept=False) is review.Correction.EDITED
    # A documenter's change to the public incident takes it out of publication.
    assert review.correct(ws, user=DOCUMENTER, incident_id=ids["first"], changes=_described, comment="typo",
                          then_accept=True) is review.Correction.ACCEPTED_HELD
    assert repository.get_incident(ws.db, ids["first"]).confidentiality is Confidentiality.RESTRICTED


def test_reject_without_a_comment_is_told_apart(ws: Workspace, ids: dict[str, int]) -> None:
    # The pages ask for the comment in their own language: the service says which failure it is.
    with pytest.raises(review.CommentMissing):
        review.reject(ws, user=DOCUMENTER, incident_id=ids["first"], comment="")


# ------------------------------------------------------------------- merge


def test_merge_copies_claims_and_keeps_target_victims(ws: Workspace, ids: dict[str, int]) -> None:
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["second"], comment="6 per this report",
                           changes=IncidentChanges(victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=6)]))
    copied = review.merge(ws, user=DOCUMENTER, incident_id=ids["second"], into_id=ids["first"], comment="duplicate")
    merged = repository.get_incident(ws.db, ids["second"])
    target = repository.get_incident(ws.db, ids["first"])
    assert merged.status is IncidentStatus.MERGED and merged.merged_into_id == ids["first"]
    assert copied.claims_copied == len(merged.claims) == 3 and not copied.withdrawn
    notes = [c for c in target.claims if c.note.startswith(f"merged from #{ids['second']}")]
    assert len(notes) == 3 and {c.source_id for c in notes} == {ids["second_source"]}
    assert notes[0].span == merged.claims[0].span
    assert target.victims[0].count_min == 5  # not silently changed
    assert _last(ws, ids["second"]).after == {"status": "merged", "merged_into_id": ids["first"]}
    assert _last(ws, ids["first"]).action == "merge-in" and _last(ws, ids["first"]).comment == "duplicate"
    view = rec.get_incident_view(ws, user=DOCUMENTER, incident_id=ids["first"])
    assert {s.id for s in view.sources} == {ids["first_source"], ids["second_source"]}
    assert view.merged_from == [ids["second"]]
    assert rec.get_incident_view(ws, user=DOCUMENTER, incident_id=ids["second"]).merged_into == ids["first"]
    source_view = rec.get_source_view(ws, user=DOCUMENTER, source_id=ids["second_source"])
    assert {s.id for s in source_view.incidents} == {ids["first"]}  # the merged one is hidden in lists



def test_a_merge_is_the_persons_same_judgement_on_the_pair(ws: Workspace, ids: dict[str, int]) -> None:
    from tawthiq.domain.judgements import Subject, Verdict
    from tawthiq.store import judgements

    review.merge(ws, user=DOCUMENTER, incident_id=ids["second"], into_id=ids["first"], comment="same strike")
    (made,) = judgements.of_pair(ws.db, Subject.INCIDENT, ids["first"], ids["second"])
    assert (made.verdict, made.actor, made.by_person, made.comment) == (
        Verdict.SAME, DOCUMENTER.username, True, "same strike")
    assert judgements.same_pairs(ws.db, Subject.INCIDENT) == [tuple(sorted((ids["first"], ids["second"])))]
    # A refused merge records no judgement (the merge and its judgement are one transaction).
    with pytest.raises(Conflict):
        review.merge(ws, user=DOCUMENTER, incident_id=ids["first"], into_id=ids["second"], comment="")
    assert len(judgements.of_pair(ws.db, Subject.INCIDENT, ids["first"], ids["second"])) == 1


def test_merge_errors(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(Conflict):
        review.merge(ws, user=DOCUMENTER, incident_id=ids["first"], into_id=ids["first"], comment="")
    with pytest.raises(NotFound):
        review.merge(ws, user=DOCUMENTER, incident_id=ids["first"], into_id=999_999, comment="")
    with pytest.raises(PermissionDenied):
        review.merge(ws, user=VIEWER, incident_id=ids["first"], into_id=ids["second"], comment="")
    review.reject(ws, user=DOCUMENTER, incident_id=ids["second"], comment="not an event")
    with pytest.raises(Conflict, match="rejected"):
        review.merge(ws, user=DOCUMENTER, incident_id=ids["first"], into_id=ids["second"], comment="")
    third = repository.add_incident(ws.db, _suggestion(TEXT))
    review.merge(ws, user=DOCUMENTER, incident_id=third, into_id=ids["first"], comment="dup")
    with pytest.raises(Conflict, match="merged"):
        review.merge(ws, user=DOCUMENTER, incident_id=ids["first"], into_id=third, comment="")
    with pytest.raises(Conflict, match="already merged"):
        review.merge(ws, user=DOCUMENTER, incident_id=third, into_id=ids["first"], comment="")
    with pytest.raises(Conflict):
        review.accept(ws, user=DOCUMENTER, incident_id=third)


# ------------------------------------------------------------------ create


def test_create_incident_cites_checked_spans(ws: Workspace, ids: dict[str, int]) -> None:
    incident = Incident(event_type="air-drone-strike", violations=["killing"], description="Strike on Ariha",
                        involvements=[Involvement(actor="russia")], date=IncidentDate(edtf="2015-10-07"),
                        location=Location(name="Ariha", admin1="Idlib"))
    sid = ids["first_source"]
    with pytest.raises(ServiceError, match="does not match"):
        review.create_incident(ws, user=DOCUMENTER, incident=incident, source_id=sid,
                               spans={"event_type": Span(0, 7, "Turkish")})
    with pytest.raises(ServiceError, match="outside"):
        review.create_incident(ws, user=DOCUMENTER, incident=incident, source_id=sid,
                               spans={"event_type": Span(70, 500, TEXT[70:])})
    with pytest.raises(PermissionDenied):
        review.create_incident(ws, user=VIEWER, incident=incident, source_id=sid)
    with pytest.raises(PermissionDenied):  # publishing needs a reviewer
        review.create_incident(ws, user=DOCUMENTER, incident=replace(incident, confidentiality="public"),
                               source_id=sid)
    span = Span.of(TEXT, 0, 23)
    new_id = review.create_incident(ws, user=DOCUMENTER, incident=incident, source_id=sid,
                                    spans={"event_type": span, "perpetrators": span}, comment="from the report")
    stored = repository.get_incident(ws.db, new_id)
    assert stored.status is IncidentStatus.CONFIRMED and stored.source_id == sid
    assert all(c.method == "human" and c.created_by == "amal" for c in stored.claims)
    by_field = {c.field: c for c in stored.claims}
    assert by_field[ClaimField.EVENT_TYPE].span == span and by_field[ClaimField.PERPETRATOR].value == "russia"
    assert by_field[ClaimField.DATE].span is None and by_field[ClaimField.DATE].source_id is None
    assert _last(ws, new_id).user == "amal"


def test_source_evaluation(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(PermissionDenied):
        review.set_source_evaluation(ws, user=VIEWER, source_id=ids["first_source"], reliability="B",
                                     credibility="2")
    with pytest.raises(ServiceError, match="reliability is A-F"):
        review.set_source_evaluation(ws, user=DOCUMENTER, source_id=ids["first_source"], reliability="Z",
                                     credibility="2")
    with pytest.raises(review.GradeReasonMissing):
        review.set_source_evaluation(ws, user=DOCUMENTER, source_id=ids["first_source"], reliability="B",
                                     credibility="2", note="  ")
    with pytest.raises(NotFound):
        review.set_source_evaluation(ws, user=DOCUMENTER, source_id=999, reliability="B", credibility="2",
                                     note="why")
    review.set_source_evaluation(ws, user=DOCUMENTER, source_id=ids["first_source"], reliability="B",
                                 credibility="2", note="known local network")
    graded = repository.get_source(ws.db, ids["first_source"]).evaluation
    assert (str(graded.reliability), str(graded.credibility), graded.graded_by) == ("B", "2", "amal")
    [entry] = repository.history(ws.db, entity="source", entity_id=ids["first_source"])
    assert entry.comment == "known local network" and entry.after["reliability"] == "B"
