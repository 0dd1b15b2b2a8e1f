"""Media ingested through the real pipeline (empty text) renders on the source page and in the list."""
from __future__ import annotations

import sys
from pathlib import Path

from _media import audio, exif, jpeg, photo, video

from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.vault.blobs import sha256_bytes

sys.path.insert(0, str(Path(__file__).parent / "web"))
from _client import signed_in  # noqa: E402


def test_pages_of_ingested_image_video_and_audio_sources_do_not_break_on_empty_text(
        ws: Workspace, tmp_path: Path) -> None:
    files = {
        "photo.jpg": jpeg(photo(1), exif_data=exif(make="Nikon <b>")),
        "clip.mp4": video([photo(2, (64, 48))] * 10),
        "voice.wav": audio(),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    results = ingest_files(ws, paths)
    assert [r.status for r in results] == ["new"] * 3, [r.error for r in results]
    client = signed_in(ws, "nour", "documenter")
    for result, name in zip(results, files, strict=True):
        page = client.get(f"/sources/{result.source_ids[0]}")
        assert page.status_code == 200, (name, page.text[:500])
        assert name in page.text
    assert "Nikon <b>" not in client.get(f"/sources/{results[0].source_ids[0]}").text  # tags are escaped
    listing = client.get("/sources")
    assert listing.status_code == 200 and all(name in listing.text for name in files)
    assert client.get("/incidents", params={"q": "photo"}).status_code == 200
    # The thumbnail the derive stage made is what the page serves.
    photo_sha = sha256_bytes(files["photo.jpg"])
    (thumb,) = derivatives_of(ws.db, photo_sha)
    served = client.get(f"/sources/{results[0].source_ids[0]}/thumbnail/{thumb.id}")
    assert served.status_code == 200 and served.content[:3] == b"\xff\xd8\xff"
