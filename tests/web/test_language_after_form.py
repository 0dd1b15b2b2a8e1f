"""The language switch after a form's result page, and the 405 and 404 pages (issue 12 fixes B, 2 and 3).

A page rendered for a POST (the paste's result, a form sent back with an error) has an address that answers
only POST; the switch must come back to a page a GET gives, and the 405 and 404 pages are normal pages with the
header and navigation in the reader's chosen language.
"""
from __future__ import annotations

import re
from html import unescape

import pytest
from _client import form_token, signed_in, with_users
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.routing import Match

from tawthiq.services import Workspace
from tawthiq.web.return_to import page_to_return_to
from tawthiq.web.routes import PRIVATE_ROUTERS, PUBLIC_ROUTERS

NAV = {"en": ">Incidents</a>", "ar": ">الحوادث</a>"}


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", boss="admin")


def _next(html: str) -> str:
    match = re.search(r'name="next" value="([^"]*)" data-testid="language-next"', html)
    assert match, "no language switch on the page"
    return unescape(match.group(1))


def _switch(client: TestClient, page: str, lang: str) -> str:
    """Press the language button on ``page``: the address it lands on, which must be a page."""
    done = client.post("/language", data={"lang": lang, "next": _next(page), "csrf_token": form_token(page)},
                       follow_redirects=False)
    assert done.status_code == 303
    target = done.headers["location"]
    landed = client.get(target)
    assert landed.status_code == 200, (target, landed.status_code)
    assert f'<html lang="{lang}"' in landed.text
    return target


@pytest.mark.parametrize(("lang", "other"), [("en", "ar"), ("ar", "en")])
def test_switching_language_on_a_form_result_comes_back_to_the_form_page(ws: Workspace, lang: str,
                                                                          other: str) -> None:
    client = signed_in(ws, "doc", lang=lang)
    token = form_token(client.get("/add").text)
    refused = client.post("/add/text", data={"text": "   ", "csrf_token": token})  # an error re-render
    assert refused.status_code == 400
    assert _switch(client, refused.text, other) == "/add"
    token = form_token(client.get("/add").text)
    upload = client.post("/add/upload", data={"csrf_token": token})  # no file chosen
    assert _switch(client, upload.text, lang) == "/add"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_405_page_is_a_normal_page_in_the_chosen_language(ws: Workspace, lang: str) -> None:
    client = signed_in(ws, "doc", lang=lang)
    page = client.get("/add/text")  # an address that answers only POST
    assert page.status_code == 405
    assert f'<html lang="{lang}"' in page.text and NAV[lang] in page.text
    assert ("هذا العنوان لا يقبل" in page.text) == (lang == "ar")
    assert _next(page.text) == "/add"


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("address", ["/nonexistent", "/sources/-1"])
def test_the_404_page_is_a_normal_page_in_the_chosen_language(ws: Workspace, lang: str, address: str) -> None:
    client = signed_in(ws, "doc", lang=lang)
    page = client.get(address)
    assert page.status_code == 404
    assert f'<html lang="{lang}"' in page.text and NAV[lang] in page.text
    assert ("لا يوجد شيء هنا" in page.text) == (lang == "ar")
    assert ("There is nothing here" in page.text) == (lang == "en")
    target = _switch(client, page.text, "ar" if lang == "en" else "en")
    assert target in ("/", "/sources")


def _concrete(path: str) -> str:
    """A route's path with a value in each parameter (numbers for numbers, a word otherwise)."""
    return re.sub(r"\{(\w+)(?::(\w+))?\}", lambda m: "7" if m.group(2) == "int" or m.group(1).endswith("id")
                  else "word", path)


def test_every_post_route_of_the_app_returns_to_a_page_that_exists(ws: Workspace) -> None:
    client = signed_in(ws, "boss")
    app = client.app
    posts = [r for router in PUBLIC_ROUTERS + PRIVATE_ROUTERS for r in router.routes
             if isinstance(r, APIRoute) and "POST" in r.methods and not r.path.startswith("/api")]
    assert len(posts) > 30
    for route in posts:
        path = _concrete(route.path)
        request = Request({"type": "http", "method": "POST", "path": path, "query_string": b"", "headers": [],
                           "app": app, "server": ("testserver", 443), "scheme": "https", "root_path": ""})
        target = page_to_return_to(request)
        assert not target.endswith(("/edit", "/accept", "/reject", "/merge", "/remove", "/retire")), target
        gets = [r for router in PUBLIC_ROUTERS + PRIVATE_ROUTERS for r in router.routes
                if isinstance(r, APIRoute) and "GET" in r.methods
                and r.matches({"type": "http", "path": target, "method": "GET", "root_path": ""})[0] == Match.FULL]
        assert gets, f"POST {route.path} returns to {target}, which no page answers"


def test_a_get_page_keeps_its_own_address_and_query(ws: Workspace) -> None:
    client = signed_in(ws, "doc")
    page = client.get("/incidents?q=douma")
    assert _next(page.text) == "/incidents?q=douma"
