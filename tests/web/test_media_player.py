"""The player of a transcoded working copy on a source page: served from the derived store only, as its
stored type, in ranges a browser can seek with; veiled on the page; 404 for anyone who may not see the source."""
from __future__ import annotations

import re
from pathlib import Path

from _client import signed_in
from _media import audio, photo, video
from _media_helpers import add_copy, add_image, picture

from tawthiq.domain import DerivativeKind
from tawthiq.domain.originals import Derivative
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.vault.blobs import sha256_bytes


def _ingested(ws: Workspace, folder: Path, name: str, data: bytes) -> tuple[int, Derivative]:
    path = folder / name
    path.write_bytes(data)
    (result,) = ingest_files(ws, [path])
    assert result.status == "new", result.error
    (copy,) = [d for d in derivatives_of(ws.db, sha256_bytes(data)) if d.kind == DerivativeKind.TRANSCODED]
    assert copy.id is not None
    return result.source_ids[0], copy


def _clip() -> bytes:
    return video([photo(i, (160, 120)) for i in range(20)], fps=10, codec="mpeg4", container="avi")


def test_the_copy_is_served_inline_as_its_type_and_answers_ranges(ws: Workspace, tmp_path: Path) -> None:
    source_id, copy = _ingested(ws, tmp_path, "clip.avi", _clip())
    client = signed_in(ws, "nour", "documenter")
    url = f"/sources/{source_id}/media/{copy.id}"
    before = custody.count_entries(ws.db)

    whole = client.get(url)
    assert whole.status_code == 200 and len(whole.content) == copy.size
    assert whole.headers["content-type"] == copy.media_type and copy.media_type in ("video/mp4", "video/webm")
    assert whole.headers["content-disposition"] == "inline"
    assert whole.headers["x-content-type-options"] == "nosniff"
    assert whole.headers["cache-control"] == "private, max-age=300"
    assert whole.headers["accept-ranges"] == "bytes"

    # What a player asks first, then a seek into the middle, then the tail.
    first = client.get(url, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206 and first.content == whole.content[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{copy.size}" and first.headers["content-length"] == "100"
    middle = client.get(url, headers={"Range": f"bytes={copy.size // 2}-"})
    assert middle.status_code == 206 and middle.content == whole.content[copy.size // 2:]
    assert middle.headers["content-range"] == f"bytes {copy.size // 2}-{copy.size - 1}/{copy.size}"
    tail = client.get(url, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == whole.content[-10:]
    beyond = client.get(url, headers={"Range": f"bytes={copy.size + 10}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{copy.size}"
    # Fetching the stream is no custody event: the page view is (and it is recorded once, below).
    assert custody.count_entries(ws.db) == before


def test_the_page_plays_the_copy_veiled_with_the_thumbnail_as_poster(ws: Workspace, tmp_path: Path) -> None:
    source_id, copy = _ingested(ws, tmp_path, "clip.avi", _clip())
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/sources/{source_id}").text
    player = re.search(r'<video [^>]*data-testid="player"[^>]*>(.*?)</video>', page, re.DOTALL)
    assert player, "a video player for the transcoded copy"
    tag = player.group(0)
    assert "controls" in tag and 'preload="metadata"' in tag and 'class="graphic-img graphic-video veiled"' in tag
    assert f'<source src="/sources/{source_id}/media/{copy.id}" type="{copy.media_type}">' in tag
    poster = re.search(r'poster="(/sources/\d+/thumbnail/\d+)"', tag)
    assert poster and client.get(poster.group(1)).status_code == 200
    assert 'width="160" height="120"' in tag
    assert re.search(rf'<button type="button" class="graphic-toggle" data-graphic-toggle="player-{copy.id}"'
                     r'[^>]*aria-pressed="false" data-testid="player-toggle"', page)
    # Nothing plays or draws the original, and no inline code (the CSP forbids it).
    assert not re.search(rf'<(img|video|audio|source|embed|object|iframe)[^>]*{source_id}/original', page)
    assert "<script>" not in page and " style=" not in page
    views = [e for e in custody.entries_for_source(ws.db, source_id) if e.event == "viewed"]
    assert len(views) == 1

    arabic = signed_in(ws, "rana", "reviewer", lang="ar").get(f"/sources/{source_id}").text
    assert "نسخة عمل صُنعت للمتصفح" in arabic and 'data-label-show="اعرض"' in arabic


def test_sound_gets_an_audio_player(ws: Workspace, tmp_path: Path) -> None:
    source_id, copy = _ingested(ws, tmp_path, "voice.wav", audio(seconds=1.0))
    client = signed_in(ws, "nour", "documenter")
    page = client.get(f"/sources/{source_id}").text
    player = re.search(r'<audio [^>]*data-testid="player"[^>]*>.*?</audio>', page, re.DOTALL)
    assert player and f'src="/sources/{source_id}/media/{copy.id}" type="{copy.media_type}"' in player.group(0)
    assert "<video" not in page
    got = client.get(f"/sources/{source_id}/media/{copy.id}", headers={"Range": "bytes=0-15"})
    assert got.status_code == 206 and got.headers["content-type"] in ("audio/mp4", "audio/ogg")


def test_only_playable_transcoded_copies_of_this_source_are_served(ws: Workspace, tmp_path: Path) -> None:
    source_id, copy = _ingested(ws, tmp_path, "clip.avi", _clip())
    sha = copy.original_sha256
    client = signed_in(ws, "nour", "documenter")
    thumb = next(d for d in derivatives_of(ws.db, sha) if d.kind == DerivativeKind.THUMBNAIL)
    html = add_copy(ws, source_id=source_id, original_sha256=sha, data=b"<script>alert(1)</script>",
                    media_type="text/html", kind=DerivativeKind.TRANSCODED)
    svg = add_copy(ws, source_id=source_id, original_sha256=sha, media_type="image/svg+xml",
                   data=b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                   kind=DerivativeKind.TRANSCODED)
    # A playable type, but not a transcoded copy (a redacted video is served by its own rules, not here).
    other_kind = add_copy(ws, source_id=source_id, original_sha256=sha, data=b"\x00\x00\x00\x18ftypmp42",
                          media_type="video/mp4", kind=DerivativeKind.REDACTED)
    for derivative_id in (thumb.id, html.id, svg.id, other_kind.id, 999999):
        refused = client.get(f"/sources/{source_id}/media/{derivative_id}")
        assert refused.status_code == 404 and "alert(1)" not in refused.text, derivative_id
    # Another source's copy cannot be fetched through this source, nor this one's through it.
    other_id, _ = add_image(ws, picture(colour=(10, 120, 10)), name="other.jpg", phash="0f0f0f0f0f0f0f0f")
    assert client.get(f"/sources/{other_id}/media/{copy.id}").status_code == 404
    # The page plays the real copy, not the ones with a wrong type.
    page = client.get(f"/sources/{source_id}").text
    assert f"/media/{copy.id}" in page
    assert all(f"/media/{d.id}" not in page for d in (html, svg, other_kind))


def test_a_viewer_gets_404_and_nothing_is_recorded(ws: Workspace, tmp_path: Path) -> None:
    source_id, copy = _ingested(ws, tmp_path, "clip.avi", _clip())
    before = custody.count_entries(ws.db)
    viewer = signed_in(ws, "guest", "viewer")
    for headers in ({}, {"Range": "bytes=0-99"}):
        refused = viewer.get(f"/sources/{source_id}/media/{copy.id}", headers=headers)
        assert refused.status_code == 404 and "content-range" not in refused.headers
    assert custody.count_entries(ws.db) == before
