"""Correcting fast (issue 12 B), through the app: the correct-first review page, checkbox lists, a victim
group's breakdown ("of whom 3 children and 2 women") and the one incident form hand entry shares.

Each test builds its own small records (a text source, a photo source, a suggestion citing nothing), so
they run on SQLite and PostgreSQL without ingesting a report.
"""
from __future__ import annotations

import re
from html import unescape

import pytest
from _client import form_token, signed_in, with_users
from _forms import encoded, form_fields

from tawthiq.domain.enums import (
    Confidentiality,
    IncidentStatus,
    SourceKind,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.model import Incident, Involvement, Source, VictimGroup
from tawthiq.services import Workspace
from tawthiq.store import repository
from tawthiq.store.incidents import add_incident, get_incident

TEXT = "On 3 March 2017 a barrel bomb hit the market in Saraqib, killing twelve civilians, among them 3 children."
MARKER = "CONFIDENTIAL-MARKER-7Q"


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", viewer="viewer")


@pytest.fixture
def text_source(ws: Workspace) -> int:
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="ab" * 32, text=TEXT,
                                                 title="Saraqib market report"))
    return sid


@pytest.fixture
def photo_source(ws: Workspace) -> int:
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.IMAGE, sha256="cd" * 32, text="",
                                                 title="Photo of the market", media_type="image/jpeg"))
    return sid


def _suggestion(ws: Workspace, source_id: int, *, confidentiality: Confidentiality = Confidentiality.RESTRICTED,
                victims: list[VictimGroup] | None = None, description: str = "A barrel bomb on the market") -> int:
    return add_incident(ws.db, Incident(
        event_type="air-drone-strike", violations=["indiscriminate-attack"],
        involvements=[Involvement(actor="syrian-government")],
        victims=victims if victims is not None else [
            VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=12, count_max=12)],
        description=description, status=IncidentStatus.SUGGESTED, confidentiality=confidentiality,
        source_id=source_id))


def _error(html: str, testid: str = "form-error") -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert found, f"no {testid} in the page"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_the_review_page_opens_on_the_correction_form_beside_the_source(ws: Workspace, text_source: int) -> None:
    incident_id = _suggestion(ws, text_source)
    page = signed_in(ws, "doc").get(f"/review/{incident_id}")
    assert page.status_code == 200
    html = page.text
    # The form is open (not folded in a <details>), right after the source text, before every other decision.
    assert '<section class="action edit correct-panel" id="edit"' in html
    assert not re.search(r'<details[^>]*id="edit"', html)
    order = [html.index(m) for m in ('data-testid="source-text"', 'data-testid="edit-form"',
                                     'data-testid="accept-form"', 'data-testid="merge-form"',
                                     'data-testid="reject-form"')]
    assert order == sorted(order)
    # No box to type a comment in comes before the correction's fields.
    assert html.index('data-testid="edit-event-type"') < html.index('name="comment"')
    # Multi-choice fields are checkbox lists, ticked ones first; no Ctrl-click select is left.
    assert "<select" in html and not re.search(r"<select[^>]*multiple", html)
    form = form_fields(html, f"/review/{incident_id}/edit")
    assert form.values("violations") == ["indiscriminate-attack"]
    assert form.values("perpetrators") == ["syrian-government"]
    violations = re.search(r'data-testid="edit-violations".*?</fieldset>', html, re.DOTALL).group(0)  # type: ignore[union-attr]
    boxes = re.findall(r'<input type="checkbox" name="violations" value="([^"]+)"( checked)?', violations)
    assert boxes[0] == ("indiscriminate-attack", " checked") and all(not c for _, c in boxes[1:])
    assert len(boxes) > 5
    # The old ids other pages and scripts link to are still there.
    for anchor in ('id="edit"', 'id="edit-form"', 'id="actions"', 'id="merge"', 'id="reject"'):
        assert anchor in html


def test_the_arabic_review_page_is_right_to_left_with_arabic_labels(ws: Workspace, text_source: int) -> None:
    incident_id = _suggestion(ws, text_source)
    html = signed_in(ws, "doc", lang="ar").get(f"/review/{incident_id}").text
    assert 'dir="rtl"' in html
    assert "صحّح هذه الحادثة" in html and "اكتب للتصفية" in html and "منهم" in html


def _edit_fields(html: str, incident_id: int, **changes: str | list[str]) -> list[tuple[str, str]]:
    return form_fields(html, f"/review/{incident_id}/edit").with_values(**changes)


