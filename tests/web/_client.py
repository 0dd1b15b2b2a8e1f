"""TestClient helpers shared by the web tests: one app client, sign-in through the real form, users.

The client talks to ``https://testserver`` because the session cookie is
Secure: over plain http the client would never send it back.
"""
from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from tawthiq.domain.access import Role, User
from tawthiq.services import Workspace, accounts
from tawthiq.web.app import create_app

PASSWORD = "correct horse battery"  # long enough for the password rule
BASE_URL = "https://testserver"


def client_for(ws: Workspace, *, raise_server_exceptions: bool = False) -> TestClient:
    """A client for the app serving ``ws`` (server errors come back as 500 pages unless asked)."""
    return TestClient(create_app(ws.settings, workspace=ws), base_url=BASE_URL,
                      raise_server_exceptions=raise_server_exceptions)


def form_token(html: str) -> str:
    """The CSRF token from the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def make_user(ws: Workspace, name: str, role: Role | str = "documenter", *, password: str = PASSWORD,
              **extra: object) -> User:
    """An account created by the operator (no acting user), with the shared test password."""
    return accounts.create_user(ws, actor=None, username=name, password=password, role=role,
                                **extra)  # type: ignore[arg-type]


def sign_in(client: TestClient, username: str, password: str = PASSWORD, **extra: str) -> httpx.Response:
    """Post the login form (with the token the form carries); the response is not followed."""
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": form_token(page.text), **extra}, follow_redirects=False)


def signed_in(ws: Workspace, username: str, role: Role | str | None = None, *, password: str = PASSWORD,
              lang: str = "en") -> TestClient:
    """A client signed in as ``username`` (created first when ``role`` is given), in ``lang``."""
    if role is not None:
        make_user(ws, username, role, password=password)
    client = client_for(ws)
    response = sign_in(client, username, password)
    assert response.status_code == 303, response.text
    if lang != "en":
        home = client.get("/")
        client.post("/language", data={"lang": lang, "next": "/", "csrf_token": form_token(home.text)})
    return client


def with_users(ws: Workspace, **roles: Role | str) -> Workspace:
    """``ws`` after creating one account per ``username=role`` (for fixtures that build on ``ws``)."""
    for username, role in roles.items():
        make_user(ws, username, role)
    return ws
