"""A media source's page: the veiled thumbnail, the facts, working copies, links, near-duplicates, and the
"viewed"/"downloaded" custody entries it records."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from _client import signed_in
from _media_helpers import add_copy, add_image, picture
from _record_helpers import text_of

from tawthiq.domain.enums import DerivativeKind
from tawthiq.domain.originals import SourceLink
from tawthiq.services import Workspace, source_panels
from tawthiq.store import custody
from tawthiq.store.derivatives import add_link


def _image_with_thumbnail(ws: Workspace) -> tuple[int, str, int, bytes]:
    original = picture()
    source_id, sha = add_image(ws, original, name="قصف.jpg")
    thumb = picture(size=(48, 32), fmt="PNG")
    copy = add_copy(ws, source_id=source_id, original_sha256=sha, data=thumb, media_type="image/png")
    assert copy.id is not None
    return source_id, sha, copy.id, thumb


def _events(ws: Workspace, source_id: int) -> list[str]:
    return [e.event for e in custody.entries_for_source(ws.db, source_id)]


def test_thumbnail_comes_from_the_derived_store_as_its_image_type(ws: Workspace) -> None:
    source_id, sha, copy_id, thumb = _image_with_thumbnail(ws)
    client = signed_in(ws, "nour", "documenter")
    got = client.get(f"/sources/{source_id}/thumbnail/{copy_id}")
    assert got.status_code == 200 and got.content == thumb
    assert got.headers["content-type"] == "image/png"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["cache-control"] == "private, max-age=300"

    page = client.get(f"/sources/{source_id}").text
    img = re.search(r'<img [^>]*data-testid="thumbnail"[^>]*>', page)
    assert img and f'src="/sources/{source_id}/thumbnail/{copy_id}"' in img.group(0)
    assert 'class="graphic-img veiled"' in img.group(0)
    assert re.search(r'<button type="button" class="graphic-toggle"[^>]*aria-pressed="false"', page)
    # The original is a download only: nothing on the page draws it.
    assert not re.search(rf'<(img|video|audio|source|embed|object|iframe)[^>]*{source_id}/original', page)
    assert "<script>" not in page and " style=" not in page


def test_thumbnail_route_refuses_anything_but_a_still_image_copy(ws: Workspace) -> None:
    source_id, sha, copy_id, _ = _image_with_thumbnail(ws)
    text = add_copy(ws, source_id=source_id, original_sha256=sha, data=b"<script>alert(1)</script>",
                    media_type="text/html", kind=DerivativeKind.PREVIEW)
    svg = add_copy(ws, source_id=source_id, original_sha256=sha, media_type="image/svg+xml",
                   data=b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    other_id, other_sha = add_image(ws, picture(colour=(10, 120, 10)), name="other.jpg", phash="0f0f0f0f0f0f0f0f")
    client = signed_in(ws, "nour", "documenter")
    for derivative_id in (text.id, svg.id):
        refused = client.get(f"/sources/{source_id}/thumbnail/{derivative_id}")
        assert refused.status_code == 404 and "alert(1)" not in refused.text
    # A copy of another original cannot be fetched through this source.
    assert client.get(f"/sources/{other_id}/thumbnail/{copy_id}").status_code == 404
    assert client.get(f"/sources/{source_id}/thumbnail/999999").status_code == 404
    # The SVG is still listed as a working copy, to download, never to draw.
    page = client.get(f"/sources/{source_id}").text
    assert f'data-derivative-id="{svg.id}" data-kind="thumbnail"' in page
    assert f"/thumbnail/{svg.id}" not in page and f"/thumbnail/{copy_id}" in page


def test_downloading_a_working_copy_is_recorded(ws: Workspace) -> None:
    source_id, sha, copy_id, thumb = _image_with_thumbnail(ws)
    client = signed_in(ws, "نور", "documenter")
    got = client.get(f"/sources/{source_id}/derivatives/{copy_id}")
    assert got.status_code == 200 and got.content == thumb
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;")
    last = list(custody.iter_entries(ws.db))[-1]
    assert (last.event, last.actor, last.source_id) == ("downloaded", "نور", source_id)
    assert last.item_sha256 != sha and last.details == {
        "derivative_id": copy_id, "kind": "thumbnail", "original_sha256": sha}
    assert last.machine
    before = custody.count_entries(ws.db)
    assert client.get(f"/sources/{source_id}/derivatives/424242").status_code == 404
    assert custody.count_entries(ws.db) == before


def test_opening_the_page_records_one_view_per_user_per_hour(ws: Workspace,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source_id, _, _, _ = _image_with_thumbnail(ws)
    nour = signed_in(ws, "nour", "documenter")
    first = nour.get(f"/sources/{source_id}")
    assert first.status_code == 200
    for _ in range(3):
        assert nour.get(f"/sources/{source_id}").status_code == 200
    views = [e for e in custody.entries_for_source(ws.db, source_id) if e.event == "viewed"]
    assert len(views) == 1
    assert (views[0].actor, views[0].details) == ("nour", {"page": "source"}) and views[0].machine
    # The page shows its own visit in the ledger.
    assert f'data-entry-id="{views[0].id}" data-event="viewed"' in first.text

    rana = signed_in(ws, "rana", "reviewer")
    rana.get(f"/sources/{source_id}")
    assert [e.actor for e in custody.entries_for_source(ws.db, source_id) if e.event == "viewed"] == ["nour", "rana"]

    # Once the hour has passed, the next visit is recorded again (the window, not the clock, is moved).
    monkeypatch.setattr(source_panels, "VIEW_WINDOW", timedelta(0))
    nour.get(f"/sources/{source_id}")
    assert _events(ws, source_id).count("viewed") == 3


def test_a_viewer_gets_404_everywhere_and_nothing_is_recorded(ws: Workspace) -> None:
    source_id, _, copy_id, _ = _image_with_thumbnail(ws)
    before = custody.count_entries(ws.db)
    viewer = signed_in(ws, "guest", "viewer")
    for url in (f"/sources/{source_id}", f"/sources/{source_id}/original",
                f"/sources/{source_id}/thumbnail/{copy_id}", f"/sources/{source_id}/derivatives/{copy_id}",
                "/sources/424242"):
        refused = viewer.get(url)
        assert refused.status_code == 404, url
        assert "قصف" not in refused.text and "custody-entry" not in refused.text
    assert custody.count_entries(ws.db) == before


def test_facts_links_near_duplicates_and_imported_custody_are_shown(ws: Workspace) -> None:
    from tawthiq.store.packages import insert_imported

    exif = {"exif": {"Make": "Canon", "Model": "EOS 5D", "Software": "<script>x</script>"},
            "gps": {"GPSLatitudeRef": "N"}}
    photo_id, sha = add_image(ws, picture(), name="a.jpg", metadata=exif, latitude=36.2021, longitude=37.1343)
    # The same picture re-encoded: its hash is 2 bits away, so the media store flags the pair.
    copy_id, _ = add_image(ws, picture(size=(95, 64)), name="whatsapp.jpg", phash="f0f0f0f0f0f0f0f3")
    message = add_image(ws, picture(colour=(0, 0, 90)), name="msg.jpg", phash="123456789abcdef0",
                        source_metadata={"telegram": {"chat_type": "public_channel", "chat_name": "حلب الآن",
                                                      "message_id": 4021, "forwarded_from": "قناة"}})[0]
    add_link(ws.db, SourceLink(from_source_id=message, to_source_id=photo_id, relation="attachment"))
    with ws.db.session(write=True) as session:
        insert_imported(session, package="bag-1", origin="0f1e2d3c-aaaa", position=1, item_sha256=sha,
                        entry={"event": "received", "at": "2016-03-12T10:00:00.000000Z", "actor": "field-team",
                               "machine": "laptop-7", "reason": "handed over"},
                        entry_hash="ab" * 32, at=datetime.now(UTC))

    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/sources/{photo_id}").text
    facts = text_of(re.search(r'data-testid="media-facts".*?</dl>', page, re.S).group(0))
    assert "96 × 64 px" in facts and "2016-03-12 09:41:07" in facts
    assert "36.202100, 37.134300" in facts and "Canon EOS 5D" in facts
    tags = re.search(r'data-testid="media-tags".*?</details>', page, re.S).group(0)
    assert "exif.Software" in tags and "&lt;script&gt;x&lt;/script&gt;" in tags and "<script>x" not in page
    near = re.findall(r'data-testid="near-duplicate" data-source-id="(\d+)" data-distance="(\d+)"', page)
    assert near == [(str(copy_id), "2")]
    assert re.search(rf'data-testid="source-link-from" data-relation="attachment" data-other="{message}"', page)
    imported = re.search(r'data-testid="custody-imported" data-origin="0f1e2d3c-aaaa".*?</tr>', page, re.S)
    assert imported and "field-team" in imported.group(0) and "from another instance 0f1e2d3c" in imported.group(0)
    # Imported entries come before this instance's own.
    assert page.index('data-testid="custody-imported"') < page.index('data-testid="custody-entry"')

    other = client.get(f"/sources/{message}").text
    assert re.search(rf'data-testid="source-link-to" data-relation="attachment" data-other="{photo_id}"', other)
    telegram = text_of(re.search(r'data-testid="facts-telegram".*?</dl>', other, re.S).group(0))
    # The facts a reviewer checks first come first, labelled; the rest follow as read.
    assert telegram.index("Chat") < telegram.index("حلب الآن") < telegram.index("Message id") \
        < telegram.index("4021") < telegram.index("Forwarded from") < telegram.index("قناة") \
        < telegram.index("Chat type") < telegram.index("public_channel")


def test_arabic_labels_render(ws: Workspace) -> None:
    source_id, _, _, _ = _image_with_thumbnail(ws)
    client = signed_in(ws, "nour", "documenter", lang="ar")
    page = client.get(f"/sources/{source_id}").text
    assert 'dir="rtl"' in page
    for arabic in ("الوسائط", "اعرض", "نسخ العمل", "صورة مصغّرة", "ما قُرئ من الملف", "عُرض"):
        assert arabic in page, arabic
    assert 'data-label-hide="احجب"' in page
    listing = client.get("/sources").text
    assert re.search(r'<td data-kind="image">صورة</td>', listing)


def test_api_source_carries_media_copies_links_and_near_duplicates(ws: Workspace) -> None:
    source_id, sha, copy_id, thumb = _image_with_thumbnail(ws)
    twin, _ = add_image(ws, picture(size=(95, 64)), name="twin.jpg", phash="f0f0f0f0f0f0f0f1")
    add_link(ws.db, SourceLink(from_source_id=twin, to_source_id=source_id, relation="forwarded"))
    client = signed_in(ws, "nour", "documenter")
    body = client.get(f"/api/sources/{source_id}").json()
    assert body["media"]["width"] == 96 and body["media"]["hashes"][0]["hash"] == "f0f0f0f0f0f0f0f0"
    assert body["derivatives"] == [{
        "id": copy_id, "kind": "thumbnail", "media_type": "image/png", "size": len(thumb),
        "sha256": body["derivatives"][0]["sha256"], "tool": "tests.pillow", "tool_version": "1",
        "params": {"max_side": 256}, "created_at": body["derivatives"][0]["created_at"], "created_by": "test",
        "download_url": f"/sources/{source_id}/derivatives/{copy_id}",
    }]
    assert body["near_duplicates"] == [{"source_id": twin, "sha256": body["near_duplicates"][0]["sha256"],
                                        "distance": 1, "method": "phash"}]
    assert body["links"] == [{"relation": "forwarded", "direction": "from", "source_id": twin, "details": {}}]
    # The API reads are not page views; the documented answer has the new fields.
    schema = client.get("/api/openapi.json").json()
    props = schema["components"]["schemas"]["SourceEvidenceOut"]["properties"]
    assert {"media", "derivatives", "links", "near_duplicates"} <= set(props)
    viewer = signed_in(ws, "guest", "viewer")
    assert viewer.get(f"/api/sources/{source_id}").status_code in (403, 404)


def test_capture_and_pdf_facts_are_labelled_in_both_languages(ws: Workspace) -> None:
    from tawthiq.domain import Source, SourceKind
    from tawthiq.store.sources import add_source

    capture = {"url": "https://example.org/r", "final_url": "https://example.org/r/", "status": 200,
               "captured_at": "2026-11-26T01:00:00+00:00", "peer": "127.0.0.1:8443",
               "tls": {"sha256_fingerprint": "AB:CD", "subject": "CN=example.org"},
               "redirects": [{"url": "https://example.org/r", "status": 301, "location": "/r/"}]}
    page_id, _ = add_source(ws.db, Source(kind=SourceKind.HTML, sha256="a" * 64, text="captured page",
                                          metadata={"capture": capture}), actor="test")
    pdf_id, _ = add_source(ws.db, Source(kind=SourceKind.PDF, sha256="b" * 64, text="report",
                                         metadata={"pdf": {"pages": 3, "encrypted": False, "title": "تقرير",
                                                           "creation_date_iso": "2016-02-14T12:00:00+02:00"}}),
                           actor="test")
    client = signed_in(ws, "nour", "documenter")
    shown = text_of(re.search(r'data-testid="facts-capture".*?</dl>', client.get(f"/sources/{page_id}").text,
                              re.S).group(0))
    assert shown.index("URL") < shown.index("https://example.org/r") < shown.index("HTTP status") \
        < shown.index("200") < shown.index("Captured at") < shown.index("TLS certificate fingerprint (SHA-256)") \
        < shown.index("AB:CD")
    assert "Redirected to" in shown and "CN=example.org" in shown
    pdf = text_of(re.search(r'data-testid="facts-pdf".*?</dl>', client.get(f"/sources/{pdf_id}").text,
                            re.S).group(0))
    assert pdf.index("Title") < pdf.index("تقرير") < pdf.index("Pages") < pdf.index("3") < pdf.index("Created")

    arabic = signed_in(ws, "rana", "reviewer", lang="ar").get(f"/sources/{page_id}").text
    assert "الالتقاط من الويب" in arabic and "بصمة شهادة TLS (SHA-256)" in arabic and "حالة HTTP" in arabic


def test_a_package_imported_from_another_instance_shows_its_custody_marked(ws: Workspace, tmp_path: Path) -> None:
    from tawthiq.services import init_workspace
    from tawthiq.services.ingest import ingest_files
    from tawthiq.services.packages import import_package, make_package, public_signing_key
    from tawthiq.settings import Settings
    from tawthiq.store.derivatives import instance_id
    from tawthiq.store.sources import list_sources

    (tmp_path / "in").mkdir()
    photo = tmp_path / "in" / "دوما.jpg"
    photo.write_bytes(picture(size=(200, 120)))
    (result,) = ingest_files(ws, [photo], actor="cli:alice")
    assert result.status == "new", result.error
    make_package(ws, out=tmp_path / "bag", source_ids=list(result.source_ids), actor="cli:alice", machine="a-box")

    other = init_workspace(Settings(database_url=f"sqlite:///{tmp_path / 'b.db'}", data_dir=tmp_path / "b-data",
                                    max_file_size=ws.settings.max_file_size))
    try:
        import_package(other, path=tmp_path / "bag", actor="cli:bob", machine="b-box", reason="received from A",
                       public_key=public_signing_key(ws).pem)
        (source_b,) = [s.id for s in list_sources(other.db)]  # type: ignore[arg-type]
        page = signed_in(other, "nour", "documenter").get(f"/sources/{source_b}").text
        origin = instance_id(ws.db)
        imported = re.findall(r'data-testid="custody-imported" data-origin="([^"]+)" data-event="(\w+)"', page)
        assert {o for o, _ in imported} == {origin}
        assert {"received", "ingested", "derived"} <= {e for _, e in imported}
        assert f"from another instance {origin[:8]}" in page
        own = re.findall(r'data-testid="custody-entry" data-entry-id="\d+" data-event="(\w+)"', page)
        assert "imported" in own and own[-1] == "viewed" and "received" not in own
        # The working copy came along and is drawn (veiled) from B's own derived store.
        thumb = re.search(rf'src="(/sources/{source_b}/thumbnail/\d+)"', page)
        assert thumb and signed_in(other, "rana", "reviewer").get(thumb.group(1)).status_code == 200
    finally:
        other.db.dispose()  # type: ignore[attr-defined]


def test_simultaneous_opens_record_one_view(ws: Workspace) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from _client import make_user

    source_id, _, _, _ = _image_with_thumbnail(ws)
    user = make_user(ws, "nour", "documenter")
    with ThreadPoolExecutor(max_workers=6) as pool:
        made = list(pool.map(lambda _: source_panels.record_view(ws, user=user, source_id=source_id, machine="tab"),
                             range(12)))
    assert sum(entry is not None for entry in made) == 1
    assert _events(ws, source_id).count("viewed") == 1


def test_ingested_photo_its_whatsapp_copy_and_a_video_on_their_pages(ws: Workspace, tmp_path: Path) -> None:
    """Through the real pipeline: the re-encoded copy is flagged and linked both ways; a video shows its
    duration and a veiled keyframe thumbnail."""
    from _media import jpeg, photo, video, whatsapp

    from tawthiq.services.ingest import ingest_files

    original = jpeg(photo(7))
    files = {"scene.jpg": original, "scene-whatsapp.jpg": whatsapp(original),
             "clip.mp4": video([photo(i, (160, 120)) for i in range(20)], fps=10)}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    results = ingest_files(ws, [tmp_path / name for name in files])
    assert [r.status for r in results] == ["new"] * 3, [r.error for r in results]
    scene, copy, clip = (r.source_ids[0] for r in results)

    client = signed_in(ws, "nour", "documenter")
    for here, there in ((scene, copy), (copy, scene)):
        page = client.get(f"/sources/{here}").text
        near = re.findall(r'data-testid="near-duplicate" data-source-id="(\d+)" data-distance="(\d+)"', page)
        assert [int(i) for i, _ in near] == [there] and int(near[0][1]) <= 7
        assert f'<a href="/sources/{there}">#{there}</a>' in page

    page = client.get(f"/sources/{clip}").text
    assert re.search(r'data-testid="source-kind" data-kind="video">video<', page)
    assert "2.0 s" in text_of(re.search(r'data-testid="media-duration">[^<]*<', page).group(0))
    thumb = re.search(rf'src="(/sources/{clip}/thumbnail/\d+)"[^>]*class="graphic-img veiled"', page)
    assert thumb, "the video's thumbnail is drawn veiled"
    got = client.get(thumb.group(1))
    assert got.status_code == 200 and got.headers["content-type"] in ("image/jpeg", "image/png", "image/webp")


def test_a_photo_page_has_no_empty_text_section_but_a_report_keeps_it(ws: Workspace, tmp_path: Path) -> None:
    from tawthiq.services.ingest import ingest_files

    photo_id, _ = add_image(ws, picture(), name="p.jpg")
    report = tmp_path / "r.txt"
    report.write_text("Aleppo, 12 March 2016: shelling killed two civilians.", encoding="utf-8")
    (result,) = ingest_files(ws, [report])
    client = signed_in(ws, "rima", "reviewer")
    assert "Extracted text" not in client.get(f"/sources/{photo_id}").text
    assert "Extracted text" in client.get(f"/sources/{result.source_ids[0]}").text
