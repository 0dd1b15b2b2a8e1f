"""Media as evidence from the web: attaching a photo's region, a video's time range, a PDF's page (or a whole
source) to an incident from either page, withdrawing it, what each role sees, and redacting from the source page."""
from __future__ import annotations

import io
import re

import pytest
from _client import form_token, signed_in
from _media_helpers import add_copy, add_image, picture
from fastapi.testclient import TestClient
from PIL import Image

from tawthiq.domain import Source, SourceKind
from tawthiq.domain.enums import Confidentiality, DerivativeKind, IncidentStatus
from tawthiq.domain.model import Incident
from tawthiq.domain.originals import MediaInfo
from tawthiq.services import Workspace
from tawthiq.store import repository
from tawthiq.store.attachments import attachments_for_incident
from tawthiq.store.custody import entries_for_source
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.history import incident_history
from tawthiq.store.media import add_media_source
from tawthiq.store.sources import add_source

MARKER = "Qzattachreason"  # a staff note: never on a viewer's page


def _incident(ws: Workspace, *, confidentiality: Confidentiality = Confidentiality.PUBLIC) -> int:
    return repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=confidentiality,
        description="a strike on the market"))


def _photo(ws: Workspace, *, title_marker: str = "") -> tuple[int, int]:
    """An image source with a drawable thumbnail; (source id, thumbnail id)."""
    source_id, sha = add_image(ws, picture(size=(120, 80)), name=f"market{title_marker}.jpg")
    copy = add_copy(ws, source_id=source_id, original_sha256=sha, data=picture(size=(60, 40), fmt="PNG"),
                    media_type="image/png")
    assert copy.id is not None
    return source_id, copy.id


def _video(ws: Workspace, *, duration: float = 120.0) -> tuple[int, int]:
    """A video source with a transcoded copy to play; (source id, player copy id)."""
    data = b"\x00\x00\x00\x18ftypmp42" + b"video bytes" * 10
    sha = ws.blobs.put(data)
    source = Source(kind=SourceKind.VIDEO, sha256=sha, text="", original_name="strike.mp4", media_type="video/mp4",
                    size=len(data))
    source_id, _ = add_media_source(ws.db, source, MediaInfo(sha256=sha, kind="video", duration_seconds=duration),
                                    actor="test")
    copy = add_copy(ws, source_id=source_id, original_sha256=sha, data=b"mp4 copy", media_type="video/mp4",
                    kind=DerivativeKind.TRANSCODED, params={"video": {"width": 64, "height": 48}})
    assert copy.id is not None
    return source_id, copy.id


def _pdf(ws: Workspace, *, pages: int = 3) -> int:
    data = b"%PDF-1.4 test"
    sha = ws.blobs.put(data)
    source_id, _ = add_source(ws.db, Source(kind=SourceKind.PDF, sha256=sha, text="page one text",
                                            original_name="report.pdf", media_type="application/pdf",
                                            size=len(data), metadata={"pdf": {"pages": pages}}))
    return source_id


def _attach(client: TestClient, incident_id: int, **values: str) -> object:
    page = client.get(f"/incidents/{incident_id}")
    return client.post(f"/incidents/{incident_id}/media", data={"csrf_token": form_token(page.text), **values},
                       follow_redirects=False)


def _error(html: str) -> str:
    found = re.search(r'data-testid="form-error">(.*?)</p>', html, re.DOTALL)
    assert found, "no form error on the page"
    return re.sub(r"<[^>]+>", "", found.group(1))  # a typed value inside is isolated (<bdi data-user>)