@pytest.mark.parametrize("lang,said", [
    ("en", "Children, women and men together are more than the group's largest count (12)."),
    ("ar", "مجموع الأطفال والنساء والرجال أكبر من العدد الأكبر للمجموعة (12)."),
])
def test_a_breakdown_above_the_total_is_refused_in_the_page_language_with_the_values_kept(
        ws: Workspace, text_source: int, lang: str, said: str) -> None:
    incident_id = _suggestion(ws, text_source)
    client = signed_in(ws, "doc", lang=lang)
    page = client.get(f"/review/{incident_id}")
    fields = _edit_fields(page.text, incident_id, **{"victims-0-children": "9", "victims-0-women": "4",
                                                     "comment": "the report counts the children"})
    refused = client.post(f"/review/{incident_id}/edit", data=encoded([*fields, ("then", "save")]), follow_redirects=False)
    assert refused.status_code == 400
    assert _error(refused.text) == said
    again = form_fields(refused.text, f"/review/{incident_id}/edit")
    assert (again.value("victims-0-children"), again.value("victims-0-women")) == ("9", "4")
    assert again.value("comment") == "the report counts the children"
    stored = get_incident(ws.db, incident_id)
    assert stored is not None and stored.victims[0].children is None  # nothing was saved


@pytest.mark.parametrize("bad", ["three", "-1", "1e3"])
def test_a_breakdown_that_is_not_a_whole_number_is_a_one_line_error(ws: Workspace, text_source: int,
                                                                     bad: str) -> None:
    incident_id = _suggestion(ws, text_source)
    client = signed_in(ws, "doc")
    fields = _edit_fields(client.get(f"/review/{incident_id}").text, incident_id,
                          **{"victims-0-men": bad, "comment": "men"})
    refused = client.post(f"/review/{incident_id}/edit", data=encoded(fields), follow_redirects=False)
    assert refused.status_code == 400 and "\n" not in _error(refused.text)
    assert form_fields(refused.text, f"/review/{incident_id}/edit").value("victims-0-men") == bad


def test_a_breakdown_is_saved_shown_in_words_in_both_languages_and_in_the_api(ws: Workspace,
                                                                              text_source: int) -> None:
    incident_id = _suggestion(ws, text_source)
    client = signed_in(ws, "doc")
    fields = _edit_fields(client.get(f"/review/{incident_id}").text, incident_id, **{
        "victims-0-count_min": "10", "victims-0-children": "3", "victims-0-women": "2",
        "comment": "the report: among them 3 children and 2 women"})
    done = client.post(f"/review/{incident_id}/edit", data=encoded([*fields, ("then", "accept")]), follow_redirects=False)
    assert done.status_code == 303, done.text[:400]
    stored = get_incident(ws.db, incident_id)
    assert stored is not None
    [group] = stored.victims
    assert (group.count_min, group.count_max, group.children, group.women, group.men) == (10, 12, 3, 2, None)
    page = unescape(client.get(f"/incidents/{incident_id}").text)
    assert "10–12" in page and "of whom 3 children and 2 women" in page
    arabic = unescape(signed_in(ws, "doc", lang="ar").get(f"/incidents/{incident_id}").text)
    assert "منهم 3 من الأطفال و2 من النساء" in arabic
    api = client.get(f"/api/incidents/{incident_id}")
    assert api.status_code == 200
    [victims] = api.json()["victims"]
    assert (victims["children"], victims["women"], victims["men"]) == (3, 2, None)
    # The history says who changed the victims, when and why, the breakdown included.
    history = client.get(f"/incidents/{incident_id}").text
    assert "the report: among them 3 children and 2 women" in unescape(history)


def test_a_viewer_never_sees_a_confidential_incident_or_its_breakdown(ws: Workspace, text_source: int) -> None:
    hidden = _suggestion(ws, text_source, confidentiality=Confidentiality.CONFIDENTIAL, description=MARKER,
                         victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=5, count_max=5, children=4)])
    viewer = signed_in(ws, "viewer")
    for path in (f"/incidents/{hidden}", f"/review/{hidden}", f"/api/incidents/{hidden}", "/incidents",
                 "/add/incident"):
        response = viewer.get(path)
        assert MARKER not in response.text and "4 children" not in response.text, path
    assert viewer.get(f"/review/{hidden}").status_code == 403
    assert viewer.get("/add/incident").status_code == 403
    # A documenter may see it, breakdown and all.
    assert "of whom 4 children" in unescape(signed_in(ws, "doc").get(f"/incidents/{hidden}").text)


