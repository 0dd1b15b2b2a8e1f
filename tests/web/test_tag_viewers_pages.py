"""The "shown to viewers" flag through the app: an admin sets and clears it on the tags page (English and
Arabic), and a viewer's every answer (list, facet, chips, incident page, API, exports) names only the tags
marked shown, while the team's own tag on the same public incident is named nowhere."""
from __future__ import annotations

import json
import re

import pytest
from _client import form_token, signed_in
from _users import ADMIN, DOCUMENTER

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location
from tawthiq.services import Workspace, tags
from tawthiq.services.tags import TagForm
from tawthiq.store import repository
from tawthiq.store.history import history
from tawthiq.store.tags import all_tags

TEAM_EN, TEAM_AR = "Qzwitnesscontacted", "قزتواصلشاهد"  # the team's own tag: planted, never for a viewer
OPEN_EN, OPEN_AR = "Marketplace", "سوق شعبي"


def _incident(ws: Workspace, place: str) -> int:
    return repository.add_incident(ws.db, Incident(
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
        description=f"strike on {place}", location=Location(name=place, admin1="Idlib"),
        date=IncidentDate(edtf="2015-10-07")))


def _body(response: object) -> str:
    text = response.text  # type: ignore[attr-defined]
    if response.headers.get("content-type", "").split(";")[0].endswith("json"):  # type: ignore[attr-defined]
        text += json.dumps(response.json(), ensure_ascii=False)  # type: ignore[attr-defined]
    return text


@pytest.mark.parametrize(("lang", "shown", "team_only"), [("en", "Shown to viewers", "Team only"),
                                                          ("ar", "يظهر للمطّلعين", "للفريق فقط")])