def test_documenter_attaches_a_photo_region_and_the_incident_page_outlines_it(ws: Workspace) -> None:
    incident_id = _incident(ws)
    source_id, thumb_id = _photo(ws)
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/incidents/{incident_id}").text
    assert f'<option value="{source_id}" data-kind="image" data-still="/sources/{source_id}/thumbnail/{thumb_id}"' in page
    done = _attach(client, incident_id, source_id=str(source_id), region="0.1,0.2,0.3,0.25",
                   reason=f"the crater {MARKER}")
    assert done.status_code == 303 and done.headers["location"].startswith(f"/incidents/{incident_id}?done=attached")

    (made,) = attachments_for_incident(ws.db, incident_id)
    assert (made.part, made.created_by, made.reason) == ("region", "nour", f"the crater {MARKER}")
    assert made.region is not None and (made.region.x, made.region.w) == (0.1, 0.3)
    page = client.get(f"/incidents/{incident_id}").text
    item = page[page.index('data-testid="attachment"'):]
    assert f'src="/sources/{source_id}/thumbnail/{thumb_id}"' in item and 'class="graphic-img veiled"' in item
    assert re.search(r'<rect class="region-box" data-testid="region-box" x="10.0" y="20.0" width="30.0" height="25.0"',
                     item)
    assert MARKER in page and " style=" not in page
    # Recorded: an audit entry on the incident and a custody entry on the source's original.
    assert [(e.action, e.user) for e in incident_history(ws.db, incident_id)][-1] == ("attach-media", "nour")
    attached = [e for e in entries_for_source(ws.db, source_id) if e.event == "attached"]
    assert [(e.actor, e.reason, e.details["region"]) for e in attached] == [
        ("nour", f"the crater {MARKER}", [0.1, 0.2, 0.3, 0.25])]
    # The source page now lists the incident it backs, and the part.
    source_page = client.get(f"/sources/{source_id}").text
    assert f'data-testid="source-incident">#{incident_id}' in source_page.replace("\n", "")
    assert f'data-testid="source-attachment" data-incident-id="{incident_id}" data-part="region"' in source_page


def test_a_video_time_range_plays_from_its_start(ws: Workspace) -> None:
    incident_id = _incident(ws)
    source_id, player_id = _video(ws)
    client = signed_in(ws, "rami", "reviewer")
    assert _attach(client, incident_id, source_id=str(source_id), start="01:05", end="1:40",
                   reason="the strike itself").status_code == 303
    page = client.get(f"/incidents/{incident_id}").text
    assert f'<source src="/sources/{source_id}/media/{player_id}#t=65.0,100.0" type="video/mp4">' in page
    assert 'class="graphic-img graphic-video veiled"' in page
    assert "From 01:05 to 01:40" in page


def test_a_pdf_page_and_a_whole_source(ws: Workspace) -> None:
    incident_id = _incident(ws)
    pdf_id = _pdf(ws)
    client = signed_in(ws, "nour", "documenter")
    assert _attach(client, incident_id, source_id=str(pdf_id), page="2", reason="the list").status_code == 303
    assert _attach(client, incident_id, source_id=str(pdf_id), reason="all of it").status_code == 303
    parts = [(a.part, a.page) for a in attachments_for_incident(ws.db, incident_id)]
    assert parts == [("page", 2), ("whole", None)]
    assert "Page 2" in client.get(f"/incidents/{incident_id}").text


@pytest.mark.parametrize(("values", "message"), [
    ({"region": "0.5,0.5,0.9,0.2"}, "The region goes past the edge of the picture."),
    ({"region": "a,b,c,d"}, "A region is four numbers between 0 and 1."),
    ({"region": "0.1,0.1,0.2,0.2", "page": "2"}, "Give one part of the source: a region, a time range or a page."),
    ({"start": "00:10", "end": "00:20"}, "A time range applies to a video or a recording only."),
    ({"region": "0.1,0.1,0.2,0.2", "reason": "  "}, "Say why: the reason is kept with the record."),
    ({"source_id": "x<script>"}, "Choose a source from the list."),
])
def test_bad_input_is_one_line_with_the_typed_values_kept(ws: Workspace, values: dict[str, str],
                                                          message: str) -> None:
    incident_id = _incident(ws)
    source_id, _ = _photo(ws)
    client = signed_in(ws, "nour", "documenter")
    sent = {"source_id": str(source_id), "reason": "typed reason <b>", **values}
    got = _attach(client, incident_id, **sent)
    assert got.status_code == 400 and _error(got.text) == message  # type: ignore[attr-defined]
    if sent.get("region"):
        assert f'value="{sent["region"]}"' in got.text  # type: ignore[attr-defined]
    assert "<b>" not in got.text and "<script>" not in got.text.split("</head>")[1]  # type: ignore[attr-defined]
    assert attachments_for_incident(ws.db, incident_id) == []


