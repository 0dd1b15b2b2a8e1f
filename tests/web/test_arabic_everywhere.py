"""Every page of the app, in Arabic, is Arabic; in English, English (issue 12, part D).

The app is walked as its users walk it: the demo's reports (English and
Arabic, every format) are ingested and linked, then an admin and a viewer
follow every link from the home page, in each language, and every GET route
of the app must have been reached (so a new page fails here until it is
walked), plus the error pages (400, 403, 404). On each page the visible text
and the texts a person reads in attributes (title, placeholder, aria-label,
alt, a button's value) are checked, after dropping what is not interface:

* ``<script>``, ``<style>`` and machine text (``<code>``, ``<kbd>``, ``<samp>``);
* report and user data, which templates mark with ``dir="auto"`` (text of
  unknown direction: a quote, a name as written) or ``data-user`` (a title
  alone with ``data-user-title``);
* text deliberately in another language, marked with ``lang`` (the language
  switch reads "English" in the Arabic interface).

In Arabic no Latin word may remain except a short allow-list of acronyms, and
no English catalogue text; in English no Arabic letter may remain. The
failure lists every page with its offending texts.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from _client import BASE_URL, client_for, form_token, make_user, sign_in
from _person_helpers import plant
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, init_workspace, saved_searches
from tawthiq.services.ingest import ingest_files, input_files
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.web.i18n import catalogue

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ADMIN, VIEWER = "amal.admin", "vera.viewer"

# Latin words written the same in Arabic text: names of formats, standards, protocol words and keys.
ALLOWED_LATIN = frozenset({"API", "CSV", "JSON", "GeoJSON", "URL", "SHA", "PDF", "HTML", "HTTP", "HTTPS", "EXIF",
                           "WARC", "WACZ", "OpenAPI", "MB", "Ctrl", "curl", "Authorization", "Bearer", "X-CSRF-Token",
                           "GET", "POST", "PATCH", "PUT", "DELETE"})
ADMIRALTY = re.compile(r"[A-F][1-6]?")  # a source's grade on the Admiralty scale ("B2"): a code, not a word
# Addresses, paths and commands in `backticks` are typed as they are, in any language.
# Addresses, paths, `commands` and file names (result.json, .zip): what a user types or picks as written.
MACHINE = re.compile(r"https?://\S*|(?<![\w/])/[\w/.{}?=&-]*|`[^`]*`"
                     r"|(?<![\w.])[\w-]*\.(?:json|jsonl|zip|csv|txt|pdf|warc|wacz|html?)\b")
SKIP_TAGS = frozenset({"script", "style", "code", "kbd", "samp", "pre", "template"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
# The attributes a person reads; data-confirm is the question a button asks first (static/js/app.js).
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")
# Data inside a read attribute (a name in a confirmation's question), isolated by templating.isolated.
ISOLATED = re.compile("\u2068[^\u2069]*\u2069?")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")

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


def _catalogue_texts(lang: str) -> list[str]:
    """The catalogue's texts in ``lang`` worth looking for: whole phrases, placeholders cut off."""
    out = set()
    for entry in catalogue().values():
        for piece in re.split(r"\{[^}]*\}", entry[lang]):
            piece = piece.strip(" .:·,()–-")
            # One short word ("Map", "ID") is caught by the letter checks; phrases name their key.
            if len(piece) >= 8 and " " in piece:
                out.add(piece)
    return sorted(out, key=len, reverse=True)


def problems_in(html: str, lang: str) -> list[str]:
    """What on a page is not in ``lang``: Latin words in Arabic, Arabic letters in English, the other
    language's catalogue texts."""
    texts, _ = interface_texts(html, lang)
    found: list[str] = []
    other = _catalogue_texts("en" if lang == "ar" else "ar")
    for text in texts:
        if lang == "ar":
            words = [w for w in LATIN_WORD.findall(MACHINE.sub(" ", text))
                     if w not in ALLOWED_LATIN and not ADMIRALTY.fullmatch(w)]
            if words:
                found.append(f"{text!r} (Latin: {', '.join(words[:6])})")
                continue
        elif ARABIC_LETTER.search(text):
            found.append(f"{text!r} (Arabic letters)")
            continue
        hit = next((phrase for phrase in other if phrase in text), None)
        if hit:
            found.append(f"{text!r} (catalogue text {hit!r})")
    return found


@dataclass
class Walk:
    """The pages one role read in one language, by route template, and what was wrong on each."""

    seen: dict[str, list[str]] = field(default_factory=dict)  # template -> URLs read
    problems: dict[str, list[str]] = field(default_factory=dict)  # URL -> problems


