"""Images, video and audio through `tawthiq ingest` and uploads: facts, hashes, thumbnails, near-duplicates."""
from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from _media import audio, exif, jpeg, photo, video, whatsapp
from PIL import Image

from tawthiq.domain import DerivativeKind, SourceKind
from tawthiq.extract.contract import default_extractor
from tawthiq.ingest.pipeline import ingest_bytes
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody, repository
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.media import get_media, near_duplicates_of, source_ids_by_sha
from tawthiq.store.search import search
from tawthiq.store.vault.blobs import sha256_bytes
from tawthiq.store.vault.derived import derived_store

TAKEN = datetime(2016, 3, 12, 9, 30)
ALEPPO = ("N", (36.0, 12.0, 7.2), "E", (37.0, 9.0, 36.0))


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_a_photo_keeps_its_exif_gps_capture_time_and_gets_a_hash_and_a_clean_thumbnail(
        ws: Workspace, tmp_path: Path) -> None:
    data = jpeg(photo(1), exif_data=exif(taken=TAKEN, offset="+03:00", gps=ALEPPO, orientation=6))
    (result,) = ingest_files(ws, [_write(tmp_path, "IMG_0001.JPG", data)], actor="cli:tester")
    assert result.status == "new", result.error
    sha = sha256_bytes(data)
    source = repository.get_source(ws.db, result.source_ids[0])
    assert source is not None
    assert (source.kind, source.media_type, source.text, source.size) == (SourceKind.IMAGE, "image/jpeg", "", len(data))
    assert result.incidents == 0
    info = get_media(ws.db, sha)
    assert info is not None and info.kind == "image"
    assert (info.width, info.height) == (640, 480)
    assert info.metadata["exif"]["Make"] == "Canon" and info.metadata["exif"]["Software"] == "Firmware 1.0"
    assert info.metadata["orientation"] == 6
    assert info.latitude == 36.202 and info.longitude == 37.16
    assert info.taken_at == datetime(2016, 3, 12, 6, 30, tzinfo=UTC)  # 09:30 at +03:00
    assert info.metadata["capture"] == {"local": "2016-03-12T09:30:00", "tag": "DateTimeOriginal", "offset": "+03:00"}
    (frame_hash,) = info.hashes
    assert len(frame_hash.hash) == 16 and frame_hash.frame == 0
    # The thumbnail: a linked working copy, upright (orientation 6 turns 640x480 into 480x640), no EXIF left.
    (thumb,) = [d for d in derivatives_of(ws.db, sha) if d.kind == DerivativeKind.THUMBNAIL]
    assert thumb.tool == "Pillow" and thumb.params["max_px"] == 320 and thumb.params["quality"] == 80
    small = Image.open(io.BytesIO(derived_store(ws.blobs).get(thumb.sha256)))
    assert small.size == (240, 320) and not small.getexif()
    assert [e.event for e in custody.entries_for_source(ws.db, result.source_ids[0])][:2] == ["received", "ingested"]
    # Again: a duplicate, nothing added.
    (again,) = ingest_files(ws, [tmp_path / "IMG_0001.JPG"])
    assert again.status == "duplicate" and again.source_ids == result.source_ids
    assert len(get_media(ws.db, sha).hashes) == 1  # type: ignore[union-attr]


def test_without_an_offset_the_local_capture_time_is_kept_but_no_instant_is_invented(
        ws: Workspace, tmp_path: Path) -> None:
    data = jpeg(photo(2), exif_data=exif(taken=TAKEN, gps=("S", (33.0, 30.0, 0.0), "W", (70.0, 39.0, 0.0))))
    (result,) = ingest_files(ws, [_write(tmp_path, "p.jpg", data)])
    info = get_media(ws.db, sha256_bytes(data))
    assert info is not None and info.taken_at is None
    assert info.metadata["capture"] == {"local": "2016-03-12T09:30:00", "tag": "DateTimeOriginal"}
    assert (info.latitude, info.longitude) == (-33.5, -70.65)