@pytest.mark.parametrize(("start", "end", "message"), [
    ("01:40", "01:05", "The end of the time range must come after its start."),
    ("1:75", "2:00", "A time is minutes:seconds, like 01:30 (not “1:75”)."),
    ("00:10", "", "Give both the start and the end of the time range, like 01:05 and 01:40."),
    ("01:00", "03:00", "The recording is only 02:00 long."),
])
def test_bad_time_ranges(ws: Workspace, start: str, end: str, message: str) -> None:
    incident_id = _incident(ws)
    source_id, _ = _video(ws)
    client = signed_in(ws, "nour", "documenter")
    got = _attach(client, incident_id, source_id=str(source_id), start=start, end=end, reason="r")
    assert got.status_code == 400 and _error(got.text) == message  # type: ignore[attr-defined]


def test_errors_come_in_arabic_on_an_arabic_page(ws: Workspace) -> None:
    incident_id = _incident(ws)
    pdf_id = _pdf(ws, pages=3)
    client = signed_in(ws, "nour", "documenter", lang="ar")
    got = _attach(client, incident_id, source_id=str(pdf_id), page="9", reason="الصفحة")
    assert got.status_code == 400 and _error(got.text) == "يحتوي ملف PDF على 3 صفحة."  # type: ignore[attr-defined]
    assert "الصفحة</textarea>" in got.text  # type: ignore[attr-defined]


def test_the_same_part_twice_is_refused(ws: Workspace) -> None:
    incident_id = _incident(ws)
    source_id, _ = _photo(ws)
    client = signed_in(ws, "nour", "documenter")
    assert _attach(client, incident_id, source_id=str(source_id), reason="r").status_code == 303
    again = _attach(client, incident_id, source_id=str(source_id), reason="r")
    assert again.status_code == 400
    assert _error(again.text) == "This part of the source is already attached to the incident."  # type: ignore


def test_withdrawing_is_recorded_and_nothing_is_deleted(ws: Workspace) -> None:
    incident_id = _incident(ws)
    source_id, _ = _photo(ws)
    client = signed_in(ws, "nour", "documenter")
    _attach(client, incident_id, source_id=str(source_id), reason="first look")
    (made,) = attachments_for_incident(ws.db, incident_id)
    page = client.get(f"/incidents/{incident_id}").text
    url = f"/incidents/{incident_id}/media/{made.id}/withdraw"
    refused = client.post(url, data={"csrf_token": form_token(page), "reason": ""})
    assert refused.status_code == 400 and _error(refused.text) == "Say why: the reason is kept with the record."
    done = client.post(url, data={"csrf_token": form_token(page), "reason": "wrong market"}, follow_redirects=False)
    assert done.status_code == 303
    assert attachments_for_incident(ws.db, incident_id) == []
    (kept,) = attachments_for_incident(ws.db, incident_id, withdrawn=True)
    assert (kept.withdrawn_by, kept.withdrawn_why) == ("nour", "wrong market") and kept.withdrawn_at is not None
    assert [e.event for e in entries_for_source(ws.db, source_id)][-2:] == ["attached", "detached"]
    page = client.get(f"/incidents/{incident_id}").text
    assert 'data-testid="withdrawn-attachment"' in page and "wrong market" in page
    assert 'data-testid="attachment"' not in page
    # The source no longer backs the incident.
    assert f'data-testid="source-attachment" data-incident-id="{incident_id}"' not in client.get(
        f"/sources/{source_id}").text
    # Withdrawing again, or through another incident's address, is refused.
    other = _incident(ws)
    assert client.post(f"/incidents/{other}/media/{made.id}/withdraw",
                       data={"csrf_token": form_token(page), "reason": "x"}).status_code == 404
    twice = client.post(url, data={"csrf_token": form_token(page), "reason": "again"})
    assert twice.status_code == 400 and _error(twice.text) == "This attachment was withdrawn already."


