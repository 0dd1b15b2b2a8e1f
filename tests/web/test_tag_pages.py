"""Tags through the app: the admin's page, tagging from the incident and source pages, the list's tag facet
and chips, the sources filter and the API filter, per role, in English and Arabic, hostile input included."""
from __future__ import annotations

import re

import pytest

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location, Source, SourceKind
from tawthiq.services import Workspace, tags
from tawthiq.services.tags import TagForm
from tawthiq.store import repository
from tawthiq.store.tags import all_tags, links_for

from _client import form_token, signed_in
from _users import ADMIN, DOCUMENTER

SECRET = "Qztagsecret"  # a tag used only on a confidential incident: no viewer page may name it


def _incident(ws: Workspace, conf: Confidentiality, place: str) -> int:
    return repository.add_incident(ws.db, Incident(
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=conf,
        description=f"strike on {place}", location=Location(name=place, admin1="Idlib"),
        date=IncidentDate(edtf="2015-10-07")))


@pytest.mark.parametrize("role", ["viewer", "documenter", "reviewer"])
def test_only_an_admin_reaches_the_tags_page(ws: Workspace, role: str) -> None:
    client = signed_in(ws, "someone", role)
    home = client.get("/")
    assert "/admin/tags" not in home.text
    assert client.get("/admin/tags").status_code == 403
    refused = client.post("/admin/tags", data={"label_en": "Siege", "label_ar": "حصار",
                                               "csrf_token": form_token(home.text)})
    assert refused.status_code == 403 and all_tags(ws.db) == []


def test_an_admin_adds_renames_and_retires_a_tag(ws: Workspace) -> None:
    admin = signed_in(ws, "boss", "admin")
    page = admin.get("/admin/tags")
    assert page.status_code == 200 and 'data-testid="no-tags"' in page.text and 'href="/admin/tags"' in page.text
    added = admin.post("/admin/tags", data={"label_en": " Siege ", "label_ar": "حصار", "colour": "blue",
                                            "comment": "Ghouta", "csrf_token": form_token(page.text)},
                       follow_redirects=False)
    assert added.status_code == 303
    (tag,) = all_tags(ws.db)
    shown = admin.get(added.headers["location"]).text
    assert 'data-testid="tags-done"' in shown and f'id="tag-{tag.id}"' in shown and "tag-blue" in shown
    edited = admin.post(f"/admin/tags/{tag.id}/edit", data={"label_en": "Besieged", "label_ar": "محاصر",
                                                            "colour": "", "csrf_token": form_token(shown)})
    assert edited.status_code == 200 and all_tags(ws.db)[0].label_en == "Besieged"
    no_reason = admin.post(f"/admin/tags/{tag.id}/retire", data={"comment": "", "csrf_token": form_token(shown)})
    assert no_reason.status_code == 400 and "Say why the tag is retired." in no_reason.text
    retired = admin.post(f"/admin/tags/{tag.id}/retire", data={"comment": "done", "csrf_token": form_token(shown)})
    assert retired.status_code == 200 and all_tags(ws.db)[0].retired
    assert admin.post("/admin/tags/999999/retire", data={"comment": "x", "csrf_token": form_token(shown)}
                      ).status_code == 404
    # A crafted notice about a tag that does not exist is not shown.
    assert 'data-testid="tags-done"' not in admin.get("/admin/tags?done=added&tag=999").text


@pytest.mark.parametrize(("lang", "message"), [
    ("en", "Another tag is already called “Chemical attack” (or “هجوم كيماوي”)."),
    ("ar", "يوجد وسم آخر بالاسم «هجوم كيماوي» (أو «Chemical attack»)."),
])
def test_a_duplicate_label_is_refused_in_the_page_language_with_the_typed_values_kept(
        ws: Workspace, lang: str, message: str) -> None:
    tags.add_tag(ws, user=ADMIN, form=TagForm(label_en="Chemical attack", label_ar="هجوم كيماوي"), comment="")
    admin = signed_in(ws, "boss", "admin", lang=lang)
    page = admin.get("/admin/tags")
    refused = admin.post("/admin/tags", data={"label_en": "CHEMICAL  attack", "label_ar": "<b>جديد</b>",
                                              "colour": "green", "comment": "typed", "csrf_token": form_token(page.text)})
    assert refused.status_code == 400 and message in refused.text.replace("&#34;", '"')
    assert 'value="CHEMICAL  attack"' in refused.text and "&lt;b&gt;جديد&lt;/b&gt;" in refused.text
    assert "<b>جديد</b>" not in refused.text and len(all_tags(ws.db)) == 1
    bad_colour = admin.post("/admin/tags", data={"label_en": "X", "label_ar": "س", "colour": "javascript:x",
                                                 "csrf_token": form_token(page.text)})
    assert bad_colour.status_code == 400 and 'data-testid="tags-error"' in bad_colour.text


