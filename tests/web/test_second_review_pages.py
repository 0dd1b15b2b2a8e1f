"""The second-reviewer step through the app: the admin's setting, the list to verify, the refusal of the
accepter in the page's language, and what a viewer's pages, API answers and exports hold meanwhile."""
from __future__ import annotations

import pytest
from _client import form_token, make_user, signed_in

from tawthiq.domain import (
    Confidentiality,
    Incident,
    IncidentDate,
    Location,
    LocationPrecision,
    Source,
    SourceKind,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.services import Workspace, accounts, review, second_review
from tawthiq.store import repository

MARKER = "Qzawaitingsecond"
ACCEPTED_AR = "قبلتها"


def _incident(ws: Workspace, sha: str, description: str) -> int:
    incident = Incident(
        event_type="shelling", violations=["killing"], description=description,
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=3, count_max=3)],
        date=IncidentDate(edtf="2017-11-15"), confidentiality=Confidentiality.PUBLIC,
        location=Location(name="Douma", name_ar="دوما", admin1="Rif Dimashq", lat=33.57, lon=36.40,
                          precision=LocationPrecision.TOWN),
    )
    _, _, [iid] = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=description), [incident])
    return iid


def _user(ws: Workspace, name: str):  # type: ignore[no-untyped-def]
    return accounts.get_user(ws, actor=None, username=name)


def _turn_on(ws: Workspace) -> None:
    second_review.set_required(ws, user=_user(ws, "boss"), on=True, comment="two reviewers from now on")


@pytest.mark.parametrize("role", ["viewer", "documenter", "reviewer"])
def test_only_an_admin_reaches_the_settings(ws: Workspace, role: str) -> None:
    client = signed_in(ws, "someone", role)
    home = client.get("/")
    assert 'href="/admin/settings"' not in home.text
    assert client.get("/admin/settings").status_code == 403
    refused = client.post("/admin/settings", data={"second_review_on": "on", "comment": "x",
                                                   "csrf_token": form_token(home.text)})
    assert refused.status_code == 403
    assert second_review.required(ws) is False


@pytest.mark.parametrize(("lang", "message"), [("en", "Say why the team&#39;s rule changes."),
                                               ("ar", "اذكر سبب تغيير قاعدة الفريق.")])
def test_the_setting_needs_a_reason_said_in_the_page_language(ws: Workspace, lang: str, message: str) -> None:
    admin = signed_in(ws, "boss", "admin", lang=lang)
    page = admin.get("/admin/settings")
    assert page.status_code == 200 and 'data-testid="settings-no-history"' in page.text
    refused = admin.post("/admin/settings", data={"second_review_on": "on", "comment": "   ",
                                                  "csrf_token": form_token(page.text)})
    assert refused.status_code == 400
    assert message in refused.text
    assert 'data-testid="second-review-on" checked' in refused.text  # what was chosen is kept
    assert second_review.required(ws) is False


def test_an_admin_turns_it_on_and_the_change_is_shown_with_who_and_why(ws: Workspace) -> None:
    admin = signed_in(ws, "boss", "admin")
    page = admin.get("/admin/settings")
    assert 'href="/admin/settings"' in page.text  # in the nav
    hostile = '<script>alert(1)</script> "two" reviewers'
    saved = admin.post("/admin/settings", data={"second_review_on": "on", "comment": hostile,
                                                "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/settings?done=on"
    assert second_review.required(ws) is True
    shown = admin.get(saved.headers["location"]).text
    assert 'data-done="on"' in shown and 'data-on="on"' in shown
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert shown.count('data-testid="settings-change"') == 1 and "boss" in shown
    again = admin.post("/admin/settings", data={"second_review_on": "on", "comment": "again",
                                                "csrf_token": form_token(shown)}, follow_redirects=False)
    assert again.headers["location"] == "/admin/settings?done=unchanged"
    off = admin.post("/admin/settings", data={"comment": "one reviewer is enough",
                                              "csrf_token": form_token(shown)}, follow_redirects=False)
    assert off.headers["location"] == "/admin/settings?done=off" and second_review.required(ws) is False
    assert admin.get("/admin/settings?done=%3Cb%3E").status_code == 200  # a crafted notice is ignored


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "You accepted this incident: another reviewer must verify it."),
    ("ar", "أنت من قبل هذه الحادثة: يجب أن يتحقق منها مراجع آخر."),
])
def test_the_accepter_is_refused_in_the_page_language_another_reviewer_verifies(
        ws: Workspace, lang: str, message: str) -> None:
    make_user(ws, "boss", "admin")
    _turn_on(ws)
    iid = _incident(ws, "a", "Shelling of the Douma market.")
    first = signed_in(ws, "rana", "reviewer", lang=lang)
    review.accept(ws, user=_user(ws, "rana"), incident_id=iid)
    page = first.get(f"/incidents/{iid}")
    refused = first.post(f"/incidents/{iid}/verify", data={"comment": "mine <b>checked</b>",
                                                           "csrf_token": form_token(page.text)})
    assert refused.status_code == 400
    assert message in refused.text
    assert 'value="mine &lt;b&gt;checked&lt;/b&gt;"' in refused.text  # the typed comment is kept, escaped
    assert repository.get_incident(ws.db, iid).status.value == "confirmed"
    second = signed_in(ws, "sami", "reviewer", lang=lang)
    done = second.post(f"/incidents/{iid}/verify", data={"comment": "checked against the video",
                                                         "csrf_token": form_token(second.get("/").text)},
                       follow_redirects=False)
    assert done.status_code == 303
    assert repository.get_incident(ws.db, iid).status.value == "verified"


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Accept this incident first"), ("ar", "اقبل هذه الحادثة أولاً")])
def test_a_suggestion_cannot_be_verified_straight_away(ws: Workspace, lang: str, message: str) -> None:
    make_user(ws, "boss", "admin")
    _turn_on(ws)
    iid = _incident(ws, "b", "A suggestion.")
    reviewer = signed_in(ws, "rana", "reviewer", lang=lang)
    refused = reviewer.post(f"/incidents/{iid}/verify", data={"csrf_token": form_token(reviewer.get("/").text)})
    assert refused.status_code == 400 and message in refused.text