def test_a_viewer_sees_nothing_of_attachments_and_may_not_attach(ws: Workspace) -> None:
    incident_id = _incident(ws, confidentiality=Confidentiality.PUBLIC)
    source_id, thumb_id = _photo(ws, title_marker="Qzphototitle")
    staff = signed_in(ws, "nour", "documenter")
    _attach(staff, incident_id, source_id=str(source_id), region="0.1,0.1,0.5,0.5", reason=f"why {MARKER}")
    staff_page = staff.get(f"/incidents/{incident_id}").text
    assert MARKER in staff_page and "Qzphototitle" in staff_page and "nour" in staff_page

    viewer = signed_in(ws, "vera", "viewer")
    page = viewer.get(f"/incidents/{incident_id}")
    assert page.status_code == 200
    for planted in (MARKER, "Qzphototitle", f"/sources/{source_id}", f"thumbnail/{thumb_id}", "region-box",
                    'data-testid="incident-media"', 'data-testid="attach-form"'):
        assert planted not in page.text, planted
    refused = viewer.post(f"/incidents/{incident_id}/media", data={
        "csrf_token": form_token(page.text), "source_id": str(source_id), "reason": "r"})
    assert refused.status_code == 404 and len(attachments_for_incident(ws.db, incident_id)) == 1
    (made,) = attachments_for_incident(ws.db, incident_id)
    assert viewer.post(f"/incidents/{incident_id}/media/{made.id}/withdraw", data={
        "csrf_token": form_token(page.text), "reason": "r"}).status_code == 404
    assert viewer.post(f"/sources/{source_id}/attach", data={
        "csrf_token": form_token(page.text), "incident_id": str(incident_id), "reason": "r"}).status_code == 404
    assert len(attachments_for_incident(ws.db, incident_id)) == 1


def test_a_victim_list_is_attached_and_seen_only_by_those_who_read_names(ws: Workspace) -> None:
    incident_id = _incident(ws)
    data = b"name,age\nQzlistname,30\n"
    sha = ws.blobs.put(data)
    list_id, _ = add_source(ws.db, Source(kind=SourceKind.PERSON_LIST, sha256=sha, text="", size=len(data),
                                          original_name="Qzlistfile.csv", media_type="text/csv"))
    documenter = signed_in(ws, "nour", "documenter")
    page = documenter.get(f"/incidents/{incident_id}").text
    assert "Qzlistfile" not in page
    assert _attach(documenter, incident_id, source_id=str(list_id), reason="r").status_code == 404
    reviewer = signed_in(ws, "rami", "reviewer")
    assert _attach(reviewer, incident_id, source_id=str(list_id), reason="names").status_code == 303
    assert "Qzlistfile" in reviewer.get(f"/incidents/{incident_id}").text
    assert "Qzlistfile" not in documenter.get(f"/incidents/{incident_id}").text


def test_attaching_from_the_source_page(ws: Workspace) -> None:
    incident_id = _incident(ws, confidentiality=Confidentiality.CONFIDENTIAL)
    source_id, _ = _video(ws)
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/sources/{source_id}").text
    assert f'<option value="{incident_id}">' in page and 'data-testid="part-time"' in page
    assert 'data-testid="part-region"' not in page and 'data-testid="redact-form"' not in page  # documenters do not redact
    token = form_token(page)
    missing = client.post(f"/sources/{source_id}/attach", data={
        "csrf_token": token, "incident_id": "424242", "start": "00:05", "end": "00:09", "reason": "r"})
    assert missing.status_code == 400 and _error(missing.text) == "There is no incident #424242 that you can see."
    assert 'value="00:05"' in missing.text and 'value="424242"' in missing.text
    bad = client.post(f"/sources/{source_id}/attach", data={"csrf_token": token, "incident_id": "1x", "reason": "r"})
    assert bad.status_code == 400 and _error(bad.text) == "Give the incident by its number."
    done = client.post(f"/sources/{source_id}/attach", data={
        "csrf_token": token, "incident_id": str(incident_id), "start": "00:05", "end": "00:09", "reason": "r"},
        follow_redirects=False)
    assert done.status_code == 303
    (made,) = attachments_for_incident(ws.db, incident_id)
    assert made.time is not None and (made.time.start, made.time.end) == (5.0, 9.0)


