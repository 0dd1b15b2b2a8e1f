"""Hostile and broken media: each refused in one line, nothing stored, the batch goes on."""
from __future__ import annotations

import dataclasses
import struct
import zlib
from pathlib import Path

import pytest
from _media import exif, jpeg, photo, png, video

from tawthiq.ingest import pipeline
from tawthiq.ingest.stages import read as read_stage
from tawthiq.ingest.errors import IngestError
from tawthiq.ingest.media.images import MAX_IMAGE_PIXELS
from tawthiq.ingest.media.tags import MAX_VALUE_CHARS, safe_text, tag_text
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.settings import Settings
from tawthiq.store import repository
from tawthiq.store.db import Database
from tawthiq.store.media import count_media, get_media
from tawthiq.store.vault.blobs import BlobStore, sha256_bytes


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb's calling card."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


def _nothing_stored(ws: Workspace, *, except_names: tuple[str, ...] = ()) -> None:
    stored = [s.original_name for s in repository.list_sources(ws.db)]
    assert sorted(stored) == sorted(except_names)
    data = ws.settings.data_dir
    assert not [p for p in data.rglob(".tmp-*")], "a temporary copy was left behind"


BAD = {
    "truncated.jpg": (lambda: jpeg(photo(1))[:6000], "not a readable JPEG image"),
    "truncated.png": (lambda: png(photo(2))[:-5000], "not a readable PNG image"),
    "junk.jpg": (lambda: b"this is not a photo at all, just words " * 50, "not a readable JPEG image"),
    "junk-header.png": (lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "not a readable PNG image"),
    "bomb.png": (lambda: _png_declaring(100_000, 100_000), "decompression bomb"),
    "bomb-just-over.png": (lambda: _png_declaring(12_000, 11_000), "over the limit of 120,000,000"),
    "corrupt.mp4": (lambda: video([photo(3, (64, 48))] * 5)[:40] + bytes(range(256)) * 40, "not a readable MP4"),
    "cut.mp4": (lambda: video([photo(4, (64, 48))] * 30)[:-1500], "not a readable MP4"),
    "junk.webm": (lambda: b"\x1a\x45\xdf\xa3" + b"\x00\x01" * 500, "not a readable Matroska video (corrupt"),
    "silence.mp3": (lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 3000, "not a readable MP3 audio"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_broken_media_is_refused_in_one_line_and_nothing_is_stored(ws: Workspace, tmp_path: Path, name: str) -> None:
    make, expected = BAD[name]
    bad = tmp_path / name
    bad.write_bytes(make())
    good = tmp_path / "zz-good.jpg"
    good.write_bytes(jpeg(photo(9)))
    failed, ok = ingest_files(ws, [bad, good])
    assert failed.status == "failed" and expected in (failed.error or ""), failed.error
    assert "\n" not in (failed.error or "") and "Traceback" not in (failed.error or "")
    assert ok.status == "new", ok.error  # the batch went on
    _nothing_stored(ws, except_names=("zz-good.jpg",))
    assert list(ws.blobs.iter_shas()) == [sha256_bytes(good.read_bytes())]
    assert count_media(ws.db) == 1


def test_broken_media_uploaded_in_memory_is_refused_too(ws: Workspace) -> None:
    result = pipeline.ingest_bytes(_png_declaring(100_000, 100_000), name="x.png", db=ws.db,
                                   blobs=ws.blobs, extractor=None,
                                   max_file_size=ws.settings.max_file_size)
    assert result.status == "failed" and "decompression bomb" in (result.error or "")
    assert list(ws.blobs.iter_shas()) == []


def test_the_pixel_limit_is_ours_and_explicit() -> None:
    assert MAX_IMAGE_PIXELS == 120_000_000


def test_an_oversize_media_file_is_refused_before_it_is_read(settings: Settings, db: Database,
                                                             tmp_path: Path) -> None:
    ws = Workspace.open(dataclasses.replace(settings, max_file_size=20_000), db=db)
    big, small = tmp_path / "big.jpg", tmp_path / "small.jpg"
    big.write_bytes(jpeg(photo(5), quality=95) + b"\x00" * 20_000)
    small.write_bytes(jpeg(photo(6, (64, 48))))
    failed, ok = ingest_files(ws, [big, small])
    assert failed.status == "failed" and "over the size limit" in (failed.error or "")
    assert ok.status == "new", ok.error
    _nothing_stored(ws, except_names=("small.jpg",))


def test_a_file_that_grows_past_the_limit_while_copied_is_refused_and_not_kept(tmp_path: Path) -> None:
    source = tmp_path / "v.mp4"
    source.write_bytes(b"\x00" * 5000)
    store = BlobStore(tmp_path / "data")
    with pytest.raises(IngestError, match="size limit"):
        store.put_file(source, max_size=4096)
    assert list(store.iter_shas()) == [] and not list((tmp_path / "data").rglob(".tmp-*"))


def test_a_check_that_refuses_the_copy_leaves_nothing(tmp_path: Path) -> None:
    source = tmp_path / "v.bin"
    source.write_bytes(b"abc" * 1000)
    store = BlobStore(tmp_path / "data")
    seen: list[str] = []

    def refuse(copy: Path, sha: str) -> None:
        assert copy.read_bytes() == source.read_bytes()
        seen.append(sha)
        raise IngestError("no")

    with pytest.raises(IngestError):
        store.put_file(source, check=refuse)
    assert seen == [sha256_bytes(source.read_bytes())] and list(store.iter_shas()) == []


def test_media_named_on_the_command_line_is_never_read_whole_into_memory(
        ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def whole(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a media file was read into memory")

    monkeypatch.setattr(read_stage, "read_all", whole)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(video([photo(7, (64, 48))] * 10))
    (result,) = ingest_files(ws, [clip])
    assert result.status == "new", result.error
    assert ws.blobs.verify(sha256_bytes(clip.read_bytes()))


def test_hostile_exif_strings_are_kept_safe(ws: Workspace, tmp_path: Path) -> None:
    hostile = exif(make="Evil\x1b[2J\x00Corp\x7f", model="M" * 60_000, software="\r\nX-Injected: 1")
    data = jpeg(photo(8), exif_data=hostile)
    path = tmp_path / "hostile.jpg"
    path.write_bytes(data)
    (result,) = ingest_files(ws, [path])
    assert result.status == "new", result.error
    info = get_media(ws.db, sha256_bytes(data))
    assert info is not None
    tags = info.metadata["exif"]
    assert tags["Make"] == "Evil\ufffd[2J\ufffdCorp\ufffd"
    assert len(tags["Model"]) < MAX_VALUE_CHARS + 40 and tags["Model"].endswith("(60000 characters)")
    assert tags["Software"] == "\ufffd\nX-Injected: 1"  # CR scrubbed, line breaks (descriptions) kept


def test_bidi_overrides_and_binary_values_are_neutralised() -> None:
    assert safe_text("photo\u202egpj.exe") == "photo\ufffdgpj.exe"
    assert tag_text(b"\x00\x01\x02" * 100).endswith("(300 bytes)")
    assert tag_text(b"ASCII\x00\x00\x00") == "ASCII"
