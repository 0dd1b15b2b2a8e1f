"""Every page of the app, in Arabic, is Arabic; in English, English (issue 12, part D).

The app is walked as its users walk it (the walk is tests/web/_walk.py): the demo's reports (English and
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
from collections.abc import Iterator

import pytest
from _client import client_for, form_token, make_user
from _walk import ADMIN, VIEWER, Walk, demo_workspace, interface_texts, pages_to_reach, walk_site

from tawthiq.services import Workspace, accounts, export_requests, saved_searches
from tawthiq.web.i18n import catalogue

# Latin words written the same in Arabic text: names of formats, standards, protocol words and keys.
ALLOWED_LATIN = frozenset({"API", "CSV", "JSON", "GeoJSON", "URL", "SHA", "PDF", "HTML", "HTTP", "HTTPS", "EXIF",
                           "WARC", "WACZ", "OpenAPI", "MB", "Ctrl", "curl", "Authorization", "Bearer", "X-CSRF-Token",
                           "GET", "POST", "PATCH", "PUT", "DELETE"})
ADMIRALTY = re.compile(r"[A-F][1-6]?")  # a source's grade on the Admiralty scale ("B2"): a code, not a word
# Addresses, paths and commands in `backticks` are typed as they are, in any language.
# Addresses, paths, `commands` and file names (result.json, .zip): what a user types or picks as written.
MACHINE = re.compile(r"https?://\S*|(?<![\w/])/[\w/.{}?=&-]*|`[^`]*`"
                     r"|(?<![\w.])[\w-]*\.(?:json|jsonl|zip|csv|txt|pdf|warc|wacz|html?)\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")


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



@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with demo_workspace(tmp_path_factory.mktemp("arabic-everywhere")) as workspace:
        admin = make_user(workspace, ADMIN, "admin")
        make_user(workspace, VIEWER, "viewer")
        # A saved search, so that the page opening one (a redirect to the list) is reached too.
        saved_searches.save(workspace, user=admin, name="الرقة", params={"q": "Raqqa"})
        # Export requests: one waiting, one approved (in force), one declined, so every part of the reviewers'
        # page and of the viewer's own requests is read.
        viewer = accounts.get_user(workspace, actor=None, username=VIEWER)
        for profile in ("court", "partner"):
            export_requests.request_export(workspace, user=viewer, profile=profile, reason="للمحكمة", machine="t")
        asked = export_requests.overview(workspace, reviewer=admin).pending
        export_requests.approve_request(workspace, reviewer=admin, request_id=asked[0].entry_id, hours=2,
                                        reason="للجلسة", machine="t")
        documenter = make_user(workspace, "arwa", "documenter")
        declined = export_requests.request_export(workspace, user=documenter, profile="court", reason="سبب",
                                                  machine="t")
        export_requests.decline_request(workspace, reviewer=admin, request_id=declined.entry_id, reason="لا",
                                        machine="t")
        yield workspace


def _report(walk: Walk) -> str:
    return "\n".join(f"{url}:\n    " + "\n    ".join(found) for url, found in walk.problems.items())


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("username", [ADMIN, VIEWER])
def test_every_page_is_in_the_interface_language(ws: Workspace, username: str, lang: str) -> None:
    walk = walk_site(ws, username, lang, check=problems_in)
    assert not walk.problems, f"{len(walk.problems)} pages in {lang} for {username} are not all {lang}:\n" \
                              + _report(walk)
    if username == ADMIN:  # the admin may read every page: each must have been reached
        missed = sorted(pages_to_reach(client_for(ws).app) - set(walk.seen))
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