def test_hand_entry_chooses_the_source_from_a_list(ws: Workspace, text_source: int, photo_source: int) -> None:
    client = signed_in(ws, "doc")
    page = client.get("/add/incident")
    assert page.status_code == 200
    options = dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page.text))
    assert set(options) >= {str(text_source), str(photo_source)}
    assert "Saraqib market report" in unescape(options[str(text_source)]) and "text" in options[str(text_source)]
    assert "Photo of the market" in unescape(options[str(photo_source)]) and "image" in options[str(photo_source)]
    assert 'type="number" name="source_id"' not in page.text
    narrowed = client.get("/add/incident", params={"q": "Saraqib"})
    assert f'<option value="{text_source}"' in narrowed.text and f'<option value="{photo_source}"' not in narrowed.text
    form = client.get(f"/add/incident?source_id={photo_source}").text
    # The same fields as the correction, in the same order.
    names = form_fields(form, "/add/incident").names()
    suggestion = _suggestion(ws, text_source)
    review_names = form_fields(client.get(f"/review/{suggestion}").text, f"/review/{suggestion}/edit").names()
    shared = [n for n in review_names if n in names]
    assert shared == [n for n in names if n in review_names]
    assert {"event_type", "victims-0-outcome", "victims-0-children", "place_name", "date", "description",
            "confidentiality"} <= set(shared)


def test_hand_entry_from_a_photo_needs_no_quote(ws: Workspace, photo_source: int) -> None:
    client = signed_in(ws, "doc")
    page = client.get(f"/add/incident?source_id={photo_source}").text
    assert 'data-testid="quote-optional"' in page and not re.search(r'<textarea name="quote"[^>]*required', page)
    done = client.post("/add/incident", data={
        "csrf_token": form_token(page), "source_id": str(photo_source), "quote": "", "event_type": "shelling-artillery-missile-attack",
        "perpetrators": ["syrian-government", "russia"], "victims-0-outcome": "injured", "victims-0-count_min": "2",
        "victims-0-count_max": "3", "victims-0-women": "1", "victims-1-outcome": "killed",
        "victims-1-count_min": "1", "victims-1-count_max": "1", "victims-1-children": "1"},
        follow_redirects=False)
    assert done.status_code == 303, done.text[:400]
    incident = get_incident(ws.db, int(done.headers["location"].rsplit("/", 1)[1]))
    assert incident is not None and incident.source_id == photo_source
    assert sorted(i.actor for i in incident.perpetrators) == ["russia", "syrian-government"]
    assert [(str(v.outcome), v.count_min, v.count_max, v.children, v.women) for v in incident.victims] == [
        ("injured", 2, 3, None, 1), ("killed", 1, 1, 1, None)]
    assert all(c.span is None for c in incident.claims)  # no words cited: the media is the evidence


@pytest.mark.parametrize("lang,said", [
    ("en", "Select or type the words in the source that state this incident."),
    ("ar", "حدّد أو اكتب الكلمات التي تذكر هذه الحادثة في المصدر."),
])
def test_hand_entry_from_a_text_needs_its_quote(ws: Workspace, text_source: int, lang: str, said: str) -> None:
    client = signed_in(ws, "doc", lang=lang)
    page = client.get(f"/add/incident?source_id={text_source}").text
    refused = client.post("/add/incident", data={
        "csrf_token": form_token(page), "source_id": str(text_source), "quote": " ", "event_type": "shelling-artillery-missile-attack",
        "violations": ["indiscriminate-attack"], "victims-0-outcome": "killed", "victims-0-count_max": "12",
        "victims-0-children": "3", "description": "<b>typed</b>"}, follow_redirects=False)
    assert refused.status_code == 400
    assert _error(refused.text, "hand-error") == said
    again = form_fields(refused.text, "/add/incident")
    assert again.values("violations") == ["indiscriminate-attack"]
    assert (again.value("victims-0-count_max"), again.value("victims-0-children")) == ("12", "3")
    assert again.value("description") == "<b>typed</b>" and "<b>typed</b>" not in refused.text


def test_hand_entry_refuses_a_breakdown_above_the_total(ws: Workspace, photo_source: int) -> None:
    client = signed_in(ws, "doc")
    page = client.get(f"/add/incident?source_id={photo_source}").text
    refused = client.post("/add/incident", data={
        "csrf_token": form_token(page), "source_id": str(photo_source), "event_type": "shelling-artillery-missile-attack",
        "victims-0-outcome": "killed", "victims-0-count_min": "1", "victims-0-count_max": "2",
        "victims-0-children": "2", "victims-0-men": "1"}, follow_redirects=False)
    assert refused.status_code == 400
    assert _error(refused.text, "hand-error").startswith("Children, women and men together")
    assert form_fields(refused.text, "/add/incident").value("victims-0-men") == "1"


@pytest.mark.parametrize("raw", ["abc", "99999"])
def test_hand_entry_with_a_bad_source_is_said_in_one_line(ws: Workspace, text_source: int, raw: str) -> None:
    client = signed_in(ws, "doc", lang="ar")
    page = client.get(f"/add/incident?source_id={raw}")
    assert page.status_code in (400, 404)
    assert _error(page.text, "hand-error") in ("اختر المصدر الذي وُثّقت فيه هذه الحادثة.", "لا يوجد مصدر بهذا الرقم.")
