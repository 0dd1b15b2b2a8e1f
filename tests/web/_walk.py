"""The site walk shared by the every-page checks (test_arabic_everywhere.py: the interface language;
test_digits_everywhere.py: the chosen digits).

The demo's reports are ingested and linked and the person lists planted (``demo_workspace``); a signed-in
client then follows every link from the home page, in one language, a few URLs per route, plus the error
pages (``walk_site``), handing each page to the check given. ``interface_texts`` is what a person reads on a
page: visible text and the attributes read aloud or shown (title, placeholder, aria-label, alt, a button's
value), with scripts, machine text, data (``dir="auto"``, ``data-user``) and text marked as another language
dropped. ``pages_to_reach`` is every GET route that answers with a page, so a new page fails the walk until a
link leads to it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _client import BASE_URL, client_for, sign_in
from _person_helpers import plant
from _routes import get_paths
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, init_workspace
from tawthiq.services.ingest import ingest_files, input_files
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ADMIN, VIEWER = "amal.admin", "vera.viewer"

SKIP_TAGS = frozenset({"script", "style", "code", "kbd", "samp", "pre", "template"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# The attributes a person reads; data-confirm is the question a button asks first (static/js/app.js).
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")
# Data inside a read attribute (a name in a confirmation's question), isolated by templating.isolated.
ISOLATED = re.compile("\u2068[^\u2069]*\u2069?")

# GET routes that answer with something other than a page (files, JSON, redirects), so are not read here.
NOT_PAGES = frozenset({
    "/health", "/incidents/export", "/map/features.geojson", "/places/suggest",
    "/sources/{source_id}/original", "/sources/{source_id}/thumbnail/{derivative_id}",
    "/sources/{source_id}/media/{derivative_id}", "/sources/{source_id}/derivatives/{derivative_id}",
})
PER_ROUTE = 3  # concrete URLs read per route template and role (query variants included)


class Reader(HTMLParser):
    """The interface text of a page: visible text and read attributes, data and scripts dropped."""

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []  # (tag, dropped) of each open element
        self.texts: list[str] = []
        self.links: list[str] = []

    def _dropped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        dropped = (self._dropped() or tag in SKIP_TAGS or values.get("dir") == "auto" or "data-user" in values
                   or (values.get("lang", self.lang) or self.lang) != self.lang)
        if not dropped:
            # data-user-title: the element's title alone is data (a source's title over its number).
            self.texts.extend(ISOLATED.sub(" ", values[name]) for name in READ_ATTRIBUTES if values.get(name)
                              and not (name == "title" and "data-user-title" in values))
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.texts.append(values["value"])
        if tag not in VOID:
            self.stack.append((tag, dropped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for at in range(len(self.stack) - 1, -1, -1):  # an element left open closes with its parent
            if self.stack[at][0] == tag:
                del self.stack[at:]
                return

    def handle_data(self, data: str) -> None:
        if not self._dropped() and data.strip():
            self.texts.append(" ".join(data.split()))


def interface_texts(html: str, lang: str) -> tuple[list[str], list[str]]:
    """(interface texts, links) of one page."""
    reader = Reader(lang)
    reader.feed(html)
    reader.close()
    return reader.texts, reader.links


@dataclass
class Walk:
    """The pages one role read in one language, by route template, and what was wrong on each."""

    seen: dict[str, list[str]] = field(default_factory=dict)  # template -> URLs read
    problems: dict[str, list[str]] = field(default_factory=dict)  # URL -> problems


def route_templates(app: Any) -> list[tuple[str, re.Pattern[str]]]:
    """Every GET route of the app, as (template, pattern matching its URLs)."""
    out = []
    for template in sorted(get_paths(app)):
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", template)
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{username\\\}", r"[^/]+", pattern)  # an account's name (its sign-ins page)
        pattern = re.sub(r"\\\{\w+\\\}", r"[0-9]+", pattern)
        out.append((template, re.compile(f"^{pattern}$")))
    return out


def _signed_in_client(ws: Workspace, username: str, lang: str) -> TestClient:
    client = client_for(ws)
    assert sign_in(client, username).status_code == 303
    home = client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert token
    client.post("/language", data={"lang": lang, "next": "/", "csrf_token": token.group(1)})
    assert f'<html lang="{lang}"' in client.get("/").text
    return client


def walk_site(ws: Workspace, username: str, lang: str, *, check: Callable[[str, str], list[str]]) -> Walk:
    """Follow every link from the home page (a few URLs per route), and read the error pages; ``check`` says
    what is wrong on a page (the language check, or the digits check)."""
    client = _signed_in_client(ws, username, lang)
    routes = route_templates(client.app)
    result = Walk()
    queue = ["/", "/no-such-page", "/incidents/999999999", "/review/pairs/1/1", "/incidents?date_from=1800",
             "/admin/users", "/account", "/password", "/api/docs", "/timeline", "/review/persons"]
    queued = set(queue)
    while queue:
        url = queue.pop(0)
        response = client.get(url, follow_redirects=True)
        final = urlsplit(str(response.url))
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        template = next((name for name, pattern in routes if pattern.match(final.path)), final.path)
        result.seen.setdefault(template, []).append(url)
        # A route that answers with a redirect (next, previous, a saved search) was reached as well.
        asked = next((name for name, pattern in routes if pattern.match(urlsplit(url).path)), None)
        if asked and asked != template:
            result.seen.setdefault(asked, []).append(url)
        found = check(response.text, lang)
        if found:
            result.problems[f"{url} ({response.status_code})"] = found
        _, links = interface_texts(response.text, lang)
        for link in links:
            parts = urlsplit(link)
            if parts.netloc and f"{parts.scheme}://{parts.netloc}" != BASE_URL:
                continue
            if not parts.path.startswith("/") or parts.path.startswith("/static") or link in queued:
                continue
            template = next((name for name, pattern in routes if pattern.match(parts.path)), None)
            if template is None or template in NOT_PAGES:
                continue
            if sum(1 for u in queued if (m := urlsplit(u).path) and next(
                    (n for n, p in routes if p.match(m)), None) == template) >= PER_ROUTE:
                continue
            queued.add(link)
            queue.append(link)
    return result


def pages_to_reach(app: Any) -> set[str]:
    """Every page a walk by the admin must reach: the GET routes answering with a page (the API answers JSON,
    its docs page aside), the sign-in page left out (a signed-in walk never sees it)."""
    return {name for name, _ in route_templates(app)
            if name == "/api/docs" or not name.startswith("/api/")} - NOT_PAGES - {"/login", "/login/code"}  # the code step: reached half signed in only


@contextmanager
def demo_workspace(root: Path) -> Iterator[Workspace]:
    """A SQLite workspace under ``root`` holding what the demo holds: every sample report ingested and linked,
    two victim lists, a person named in a report and two pairs of records to review."""
    settings = Settings(database_url=f"sqlite:///{root / 'tawthiq.db'}", data_dir=root / "data",
                        max_file_size=DEFAULT_MAX_FILE_SIZE)
    workspace = init_workspace(settings)
    try:
        results = ingest_files(workspace, input_files([SAMPLES]), link=True)  # as the demo does
        assert results and not [r for r in results if r.error]
        plant(workspace, root / "lists")
        yield workspace
    finally:
        workspace.db.dispose()  # type: ignore[attr-defined]
