"""Saved searches: save the list's filters under a name, reopen, delete (withdrawn, kept); per user."""
from __future__ import annotations

import re
from html import unescape

import pytest
from _client import form_token, signed_in, with_users
from sqlalchemy import select

from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.model import Incident, Involvement, Location
from tawthiq.services import Workspace
from tawthiq.store import repository
from tawthiq.store.tables import saved_searches


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", other="documenter", viewer="viewer")


def row_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-testid="result-row" data-incident-id="(\d+)"', html)}


@pytest.fixture
def two(ws: Workspace) -> dict[str, int]:
    def add(actor: str, conf: Confidentiality, description: str) -> int:
        return repository.add_incident(ws.db, Incident(
            event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=conf,
            involvements=[Involvement(actor=actor)], description=description,
            location=Location(name="Tabqa", name_ar="الطبقة", text="Tabqa", admin1="Raqqa", place_id="gn:172374")))
    return {"russia": add("russia", Confidentiality.PUBLIC, "Strike near the dam"),
            "secret": add("syrian-government", Confidentiality.CONFIDENTIAL, "SECRET-MARKER barrel bomb")}


def _save(client, query: str, name: str):  # type: ignore[no-untyped-def]
    page = client.get("/incidents?" + query)
    return client.post("/searches", data={"name": name, "query": query, "csrf_token": form_token(page.text)},
                       follow_redirects=False)


def test_save_open_and_delete_a_search(ws: Workspace, two: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    saved = _save(doc, "q=الرقة&perpetrator=russia&perpetrator=syrian-government&sort=-id&junk=1", "Raqqa, two actors")
    assert saved.status_code == 303
    target = saved.headers["location"]
    assert target.startswith("/incidents?") and "junk" not in target and "saved=" in target
    page = doc.get(target)
    assert 'data-testid="search-saved"' in page.text and row_ids(page.text) == set(two.values())
    item = re.search(r'data-testid="saved-search" data-saved-id="(\d+)".*?</li>', page.text, re.DOTALL)
    assert item and "Raqqa, two actors" in item.group(0)
    search_id = int(item.group(1))
    opened = doc.get(f"/searches/{search_id}", follow_redirects=False)
    assert opened.status_code == 303
    reopened = doc.get(opened.headers["location"])
    assert row_ids(reopened.text) == set(two.values())
    assert len(re.findall(r'name="perpetrator" value="(?:russia|syrian-government)"[^>]*checked', reopened.text)) == 2
    # Listed on the account page too; deleting from there comes back there.
    account = doc.get("/account")
    assert "Raqqa, two actors" in account.text
    gone = doc.post(f"/searches/{search_id}/delete", data={"next": "/account", "csrf_token": form_token(account.text)},
                    follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/account?done=search_deleted"
    assert "Raqqa, two actors" not in doc.get("/account").text
    assert doc.get(f"/searches/{search_id}", follow_redirects=False).status_code == 404
    with ws.db.session() as session:  # withdrawn, not erased: who and when
        row = session.execute(select(saved_searches).where(saved_searches.c.id == search_id)).one()
    assert row.deleted_by == "doc" and row.deleted_at is not None and row.name == "Raqqa, two actors"


def test_saved_searches_are_per_user_and_reopen_with_the_openers_rights(ws: Workspace, two: dict[str, int]) -> None:
    doc, other, viewer = signed_in(ws, "doc"), signed_in(ws, "other"), signed_in(ws, "viewer")
    _save(doc, "q=barrel", "mine")
    search_id = int(re.search(r'data-saved-id="(\d+)"', doc.get("/incidents").text).group(1))
    assert "mine" not in other.get("/incidents").text and "mine" not in other.get("/account").text
    assert other.get(f"/searches/{search_id}", follow_redirects=False).status_code == 404
    page = other.get("/incidents")
    refused = other.post(f"/searches/{search_id}/delete", data={"csrf_token": form_token(page.text)})
    assert refused.status_code == 404
    assert "mine" in doc.get("/incidents").text  # still there for its owner
    # A viewer's own saved search never shows what a viewer may not see.
    _save(viewer, "perpetrator=syrian-government", "government")
    own = int(re.search(r'data-saved-id="(\d+)"', viewer.get("/incidents").text).group(1))
    shown = viewer.get(viewer.get(f"/searches/{own}", follow_redirects=False).headers["location"])
    assert "SECRET-MARKER" not in shown.text and row_ids(shown.text) == set()


@pytest.mark.parametrize(("lang", "name", "message"), [
    ("en", "   ", "Give the search a name."),
    ("ar", "   ", "أعطِ البحث اسماً."),
    ("en", "x" * 101, "The name is too long"),
    ("ar", "س" * 101, "الاسم طويل جداً"),
])
def test_a_refused_save_says_why_in_the_page_language_and_keeps_the_name(
        ws: Workspace, two: dict[str, int], lang: str, name: str, message: str) -> None:
    client = signed_in(ws, "doc", lang=lang)
    refused = _save(client, "q=dam", name)
    assert refused.status_code == 400 and "Traceback" not in refused.text
    assert message in unescape(refused.text)
    field = re.search(r'<input type="text" name="name" id="save-search-name"[^>]*>', refused.text, re.DOTALL).group(0)
    assert f'value="{name}"' in field
    assert row_ids(refused.text) == {two["russia"]}  # the list it was saved from, still filtered
    bad = _save(client, "status=gone", "bad filter")
    said = "has no choice “gone”" if lang == "en" else "خيار باسم «gone»"
    assert bad.status_code == 400 and said in unescape(bad.text)


def test_hostile_names_are_escaped(ws: Workspace, two: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    _save(doc, "q=dam", '<script>alert(1)</script>')
    page = doc.get("/incidents").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
