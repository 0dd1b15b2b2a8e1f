"""The Add page: a spoofing title is stored without its bidi override, and a title over 500 characters is
refused in the page's language with the typed values kept (issue 12 fixes, A5)."""
from __future__ import annotations

import re
from html import unescape

import pytest
from _client import form_token, signed_in, with_users

from tawthiq.services import Workspace
from tawthiq.store import repository

TEXT = "Shelling hit Douma yesterday, killing 4 civilians."


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter")


def test_a_spoofing_title_is_stored_and_shown_without_the_override(ws: Workspace) -> None:
    client = signed_in(ws, "doc")
    token = form_token(client.get("/add").text)
    done = client.post("/add/text", data={"title": "report\u202egnp.exe", "language": "en", "text": TEXT,
                                          "author": "\u202eNHRS", "csrf_token": token})
    assert done.status_code == 200
    sid = int(re.search(r'href="/sources/(\d+)"', done.text).group(1))  # type: ignore[union-attr]
    page = client.get(f"/sources/{sid}").text
    assert "\u202e" not in page and "reportgnp.exe" in unescape(page)


@pytest.mark.parametrize("lang,said", [
    ("en", "The title is over 500 characters; nothing was stored."),
    ("ar", "العنوان أطول من 500 حرف؛ لم يُحفظ شيء."),
])
def test_a_long_title_is_refused_in_the_page_language_with_the_values_kept(ws: Workspace, lang: str,
                                                                          said: str) -> None:
    client = signed_in(ws, "doc", lang=lang)
    token = form_token(client.get("/add").text)
    title = "ت" * 520
    page = client.post("/add/text", data={"title": title, "language": "ar", "text": TEXT, "csrf_token": token,
                                          "author": "VDC"})
    assert page.status_code == 400
    error = unescape(re.search(r'data-testid="paste-error"[^>]*>([^<]*)<', page.text).group(1))  # type: ignore[union-attr]
    assert said in error and "\n" not in error.strip()
    assert f'value="{title}"' in page.text and 'value="VDC"' in page.text and TEXT in page.text
    assert repository.count_sources(ws.db) == 0
