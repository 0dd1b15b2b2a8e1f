"""Shared set-up for the review, incident and source page tests (TestClient, real database)."""
from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

from tawthiq.domain.access import User
from tawthiq.services import Workspace, accounts, ingest
from tawthiq.web.app import create_app

PASSWORD = "correct horse battery"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SEED = SAMPLES / "000_9032e6eeb26cf358.txt"


def client_for(ws: Workspace) -> TestClient:
    return TestClient(create_app(ws.settings, workspace=ws), base_url="https://testserver",
                      raise_server_exceptions=False)


def form_token(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token in the page"
    return match.group(1)


def make_user(ws: Workspace, name: str, role: str) -> User:
    return accounts.create_user(ws, actor=None, username=name, password=PASSWORD, role=role)


def signed_in(ws: Workspace, username: str, role: str | None = None) -> TestClient:
    """A client signed in as ``username`` (created first when ``role`` is given)."""
    if role is not None:
        make_user(ws, username, role)
    client = client_for(ws)
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def ingest_text(ws: Workspace, tmp: Path, name: str, text: str) -> list[int]:
    """Ingest one text file; returns its source ids."""
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    (result,) = ingest(ws, [path])
    assert result.status == "new", result
    return list(result.source_ids)


def text_of(page: str) -> str:
    """The visible text of a page, tags removed and entities decoded (for plain assertions)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))
