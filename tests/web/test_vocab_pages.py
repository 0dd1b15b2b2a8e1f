"""The admin's actors page through the app: who may use it, what a refusal says, and the lists after an addition."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tawthiq.domain import vocab
from tawthiq.services import Workspace, accounts, ingest, vocabulary

from _client import form_token, signed_in

TAHRIR = {"label_en": "Liwa al-Tahrir", "label_ar": "لواء التحرير", "aliases_en": "Tahrir Brigade",
          "aliases_ar": "لواء التحرير\nكتائب التحرير", "parent": "armed-opposition", "kind": "armed-group",
          "comment": "a new group in the north"}


@pytest.fixture(autouse=True)
def _fresh_vocabulary() -> Iterator[None]:
    yield
    vocab.use_recorded_actors([])
    vocabulary._State.stamp = None


@pytest.mark.parametrize("role", ["viewer", "documenter", "reviewer"])
def test_only_an_admin_reaches_the_actors_page(ws: Workspace, role: str) -> None:
    client = signed_in(ws, "someone", role)
    home = client.get("/")
    assert "/admin/actors" not in home.text
    assert client.get("/admin/actors").status_code == 403
    refused = client.post("/admin/actors", data={**TAHRIR, "csrf_token": form_token(home.text)})
    assert refused.status_code == 403
    assert "liwa-al-tahrir" not in vocab.actors()


def test_an_admin_adds_an_actor_and_the_lists_offer_it(ws: Workspace) -> None:
    admin = signed_in(ws, "boss", "admin")
    page = admin.get("/admin/actors")
    assert page.status_code == 200 and "/admin/actors" in page.text and "armed-opposition" in page.text
    added = admin.post("/admin/actors", data={**TAHRIR, "csrf_token": form_token(page.text)},
                       follow_redirects=False)
    assert added.status_code == 303
    shown = admin.get(added.headers["location"])
    assert 'data-testid="vocab-done"' in shown.text and 'id="actor-liwa-al-tahrir"' in shown.text
    # A report naming it, pasted now, gives an incident the list's perpetrator filter finds,
    # by its own code and under its coalition; the add form offers it.
    boss = accounts.get_user(ws, actor=None, username="boss")
    pasted = ingest.ingest_text(ws, user=boss, text="Liwa al-Tahrir fighters shelled the village of Kafr Nabl in Idlib "
                                           "on 3 March 2021, killing two civilians.")
    for code in ("liwa-al-tahrir", "armed-opposition"):
        listed = admin.get(f"/incidents?perpetrator={code}&status=all").text
        assert "Kafr Nabl" in listed and "Liwa al-Tahrir" in listed, code
    assert 'value="liwa-al-tahrir"' in admin.get(f"/add/incident?source_id={pasted.source_ids[0]}").text


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "already names another actor (syrian-government)"),
    ("ar", "اسم لجهة أخرى (syrian-government)"),
])
def test_a_claimed_alias_is_refused_in_the_page_language_with_the_typed_values_kept(
        ws: Workspace, lang: str, message: str) -> None:
    admin = signed_in(ws, "boss", "admin", lang=lang)
    token = form_token(admin.get("/admin/actors").text)
    hostile = "<script>alert(1)</script>"
    refused = admin.post("/admin/actors", data={**TAHRIR, "aliases_ar": "قوات النظام", "aliases_en": hostile,
                                                "csrf_token": token})
    assert refused.status_code == 400
    assert message in refused.text
    assert 'value="Liwa al-Tahrir"' in refused.text and "a new group in the north" in refused.text
    assert hostile not in refused.text and "&lt;script&gt;" in refused.text
    assert "liwa-al-tahrir" not in vocab.actors()


def test_hostile_form_values_give_a_one_line_refusal_never_a_500(ws: Workspace) -> None:
    admin = signed_in(ws, "boss", "admin")
    token = form_token(admin.get("/admin/actors").text)
    for data in ({"label_en": "", "label_ar": ""}, {**TAHRIR, "kind": "x" * 300}, {**TAHRIR, "parent": "\x00"},
                 {**TAHRIR, "code": "../etc"}, {**TAHRIR, "label_en": "\u202eevil"}):
        response = admin.post("/admin/actors", data={**data, "csrf_token": token})
        assert response.status_code == 400, data
        assert 'data-testid="vocab-error"' in response.text
    assert admin.post("/admin/actors/no-such/retire", data={"comment": "x", "csrf_token": token}).status_code == 404