def test_a_documenter_tags_an_incident_and_the_list_filters_by_it(ws: Workspace) -> None:
    tag = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en="Chemical attack", label_ar="هجوم كيماوي",
                                                    colour="red"), comment="")
    tagged, other = _incident(ws, Confidentiality.PUBLIC, "Ariha"), _incident(ws, Confidentiality.PUBLIC, "Douma")
    doc = signed_in(ws, "amal", "documenter")
    page = doc.get(f"/incidents/{tagged}")
    assert 'data-testid="tag-add-form"' in page.text and f'<option value="{tag.id}">Chemical attack' in page.text
    done = doc.post(f"/incidents/{tagged}/tags", data={"tag_id": str(tag.id), "csrf_token": form_token(page.text)},
                    follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/incidents/{tagged}?done=tagged")
    again = doc.post(f"/incidents/{tagged}/tags", data={"tag_id": str(tag.id), "csrf_token": form_token(page.text)})
    assert again.status_code == 400 and "That tag is on it already." in again.text
    for hostile in ("<script>x</script>", "1e9", "٣", "9" * 30, ""):
        bad = doc.post(f"/incidents/{tagged}/tags", data={"tag_id": hostile, "csrf_token": form_token(page.text)})
        assert bad.status_code == 400 and "Choose a tag from the list." in bad.text, hostile
        assert "<script>x</script>" not in bad.text
    assert doc.post(f"/incidents/{tagged}/tags", data={"tag_id": str(tag.id)}).status_code == 403  # no CSRF token
    listed = doc.get(f"/incidents?tag={tag.id}")
    ids = set(map(int, re.findall(r'data-incident-id="(\d+)"', listed.text)))
    assert ids == {tagged} and other not in ids
    assert 'data-testid="row-tags"' in listed.text and 'data-testid="facet-tag"' in listed.text
    chip = re.search(r'data-filter="tag">.*?</li>', listed.text, re.DOTALL)
    assert chip and "Chemical attack" in chip.group(0)
    ar = signed_in(ws, "amal2", "documenter", lang="ar").get(f"/incidents?tag={tag.id}")
    assert "هجوم كيماوي" in ar.text and 'dir="rtl"' in ar.text
    api = doc.get(f"/api/incidents?tag={tag.id}").json()
    assert [i["id"] for i in api["items"]] == [tagged]
    assert doc.get("/api/incidents?tag=abc").status_code == 400
    assert "tag number" in doc.get("/api/openapi.json").text
    removed = doc.post(f"/incidents/{tagged}/tags/{tag.id}/remove", data={"csrf_token": form_token(page.text)},
                       follow_redirects=False)
    assert removed.status_code == 303
    shown = doc.get(f"/incidents/{tagged}").text
    assert 'data-testid="withdrawn-tag"' in shown and "taken off by amal" in shown
    assert doc.get(f"/incidents?tag={tag.id}").text.count('data-testid="result-row"') == 0


def test_viewers_see_tags_only_on_what_they_may_see(ws: Workspace) -> None:
    shared = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en="Siege", label_ar="حصار", shown_to_viewers=True),
                          comment="")
    secret_tag = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en=SECRET, label_ar="قزوسمسري"), comment="")
    public, secret = _incident(ws, Confidentiality.PUBLIC, "Ariha"), _incident(ws, Confidentiality.CONFIDENTIAL, "Douma")
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="c" * 64, text="A report."))
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=public, tag_id=shared.id)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=secret, tag_id=secret_tag.id)
    tags.tag_source(ws, user=DOCUMENTER, source_id=sid, tag_id=shared.id)
    for lang in ("en", "ar"):
        viewer = signed_in(ws, f"vera-{lang}", "viewer", lang=lang)
        pages = [viewer.get(u) for u in ("/incidents", f"/incidents?tag={secret_tag.id}",
                                         f"/incidents?tag={shared.id}", f"/incidents/{public}",
                                         f"/api/incidents?tag={secret_tag.id}", "/api/openapi.json")]
        assert all(p.status_code == 200 for p in pages)
        for p in pages:
            assert SECRET not in p.text and "قزوسمسري" not in p.text
        assert "Siege" in pages[3].text or "حصار" in pages[3].text  # the public incident's own tag
        assert 'data-testid="tag-add-form"' not in pages[3].text and "amal" not in pages[3].text
        assert f"#{secret_tag.id}" in pages[1].text  # the hand-made filter's chip is a bare number
        assert viewer.get(f"/incidents/{secret}").status_code == 404
        assert viewer.get(f"/sources?tag={shared.id}").status_code == 403
        assert viewer.get(f"/sources/{sid}").status_code == 404
        assert viewer.post(f"/sources/{sid}/tags", data={"tag_id": str(shared.id),
                                                         "csrf_token": form_token(pages[0].text)}).status_code == 404
    staff = signed_in(ws, "rana", "reviewer").get("/incidents").text
    assert SECRET in staff  # the planting is real


def test_a_source_is_tagged_from_its_page_and_the_sources_list_filters_by_tag(ws: Workspace) -> None:
    tag = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en="Siege", label_ar="حصار", colour="teal"), comment="")
    first, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="a" * 64, text="First report."))
    second, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="b" * 64, text="Second report."))
    doc = signed_in(ws, "amal", "documenter", lang="ar")
    page = doc.get(f"/sources/{second}")
    assert 'data-testid="tags-panel"' in page.text
    done = doc.post(f"/sources/{second}/tags", data={"tag_id": str(tag.id), "csrf_token": form_token(page.text)},
                    follow_redirects=False)
    assert done.status_code == 303
    shown = doc.get(done.headers["location"]).text
    assert "أُضيف الوسم." in shown and "حصار" in shown
    bad = doc.post(f"/sources/{second}/tags", data={"tag_id": "x", "csrf_token": form_token(page.text)})
    assert bad.status_code == 400 and "اختر وسمًا من القائمة." in bad.text
    listed = doc.get(f"/sources?tag={tag.id}").text
    assert re.findall(r'data-source-id="(\d+)"', listed) == [str(second)] and 'data-testid="row-tags"' in listed
    assert str(first) in re.findall(r'data-source-id="(\d+)"', doc.get("/sources?tag=junk").text)
    assert len(links_for(ws.db, target="source", ids=[second])[second]) == 1