def test_reviewer_redacts_a_drawn_box_from_the_source_page(ws: Workspace) -> None:
    source_id, _ = _photo(ws)
    client = signed_in(ws, "rami", "reviewer")
    page = client.get(f"/sources/{source_id}").text
    assert 'data-testid="redact-form"' in page and 'data-testid="redact-image"' in page
    token = form_token(page)
    refused = client.post(f"/sources/{source_id}/redact", data={"csrf_token": token, "regions": "0,0,0.25,0.25",
                                                               "reason": ""})
    assert refused.status_code == 400 and _error(refused.text) == "Say why: the reason is kept with the record."
    assert "0,0,0.25,0.25</textarea>" in refused.text
    done = client.post(f"/sources/{source_id}/redact", data={
        "csrf_token": token, "regions": "0,0,0.25,0.25\n0.5,0.5,0.1,0.1", "reason": "a child's face"},
        follow_redirects=False)
    assert done.status_code == 303, done.text[:300]
    source = repository.get_source(ws.db, source_id)  # type: ignore[attr-defined]
    (copy,) = [d for d in derivatives_of(ws.db, source.sha256) if d.kind == DerivativeKind.REDACTED]
    # 120 x 80 pixels: a quarter is 30 x 20; the second box, rounded outwards, 12 x 8 at (60, 40).
    assert copy.params["boxes"] == [[0, 0, 30, 20], [60, 40, 12, 8]] and copy.created_by == "rami"
    got = client.get(f"/sources/{source_id}/derivatives/{copy.id}")
    with Image.open(io.BytesIO(got.content)) as image:
        # A JPEG original gives a JPEG copy: black within a few levels.
        assert sum(image.getpixel((29, 19))[:3]) < 30 and sum(image.getpixel((31, 21))[:3]) > 150
    derived = [e for e in entries_for_source(ws.db, source_id) if e.event == "derived"
               and e.item_sha256 == copy.sha256]
    assert [(e.actor, e.reason) for e in derived] == [("rami", "a child's face")]


@pytest.mark.parametrize(("values", "message"), [
    ({"regions": "0,0,2,2"}, "A box is not inside the picture."),
    ({"regions": "", "spans": ""}, "Draw boxes on the picture or choose spans of the text: not both, and not neither."),
    ({"spans": "0:999999"}, "A span is not start:end inside the text."),
])
def test_redaction_refusals(ws: Workspace, values: dict[str, str], message: str) -> None:
    source_id, _ = _photo(ws)
    client = signed_in(ws, "rami", "reviewer", lang="en")
    token = form_token(client.get(f"/sources/{source_id}").text)
    got = client.post(f"/sources/{source_id}/redact", data={"csrf_token": token, "reason": "r", **values})
    assert got.status_code == 400 and _error(got.text) == message


def test_reviewer_redacts_spans_of_text_and_a_documenter_may_not(ws: Workspace) -> None:
    pdf_id = _pdf(ws)
    documenter = signed_in(ws, "nour", "documenter")
    token = form_token(documenter.get(f"/sources/{pdf_id}").text)
    assert documenter.post(f"/sources/{pdf_id}/redact", data={
        "csrf_token": token, "spans": "0:4", "reason": "r"}).status_code == 403
    reviewer = signed_in(ws, "rami", "reviewer", lang="ar")
    token = form_token(reviewer.get(f"/sources/{pdf_id}").text)
    bad = reviewer.post(f"/sources/{pdf_id}/redact", data={"csrf_token": token, "regions": "0,0,0.5,0.5",
                                                           "reason": "r"})
    assert bad.status_code == 400 and _error(bad.text) == "الأصل ليس صورة يمكن تنقيحها؛ نقّح نصه بدلاً من ذلك."
    done = reviewer.post(f"/sources/{pdf_id}/redact", data={"csrf_token": token, "spans": "0:4\n5:8",
                                                            "reason": "names"}, follow_redirects=False)
    assert done.status_code == 303
    source = repository.get_source(ws.db, pdf_id)  # type: ignore[attr-defined]
    (copy,) = [d for d in derivatives_of(ws.db, source.sha256) if d.kind == DerivativeKind.REDACTED]
    assert copy.params["spans"] == [[0, 4], [5, 8]]
