"""Recognising media by signature, and the facts read from it (no database)."""
from __future__ import annotations

import pytest
from _media import audio, jpeg, photo, png, video

from tawthiq.domain import SourceKind
from tawthiq.ingest.media import probe, sniff_media
from tawthiq.ingest.media.probe_av import parse_iso6709
from tawthiq.ingest.readers import reader_for
from tawthiq.ingest.readers.media import MediaReader


@pytest.mark.parametrize(("head", "media_type"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    (b"GIF89a\x01\x00", "image/gif"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
    (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
    (b"\x00\x00\x00\x18ftypisom\x00\x00", "video/mp4"),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00", "video/quicktime"),
    (b"\x00\x00\x00\x18ftyp3gp5\x00\x00", "video/3gpp"),
    (b"\x00\x00\x00\x18ftypM4A \x00\x00", "audio/mp4"),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm", "video/webm"),
    (b"RIFF\x00\x00\x00\x00AVI LIST", "video/x-msvideo"),
    (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x21", "audio/mpeg"),
    (b"\xff\xfb\x90\x64\x00", "audio/mpeg"),
    (b"\xff\xf1\x50\x80", "audio/aac"),
    (b"OggS\x00\x02\x00\x00", "audio/ogg"),
    (b"fLaC\x00\x00\x00\x22", "audio/flac"),
    (b"#!AMR\n\x3c", "audio/amr"),
])
def test_signatures(head: bytes, media_type: str) -> None:
    found = sniff_media(head)
    assert found is not None and found.media_type == media_type


@pytest.mark.parametrize("head", [
    b"\xff\xfeA\x00r\x00",  # UTF-16 text with its byte order mark
    b"ID3,name,place\n",  # a CSV whose first column is called ID3
    b"Aleppo, 12 March",
    b"%PDF-1.7\n",
])
def test_text_and_other_formats_are_not_taken_for_media(head: bytes) -> None:
    assert sniff_media(head) is None


def test_the_signature_wins_over_the_name_for_media() -> None:
    assert isinstance(reader_for("report.txt", jpeg(photo(1))[:2048]), MediaReader)
    assert isinstance(reader_for("photo.jpg", b"not a photo"), MediaReader)  # refused by the probe, not read as text


@pytest.mark.parametrize(("text", "expected"), [
    ("+36.2021+037.1343/", (36.2021, 37.1343)),
    ("+33.5138+036.2765+690.000/", (33.5138, 36.2765)),
    ("-33.8688+151.2093/", (-33.8688, 151.2093)),
    ("+3612.126+03708.058/", (36.2021, 37.1343)),  # degrees and minutes packed
    ("+361207.56+0370803.48/", (36.2021, 37.1343)),  # degrees, minutes, seconds
    ("+95.0+010.0/", None),
    ("garbage", None),
    ("+3675.0+03708.0/", None),  # 75 minutes
])
def test_iso6709_locations(text: str, expected: tuple[float, float] | None) -> None:
    got = parse_iso6709(text)
    if expected is None:
        assert got is None
    else:
        assert got is not None and got == pytest.approx(expected, abs=1e-4)


def test_an_mp4_with_only_sound_is_audio() -> None:
    data = audio(codec="aac", container="mp4", rate=16000)
    fmt = sniff_media(data[:64])
    assert fmt is not None and fmt.kind == SourceKind.VIDEO  # the signature cannot tell
    info = probe(data, fmt)
    assert info.kind == "audio" and info.metadata["media_type"] == "audio/mp4" and info.hashes == []


def test_a_png_with_transparency_is_hashed_and_a_webm_video_is_probed() -> None:
    image = photo(2).convert("RGBA")
    image.putalpha(128)
    data = png(image)
    fmt = sniff_media(data[:64])
    assert fmt is not None
    info = probe(data, fmt)
    assert info.kind == "image" and info.metadata["mode"] == "RGBA" and len(info.hashes) == 1
    clip = video([photo(3, (64, 48))] * 6, codec="libvpx", container="webm")
    webm = sniff_media(clip[:64])
    assert webm is not None and webm.media_type == "video/webm"
    facts = probe(clip, webm)
    assert facts.kind == "video" and facts.metadata["streams"][0]["codec"] == "vp8" and facts.hashes


def test_apple_tags_give_location_and_a_creation_time_with_its_offset() -> None:
    clip = video([photo(4, (64, 48))] * 4, container="mov", tags={
        "com.apple.quicktime.location.ISO6709": "+33.5138+036.2765+690.000/",
        "com.apple.quicktime.creationdate": "2016-03-12T12:30:00+0300",
    }, options={"movflags": "use_metadata_tags"})  # as an iPhone writes them: mdta keys
    fmt = sniff_media(clip[:64])
    assert fmt is not None and fmt.media_type == "video/quicktime"
    info = probe(clip, fmt)
    assert (info.latitude, info.longitude) == (33.5138, 36.2765)
    assert info.taken_at is not None and info.taken_at.isoformat() == "2016-03-12T09:30:00+00:00"
    assert info.metadata["capture"]["tag"] == "com.apple.quicktime.creationdate"


def test_user_comments_are_read_as_text_in_their_declared_code() -> None:
    from _media import exif as make_exif
    from PIL import ExifTags

    for written, expected in ((b"ASCII\x00\x00\x00Taken in Douma", "Taken in Douma"),
                              (b"UNICODE\x00" + "دوما".encode("utf-16-be"), "دوما")):
        tags = make_exif()
        tags.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.UserComment] = written
        data = jpeg(photo(5), exif_data=tags)
        fmt = sniff_media(data[:64])
        assert fmt is not None
        assert probe(data, fmt).metadata["exif"]["UserComment"] == expected
