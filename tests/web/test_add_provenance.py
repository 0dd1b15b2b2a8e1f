"""The Add forms record where material came from; a bad value is refused in the page's language, typed values kept."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from _client import form_token, signed_in, with_users

from tawthiq.services import Workspace
from tawthiq.store import repository

TEXT = "Shelling hit Douma yesterday, killing 4 civilians."
GIVEN = {"author": "Violations Documentation Center", "published": "2016-05-04",
         "url": "https://vdc.example/report/7", "received_from": "Signal, from a field researcher",
         "reliability": "B", "confidentiality": "confidential"}


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter")


def _client(ws: Workspace, lang: str = "en") -> tuple[object, str]:
    client = signed_in(ws, "doc", lang=lang)
    return client, form_token(client.get("/add").text)


def _value(html: str, testid: str) -> str:
    tag = re.search(rf'<(?:input|textarea)[^>]*data-testid="{testid}"[^>]*>([^<]*)', html)
    assert tag, testid
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return unescape(value.group(1) if value else tag.group(1))


def _selected(html: str, testid: str) -> str:
    select = re.search(rf'data-testid="{testid}">(.*?)</select>', html, re.S)
    assert select, testid
    chosen = re.search(r'<option value="([^"]*)" selected', select.group(1))
    return chosen.group(1) if chosen else ""


def test_the_add_page_offers_provenance_on_both_forms(ws: Workspace) -> None:
    client, _ = _client(ws)
    page = client.get("/add").text
    for prefix in ("paste", "upload"):
        for field in ("author", "published", "url", "received", "reliability", "confidentiality"):
            assert f'data-testid="{prefix}-{field}"' in page
    # Only the two levels a new suggestion may have: a public one needs a review first.
    conf = re.search(r'data-testid="paste-confidentiality">(.*?)</select>', page, re.S).group(1)
    assert re.findall(r'value="([^"]*)"', conf) == ["", "restricted", "confidential"]


def test_paste_with_provenance_lands_on_the_source_and_its_page(ws: Workspace) -> None:
    client, token = _client(ws)
    done = client.post("/add/text", data={"title": "Douma", "language": "en", "text": TEXT, "csrf_token": token,
                                          **GIVEN})
    assert done.status_code == 200, done.text
    sid = int(re.search(r'href="/sources/(\d+)" data-testid="new-source"', done.text).group(1))
    source = repository.get_source(ws.db, sid)
    assert (source.author, source.published.isoformat(), source.url) == (
        GIVEN["author"], GIVEN["published"], GIVEN["url"])
    assert source.metadata["received_from"] == GIVEN["received_from"]
    assert source.evaluation.reliability == "B"
    page = client.get(f"/sources/{sid}").text
    for testid, value in (("source-author", GIVEN["author"]), ("source-published", "2016-05-04"),
                          ("source-url", GIVEN["url"]), ("source-received-from", GIVEN["received_from"])):
        assert re.search(rf'data-testid="{testid}"[^>]*>(?:<bdi[^>]*>|<time[^>]*>)?{re.escape(value)}<', page), testid
    # The grade in words, not only its code.
    assert re.search(r'data-testid="source-evaluation" data-grade="B6">B6: the source is usually reliable; '
                     r'the truth of the information cannot be judged<', page)


@pytest.mark.parametrize(("lang", "field", "value", "said"), [
    ("en", "published", "FUTURE", "is in the future; nothing was stored"),
    ("ar", "published", "FUTURE", "في المستقبل؛ لم يُحفظ شيء"),
    ("en", "url", "ftp://files.example/x", "must be a web address starting with http:// or https://"),
    ("ar", "url", "ftp://files.example/x", "يجب أن يكون العنوان عنواناً إلكترونياً"),
])
def test_a_bad_value_is_refused_in_the_page_language_with_the_typed_values_kept(
        ws: Workspace, lang: str, field: str, value: str, said: str) -> None:
    client, token = _client(ws, lang)
    if value == "FUTURE":
        value = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    sent = {**GIVEN, field: value}
    page = client.post("/add/text", data={"title": "Douma", "language": "en", "text": TEXT, "csrf_token": token,
                                          **sent})
    assert page.status_code == 400
    error = re.search(r'data-testid="paste-error"[^>]*>([^<]*)<', page.text).group(1)
    assert said in unescape(error)
    assert _value(page.text, "paste-author") == GIVEN["author"]
    assert _value(page.text, "paste-published") == sent["published"]
    assert _value(page.text, "paste-url") == sent["url"]
    assert _value(page.text, "paste-received") == GIVEN["received_from"]
    assert _value(page.text, "paste-text") == TEXT
    assert _selected(page.text, "paste-reliability") == "B"
    assert _selected(page.text, "paste-confidentiality") == "confidential"
    assert repository.count_sources(ws.db) == 0


def test_upload_with_provenance_and_a_refused_upload_stores_nothing(ws: Workspace) -> None:
    client, token = _client(ws, "ar")
    files = [("files", ("a.txt", "Aircraft struck Ariha yesterday.".encode(), "text/plain")),
             ("files", ("b.txt", "Aircraft struck Saraqib yesterday.".encode(), "text/plain"))]
    bad = client.post("/add/upload", data={**GIVEN, "received_from": "x" * 501, "csrf_token": token}, files=files)
    assert bad.status_code == 400 and repository.count_sources(ws.db) == 0
    error = unescape(re.search(r'data-testid="upload-error"[^>]*>([^<]*)<', bad.text).group(1))
    assert "أطول من 500 حرف" in error
    assert _value(bad.text, "upload-author") == GIVEN["author"]
    done = client.post("/add/upload", data={**GIVEN, "csrf_token": token}, files=files)
    assert done.status_code == 200, done.text
    stored = [repository.get_source(ws.db, int(i))
              for i in re.findall(r'href="/sources/(\d+)" data-testid="new-source"', done.text)]
    assert len(stored) == 2
    for source in stored:
        assert (source.author, source.url, source.evaluation.reliability) == (GIVEN["author"], GIVEN["url"], "B")
        assert source.metadata["received_from"] == GIVEN["received_from"]
