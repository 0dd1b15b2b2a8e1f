"""The review queue through the app: accept with an edit, reject, merge, CSRF and roles."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from _client import form_token, make_user, signed_in
from _record_helpers import SEED, text_of

from tawthiq.domain import vocab
from tawthiq.domain.enums import IncidentStatus
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, reading
from tawthiq.services.ingest import ingest_files
from tawthiq.store.history import incident_history
from tawthiq.store.incidents import get_incident


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    """The shared workspace with the founding seed report ingested."""
    (result,) = ingest_files(ws, [SEED])
    assert result.status == "new" and result.incidents >= 3
    return ws


def _queue_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="review-row" data-incident-id="(\d+)"', page)]


def test_review_queue_accept_with_an_edit_shows_on_the_incident_page_with_history(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    queue = client.get("/review")
    assert queue.status_code == 200
    ids = _queue_ids(queue.text)
    assert ids, "the seed article's suggestions are in the queue"
    incident_id = ids[0]
    page = client.get(f"/review/{incident_id}")
    assert page.status_code == 200
    assert 'data-testid="source-text"' in page.text and 'data-testid="evidence"' in page.text
    before = get_incident(ws.db, incident_id)
    assert before is not None and before.event_type != "air-drone-strike"
    form = {
        "csrf_token": form_token(page.text), "then": "accept", "event_type": "air-drone-strike",
        "violations": [*before.violations, "indiscriminate-attack"] if "indiscriminate-attack" not in before.violations
        else list(before.violations),
        "perpetrators": [i.actor for i in before.perpetrators],
        "place_name": before.location.name if before.location else "",
        "place_id": before.location.place_id if before.location else "",
        "date": before.date.edtf if before.date else "", "description": before.description,
        "confidentiality": str(before.confidentiality), "comment": "the report describes an air strike",
    }
    for i, v in enumerate(before.victims):
        form.update({f"victims-{i}-outcome": str(v.outcome), f"victims-{i}-kind": str(v.kind),
                     f"victims-{i}-unit": str(v.unit), f"victims-{i}-sex": str(v.sex), f"victims-{i}-age": str(v.age),
                     f"victims-{i}-count_min": "" if v.count_min is None else str(v.count_min),
                     f"victims-{i}-count_max": "" if v.count_max is None else str(v.count_max)})
    done = client.post(f"/review/{incident_id}/edit", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/review?done=accepted&id={incident_id}"
    after = get_incident(ws.db, incident_id)
    assert after is not None and after.event_type == "air-drone-strike"
    assert after.status is IncidentStatus.CONFIRMED
    assert incident_id not in _queue_ids(client.get("/review").text)

    shown = client.get(f"/incidents/{incident_id}")
    assert shown.status_code == 200
    assert 'data-value="air-drone-strike"' in shown.text
    assert 'data-value="indiscriminate-attack"' in shown.text
    history = shown.text[shown.text.index('data-testid="history"'):]
    plain = text_of(history)
    assert "nour" in plain and "the report describes an air strike" in plain
    # Before → after in words, as a sentence, never the codes.
    assert (f"nour changed the kind of event from {vocab.event_types()[before.event_type].en} "
            f"to {vocab.event_types()['air-drone-strike'].en}.") in plain
    assert "air-drone-strike" not in plain
    assert "nour accepted the incident." in plain


def test_reject_needs_a_comment_and_changes_nothing_without_one(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    page = client.get(f"/review/{incident_id}")
    refused = client.post(f"/review/{incident_id}/reject", data={"csrf_token": form_token(page.text), "comment": "  "})
    assert refused.status_code == 400
    assert 'data-testid="form-error"' in refused.text and "Write a short comment" in refused.text
    assert get_incident(ws.db, incident_id).status is IncidentStatus.SUGGESTED
    assert [e for e in incident_history(ws.db, incident_id) if e.action == "status"] == []

    done = client.post(f"/review/{incident_id}/reject",
                       data={"csrf_token": form_token(page.text), "comment": "an opinion piece, not an incident"},
                       follow_redirects=False)
    assert done.status_code == 303
    assert get_incident(ws.db, incident_id).status is IncidentStatus.REJECTED
    (entry,) = [e for e in incident_history(ws.db, incident_id) if e.action == "status"]
    assert entry.user == "nour" and entry.comment == "an opinion piece, not an incident"


def test_edit_without_comment_is_refused_and_keeps_the_input(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    page = client.get(f"/review/{incident_id}")
    before = get_incident(ws.db, incident_id)
    refused = client.post(f"/review/{incident_id}/edit", data={
        "csrf_token": form_token(page.text), "then": "accept", "event_type": "chemical-weapon",
        "description": "كتبها الموثّق: وصف جديد", "comment": ""})
    assert refused.status_code == 400
    assert "Write a short comment" in refused.text
    assert re.search(r'<option value="chemical-weapon" selected>', refused.text)  # the choice is kept
    assert "كتبها الموثّق: وصف جديد" in refused.text
    after = get_incident(ws.db, incident_id)
    assert after.event_type == before.event_type and after.status is IncidentStatus.SUGGESTED


def test_bad_victim_count_is_a_400_with_the_form_kept(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    page = client.get(f"/review/{incident_id}")
    refused = client.post(f"/review/{incident_id}/edit", data={
        "csrf_token": form_token(page.text), "then": "save", "event_type": get_incident(ws.db, incident_id).event_type,
        "victims-0-outcome": "killed", "victims-0-count_min": "9", "victims-0-count_max": "3", "comment": "count"})
    assert refused.status_code == 400
    assert "whole numbers" in refused.text and 'value="9"' in refused.text


def test_merge_folds_one_incident_into_another_which_then_lists_the_extra_source(ws: Workspace,
                                                                                  tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Raqqa, 3 February 2015: ISIS fighters executed a Japanese hostage in the countryside of "
                     "Latakia, activists said.\n", encoding="utf-8")
    (result,) = ingest_files(ws, [other])
    assert result.status == "new" and result.incidents >= 1
    extra_source = result.source_ids[0]
    user = make_user(ws, "nour", "documenter")
    client = signed_in(ws, "nour")
    dup = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=extra_source)).items[0].id
    target = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=1), sort="id").items[0].id
    page = client.get(f"/review/{dup}")
    assert 'data-testid="merge-form"' in page.text
    refused = client.post(f"/review/{dup}/merge", data={"csrf_token": form_token(page.text), "into_id": str(target),
                                                        "comment": ""})
    assert refused.status_code == 400 and get_incident(ws.db, dup).status is IncidentStatus.SUGGESTED
    done = client.post(f"/review/{dup}/merge", data={"csrf_token": form_token(page.text), "into_id": str(target),
                                                     "comment": "same execution, second report"},
                       follow_redirects=False)
    assert done.status_code == 303, done.text
    merged = get_incident(ws.db, dup)
    assert merged.status is IncidentStatus.MERGED and merged.merged_into_id == target
    shown = client.get(f"/incidents/{target}")
    assert f'href="/sources/{extra_source}"' in shown.text
    assert f'href="/incidents/{dup}"' in shown.text  # listed as merged into this one
    assert "merged into incident" in text_of(client.get(f"/incidents/{dup}").text)


def test_merging_into_a_missing_incident_is_a_400_on_the_form(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    page = client.get(f"/review/{incident_id}")
    refused = client.post(f"/review/{incident_id}/merge", data={"csrf_token": form_token(page.text),
                                                               "into_id": "99999", "comment": "dup"})
    assert refused.status_code == 400 and 'data-testid="merge-form"' in refused.text
    assert get_incident(ws.db, incident_id).status is IncidentStatus.SUGGESTED


def test_post_without_csrf_token_is_refused_and_changes_nothing(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    for action, data in (("accept", {}), ("reject", {"comment": "x"}), ("edit", {"event_type": "chemical-weapon",
                                                                                 "comment": "x", "then": "accept"})):
        refused = client.post(f"/review/{incident_id}/{action}", data=data)
        assert refused.status_code == 403, action
        wrong = client.post(f"/review/{incident_id}/{action}", data={**data, "csrf_token": "forged"})
        assert wrong.status_code == 403, action
    incident = get_incident(ws.db, incident_id)
    assert incident.status is IncidentStatus.SUGGESTED and incident.event_type != "chemical-weapon"
    assert incident_history(ws.db, incident_id) == [e for e in incident_history(ws.db, incident_id)
                                                    if e.action not in ("status", "edit")]


def test_viewer_cannot_open_the_queue(ws: Workspace) -> None:
    client = signed_in(ws, "guest", "viewer")
    assert client.get("/review").status_code == 403
    assert client.get("/review/1").status_code == 403
    assert client.get("/places/suggest?q=Raq").status_code == 403


def test_place_suggestions_endpoint_answers_json_in_both_scripts(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    found = client.get("/places/suggest", params={"q": "Raqq"})
    assert found.status_code == 200 and found.headers["content-type"].startswith("application/json")
    assert any(p["name"] == "Raqqa" and p["place_id"] for p in found.json())
    arabic = client.get("/places/suggest", params={"q": "الرق"}).json()
    assert any(p["name_ar"] == "الرقة" for p in arabic)
    assert client.get("/places/suggest", params={"q": ""}).json() == []


def test_typed_place_without_script_is_resolved_from_the_gazetteer(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    page = client.get(f"/review/{incident_id}")
    current = get_incident(ws.db, incident_id)
    done = client.post(f"/review/{incident_id}/edit", data={
        "csrf_token": form_token(page.text), "then": "save", "event_type": current.event_type,
        "violations": list(current.violations), "perpetrators": [i.actor for i in current.perpetrators],
        "place_name": "Homs", "date": "", "description": current.description,
        "confidentiality": str(current.confidentiality), "comment": "the report's place is Homs",
        **{k: v for i, g in enumerate(current.victims) for k, v in {
            f"victims-{i}-outcome": str(g.outcome), f"victims-{i}-kind": str(g.kind),
            f"victims-{i}-count_min": "" if g.count_min is None else str(g.count_min),
            f"victims-{i}-count_max": "" if g.count_max is None else str(g.count_max)}.items()},
    }, follow_redirects=False)
    assert done.status_code == 303, text_of(done.text)[:2000]
    after = get_incident(ws.db, incident_id)
    assert after.location is not None and after.location.name == "Homs"
    assert after.location.place_id and after.location.lat is not None
    assert after.location.precision == "town"  # the town, not the governorate of the same name
    assert after.status is IncidentStatus.SUGGESTED  # saved, not accepted


def test_review_pages_in_arabic_are_right_to_left_with_arabic_labels(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    queue = client.get("/review")
    switched = client.post("/language", data={"csrf_token": form_token(queue.text), "lang": "ar", "next": "/review"},
                           follow_redirects=False)
    assert switched.status_code == 303
    incident_id = _queue_ids(client.get("/review").text)[0]
    page = client.get(f"/review/{incident_id}")
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert ">قبول</button>" in page.text  # the accept button
    assert re.search(r'<option value="air-drone-strike"[^>]*>[^<]*[\u0600-\u06FF]', page.text)  # vocabulary in Arabic


def test_unknown_incident_in_review_is_a_404_page(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    page = client.get("/review/424242")
    assert page.status_code == 404 and "Traceback" not in page.text
    token = form_token(client.get("/review").text)
    assert client.post("/review/424242/accept", data={"csrf_token": token}).status_code == 404
    assert client.post("/review/424242/reject", data={"csrf_token": token, "comment": "x"}).status_code == 404


def test_rejected_incident_offers_no_more_decisions(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    page = client.get(f"/review/{incident_id}")
    client.post(f"/review/{incident_id}/reject", data={"csrf_token": form_token(page.text), "comment": "not an act"})
    again = client.get(f"/review/{incident_id}")
    assert again.status_code == 200 and 'data-status="rejected"' in again.text
    for testid in ("accept", "reject-form", "merge-form", "edit-form"):
        assert f'data-testid="{testid}"' not in again.text


def test_no_place_and_no_date_boxes_clear_them_with_the_reason_recorded(ws: Workspace) -> None:
    from tawthiq.domain.model import IncidentDate, Location
    from tawthiq.services import review

    client = signed_in(ws, "nour", "documenter")
    incident_id = _queue_ids(client.get("/review").text)[0]
    review.update_incident(ws, user=make_user(ws, "rana", "reviewer"), incident_id=incident_id,
                           changes=review.IncidentChanges(location=Location(name="Ariha", admin1="Idlib"),
                                                          date=IncidentDate(edtf="2015-10-07")),
                           comment="as a first reading")
    page = client.get(f"/review/{incident_id}")
    assert 'data-testid="edit-place-clear"' in page.text and 'data-testid="edit-date-clear"' in page.text
    current = get_incident(ws.db, incident_id)
    form = {
        "csrf_token": form_token(page.text), "then": "save", "event_type": current.event_type,
        "violations": list(current.violations), "perpetrators": [i.actor for i in current.perpetrators],
        # The fields still show the stored values; the ticked boxes win over them.
        "place_name": current.location.name, "place_id": current.location.place_id,
        "date": current.date.edtf, "description": current.description,
        "confidentiality": str(current.confidentiality),
        **{k: v for i, g in enumerate(current.victims) for k, v in {
            f"victims-{i}-outcome": str(g.outcome), f"victims-{i}-kind": str(g.kind),
            f"victims-{i}-unit": str(g.unit), f"victims-{i}-sex": str(g.sex), f"victims-{i}-age": str(g.age),
            f"victims-{i}-count_min": "" if g.count_min is None else str(g.count_min),
            f"victims-{i}-count_max": "" if g.count_max is None else str(g.count_max)}.items()},
    }
    refused = client.post(f"/review/{incident_id}/edit", data={**form, "place_clear": "1", "comment": ""})
    assert refused.status_code == 400 and re.search(r'name="place_clear" value="1"[^>]*checked', refused.text)
    done = client.post(f"/review/{incident_id}/edit", data={
        **form, "place_clear": "1", "date_clear": "1", "comment": "the article names another town"},
        follow_redirects=False)
    assert done.status_code == 303, text_of(done.text)[:2000]
    after = get_incident(ws.db, incident_id)
    assert after.location is None and after.date is None and after.status is IncidentStatus.SUGGESTED
    entry = [e for e in incident_history(ws.db, incident_id) if e.action == "edit"][-1]
    assert entry.after == {"location": None, "date": None} and entry.before["location"]["name"] == "Ariha"
    assert entry.before["date"]["edtf"] == "2015-10-07"
    assert entry.user == "nour" and entry.comment == "the article names another town"
    human = {(str(c.field), c.value) for c in after.claims if c.method == "human" and c.created_by == "nour"}
    assert human == {("location", None), ("date", None)}
    again = client.get(f"/review/{incident_id}")
    assert 'data-testid="edit-place-clear"' not in again.text  # nothing left to remove
