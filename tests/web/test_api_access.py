"""Every /api endpoint for every role, and anonymously, against a table of expected statuses.

The table is written out by hand from the permission rules in the issue
(viewer: public incidents only, no sources; documenter: read all, ingest,
edit, accept, reject, merge; reviewer: + verify, publish; admin: + users),
not computed from ``domain.access``, so a wrong rule there fails here.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tawthiq.services import Workspace

from _api_helpers import Fixture, build, client, copy, credentials

WHO = ("admin", "reviewer", "documenter", "viewer", None)

# name: (method, path, json body or None)  — {P} public, {R}/{R2} restricted incidents, {S} a source.
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
    "search": ("GET", "/api/search?q=Ariha", None),
    "export": ("GET", "/api/export?format=csv", None),
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
    "search":              (200, 200, 200, 200, 401),
    "export":              (200, 200, 200, 200, 401),
    "openapi":             (200, 200, 200, 200, 401),
    "docs":                (200, 200, 200, 200, 303),  # a page for people: sent to sign in
    "tokens":              (200, 200, 200, 200, 401),
    # A token cannot make tokens: admin and documenter are signed in with tokens here (TOKEN_ROLES).
    "token-add":           (403, 201, 403, 201, 401),
    "token-revoke-missing": (404, 404, 404, 404, 401),
}


@pytest.fixture(scope="module")
def fx(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    return build(tmp_path_factory.mktemp("api-access"))


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
    as_documented = {"{P}": "{incident_id}", "{R}": "{incident_id}", "{S}": "{source_id}",
                     "/sources/999999": "/sources/{source_id}", "/incidents/999999": "/incidents/{incident_id}",
                     "/tokens/999999": "/tokens/{token_id}"}
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
    c = TestClient(client(ws).app, base_url="https://testserver", cookies={"tawthiq_session": cookie},
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
    c = TestClient(client(ws).app, base_url="https://testserver", cookies={"tawthiq_session": cookie},
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