def test_a_whatsapp_copy_is_flagged_a_different_photo_is_not_and_a_video_of_the_photo_is(
        ws: Workspace, tmp_path: Path) -> None:
    original = jpeg(photo(3), exif_data=exif(taken=TAKEN))
    copy = whatsapp(original)
    other = jpeg(photo(4))
    clip = video([photo(3, (320, 240))] * 12 + [photo(5, (320, 240))] * 12, fps=4, gop=4)
    paths = [_write(tmp_path, n, d) for n, d in
             (("a.jpg", original), ("b-whatsapp.jpg", copy), ("c.jpg", other), ("d.mp4", clip))]
    results = ingest_files(ws, paths)
    assert [r.status for r in results] == ["new"] * 4, [r.error for r in results]
    a, b, c, d = (sha256_bytes(x) for x in (original, copy, other, clip))
    pairs = {(p.sha256_a, p.sha256_b): p.distance for p in near_duplicates_of(ws.db, a)}
    assert set(pairs) == {tuple(sorted((a, b))), tuple(sorted((a, d)))}
    assert all(distance <= 7 for distance in pairs.values())
    assert {p.sha256_a for p in near_duplicates_of(ws.db, c)} | {p.sha256_b for p in near_duplicates_of(ws.db, c)} \
        <= {c}
    # The video's keyframes: several, spread over its 6 seconds, one of them the photo.
    info = get_media(ws.db, d)
    assert info is not None and info.kind == "video" and len(info.hashes) >= 2
    assert all(h.frame > 0 and h.at_seconds is not None for h in info.hashes)
    assert {p.sha256_a for p in near_duplicates_of(ws.db, d)} | {p.sha256_b for p in near_duplicates_of(ws.db, d)} \
        == {a, b, d}
    ids = source_ids_by_sha(ws.db, [a, d])
    assert ids[a] == results[0].source_ids and ids[d] == results[3].source_ids


def test_a_video_keeps_container_facts_location_and_creation_time_and_gets_a_thumbnail(
        ws: Workspace, tmp_path: Path) -> None:
    data = video([photo(6, (160, 120))] * 10 + [photo(11, (160, 120))] * 10, fps=10, tags={
        "location": "+36.2021+037.1343/", "creation_time": "2016-03-12T06:30:00.000000Z", "title": "Douma\x07"})
    (result,) = ingest_files(ws, [_write(tmp_path, "clip.mp4", data)])
    assert result.status == "new", result.error
    source = repository.get_source(ws.db, result.source_ids[0])
    assert source is not None and source.kind == SourceKind.VIDEO and source.media_type == "video/mp4"
    info = get_media(ws.db, sha256_bytes(data))
    assert info is not None
    assert (info.width, info.height, info.duration_seconds) == (160, 120, 2.0)
    assert (info.latitude, info.longitude) == (36.2021, 37.1343)
    assert info.taken_at == datetime(2016, 3, 12, 6, 30, tzinfo=UTC)
    assert info.metadata["container"]["title"] == "Douma\ufffd"
    (stream,) = info.metadata["streams"]
    assert stream["codec"] == "mpeg4" and stream["frame_rate"] == 10.0
    copies = derivatives_of(ws.db, sha256_bytes(data))
    (thumb,) = [c for c in copies if c.kind == DerivativeKind.THUMBNAIL]
    assert thumb.tool == "PyAV+FFmpeg"
    assert "FFmpeg" in thumb.tool_version and thumb.params["at_seconds"] >= 0 and thumb.params["frame"] >= 1
    # A still of every keyframe that was hashed, named by the same frame number and time.
    stills = [c for c in copies if c.kind == DerivativeKind.KEYFRAME]
    assert sorted((c.params["frame"], c.params["at_seconds"]) for c in stills) == \
        sorted((h.frame, h.at_seconds) for h in info.hashes)


