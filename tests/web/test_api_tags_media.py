"""The API's incident rows (the list and one incident) carry the incident's current tags and the sources
attached to it, as the caller's role may see them; a list page looks both up once, whatever its length."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from _api_helpers import Fixture, client, populate
from _media_helpers import add_image, picture
from fastapi.testclient import TestClient
from sqlalchemy import event

from tawthiq.domain import Source, SourceKind
from tawthiq.domain.access import Role, User
from tawthiq.domain.attachments import Attachment, Part
from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.model import Incident
from tawthiq.services import Workspace, tags
from tawthiq.services.attachments import AttachRequest, attach, withdraw
from tawthiq.store import repository
from tawthiq.store.attachments import add_attachment
from tawthiq.store.sources import add_source
from tawthiq.store.tags import add_link

ADMIN = User(id=1, username="admin1", role=Role.ADMIN)
HIDDEN_TITLE = "Qzhiddentitle"  # a source title no viewer may read
HIDDEN_REASON = "Qzhiddenreason"  # a staff note on the attachment
NAMES_TITLE = "Qznamelisttitle"  # a victim list's title: for roles that read names only


@pytest.fixture
def fx(ws: Workspace) -> Fixture:
    return populate(ws, ws.settings.data_dir)


def _get(ws: Workspace, fx: Fixture, role: str, path: str, **params: Any) -> Any:
    answer = client(ws).get(path, params=params, headers={"Authorization": f"Bearer {fx.tokens[role]}"})
    assert answer.status_code == 200, answer.text
    return answer


def _pdf(ws: Workspace, *, title: str, name: str = "report.pdf") -> int:
    data = f"%PDF-1.4 {title}".encode()
    source_id, created = add_source(ws.db, Source(
        kind=SourceKind.PDF, sha256=ws.blobs.put(data), text="page one", title=title, original_name=name,
        media_type="application/pdf", size=len(data), metadata={"pdf": {"pages": 5}}))
    assert created
    return source_id


def _names_list(ws: Workspace) -> int:
    data = b"name,age\nSamir,34\n"
    source_id, created = add_source(ws.db, Source(
        kind=SourceKind.PERSON_LIST, sha256=ws.blobs.put(data), text="", title=NAMES_TITLE,
        original_name="victims.csv", media_type="text/csv", size=len(data)))
    assert created
    return source_id


def _attach(ws: Workspace, incident_id: int, source_id: int, reason: str, **part: str) -> int:
    made = attach(ws, user=ADMIN, request=AttachRequest(incident_id=incident_id, source_id=source_id,
                                                        reason=reason, **part), machine="test")
    assert made.id is not None
    return made.id


def _row(listing: dict[str, Any], incident_id: int) -> dict[str, Any]:
    (row,) = [i for i in listing["items"] if i["id"] == incident_id]
    return row


def test_an_admin_sees_current_tags_and_attachments_in_force_on_the_list_and_the_incident(
        ws: Workspace, fx: Fixture) -> None:
    incident = fx.ids["P"]
    kept = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Hospitals", label_ar="مشافٍ", colour="red"),
                        comment="")
    dropped = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qzwithdrawntag", label_ar="سحب"), comment="")
    tags.tag_incident(ws, user=ADMIN, incident_id=incident, tag_id=kept.id)
    tags.tag_incident(ws, user=ADMIN, incident_id=incident, tag_id=dropped.id)
    tags.untag_incident(ws, user=ADMIN, incident_id=incident, tag_id=dropped.id)
    photo, _ = add_image(ws, picture(size=(120, 80)), name="market.jpg")
    pdf = _pdf(ws, title="Hospital report")
    region = _attach(ws, incident, photo, "the crater", region="0.1,0.2,0.3,0.25")
    page = _attach(ws, incident, pdf, "the list of the wounded", page="2")
    gone = _attach(ws, incident, pdf, "Qzwithdrawnreason")
    withdraw(ws, user=ADMIN, attachment_id=gone, reason="wrong report", machine="test")

    expected_tags = [{"id": kept.id, "label_en": "Hospitals", "label_ar": "مشافٍ", "colour": "red",
                      "retired": False, "shown_to_viewers": False}]
    listing = _get(ws, fx, "admin", "/api/incidents", sort="id")
    detail = _get(ws, fx, "admin", f"/api/incidents/{incident}")
    for row in (_row(listing.json(), incident), detail.json()):
        assert row["tags"] == expected_tags
        assert [(a["id"], a["source_id"], a["source_kind"], a["part"]) for a in row["attachments"]] == [
            (region, photo, "image", "region"), (page, pdf, "pdf", "page")]
        by_part = {a["part"]: a for a in row["attachments"]}
        assert by_part["region"]["region"] == {"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.25}
        assert (by_part["region"]["time"], by_part["region"]["page"]) == (None, None)
        assert (by_part["page"]["page"], by_part["page"]["region"], by_part["page"]["source_title"]) == (
            2, None, "Hospital report")
        assert (by_part["page"]["reason"], by_part["page"]["created_by"]) == ("the list of the wounded", "admin1")
        # Withdrawn tags and attachments are not in the rows (the incident's history, for staff, tells of them).
        shown = json.dumps([row["tags"], row["attachments"]], ensure_ascii=False)
        assert "Qzwithdrawntag" not in shown and "Qzwithdrawnreason" not in shown and gone not in {
            a["id"] for a in row["attachments"]}
    assert "Qzwithdrawntag" not in listing.text and "Qzwithdrawnreason" not in listing.text
    others = [i for i in listing.json()["items"] if i["id"] != incident]
    assert others and all(i["tags"] == [] and i["attachments"] == [] for i in others)


def test_a_video_time_range_is_given_in_seconds(ws: Workspace, fx: Fixture) -> None:
    from tawthiq.domain.originals import MediaInfo
    from tawthiq.store.media import add_media_source

    data = b"\x00\x00\x00\x18ftypmp42" + b"video bytes" * 10
    sha = ws.blobs.put(data)
    video, _ = add_media_source(ws.db, Source(kind=SourceKind.VIDEO, sha256=sha, text="", original_name="s.mp4",
                                              media_type="video/mp4", size=len(data)),
                                MediaInfo(sha256=sha, kind="video", duration_seconds=120.0), actor="test")
    _attach(ws, fx.ids["R"], video, "the strike itself", start="01:05", end="1:40.5")
    (shown,) = _get(ws, fx, "documenter", f"/api/incidents/{fx.ids['R']}").json()["attachments"]
    assert (shown["part"], shown["time"], shown["source_kind"]) == ("time", {"start": 65.0, "end": 100.5}, "video")


def test_a_viewer_token_gets_the_public_tags_and_nothing_of_the_sources(ws: Workspace, fx: Fixture) -> None:
    incident = fx.ids["P"]  # public: the viewer sees the incident itself
    tag = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Markets", label_ar="أسواق", shown_to_viewers=True),
                       comment="")
    tags.tag_incident(ws, user=ADMIN, incident_id=incident, tag_id=tag.id)
    # The team's own tag on the same public incident: never in a viewer's answer.
    team = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qzteamonlytag", label_ar="قزفريقفقط"), comment="")
    tags.tag_incident(ws, user=ADMIN, incident_id=incident, tag_id=team.id)
    hidden = _pdf(ws, title=f"Leaked {HIDDEN_TITLE}")
    _attach(ws, incident, hidden, f"from a witness {HIDDEN_REASON}", page="1")

    staff = _get(ws, fx, "reviewer", f"/api/incidents/{incident}")
    assert HIDDEN_TITLE in staff.text and HIDDEN_REASON in staff.text  # the marker is there to be leaked
    assert "Qzteamonlytag" in staff.text
    for answer in (_get(ws, fx, "viewer", "/api/incidents", sort="id"),
                   _get(ws, fx, "viewer", f"/api/incidents/{incident}")):
        assert HIDDEN_TITLE not in answer.text and HIDDEN_REASON not in answer.text
        assert "Qzteamonlytag" not in answer.text and "قزفريقفقط" not in answer.text
        body = answer.json()
        row = _row(body, incident) if "items" in body else body
        assert row["attachments"] == [] and [t["label_en"] for t in row["tags"]] == ["Markets"]
        # Not even the source's id: no attachment field names it anywhere in the answer.
        assert f'"source_id": {hidden}' not in json.dumps(body)


def test_a_victim_list_attached_is_for_roles_that_read_names(ws: Workspace, fx: Fixture) -> None:
    incident = fx.ids["R"]
    names = _names_list(ws)
    report = _pdf(ws, title="Field report")
    _attach(ws, incident, names, "the names of the dead")
    _attach(ws, incident, report, "the report", page="3")
    for role in ("admin", "reviewer"):
        got = _get(ws, fx, role, f"/api/incidents/{incident}")
        assert NAMES_TITLE in got.text
        assert [a["source_id"] for a in got.json()["attachments"]] == [names, report]
    for answer in (_get(ws, fx, "documenter", f"/api/incidents/{incident}"),
                   _get(ws, fx, "documenter", "/api/incidents", sort="id")):
        assert NAMES_TITLE not in answer.text
        body = answer.json()
        row = _row(body, incident) if "items" in body else body
        assert [a["source_id"] for a in row["attachments"]] == [report]


@contextmanager
def _statements(ws: Workspace) -> Iterator[list[str]]:
    seen: list[str] = []

    def hook(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(ws.db.engine, "before_cursor_execute", hook)  # type: ignore[attr-defined]
    try:
        yield seen
    finally:
        event.remove(ws.db.engine, "before_cursor_execute", hook)  # type: ignore[attr-defined]


def test_a_long_list_page_looks_tags_and_attachments_up_once(ws: Workspace, fx: Fixture) -> None:
    tag = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Schools", label_ar="مدارس"), comment="")
    pdf = _pdf(ws, title="Ministry list")
    made = []
    for n in range(40):
        incident_id = repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
            event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
            description=f"strike {n}"))
        add_link(ws.db, target="incident", target_id=incident_id, tag_id=tag.id, user="admin1")
        add_attachment(ws.db, Attachment(incident_id=incident_id, source_id=pdf, part=Part.PAGE, page=n % 5 + 1,
                                         reason="listed", created_by="admin1"), machine="test")
        made.append(incident_id)

    api: TestClient = client(ws)
    headers = {"Authorization": f"Bearer {fx.tokens['admin']}"}

    def page(size: int) -> tuple[list[dict[str, Any]], list[str]]:
        url = f"/api/incidents?sort=-id&per_page={size}"
        assert api.get(url, headers=headers).status_code == 200  # warm the list's count cache
        with _statements(ws) as seen:
            answer = api.get(url, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()["items"], seen

    short, few = page(2)
    long, many = page(40)
    assert [i["id"] for i in long] == sorted(made, reverse=True)
    assert all([t["label_en"] for t in i["tags"]] == ["Schools"] and len(i["attachments"]) == 1 for i in long)
    assert len(short) == 2
    # Twenty times the rows, not one statement more: each lookup is one query for the whole page.
    assert len(many) == len(few)
    assert sum("incident_media" in s for s in many) == 1
    assert sum("incident_tags" in s for s in many) == 1


# A viewer's answers that could carry a tag, its name or which incidents have it: (path, query).
VIEWER_ANSWERS = (("/api/incidents", {"sort": "id"}), ("/api/incidents", {"sort": "-date", "per_page": "200"}),
                  ("/api/incidents", {"q": "Qzhiddentag"}), ("/api/search", {"q": "Qzhiddentag"}),
                  ("/api/search", {"q": "قزوسمخفي"}), ("/api/export", {"format": "json"}),
                  ("/api/export", {"format": "csv"}), ("/api/export", {"format": "geojson"}), ("/api/me", {}),
                  ("/api/openapi.json", {}))


def test_every_tag_says_whether_viewers_see_it_and_a_viewer_never_meets_a_hidden_one(
        ws: Workspace, fx: Fixture) -> None:
    public, restricted = fx.ids["P"], fx.ids["R"]
    shown = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Markets", label_ar="أسواق", colour="teal",
                                                           shown_to_viewers=True), comment="")
    hidden = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qzhiddentag", label_ar="قزوسمخفي"),
                          comment="the team's own")
    # Shown to viewers, but only on an incident a viewer may not see: its name must not reach them either.
    elsewhere = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qzelsewheretag", label_ar="قزمكانآخر",
                                                               shown_to_viewers=True), comment="")
    for tag in (shown, hidden):
        tags.tag_incident(ws, user=ADMIN, incident_id=public, tag_id=tag.id)
    tags.tag_incident(ws, user=ADMIN, incident_id=restricted, tag_id=elsewhere.id)
    markers = ("Qzhiddentag", "قزوسمخفي", "Qzelsewheretag", "قزمكانآخر")

    # Staff: every tag, each saying whether viewers see it (a boolean, on the list and on the incident).
    for role in ("documenter", "admin"):
        listing = _get(ws, fx, role, "/api/incidents", sort="id").json()
        for row in (_row(listing, public), _get(ws, fx, role, f"/api/incidents/{public}").json()):
            assert {t["label_en"]: t["shown_to_viewers"] for t in row["tags"]} == {
                "Markets": True, "Qzhiddentag": False}
        assert [(t["label_en"], t["shown_to_viewers"]) for t in _row(listing, restricted)["tags"]] == [
            ("Qzelsewheretag", True)]
    # The marker is there to be leaked: a staff search by a tag's name would show it was planted.
    assert "Qzhiddentag" in _get(ws, fx, "reviewer", f"/api/incidents/{public}").text

    # A viewer: only the shown tag, flagged so, and no marker in any answer that could carry one.
    for row in (_row(_get(ws, fx, "viewer", "/api/incidents", sort="id").json(), public),
                _get(ws, fx, "viewer", f"/api/incidents/{public}").json()):
        assert row["tags"] == [{"id": shown.id, "label_en": "Markets", "label_ar": "أسواق", "colour": "teal",
                                "retired": False, "shown_to_viewers": True}]
    answers = [(path, query, client(ws).get(path, params=query,
                                            headers={"Authorization": f"Bearer {fx.tokens['viewer']}"}))
               for path, query in VIEWER_ANSWERS]
    answers += [(f"/api/incidents/{public}/{part}", {}, client(ws).get(
        f"/api/incidents/{public}/{part}", headers={"Authorization": f"Bearer {fx.tokens['viewer']}"}))
        for part in ("corroboration", "judgements")]
    for path, query, answer in answers:
        assert answer.status_code in (200, 403, 404), (path, query, answer.status_code)
        text = answer.text
        if path == "/api/search":  # the search says back what was asked: the viewer's own words, not a leak
            body = answer.json()
            assert body.pop("query") == query["q"]
            text = json.dumps(body, ensure_ascii=False)
        assert not [m for m in markers if m in text], (path, query)
    assert [a.status_code for _, _, a in answers[:len(VIEWER_ANSWERS)]] == [200] * len(VIEWER_ANSWERS)
    # Nor may a hand-made filter on the hidden tag's number tell a viewer which public incidents carry it.
    for tag in (hidden, elsewhere):
        filtered = _get(ws, fx, "viewer", "/api/incidents", tag=str(tag.id)).json()
        assert filtered["items"] == [] and filtered["total"] == 0
        assert _get(ws, fx, "documenter", "/api/incidents", tag=str(tag.id)).json()["total"] == 1