def test_the_api_refuses_the_accepter_with_409(ws: Workspace) -> None:
    make_user(ws, "boss", "admin")
    _turn_on(ws)
    iid = _incident(ws, "c", "Shelling.")
    rana = make_user(ws, "rana", "reviewer")
    review.accept(ws, user=rana, incident_id=iid)
    token = accounts.create_api_token(ws, user=rana, name="script").token
    client = signed_in(ws, "vera", "viewer")
    client.cookies.clear()
    answer = client.post(f"/api/incidents/{iid}/verify", json={"comment": "x"},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 409 and "another reviewer" in answer.text


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("documenter", 403), ("reviewer", 200),
                                              ("admin", 200)])
def test_the_list_to_verify_per_role(ws: Workspace, role: str, status: int) -> None:
    rana = make_user(ws, "rana", "reviewer")
    mine, other = _incident(ws, "d", "Accepted by Rana."), _incident(ws, "e", "Accepted by someone else.")
    _incident(ws, "f", "Still a suggestion Qzsuggestiononly.")
    review.accept(ws, user=rana, incident_id=mine)
    review.accept(ws, user=make_user(ws, "sami", "reviewer"), incident_id=other)
    client = signed_in(ws, "someone", role)
    home = client.get("/").text
    assert ('href="/review/verify"' in home) is (status == 200)
    listed = client.get("/review/verify")
    assert listed.status_code == status
    if status != 200:
        return
    assert listed.text.count('data-testid="verify-row"') == 2 and "Qzsuggestiononly" not in listed.text
    assert 'data-testid="verify-rule" data-on="off"' in listed.text
    assert "rana" in listed.text and "sami" in listed.text
    assert 'href="/review/verify"' in client.get("/review").text  # linked from the review queue
    filtered = client.get("/review/verify?governorate=Aleppo")
    assert 'data-testid="verify-empty"' in filtered.text
    bad = client.get("/review/verify?date_from=not-a-date&sort=%3Cscript%3E&page=-4")
    assert bad.status_code == 200 and 'data-testid="queue-error"' in bad.text and "<script>" not in bad.text


def test_the_reviewer_sees_which_ones_are_theirs(ws: Workspace) -> None:
    rana = make_user(ws, "rana", "reviewer")
    iid = _incident(ws, "g", "Accepted by Rana.")
    review.accept(ws, user=rana, incident_id=iid)
    page = signed_in(ws, "rana", lang="ar").get("/review/verify").text
    assert 'data-mine="1"' in page and "أنت: يتحقق منها مراجع آخر" in page and 'dir="rtl"' in page


def _viewer_urls(iid: int) -> list[str]:
    return ["/", "/incidents", "/incidents?q=market", f"/incidents/{iid}", "/map", "/map/features.geojson",
            "/timeline", "/dashboard", "/incidents/export?format=csv", "/incidents/export?format=json",
            "/incidents/export?format=geojson", "/api/incidents", "/api/incidents?q=market",
            f"/api/incidents/{iid}", "/api/search?q=market", "/api/export?format=json",
            "/api/export?format=csv"]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_viewer_never_reads_an_accepted_unverified_incident(ws: Workspace, lang: str) -> None:
    make_user(ws, "boss", "admin")
    rana, sami = make_user(ws, "rana", "reviewer"), make_user(ws, "sami", "reviewer")
    published = _incident(ws, "h", "A verified strike on Douma.")
    review.accept(ws, user=rana, incident_id=published)
    review.verify(ws, user=sami, incident_id=published)
    iid = _incident(ws, "i", f"Shelling {MARKER} of the market.")
    review.accept(ws, user=rana, incident_id=iid)
    viewer = signed_in(ws, "vera", "viewer", lang=lang)
    assert MARKER in viewer.get("/incidents").text  # off: an accepted public incident is published
    _turn_on(ws)
    for url in _viewer_urls(iid):
        answer = viewer.get(url)
        assert answer.status_code in (200, 404), url
        assert MARKER not in answer.text, url
    assert viewer.get(f"/incidents/{iid}").status_code == 404
    assert viewer.get(f"/api/incidents/{iid}").status_code == 404
    assert "A verified strike on Douma" in viewer.get("/incidents").text
    assert MARKER in signed_in(ws, "rana").get(f"/incidents/{iid}").text  # staff still read it
    review.verify(ws, user=sami, incident_id=iid, comment="checked")
    for url in ("/incidents", f"/incidents/{iid}", "/incidents/export?format=csv", f"/api/incidents/{iid}",
                "/api/search?q=market", "/api/export?format=json"):
        assert MARKER in viewer.get(url).text, url
