"""Every /api endpoint for every role, and anonymously, against a table of expected statuses.

The table is written out by hand from the permission rules in the issue
(viewer: public incidents only, no sources; documenter: read all, ingest,
edit, accept, reject, merge; reviewer: + verify, publish; admin: + users),
not computed from ``domain.access``, so a wrong rule there fails here.

Issue 9's cases B follow the table: what a viewer reads of a public
incident (its current values, no claims), merges across confidentiality
(the result as restricted as its strictest part unless a reviewer decides),
and a documenter's change to a public incident (withdrawn until a reviewer
publishes it again). In this module R2 is confidential.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _api_helpers import Fixture, build, client, copy, credentials, settings_at
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, accounts, review
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

WHO = ("admin", "reviewer", "documenter", "viewer", None)

# name: (method, path, json body or None)  — {P} public, {R} restricted, {R2} confidential incidents, {S} a source.
REQUESTS: dict[str, tuple[str, str, Any]] = {
    "me": ("GET", "/api/me", None),
    "sources": ("GET", "/api/sources", None),
    "source": ("GET", "/api/sources/{S}", None),
    "source-missing": ("GET", "/api/sources/999999", None),
    "source-add": ("POST", "/api/sources", {"text": "Shelling hit the market in Saraqib on 3 March 2018, "
                                                    "killing four civilians.", "title": "field note"}),
    "source-upload": ("POST", "/api/sources/upload", "UPLOAD"),
    "redact": ("POST", "/api/sources/{S}/redactions", {"spans": [[0, 5]], "reason": "protect a witness"}),
    "incidents": ("GET", "/api/incidents?per_page=5", None),
    "incident-public": ("GET", "/api/incidents/{P}", None),
    "incident-restricted": ("GET", "/api/incidents/{R}", None),
    "incident-missing": ("GET", "/api/incidents/999999", None),
    "create": ("POST", "/api/incidents", "CREATE"),
    "create-public": ("POST", "/api/incidents", "CREATE_PUBLIC"),
    "update": ("PATCH", "/api/incidents/{R}", {"description": "Two shells hit the market.",
                                               "comment": "corrected from the video"}),
    "accept": ("POST", "/api/incidents/{R}/accept", {"comment": "matches the report"}),
    "reject": ("POST", "/api/incidents/{R}/reject", {"comment": "not an incident"}),
    "verify": ("POST", "/api/incidents/{R}/verify", {"comment": "checked"}),
    "merge": ("POST", "/api/incidents/{R}/merge", {"into_id": "{R2}", "comment": "same shelling"}),
    "update-public": ("PATCH", "/api/incidents/{P}", {"description": "Strikes hit the market.",
                                                      "comment": "corrected from the video"}),
    "merge-into-public": ("POST", "/api/incidents/{R}/merge", {"into_id": "{P}", "comment": "same strike"}),
    "merge-confidential-into-public": ("POST", "/api/incidents/{R2}/merge", {"into_id": "{P}",
                                                                              "comment": "same strike"}),
    "merge-kept-public": ("POST", "/api/incidents/{R2}/merge", {"into_id": "{P}", "confidentiality": "public",
                                                                "comment": "nothing in it names anyone"}),
    "link-pairs": ("GET", "/api/link/pairs", None),
    "link-decide": ("POST", "/api/link/pairs", {"left": "{R}", "right": "{R2}", "verdict": "same",
                                                "comment": "same shelling"}),
    "link-undo-missing": ("POST", "/api/link/judgements/999999/undo", {"comment": "not the same"}),
    "judgements": ("GET", "/api/incidents/{R}/judgements", None),
    "judgements-public": ("GET", "/api/incidents/{P}/judgements", None),
    "corroboration": ("GET", "/api/incidents/{R}/corroboration", None),
    "corroboration-public": ("GET", "/api/incidents/{P}/corroboration", None),
    "persons": ("GET", "/api/persons", None),
    "person-missing": ("GET", "/api/persons/999999", None),
    "person-pairs": ("GET", "/api/link/person-pairs", None),
    "person-decide-missing": ("POST", "/api/link/person-pairs", {"left": 999998, "right": 999999, "verdict": "same",
                                                                 "comment": "same father"}),
    "person-undo-missing": ("POST", "/api/link/person-judgements/999999/undo", {"comment": "two men"}),
    "search": ("GET", "/api/search?q=Ariha", None),
    "export": ("GET", "/api/export?format=csv", None),
    # An export beyond the caller's role (the court profile is a reviewer's): refused without an approval.
    "export-court": ("GET", "/api/export?format=csv&profile=court", None),
    "export-approve": ("POST", "/api/export-approvals", {"username": "viewer1", "profile": "partner", "hours": 24,
                                                          "reason": "for the partner group's report"}),
    "export-request": ("POST", "/api/export-requests", {"profile": "court", "reason": "for the hearing"}),
    "export-requests": ("GET", "/api/export-requests", None),
    "export-requests-pending": ("GET", "/api/export-requests/pending", None),
    "export-request-approve-missing": ("POST", "/api/export-requests/999999/approve", {"hours": 2, "reason": "ok"}),
    "export-request-decline-missing": ("POST", "/api/export-requests/999999/decline", {"reason": "not now"}),
    "openapi": ("GET", "/api/openapi.json", None),
    "docs": ("GET", "/api/docs", None),
    "tokens": ("GET", "/api/tokens", None),
    "token-add": ("POST", "/api/tokens", {"name": "ci job", "days": 7}),
    "token-revoke-missing": ("POST", "/api/tokens/999999/revoke", None),
}

#                        admin reviewer documenter viewer anonymous
EXPECTED: dict[str, tuple[int, int, int, int, int]] = {
    "me":                  (200, 200, 200, 200, 401),
    "sources":             (200, 200, 200, 403, 401),
    "source":              (200, 200, 200, 403, 401),
    "source-missing":      (404, 404, 404, 403, 401),
    "source-add":          (201, 201, 201, 403, 401),
    "source-upload":       (201, 201, 201, 403, 401),
    "redact":              (201, 201, 403, 403, 401),  # reviewers and admins only
    "incidents":           (200, 200, 200, 200, 401),
    "incident-public":     (200, 200, 200, 200, 401),
    "incident-restricted": (200, 200, 200, 404, 401),
    "incident-missing":    (404, 404, 404, 404, 401),
    "create":              (201, 201, 201, 403, 401),
    "create-public":       (201, 201, 403, 403, 401),
    "update":              (200, 200, 200, 403, 401),
    "accept":              (200, 200, 200, 403, 401),
    "reject":              (200, 200, 200, 403, 401),
    "verify":              (200, 200, 403, 403, 401),
    "merge":               (200, 200, 200, 403, 401),
    "update-public":       (200, 200, 200, 403, 401),  # a documenter's change is held: see below
    "merge-into-public":   (200, 200, 200, 403, 401),
    "merge-confidential-into-public": (200, 200, 200, 403, 401),
    "merge-kept-public":   (200, 200, 403, 403, 401),  # keeping the result public is a reviewer's decision
    # Clusters, judgements and who says what are staff's: a viewer gets none, even of a public incident.
    "link-pairs":          (200, 200, 200, 403, 401),
    "link-decide":         (201, 201, 201, 403, 401),
    "link-undo-missing":   (404, 404, 404, 403, 401),
    "judgements":          (200, 200, 200, 403, 401),
    "judgements-public":   (200, 200, 200, 403, 401),
    "corroboration":       (200, 200, 200, 403, 401),
    "corroboration-public": (200, 200, 200, 403, 401),
    # Person records are names: reviewers and admins only.
    "persons":             (200, 200, 403, 403, 401),
    "person-missing":      (404, 404, 403, 403, 401),
    "person-pairs":        (200, 200, 403, 403, 401),
    "person-decide-missing": (404, 404, 403, 403, 401),
    "person-undo-missing": (404, 404, 403, 403, 401),
    "search":              (200, 200, 200, 200, 401),
    "export":              (200, 200, 200, 200, 401),
    "export-court":        (200, 200, 403, 403, 401),
    "export-approve":      (201, 201, 403, 403, 401),  # reviewers and admins approve (another user's export)
    # Anyone may ask for a profile beyond their role (court is a reviewer's and an admin's own: nothing to ask);
    # only reviewers and admins see others' requests and answer them.
    "export-request":      (400, 400, 201, 201, 401),
    "export-requests":     (200, 200, 200, 200, 401),
    "export-requests-pending": (200, 200, 403, 403, 401),
    "export-request-approve-missing": (404, 404, 403, 403, 401),
    "export-request-decline-missing": (404, 404, 403, 403, 401),
    "openapi":             (200, 200, 200, 200, 401),
    "docs":                (200, 200, 200, 200, 303),  # a page for people: sent to sign in
    "tokens":              (200, 200, 200, 200, 401),
    # A token cannot make tokens: admin and documenter are signed in with tokens here (TOKEN_ROLES).
    "token-add":           (403, 201, 403, 201, 401),
    "token-revoke-missing": (404, 404, 404, 404, 401),
}


@pytest.fixture(scope="module")
def fx(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    built = build(tmp_path_factory.mktemp("api-access"))
    ws = Workspace.open(settings_at(built.root))
    try:
        admin = accounts.get_user(ws, actor=None, username="admin1")
        review.update_incident(ws, user=admin, incident_id=built.ids["R2"], comment="protects a source",
                               changes=review.IncidentChanges(confidentiality="confidential"))
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]
    return built


@pytest.fixture
def ws(fx: Fixture, tmp_path: Path) -> Iterator[Workspace]:
    workspace = copy(fx, tmp_path / "copy")
    yield workspace
    workspace.db.dispose()  # type: ignore[attr-defined]


def _body(fx: Fixture, body: Any) -> Any:
    if body in ("CREATE", "CREATE_PUBLIC"):
        start, end = fx.span
        return {"event_type": "air-drone-strike", "violations": ["attack-on-protected-objects"],
                "perpetrators": [{"actor": "russia", "text": "Russian jets"}],
                "victims": [{"outcome": "killed", "kind": "civilian", "count_min": 2, "count_max": 2}],
                "date": {"edtf": "2019-05-12"}, "source_id": fx.ids["S"],
                "spans": {"event_type": {"start": start, "end": end}},
                "confidentiality": "public" if body == "CREATE_PUBLIC" else "restricted",
                "comment": "documented by hand"}
    if isinstance(body, dict):
        return {k: (int(v.format(**fx.ids)) if isinstance(v, str) and v.startswith("{") else v)
                for k, v in body.items()}
    return body


def test_the_table_covers_every_api_endpoint(ws: Workspace) -> None:
    doc = client(ws).get("/api/openapi.json", headers={"Authorization": f"Bearer {_token(ws)}"}).json()
    documented = {(method.upper(), path) for path, ops in doc["paths"].items() for method in ops}
    as_documented = {"{P}": "{incident_id}", "{R2}": "{incident_id}", "{R}": "{incident_id}", "{S}": "{source_id}",
                     "/sources/999999": "/sources/{source_id}", "/incidents/999999": "/incidents/{incident_id}",
                     "/tokens/999999": "/tokens/{token_id}", "/judgements/999999": "/judgements/{judgement_id}",
                     "/persons/999999": "/persons/{record_id}",
                     "/export-requests/999999": "/export-requests/{request_id}",
                     "/person-judgements/999999": "/person-judgements/{judgement_id}"}
    covered = set()
    for method, path, _body in REQUESTS.values():
        path = path.split("?")[0]
        for concrete, template in as_documented.items():
            path = path.replace(concrete, template)
        covered.add((method, path))
    assert documented == covered - {("GET", "/api/openapi.json"), ("GET", "/api/docs")}
    assert set(EXPECTED) == set(REQUESTS)


def _token(ws: Workspace) -> str:
    from tawthiq.services import accounts

    return accounts.create_api_token(ws, user=accounts.get_user(ws, actor=None, username="viewer1"),
                                     name="docs").token


@pytest.mark.parametrize("who", WHO, ids=lambda w: w or "anonymous")
@pytest.mark.parametrize("name", list(REQUESTS))
def test_status_for_role_and_endpoint(fx: Fixture, ws: Workspace, name: str, who: str | None) -> None:
    method, path, body = REQUESTS[name]
    headers, cookies = credentials(fx, who, write=method != "GET")
    c = TestClient(client(ws).app, base_url="https://testserver", cookies=cookies,
                   raise_server_exceptions=False)
    if body == "UPLOAD":
        upload = {"file": ("note.txt", "A barrel bomb hit Daraya on 2 June 2016, killing a child.".encode(),
                           "text/plain")}
        response = c.request(method, path, files=upload, headers=headers)
    else:
        response = c.request(method, path.format(**fx.ids), json=_body(fx, body), headers=headers,
                             follow_redirects=False)
    expected = EXPECTED[name][WHO.index(who)]
    assert response.status_code == expected, response.text[:300]
    if expected == 303:
        assert response.headers["location"].startswith("/login?next=")
    if expected >= 400 and path != "/api/docs":
        assert response.json() == {"error": response.json()["error"], "status": expected}


@pytest.mark.parametrize("who", ("admin", "reviewer", "documenter", "viewer"))
def test_only_admins_reach_the_users_page(fx: Fixture, ws: Workspace, who: str) -> None:
    cookie, _csrf = fx.sessions[who]
    c = TestClient(client(ws).app, base_url="https://testserver", cookies={SESSION: cookie},
                   raise_server_exceptions=False)
    expected = {"admin": 200, "reviewer": 403, "documenter": 403, "viewer": 403}[who]
    assert c.get("/admin/users").status_code == expected


def test_api_tokens_work_only_under_api(fx: Fixture, ws: Workspace) -> None:
    bearer = {"Authorization": f"Bearer {fx.tokens['admin']}"}
    c = client(ws)
    assert c.get("/api/me", headers=bearer).status_code == 200
    page = c.get("/admin/users", headers=bearer, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


@pytest.mark.parametrize("csrf", ["missing", "wrong"])
def test_cookie_signed_write_without_the_csrf_token_is_refused(fx: Fixture, ws: Workspace, csrf: str) -> None:
    cookie, token = fx.sessions["reviewer"]
    c = TestClient(client(ws).app, base_url="https://testserver", cookies={SESSION: cookie},
                   raise_server_exceptions=False)
    headers = {} if csrf == "missing" else {"X-CSRF-Token": token[::-1]}
    path = f"/api/incidents/{fx.ids['R']}"
    refused = c.post(f"{path}/verify", json={"comment": "forged"}, headers=headers)
    assert refused.status_code == 403 and refused.json()["status"] == 403
    assert c.get(path).json()["status"] == "suggested"
    allowed = c.post(f"{path}/verify", json={"comment": "real"}, headers={"X-CSRF-Token": token})
    assert allowed.status_code == 200 and allowed.json()["status"] == "verified"


def test_a_token_needs_no_csrf_token(fx: Fixture, ws: Workspace) -> None:
    response = client(ws).post(f"/api/incidents/{fx.ids['R']}/accept", json={},
                               headers={"Authorization": f"Bearer {fx.tokens['documenter']}"})
    assert response.status_code == 200 and response.json()["status"] == "confirmed"


@pytest.mark.parametrize("header", ["Bearer twq_not-a-real-token", "Bearer ", "Basic YWRtaW46YWRtaW4=",
                                    "Bearer nottwq"])
def test_bad_credentials_are_401(ws: Workspace, header: str) -> None:
    response = client(ws).get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


# ------------------------------------------------- issue 9, B: contents, not only statuses


def _call(fx: Fixture, ws: Workspace, who: str, method: str, path: str, body: Any = None) -> Any:
    headers, cookies = credentials(fx, who, write=method != "GET")
    c = TestClient(client(ws).app, base_url="https://testserver", cookies=cookies, raise_server_exceptions=False)
    return c.request(method, path.format(**fx.ids), json=body, headers=headers)


def test_a_viewer_reads_current_public_values_only(fx: Fixture, ws: Workspace) -> None:
    staff = _call(fx, ws, "admin", "GET", "/api/incidents/{P}").json()
    assert staff["claims"] and staff["history"] and staff["evidence"] and staff["source_ids"]
    quotes = {c["span"]["quote"] for c in staff["claims"] if c["span"]} | {e["quote"] for e in staff["evidence"]}
    names = {c["created_by"] for c in staff["claims"]} | {h["user"] for h in staff["history"]}
    assert "admin1" in names and quotes
    response = _call(fx, ws, "viewer", "GET", "/api/incidents/{P}")
    got = response.json()
    assert got["claims"] == got["history"] == got["evidence"] == got["source_ids"] == []
    assert got["source_id"] is None
    assert (got["event_type"], got["violations"], got["description"]) == (
        staff["event_type"], staff["violations"], staff["description"])
    assert [(v["outcome"], v["count_min"], v["count_max"]) for v in got["victims"]] == [
        (v["outcome"], v["count_min"], v["count_max"]) for v in staff["victims"]]
    assert all(p["text"] == "" for p in got["perpetrators"]) and all(v["text"] == "" for v in got["victims"])
    # No quote (beyond what the published description itself says) and no staff name anywhere in the answer.
    body = response.text
    hidden = {q for q in quotes if q not in got["description"] and q not in json.dumps(got["location"])}
    assert hidden  # the report's mentions and sentences beyond the description
    for quote in hidden:
        assert json.dumps(quote, ensure_ascii=False)[1:-1] not in body, quote
    staff_names = names | {"reviewer1", "documenter1"}
    # As a value anywhere in the answer ("admin1" is also a key: the location's governorate).
    assert [n for n in staff_names if re.search(rf':\s*"{n}"', body)] == []
    page = TestClient(client(ws).app, base_url="https://testserver",
                      cookies={SESSION: fx.sessions["viewer"][0]}).get(f"/incidents/{fx.ids['P']}")
    assert page.status_code == 200 and 'data-testid="claim"' not in page.text
    assert [n for n in staff_names if f">{n}<" in page.text] == []
    assert 'data-testid="claim-by"' not in page.text and 'data-testid="history"' not in page.text


@pytest.mark.parametrize("who", ("admin", "reviewer", "documenter"))
def test_a_merge_takes_the_stricter_confidentiality(fx: Fixture, ws: Workspace, who: str) -> None:
    response = _call(fx, ws, who, "POST", "/api/incidents/{R2}/merge", {"into_id": fx.ids["P"], "comment": "same"})
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["confidentiality"] == got["incident"]["confidentiality"] == "confidential"
    assert got["held_for_review"] is True and f"incident {fx.ids['P']} is no longer public" in got["notice"]
    entry = got["incident"]["history"][-1]
    assert (entry["action"], entry["before"], entry["after"]) == (
        "confidentiality", {"confidentiality": "public"}, {"confidentiality": "confidential"})
    assert entry["user"] == f"{who}1" and f"merged with #{fx.ids['R2']} (confidential)" in entry["comment"]
    assert _call(fx, ws, "viewer", "GET", "/api/incidents/{P}").status_code == 404
    listed = _call(fx, ws, "viewer", "GET", "/api/incidents").json()["items"]
    assert fx.ids["P"] not in {i["id"] for i in listed}


def test_a_documenter_merging_two_public_incidents_withdraws_the_result(fx: Fixture, ws: Workspace) -> None:
    published = _call(fx, ws, "reviewer", "PATCH", "/api/incidents/{R}", {"confidentiality": "public",
                                                                           "comment": "cleared"})
    assert published.json()["incident"]["confidentiality"] == "public"
    refused = _call(fx, ws, "documenter", "POST", "/api/incidents/{R}/merge",
                    {"into_id": fx.ids["P"], "confidentiality": "public", "comment": "keep it public"})
    assert refused.status_code == 403  # keeping it public is a reviewer's decision
    got = _call(fx, ws, "documenter", "POST", "/api/incidents/{R}/merge",
                {"into_id": fx.ids["P"], "comment": "same strike"}).json()
    assert got["confidentiality"] == "restricted" and got["held_for_review"] is True
    entry = got["incident"]["history"][-1]
    assert (entry["action"], entry["user"], entry["after"]) == ("withdraw", "documenter1",
                                                                {"confidentiality": "restricted"})
    assert _call(fx, ws, "viewer", "GET", "/api/incidents/{P}").status_code == 404


def test_only_a_reviewer_makes_a_merge_less_restricted_than_its_parts(fx: Fixture, ws: Workspace) -> None:
    body = {"into_id": fx.ids["R"], "confidentiality": "restricted", "comment": "nothing secret in it"}
    assert _call(fx, ws, "documenter", "POST", "/api/incidents/{R2}/merge", body).status_code == 403
    stricter = _call(fx, ws, "documenter", "POST", "/api/incidents/{R2}/merge",
                     {**body, "confidentiality": "confidential"}).json()  # stricter is anyone's choice
    assert stricter["confidentiality"] == "confidential"


def test_a_reviewer_loosens_a_merge_explicitly(fx: Fixture, ws: Workspace) -> None:
    body = {"into_id": fx.ids["R"], "confidentiality": "restricted", "comment": "nothing secret in it"}
    got = _call(fx, ws, "reviewer", "POST", "/api/incidents/{R2}/merge", body).json()
    assert got["confidentiality"] == "restricted" and got["held_for_review"] is False
    entry = got["incident"]["history"][-1]  # the decision is recorded though the level is the target's own
    assert (entry["action"], entry["user"], entry["after"]) == ("confidentiality", "reviewer1",
                                                                {"confidentiality": "restricted"})
    assert "looser than its stricter part (confidential)" in entry["comment"]
    assert entry["comment"].endswith("nothing secret in it")


def test_a_reviewer_may_keep_a_merge_public_with_a_reason(fx: Fixture, ws: Workspace) -> None:
    body = {"into_id": fx.ids["P"], "confidentiality": "public"}
    assert _call(fx, ws, "reviewer", "POST", "/api/incidents/{R2}/merge", body).status_code == 400  # no comment
    got = _call(fx, ws, "reviewer", "POST", "/api/incidents/{R2}/merge",
                {**body, "comment": "nothing in it names anyone"}).json()
    assert got["confidentiality"] == "public" and got["held_for_review"] is False and got["notice"] == ""
    viewer = _call(fx, ws, "viewer", "GET", "/api/incidents/{P}").json()
    assert viewer["claims"] == [] and viewer["merged_from"] == []  # the merged one itself stays confidential


@pytest.mark.parametrize("who", ("admin", "reviewer", "documenter"))
def test_an_edit_to_a_public_incident_goes_live_only_through_a_reviewer(fx: Fixture, ws: Workspace,
                                                                        who: str) -> None:
    got = _call(fx, ws, who, "PATCH", "/api/incidents/{P}",
                {"description": "Strikes hit the market.", "comment": "from the video"}).json()
    seen = _call(fx, ws, "viewer", "GET", "/api/incidents/{P}")
    if who == "documenter":
        assert got["changed"] == ["description", "confidentiality"] and got["held_for_review"] is True
        assert got["incident"]["confidentiality"] == "restricted" and "waits for a reviewer" in got["notice"]
        entry = got["incident"]["history"][-1]
        assert (entry["action"], entry["user"], entry["before"], entry["after"]) == (
            "withdraw", "documenter1", {"confidentiality": "public"}, {"confidentiality": "restricted"})
        assert "until a reviewer publishes it again" in entry["comment"]
        assert seen.status_code == 404
        # A reviewer publishes it again, and the viewer sees the change.
        again = _call(fx, ws, "reviewer", "PATCH", "/api/incidents/{P}",
                      {"confidentiality": "public", "comment": "checked the change"}).json()
        assert again["held_for_review"] is False
        seen = _call(fx, ws, "viewer", "GET", "/api/incidents/{P}")
    else:
        assert got["changed"] == ["description"] and got["held_for_review"] is False
    assert seen.status_code == 200 and seen.json()["description"] == "Strikes hit the market."
