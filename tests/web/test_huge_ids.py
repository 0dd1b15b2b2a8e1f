"""Ids out of range never reach the database as a 500 (issue 9, D.12).

Every route with an id in its path, every integer-looking query parameter,
and the id fields of forms and JSON bodies, with ids beyond 64 bits, at
2**63, negative and zero: the answer is 404 or 400 (a path id) or at least
never a server error, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import re
from typing import Any

import pytest
from _api_helpers import Fixture, client, populate
from fastapi.testclient import TestClient

from tawthiq.services import Workspace
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

HOSTILE = ("99999999999999999999999", "9223372036854775808", "18446744073709551616", "-1",
           "-99999999999999999999999", "0")
QUERY_INTS = ("page", "per_page", "limit", "offset", "source_id", "source", "id")
BODY_IDS = ("into_id", "source_id", "span_start", "span_end")


def all_routes(routes: list, prefix: str = "") -> list[tuple[str, set[str]]]:
    """(path, methods) of every endpoint, looking inside included routers (FastAPI wraps them)."""
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            found.extend(all_routes(inner.routes, prefix + (getattr(context, "prefix", "") or "")))
        elif getattr(route, "path", ""):
            path = route.path if route.path.startswith(prefix) else prefix + route.path
            found.append((path, set(getattr(route, "methods", None) or ()) - {"HEAD"}))
    return found


@pytest.fixture
def fx(ws: Workspace) -> Fixture:
    return populate(ws, ws.settings.data_dir)


def _signed(ws: Workspace, fx: Fixture) -> tuple[TestClient, dict[str, str]]:
    c = client(ws)
    cookie, csrf = fx.sessions["admin"]
    c.cookies.set(SESSION, cookie)
    return c, {"X-CSRF-Token": csrf}


def _send(c: TestClient, method: str, path: str, headers: dict[str, str], *, params: Any = None,
          body: dict[str, Any] | None = None) -> Any:
    """GET with ``params``; else a form post (pages) or a JSON body (API), by default just a comment."""
    if method == "GET":
        return c.get(path, params=params, headers=headers, follow_redirects=False)
    if body is None:
        body = {"comment": "checking ids"}
    if path.startswith("/api/"):
        return c.request(method, path, json=body, headers=headers, follow_redirects=False)
    return c.request(method, path, data=body, headers=headers, follow_redirects=False)


def _id_routes(c: TestClient) -> list[tuple[str, str]]:
    return sorted((method, path) for path, methods in all_routes(c.app.routes) for method in methods
                  if re.search(r"\{\w+_id(:\w+)?\}", path))


def test_every_path_id_out_of_range_is_404_or_400(ws: Workspace, fx: Fixture) -> None:
    c, headers = _signed(ws, fx)
    routes = _id_routes(c)
    assert len(routes) >= 20, routes  # the walk found the id routes (pages and API)
    bad = []
    for method, template in routes:
        for hostile in HOSTILE:
            path = re.sub(r"\{\w+_id(:\w+)?\}", hostile, template)
            response = _send(c, method, path, headers)
            if response.status_code not in (400, 404):
                bad.append((method, path, response.status_code, response.text[:120]))
            if path.startswith("/api/"):
                assert response.json()["status"] == response.status_code
    assert bad == [], "\n".join(map(str, bad))


def test_every_integer_query_parameter_out_of_range_is_answered(ws: Workspace, fx: Fixture) -> None:
    c, headers = _signed(ws, fx)
    gets = sorted(path for path, methods in all_routes(c.app.routes) if "GET" in methods
                  and not path.startswith("/static") and path not in ("/logout",))
    checked, bad = 0, []
    for template in gets:
        path = template
        for name, value in (("incident_id", fx.ids["R"]), ("source_id", fx.ids["S"]), ("derivative_id", 1)):
            path = re.sub(r"\{" + name + r"(:\w+)?\}", str(value), path)
        if "{" in path:
            continue
        for name in QUERY_INTS:
            for hostile in HOSTILE[:4]:
                response = _send(c, "GET", path, headers, params={name: hostile})
                checked += 1
                if response.status_code >= 500:
                    bad.append((path, name, hostile, response.status_code))
    assert checked > 200
    assert bad == [], "\n".join(map(str, bad))


def _bodies(fx: Fixture, h: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, body) whose one id or offset field is ``h``; every other field valid."""
    n = int(h)
    cite = {"event_type": "air-drone-strike", "description": "checked", "source_id": fx.ids["S"]}
    span = {"start": 0, "end": 5}
    missing = "words that are not in the source"  # so a hand-made span never falls back on the quote
    bodies = [
        ("POST", f"/review/{fx.ids['R']}/merge", {"into_id": h, "comment": "x"}),
        ("POST", f"/api/incidents/{fx.ids['R']}/merge", {"into_id": n, "comment": "x"}),
        ("POST", "/api/incidents", {**cite, "source_id": n, "spans": {"description": span}}),
        ("PATCH", f"/api/incidents/{fx.ids['R']}",
         {"description": "checked", "source_id": n, "spans": {"description": span}, "comment": "x"}),
        ("POST", "/add/incident", {**cite, "source_id": h, "span_start": "0", "span_end": "5", "quote": missing}),
    ]
    if n != 0:  # 0 is a valid offset
        bodies += [
            ("POST", "/api/incidents", {**cite, "spans": {"description": {**span, "start": n}}}),
            ("POST", "/api/incidents", {**cite, "spans": {"description": {**span, "end": n}}}),
            ("PATCH", f"/api/incidents/{fx.ids['R']}",
             {"description": "checked", "spans": {"description": {**span, "end": n}}, "comment": "x"}),
            ("POST", "/add/incident", {**cite, "span_start": h, "span_end": "5", "quote": missing}),
            ("POST", "/add/incident", {**cite, "span_start": "0", "span_end": h, "quote": missing}),
            ("POST", f"/api/sources/{fx.ids['S']}/redactions", {"spans": [[n, 5]], "reason": "x"}),
            ("POST", f"/api/sources/{fx.ids['S']}/redactions", {"spans": [[0, n]], "reason": "x"}),
        ]
    return bodies


def test_id_fields_in_forms_and_json_out_of_range_are_refused(ws: Workspace, fx: Fixture) -> None:
    c, headers = _signed(ws, fx)
    before = c.get(f"/api/incidents/{fx.ids['R']}", headers=headers).json()
    bad = []
    for hostile in HOSTILE:
        for method, path, body in _bodies(fx, hostile):
            response = _send(c, method, path, headers, body=body)
            if response.status_code not in (400, 404):
                bad.append((method, path, body, response.status_code, response.text[:100]))
    assert bad == [], "\n".join(map(str, bad))
    # nothing above was merged or changed
    assert c.get(f"/api/incidents/{fx.ids['R']}", headers=headers).json() == before