def test_an_admin_sets_and_clears_the_flag_in_the_form(ws: Workspace, lang: str, shown: str, team_only: str) -> None:
    admin = signed_in(ws, "boss", "admin", lang=lang)
    page = admin.get("/admin/tags")
    assert 'data-testid="add-shown"' in page.text and shown in page.text
    added = admin.post("/admin/tags", data={"label_en": "Siege", "label_ar": "حصار", "comment": "new",
                                            "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert added.status_code == 303
    (tag,) = all_tags(ws.db)
    assert tag.shown_to_viewers is False  # unticked by default
    listed = admin.get(added.headers["location"]).text
    row = re.search(rf'<tr id="tag-{tag.id}".*?</tr>', listed, re.DOTALL)
    assert row and 'data-testid="tag-team-only"' in row.group(0) and team_only in row.group(0)
    edited = admin.post(f"/admin/tags/{tag.id}/edit", data={
        "label_en": "Siege", "label_ar": "حصار", "shown_to_viewers": "1", "comment": "public now",
        "csrf_token": form_token(listed)}, follow_redirects=False)
    assert edited.status_code == 303 and all_tags(ws.db)[0].shown_to_viewers is True
    again = admin.get(edited.headers["location"]).text
    row = re.search(rf'<tr id="tag-{tag.id}".*?</tr>', again, re.DOTALL)
    assert row and 'data-testid="tag-shown"' in row.group(0)
    assert re.search(rf'data-testid="edit-{tag.id}-shown" checked', again)  # the edit form shows the state
    # Unticked again (a checkbox not ticked is not sent at all).
    admin.post(f"/admin/tags/{tag.id}/edit", data={"label_en": "Siege", "label_ar": "حصار",
                                                   "comment": "a family asked", "csrf_token": form_token(again)})
    assert all_tags(ws.db)[0].shown_to_viewers is False
    changes = [(e.user, e.comment, e.before, e.after) for e in history(ws.db, entity="tag", entity_id=tag.id)[1:]]
    assert changes == [("boss", "public now", {"shown_to_viewers": False}, {"shown_to_viewers": True}),
                       ("boss", "a family asked", {"shown_to_viewers": True}, {"shown_to_viewers": False})]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_viewer_meets_only_the_shown_tags_everywhere(ws: Workspace, lang: str) -> None:
    team = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en=TEAM_EN, label_ar=TEAM_AR), comment="")
    shown = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en=OPEN_EN, label_ar=OPEN_AR, shown_to_viewers=True),
                         comment="")
    public, other = _incident(ws, "Ariha"), _incident(ws, "Douma")
    for incident, tag in ((public, team), (public, shown), (other, team)):
        tags.tag_incident(ws, user=DOCUMENTER, incident_id=incident, tag_id=tag.id)
    urls = ["/incidents", f"/incidents?tag={team.id}", f"/incidents?tag={shown.id}", f"/incidents/{public}",
            f"/incidents/{other}", "/api/incidents", f"/api/incidents/{public}", f"/api/incidents?tag={team.id}",
            *(f"/incidents/export?format={f}" for f in ("csv", "json", "geojson")),
            *(f"/incidents/export?format={f}&tag={team.id}" for f in ("csv", "json", "geojson")),
            f"/api/export?format=json&tag={team.id}", "/map/features.geojson", "/timeline", "/dashboard"]
    staff = signed_in(ws, f"rana-{lang}", "reviewer", lang=lang)
    staff_pages = "".join(_body(staff.get(u)) for u in urls[:8])
    assert TEAM_EN in staff_pages and TEAM_AR in staff_pages  # the planting is real

    viewer = signed_in(ws, f"vera-{lang}", "viewer", lang=lang)
    answers = {u: viewer.get(u) for u in urls}
    for url, answer in answers.items():
        assert answer.status_code == 200, url
        assert TEAM_EN not in _body(answer) and TEAM_AR not in _body(answer), url
    wanted = OPEN_EN if lang == "en" else OPEN_AR
    listed = answers["/incidents"].text
    facet = re.search(r'data-testid="facet-tag".*?</fieldset>', listed, re.DOTALL)
    assert facet and wanted in facet.group(0) and f'value="{team.id}"' not in facet.group(0)
    assert wanted in answers[f"/incidents/{public}"].text
    assert 'data-testid="tags-panel"' not in answers[f"/incidents/{other}"].text  # its only tag is the team's
    assert [t["label_en"] for t in answers[f"/api/incidents/{public}"].json()["tags"]] == [OPEN_EN]
    rows = {r["id"]: [t["label_en"] for t in r["tags"]] for r in answers["/api/incidents"].json()["items"]}
    assert rows == {public: [OPEN_EN], other: []}
    # Filtering by the team's tag by hand: nothing matches, the chip a bare number.
    assert answers[f"/api/incidents?tag={team.id}"].json()["total"] == 0
    assert answers[f"/incidents/export?format=json&tag={team.id}"].json() == []
    assert answers[f"/incidents/export?format=geojson&tag={team.id}"].json()["features"] == []
    assert len(answers[f"/incidents/export?format=csv&tag={team.id}"].text.strip().splitlines()) == 1
    assert 'data-testid="result-row"' not in answers[f"/incidents?tag={team.id}"].text
    assert f"#{team.id}" in answers[f"/incidents?tag={team.id}"].text
    assert len(answers["/incidents/export?format=json"].json()) == 2  # the incidents themselves are public


@pytest.mark.parametrize(("lang", "shown", "hidden"), [
    ("en", "boss showed it to viewers.", "boss made it the team's own (hidden from viewers)."),
    ("ar", "جعله boss ظاهرًا للمطّلعين.", "جعله boss خاصًا بالفريق (مخفيًا عن المطّلعين)."),
])
def test_the_flags_history_reads_as_a_sentence(lang: str, shown: str, hidden: str) -> None:
    from datetime import UTC, datetime

    from tawthiq.domain.audit import AuditEntry
    from tawthiq.web.plain_history import sentences

    def say(before: bool, after: bool) -> str:
        entry = AuditEntry(id=1, at=datetime(2024, 1, 1, tzinfo=UTC), user="boss", entity="tag", entity_id=3,
                           action="edit", before={"shown_to_viewers": before}, after={"shown_to_viewers": after},
                           comment="")
        return " ".join(text for _field, text in sentences(lang, entry))

    assert say(False, True) == shown and say(True, False) == hidden