def test_audio_is_evidence_too_wav_and_opus(ws: Workspace, tmp_path: Path) -> None:
    wav = audio(tags={"artist": "witness"})
    opus = audio(codec="libopus", container="ogg", rate=48000)
    results = ingest_files(ws, [_write(tmp_path, "voice.wav", wav), _write(tmp_path, "note.opus", opus)])
    assert [r.status for r in results] == ["new", "new"], [r.error for r in results]
    kinds = [repository.get_source(ws.db, r.source_ids[0]) for r in results]
    assert [(s.kind, s.media_type) for s in kinds if s] == [(SourceKind.AUDIO, "audio/wav"),
                                                           (SourceKind.AUDIO, "audio/ogg")]
    info = get_media(ws.db, sha256_bytes(wav))
    assert info is not None and info.hashes == [] and info.duration_seconds == 1.0
    assert info.metadata["streams"][0]["sample_rate"] == 8000
    assert get_media(ws.db, sha256_bytes(opus)).metadata["streams"][0]["codec"] == "opus"  # type: ignore[union-attr]
    # No thumbnail for sound: its only working copy is the one a browser plays.
    assert [d.kind for d in derivatives_of(ws.db, sha256_bytes(wav))] == [DerivativeKind.TRANSCODED]


def test_uploads_and_imports_in_memory_work_for_media_and_keep_the_given_metadata(
        ws: Workspace, tmp_path: Path) -> None:
    data = jpeg(photo(7))
    blobs = ws.blobs
    result = ingest_bytes(data, name="photo_1@12-03-2016.jpg", db=ws.db, blobs=blobs, extractor=default_extractor(),
                          max_file_size=ws.settings.max_file_size, via="telegram import",
                          extra_metadata={"telegram_message": "-100123:45"})
    assert result.status == "new", result.error
    source = repository.get_source(ws.db, result.source_ids[0])
    assert source is not None and source.metadata["telegram_message"] == "-100123:45"
    assert source.kind == SourceKind.IMAGE and get_media(ws.db, result.sha256 or "") is not None
    # The same photo named on the command line afterwards: a duplicate, not a second source.
    (again,) = ingest_files(ws, [_write(tmp_path, "same.jpg", data)])
    assert again.status == "duplicate" and again.source_ids == result.source_ids


def test_a_photo_named_txt_is_still_a_photo(ws: Workspace, tmp_path: Path) -> None:
    (result,) = ingest_files(ws, [_write(tmp_path, "notes.txt", jpeg(photo(8)))])
    assert result.status == "new", result.error
    source = repository.get_source(ws.db, result.source_ids[0])
    assert source is not None and source.kind == SourceKind.IMAGE


def test_media_sources_show_up_in_listing_and_do_not_disturb_search(ws: Workspace, tmp_path: Path) -> None:
    report = _write(tmp_path, "r.txt", b"Aleppo, 12 March 2016: shelling killed two civilians in al-Shaar.")
    ingest_files(ws, [_write(tmp_path, "p.png", _png(photo(9))), report])
    listed = repository.list_sources(ws.db)
    assert sorted(str(s.kind) for s in listed) == ["image", "text"]
    hits = search(ws.db, "Shaar")
    assert [h.kind for h in hits if h.kind == "source"] == ["source"]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_an_iphone_heic_photo_is_read_with_its_exif_and_pairs_with_its_jpeg_export(
        ws: Workspace, tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = photo(10)
    out = io.BytesIO()
    image.save(out, "HEIF", quality=80, exif=exif(make="Apple", model="iPhone 12", taken=TAKEN, offset="+03:00",
                                                  gps=ALEPPO).tobytes())
    heic = out.getvalue()
    exported = jpeg(image, quality=70)
    results = ingest_files(ws, [_write(tmp_path, "IMG_4410.HEIC", heic), _write(tmp_path, "IMG_4410.jpg", exported)])
    assert [r.status for r in results] == ["new", "new"], [r.error for r in results]
    source = repository.get_source(ws.db, results[0].source_ids[0])
    assert source is not None and (source.kind, source.media_type) == (SourceKind.IMAGE, "image/heic")
    info = get_media(ws.db, sha256_bytes(heic))
    assert info is not None and info.metadata["exif"]["Model"] == "iPhone 12"
    assert (info.latitude, info.longitude) == (36.202, 37.16)
    assert info.taken_at == datetime(2016, 3, 12, 6, 30, tzinfo=UTC)
    (pair,) = near_duplicates_of(ws.db, sha256_bytes(heic))
    assert sha256_bytes(exported) in (pair.sha256_a, pair.sha256_b)
    (thumb,) = derivatives_of(ws.db, sha256_bytes(heic))
    assert thumb.kind == DerivativeKind.THUMBNAIL and thumb.media_type == "image/jpeg"
