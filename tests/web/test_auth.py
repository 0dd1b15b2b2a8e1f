"""Signing in and out, sessions, CSRF, rate limiting, headers and error pages."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from _client import PASSWORD, client_for, form_token, make_user, sign_in
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, accounts
from tawthiq.web.app import create_app
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-
from tawthiq.web.security import CSP


@pytest.fixture
def client(ws: Workspace) -> Iterator[TestClient]:
    with client_for(ws) as c:
        yield c


def test_sign_in_and_out(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "Huda")
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"
    response = sign_in(client, "huda", next="/incidents?page=2")
    assert response.status_code == 303 and response.headers["location"] == "/incidents?page=2"
    cookie = response.headers["set-cookie"]
    assert f"{SESSION}=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "samesite=lax" in cookie.lower()
    home = client.get("/")
    assert home.status_code == 200 and "huda" in home.text
    out = client.post("/logout", data={"csrf_token": form_token(home.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_logged_out_session_cannot_be_reused(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "sami")
    sign_in(client, "sami")
    token = client.cookies.get(SESSION)
    client.post("/logout", data={"csrf_token": form_token(client.get("/").text)})
    client.cookies.set(SESSION, token, domain="testserver.local")
    stolen = TestClient(client.app, base_url="https://testserver", cookies={SESSION: token})
    assert stolen.get("/", follow_redirects=False).status_code == 303


def test_wrong_password_and_unknown_user_look_the_same(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "rana")
    wrong = sign_in(client, "rana", "not the password")
    unknown = sign_in(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert SESSION not in wrong.headers.get("set-cookie", "")


def test_login_is_rate_limited(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "omar")
    for _ in range(accounts.MAX_FAILURES_PER_PAIR):
        assert sign_in(client, "omar", "guess guess guess").status_code == 401
    # Even the right password is refused until the window passes.
    assert sign_in(client, "omar").status_code == 429
    assert sign_in(client, "OMAR").status_code == 429


def test_login_form_needs_its_csrf_token(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "lina")
    client.get("/login")
    response = client.post("/login", data={"username": "lina", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    assert SESSION not in client.cookies


def test_state_changes_need_the_session_csrf_token(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "nour")
    sign_in(client, "nour")
    assert client.post("/language", data={"lang": "ar"}).status_code == 403
    assert client.post("/language", data={"lang": "ar", "csrf_token": "x" * 43}).status_code == 403
    assert 'dir="ltr"' in client.get("/").text
    ok = client.post("/language", data={"lang": "ar", "csrf_token": form_token(client.get("/").text)})
    assert ok.status_code == 200 and 'dir="rtl"' in ok.text and 'lang="ar"' in ok.text


def test_one_time_password_must_be_changed(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "admin", "admin", must_change_password=True)
    response = sign_in(client, "admin")
    assert response.headers["location"] == "/password"
    assert client.get("/", follow_redirects=False).headers["location"] == "/password"
    page = client.get("/password")
    short = client.post("/password", data={"current": PASSWORD, "new": "short", "repeat": "short",
                                           "csrf_token": form_token(page.text)})
    assert short.status_code == 400
    changed = client.post("/password", data={"current": PASSWORD, "new": "a much longer secret",
                                             "repeat": "a much longer secret",
                                             "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert changed.status_code == 303
    # The change ended the session; the new password works, the old one does not.
    assert client.get("/", follow_redirects=False).status_code == 303
    assert sign_in(client, "admin").status_code == 401
    assert sign_in(client, "admin", "a much longer secret").headers["location"] == "/"
    assert client.get("/").status_code == 200


def test_disabled_user_loses_sessions_and_cannot_sign_in(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "karim")
    sign_in(client, "karim")
    assert client.get("/").status_code == 200
    accounts.set_disabled(ws, actor=None, username="karim", disabled=True, comment="left the team")
    assert client.get("/", follow_redirects=False).status_code == 303
    assert sign_in(client, "karim").status_code == 401


def all_routes(routes: list, prefix: str = "") -> list[tuple[str, set[str]]]:
    """(path, methods) of every endpoint, looking inside included routers (FastAPI wraps them)."""
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            inner_prefix = prefix + (getattr(context, "prefix", "") or "")
            found.extend(all_routes(inner.routes, inner_prefix))
        elif getattr(route, "path", ""):
            path = route.path if route.path.startswith(prefix) else prefix + route.path
            found.append((path, set(getattr(route, "methods", None) or ())))
    return found


def test_only_login_and_health_are_public(ws: Workspace, client: TestClient) -> None:
    open_paths = {"/login", "/login/code", "/health"}  # the code step: its half-signed-in cookie decides
    checked = 0
    for path, methods in all_routes(client.app.routes):
        if not path or path.startswith("/static") or path in open_paths:
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method in methods - {"HEAD"}:
            response = client.request(method, concrete, follow_redirects=False)
            assert response.status_code in (303, 401), (method, path, response.status_code)
            if path.startswith("/api") and path != "/api/docs":  # the docs page is for people
                assert response.status_code == 401
            checked += 1
    assert checked >= 3
    assert any(path.startswith("/api/") for path, _ in all_routes(client.app.routes))
    assert client.get("/health").json() == {"status": "ok"}


def test_security_headers_on_pages_and_errors(ws: Workspace, client: TestClient) -> None:
    for response in (client.get("/login"), client.get("/health"), client.get("/no-such-page")):
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP


def test_errors_are_friendly_pages_without_tracebacks(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "maya")
    sign_in(client, "maya")
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Traceback" not in missing.text and "<h1>" in missing.text
    bad = client.post("/language", data={"csrf_token": form_token(client.get("/").text)})
    assert bad.status_code == 400 and "Traceback" not in bad.text


def test_arabic_interface(ws: Workspace, client: TestClient) -> None:
    page = client.get("/login?lang=ar")
    assert 'dir="rtl"' in page.text and "تسجيل الدخول" in page.text
    assert client.get("/login").text.count('dir="rtl"') == 1  # the choice sticks (cookie)
    make_user(ws, "farah")
    sign_in(client, "farah")
    # Once signed in, the account's own language applies.
    assert 'dir="ltr"' in client.get("/").text


def test_open_redirects_are_refused(ws: Workspace, client: TestClient) -> None:
    make_user(ws, "adam")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = sign_in(client, "adam", next=target)
        assert response.headers["location"] == "/"
        client.cookies.clear()


def test_oversized_request_bodies_are_refused_before_reading(ws: Workspace, tmp_path) -> None:
    import dataclasses

    small = dataclasses.replace(ws.settings, max_file_size=1000)
    app = create_app(small, workspace=ws)
    make_user(ws, "upl")
    with TestClient(app, base_url="https://testserver") as client:
        sign_in(client, "upl")
        huge = b"x" * (1000 * 20 + 1024 * 1024 + 1)
        declared = client.post("/language", content=huge, headers={"content-type": "text/plain"})
        assert declared.status_code == 413

        def chunks():
            for _ in range(40):
                yield b"y" * 65536

        # No declared length: the form parser reads it and is cut off at the limit.
        streamed = client.post("/language", content=chunks(),
                               headers={"content-type": "application/x-www-form-urlencoded"})
        assert streamed.status_code == 413
        assert client.get("/").status_code == 200
