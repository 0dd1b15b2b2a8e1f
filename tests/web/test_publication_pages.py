"""Issue 9, B on the pages: a documenter's correction or merge never goes public without a reviewer,
merges take the stricter confidentiality, the pages say so in both languages, and a viewer's
incident page carries no claims."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from _client import form_token, make_user, signed_in
from _record_helpers import ingest_text, text_of

from tawthiq.domain.enums import Confidentiality
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.model import Incident
from tawthiq.services import Workspace, reading, review
from tawthiq.store.history import incident_history
from tawthiq.store.incidents import get_incident

ARIHA = "Ariha, 12 May 2019: Russian jets struck a bakery in Ariha, killing two civilians, a witness said.\n"
DOUMA = "دوما، 15 تشرين الثاني 2017: قتل ثلاثة مدنيين جراء قصف قوات النظام على سوق مدينة دوما.\n"


def _setup(ws: Workspace, tmp: Path, second: str) -> tuple[int, int]:
    """(a public incident, another one at confidentiality ``second``), both confirmed."""
    reviewer = make_user(ws, "rana", "reviewer")
    make_user(ws, "nour", "documenter")
    make_user(ws, "vera", "viewer")
    ids = []
    for name, text, level in (("ariha.txt", ARIHA, "public"), ("douma.txt", DOUMA, second)):
        (source_id,) = ingest_text(ws, tmp, name, text)
        found = reading.query_incidents(ws, user=reviewer, filters=IncidentFilter(source_id=source_id))
        incident_id = found.items[0].id
        review.accept_with_edit(ws, user=reviewer, incident_id=incident_id, comment="checked",
                                changes=review.IncidentChanges(confidentiality=level))
        ids.append(incident_id)
    return ids[0], ids[1]


def _edit_form(incident: Incident, csrf: str, **changes: str) -> dict[str, Any]:
    """The correction form as the page fills it for ``incident``, with ``changes`` typed in."""
    loc = incident.location
    form: dict[str, Any] = {
        "csrf_token": csrf, "then": "save", "event_type": incident.event_type,
        "violations": list(incident.violations), "perpetrators": [i.actor for i in incident.perpetrators],
        "place_name": loc.name if loc else "", "place_id": loc.place_id if loc else "",
        "date": incident.date.edtf if incident.date else "", "description": incident.description,
        "confidentiality": str(incident.confidentiality), "comment": "",
    }
    for i, v in enumerate(incident.victims):
        form.update({f"victims-{i}-outcome": str(v.outcome), f"victims-{i}-kind": str(v.kind),
                     f"victims-{i}-unit": str(v.unit), f"victims-{i}-sex": str(v.sex), f"victims-{i}-age": str(v.age),
                     f"victims-{i}-count_min": "" if v.count_min is None else str(v.count_min),
                     f"victims-{i}-count_max": "" if v.count_max is None else str(v.count_max)})
    form.update(changes)
    return form


def test_a_documenters_correction_of_a_public_incident_is_held_and_said(ws: Workspace, tmp_path: Path) -> None:
    public, _ = _setup(ws, tmp_path, "restricted")
    viewer = signed_in(ws, "vera")
    assert viewer.get(f"/incidents/{public}").status_code == 200
    documenter = signed_in(ws, "nour")
    page = documenter.get(f"/review/{public}")
    assert 'data-testid="edit-held-warning"' in page.text and "takes it out of publication" in page.text
    arabic_form = signed_in(ws, "rana", lang="ar")  # a reviewer is not warned, in either language
    assert "يُخرجها من النشر" not in arabic_form.get(f"/review/{public}").text
    done = documenter.post(f"/review/{public}/edit", follow_redirects=False, data=_edit_form(
        get_incident(ws.db, public), form_token(page.text), description="Two killed in a bakery strike.",
        comment="shorter"))
    assert done.status_code == 303 and done.headers["location"] == f"/incidents/{public}?done=edited_held"
    shown = documenter.get(done.headers["location"])
    assert "It is no longer public" in text_of(shown.text) and 'data-status' in shown.text
    assert get_incident(ws.db, public).confidentiality is Confidentiality.RESTRICTED
    history = text_of(shown.text[shown.text.index('data-testid="history"'):])
    assert "out of publication until a reviewer publishes it again" in history
    assert viewer.get(f"/incidents/{public}").status_code == 404
    arabic = signed_in(ws, "nour", lang="ar")  # from now on nour reads Arabic
    assert "لم تعد علنية" in arabic.get(f"/incidents/{public}?done=edited_held").text
    review.update_incident(ws, user=make_user(ws, "adam", "admin"), incident_id=public, comment="checked",
                           changes=review.IncidentChanges(confidentiality="public"))
    assert "يُخرجها من النشر" in arabic.get(f"/review/{public}").text


def test_a_documenters_merge_into_a_public_incident_is_held_and_said(ws: Workspace, tmp_path: Path) -> None:
    public, secret = _setup(ws, tmp_path, "confidential")
    documenter = signed_in(ws, "nour")
    page = documenter.get(f"/review/{secret}")
    assert 'data-testid="merge-confidentiality-help"' in page.text
    assert 'data-testid="merge-confidentiality"' not in page.text  # the choice is a reviewer's
    done = documenter.post(f"/review/{secret}/merge", follow_redirects=False, data={
        "csrf_token": form_token(page.text), "into_id": str(public), "comment": "same market shelling"})
    assert done.status_code == 303 and done.headers["location"] == f"/review?done=merged_held&id={secret}"
    notice = text_of(documenter.get(done.headers["location"]).text)
    assert f"Incident #{secret} was merged. The incident it joined is no longer public" in notice
    assert get_incident(ws.db, public).confidentiality is Confidentiality.CONFIDENTIAL
    entry = [e for e in incident_history(ws.db, public) if e.action == "confidentiality"][-1]
    assert entry.user == "nour" and entry.after == {"confidentiality": "confidential"}
    assert signed_in(ws, "vera").get(f"/incidents/{public}").status_code == 404
    arabic = signed_in(ws, "nour", lang="ar").get(done.headers["location"]).text
    assert "لم تعد علنية حتى يعيد مراجعٌ نشرها" in arabic


def test_a_reviewer_chooses_the_merge_results_confidentiality(ws: Workspace, tmp_path: Path) -> None:
    public, secret = _setup(ws, tmp_path, "confidential")
    reviewer = signed_in(ws, "rana")
    page = reviewer.get(f"/review/{secret}")
    assert 'data-testid="merge-confidentiality"' in page.text
    done = reviewer.post(f"/review/{secret}/merge", follow_redirects=False, data={
        "csrf_token": form_token(page.text), "into_id": str(public), "comment": "no one is named in it",
        "confidentiality": "public"})
    assert done.status_code == 303 and done.headers["location"] == f"/review?done=merged&id={secret}"
    assert get_incident(ws.db, public).confidentiality is Confidentiality.PUBLIC
    # A documenter who forges the reviewer's field is refused, and nothing is merged.
    _, other = _setup_more(ws, tmp_path)
    documenter = signed_in(ws, "nour")
    forged = documenter.post(f"/review/{other}/merge", data={
        "csrf_token": form_token(documenter.get(f"/review/{other}").text), "into_id": str(public),
        "comment": "keep it public", "confidentiality": "public"})
    assert forged.status_code == 403 and get_incident(ws.db, other).merged_into_id is None


def _setup_more(ws: Workspace, tmp: Path) -> tuple[None, int]:
    (source_id,) = ingest_text(ws, tmp, "more.txt", "Saraqib, 3 March 2018: shelling killed four civilians.\n")
    admin = make_user(ws, "adam", "admin")
    found = reading.query_incidents(ws, user=admin, filters=IncidentFilter(source_id=source_id))
    return None, found.items[0].id


def test_a_viewers_incident_page_has_no_claims(ws: Workspace, tmp_path: Path) -> None:
    public, _ = _setup(ws, tmp_path, "restricted")
    staff = signed_in(ws, "rana").get(f"/incidents/{public}").text
    assert 'data-testid="claim"' in staff and 'data-testid="claim-by"' in staff
    shown = signed_in(ws, "vera").get(f"/incidents/{public}").text
    assert 'data-testid="claims"' not in shown and "no-claims" not in shown
    assert 'data-testid="history"' not in shown and "witness" not in text_of(shown).replace(
        get_incident(ws.db, public).description, "")


def test_a_documenters_save_and_accept_on_a_public_suggestion_is_held(ws: Workspace, tmp_path: Path) -> None:
    (source_id,) = ingest_text(ws, tmp_path, "ariha.txt", ARIHA)
    reviewer = make_user(ws, "rana", "reviewer")
    make_user(ws, "nour", "documenter")
    suggestion = reading.query_incidents(ws, user=reviewer,
                                         filters=IncidentFilter(source_id=source_id)).items[0].id
    review.update_incident(ws, user=reviewer, incident_id=suggestion, comment="cleared early",
                           changes=review.IncidentChanges(confidentiality="public"))
    documenter = signed_in(ws, "nour")
    page = documenter.get(f"/review/{suggestion}")
    done = documenter.post(f"/review/{suggestion}/edit", follow_redirects=False, data=_edit_form(
        get_incident(ws.db, suggestion), form_token(page.text), then="accept",
        description="Two killed in a bakery strike.", comment="shorter"))
    assert done.status_code == 303 and done.headers["location"] == f"/review?done=accepted_held&id={suggestion}"
    assert "corrected and accepted. It is no longer public" in text_of(documenter.get(done.headers["location"]).text)
    after = get_incident(ws.db, suggestion)
    assert (str(after.status), after.confidentiality) == ("confirmed", Confidentiality.RESTRICTED)