def _templates(app: Any) -> list[tuple[str, re.Pattern[str]]]:
    """Every GET route of the app, as (template, pattern matching its URLs)."""
    found: list[str] = []

    def walk(routes: Any, prefix: str) -> None:
        for route in routes:
            if hasattr(route, "original_router"):
                walk(route.original_router.routes, prefix + (route.include_context.prefix or ""))
            elif getattr(route, "methods", None) and "GET" in route.methods:
                found.append(prefix + route.path if not route.path.startswith(prefix) else route.path)

    walk(app.router.routes, "")
    out = []
    for template in sorted(set(found)):
        template = re.sub(r"\{(\w+):\w+\}", r"{\1}", template)
        pattern = re.escape(template)
        pattern = re.sub(r"\\\{\w+\\\}", r"[0-9]+", pattern)
        out.append((template, re.compile(f"^{pattern}$")))
    return out


def _client(ws: Workspace, username: str, lang: str) -> TestClient:
    client = client_for(ws)
    assert sign_in(client, username).status_code == 303
    home = client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert token
    client.post("/language", data={"lang": lang, "next": "/", "csrf_token": token.group(1)})
    assert f'<html lang="{lang}"' in client.get("/").text
    return client


def walk_site(ws: Workspace, username: str, lang: str, *,
              check: Callable[[str, str], list[str]] = problems_in) -> Walk:
    """Follow every link from the home page (a few URLs per route), and read the error pages; ``check`` says
    what is wrong on a page (test_digits_everywhere.py reads the same pages for Western digits)."""
    client = _client(ws, username, lang)
    routes = _templates(client.app)
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


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    root = tmp_path_factory.mktemp("arabic-everywhere")
    settings = Settings(database_url=f"sqlite:///{root / 'tawthiq.db'}", data_dir=root / "data",
                        max_file_size=DEFAULT_MAX_FILE_SIZE)
    workspace = init_workspace(settings)
    results = ingest_files(workspace, input_files([SAMPLES]), link=True)  # as the demo does
    assert results and not [r for r in results if r.error]
    plant(workspace, root / "lists")  # two victim lists, a person named in a report, two pairs to review
    admin = make_user(workspace, ADMIN, "admin")
    make_user(workspace, VIEWER, "viewer")
    # A saved search, so that the page opening one (a redirect to the list) is reached too.
    saved_searches.save(workspace, user=admin, name="الرقة", params={"q": "Raqqa"})
    yield workspace
    workspace.db.dispose()  # type: ignore[attr-defined]


def _report(walk: Walk) -> str:
    return "\n".join(f"{url}:\n    " + "\n    ".join(found) for url, found in walk.problems.items())


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("username", [ADMIN, VIEWER])
def test_every_page_is_in_the_interface_language(ws: Workspace, username: str, lang: str) -> None:
    walk = walk_site(ws, username, lang)
    assert not walk.problems, f"{len(walk.problems)} pages in {lang} for {username} are not all {lang}:\n" \
                              + _report(walk)
    if username == ADMIN:  # the admin may read every page: each must have been reached
        pages = {name for name, _ in _templates(client_for(ws).app)
                 if name == "/api/docs" or not name.startswith("/api/")} - NOT_PAGES - {"/login"}  # /api: JSON
        missed = sorted(pages - set(walk.seen))
        assert missed == [], f"pages no link led to: {missed}"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_sign_in_page_and_its_refusal_are_in_the_interface_language(ws: Workspace, lang: str) -> None:
    client = client_for(ws)
    client.cookies.set("tawthiq_lang", lang)
    page = client.get("/login")
    refused = client.post("/login", data={"username": ADMIN, "password": "wrong password here",
                                          "csrf_token": form_token(page.text)})
    assert f'<html lang="{lang}"' in page.text and refused.status_code == 401
    problems = {url: problems_in(r.text, lang) for url, r in (("/login", page), ("POST /login", refused))}
    assert problems == {"/login": [], "POST /login": []}


def test_the_reader_drops_data_and_catches_leftovers() -> None:
    html = ('<html lang="ar"><body><h1>الحوادث</h1><p>قصف <bdi dir="auto">Aleppo city</bdi></p>'
            '<span data-user>dana</span><button lang="en">English</button><script>var x = "Latin";</script>'
            '<input placeholder="Search"><p>عرض <b>EDTF</b> و CSV</p><br><p>History</p></body></html>')
    assert problems_in(html, "ar") == ["'Search' (Latin: Search)", "'EDTF' (Latin: EDTF)",
                                       "'History' (Latin: History)"]
    english = '<html lang="en"><p>Incidents <span dir="auto">حلب</span></p><p>الحوادث</p></html>'
    assert problems_in(english, "en") == ["'الحوادث' (Arabic letters)"]
