"""Transcoded working copies: a video or audio original a browser cannot play gets a copy it can, linked to
its original with the tool, versions and every setting; a corrupt or endless stream is refused in one line."""
from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from _media import audio, photo, video

from tawthiq.domain import DerivativeKind
from tawthiq.domain.originals import Derivative
from tawthiq.ingest.errors import IngestError
from tawthiq.ingest.media import transcode as tc
from tawthiq.ingest.media.sniff import sniff_media
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.vault.blobs import sha256_bytes
from tawthiq.store.vault.derived import derived_store

PLAYABLE = {"video/mp4": ("mov,mp4,m4a,3gp,3g2,mj2", {"h264"}, {"aac"}),
            "video/webm": ("matroska,webm", {"vp9", "vp8"}, {"opus"}),
            "audio/mp4": ("mov,mp4,m4a,3gp,3g2,mj2", set(), {"aac"}),
            "audio/ogg": ("ogg", set(), {"opus"})}


def _clip(size: tuple[int, int], *, frames: int = 10, fps: int = 10, container: str = "mov", codec: str = "mpeg4",
          rotation: int = 0, with_audio: bool = True) -> bytes:
    """A short video as a phone writes it: a display rotation, and AAC sound at 44.1 kHz."""
    out = io.BytesIO()
    with av.open(out, "w", format=container) as muxer:
        stream = muxer.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        if rotation:
            stream.set_display_rotation(rotation)
        sound = muxer.add_stream("aac", rate=44100, layout="stereo") if with_audio else None
        for index in range(frames):
            frame = av.VideoFrame.from_image(photo(index, size))
            frame.pts = index
            for packet in stream.encode(frame):
                muxer.mux(packet)
        for packet in stream.encode():
            muxer.mux(packet)
        if sound is not None:
            samples = (np.sin(np.linspace(0, 2000, 44100 * frames // fps)) * 0.3).astype(np.float32)
            chunk = av.AudioFrame.from_ndarray(np.stack([samples, samples]), format="fltp", layout="stereo")
            chunk.sample_rate, chunk.pts = 44100, 0
            for packet in [*sound.encode(chunk), *sound.encode()]:
                muxer.mux(packet)
    return out.getvalue()


def _ingest_one(ws: Workspace, folder: Path, name: str, data: bytes) -> tuple[int, str, list[Derivative]]:
    path = folder / name
    path.write_bytes(data)
    (result,) = ingest_files(ws, [path], actor="cli:tester")
    assert result.status == "new", result.error
    sha = sha256_bytes(data)
    return result.source_ids[0], sha, [d for d in derivatives_of(ws.db, sha) if d.kind == DerivativeKind.TRANSCODED]


def _opened(ws: Workspace, copy: Derivative) -> tuple[str, list[tuple[str, str, int, int]], int]:
    """The copy's container, its streams (type, codec, width, height) and how many frames of its first stream decode."""
    data = derived_store(ws.blobs).get(copy.sha256)
    with av.open(io.BytesIO(data)) as container:
        streams = [(s.type, s.codec_context.name, int(getattr(s.codec_context, "width", 0) or 0),
                    int(getattr(s.codec_context, "height", 0) or 0)) for s in container.streams]
        decoded = sum(1 for _ in container.decode(container.streams[0]))
        return container.format.name, streams, decoded


def test_an_avi_in_mpeg4_part2_gets_a_playable_copy_linked_to_its_original(ws: Workspace, tmp_path: Path) -> None:
    data = video([photo(i, (320, 240)) for i in range(20)], fps=10, codec="mpeg4", container="avi")
    source_id, sha, copies = _ingest_one(ws, tmp_path, "clip.avi", data)
    (copy,) = copies
    demuxer, video_codecs, _ = PLAYABLE[copy.media_type]
    assert copy.media_type.startswith("video/")
    name, streams, decoded = _opened(ws, copy)
    assert name == demuxer and decoded == 20
    ((kind, codec, width, height),) = streams  # the original had no sound: the copy has none
    assert kind == "video" and codec in video_codecs and (width, height) == (320, 240)
    # Tool, versions and every setting, so the copy can be made again and checked.
    assert copy.tool == "PyAV/FFmpeg" and f"PyAV {av.__version__}" in copy.tool_version
    assert "libavcodec" in copy.tool_version and av.ffmpeg_version_info in copy.tool_version
    settings = copy.params["video"]
    assert settings["encoder"] in ("libx264", "libopenh264", "libvpx-vp9", "libvpx")
    assert (settings["width"], settings["height"], settings["max_height"]) == (320, 240, 720)
    assert settings["frames"] == 20 and settings["pix_fmt"] == "yuv420p" and settings["threads"] == 2
    assert copy.params["metadata"] == "none" and copy.params["skipped_packets"] == 0
    if copy.media_type == "video/mp4":
        assert copy.params["muxer_options"] == {"movflags": "+faststart"}
        stored = derived_store(ws.blobs).get(copy.sha256)
        assert stored.index(b"moov") < stored.index(b"mdat"), "the index comes first, so it streams"
    # The copy is in the derived store, never the originals', and the ledger says where it came from.
    assert not ws.blobs.exists(copy.sha256)
    (entry,) = [e for e in custody.entries_for_source(ws.db, source_id)
                if e.event == "derived" and e.item_sha256 == copy.sha256]
    assert entry.details["original_sha256"] == sha and entry.details["kind"] == "transcoded"
    assert entry.details["tool"] == "PyAV/FFmpeg" and entry.details["params"]["video"]["height"] == 240
    # Ingesting the same bytes again makes nothing new.
    path = tmp_path / "again.avi"
    path.write_bytes(data)
    (again,) = ingest_files(ws, [path])
    assert again.status == "duplicate"
    assert len([d for d in derivatives_of(ws.db, sha) if d.kind == DerivativeKind.TRANSCODED]) == 1


def test_a_big_rotated_phone_video_is_turned_upright_and_scaled_to_720(ws: Workspace, tmp_path: Path) -> None:
    data = _clip((1440, 1080), frames=4, rotation=90)  # recorded upright: landscape frames turned by the player
    _, _, (copy,) = _ingest_one(ws, tmp_path, "IMG_0042.MOV", data)
    _, streams, decoded = _opened(ws, copy)
    assert decoded == 4
    video_stream = next(s for s in streams if s[0] == "video")
    assert (video_stream[2], video_stream[3]) == (540, 720)  # upright 1080 × 1440, scaled to 720 high, even
    assert copy.params["video"]["rotation_applied"] == 90 and copy.params["video"]["source_size"] == [1440, 1080]
    audio_stream = next(s for s in streams if s[0] == "audio")
    assert audio_stream[1] in PLAYABLE[copy.media_type][2]
    assert copy.params["audio"]["sample_rate"] == 48000 and copy.params["audio"]["channels"] == "stereo"
    # No display rotation left in the copy: it plays upright anywhere.
    blob = derived_store(ws.blobs).get(copy.sha256)
    with av.open(io.BytesIO(blob)) as container:
        first = next(container.decode(video=0))
        assert int(first.rotation or 0) == 0 and not {"location", "com.apple.quicktime.location.ISO6709"} \
            & set(container.metadata)


@pytest.mark.parametrize(("name", "codec", "container"), [
    ("note.wav", "pcm_s16le", "wav"), ("song.flac", "flac", "flac"), ("voice.amr", "libopencore_amrnb", "amr")])
def test_audio_gets_a_48khz_copy_a_browser_plays(ws: Workspace, tmp_path: Path, name: str, codec: str,
                                                  container: str) -> None:
    if codec not in av.codecs_available:
        pytest.skip(f"this FFmpeg cannot write {codec} to make the test file")
    data = audio(seconds=1.0, rate=8000, codec=codec, container=container)
    _, _, (copy,) = _ingest_one(ws, tmp_path, name, data)
    assert copy.media_type in ("audio/mp4", "audio/ogg")
    demuxer, _, audio_codecs = PLAYABLE[copy.media_type]
    blob = derived_store(ws.blobs).get(copy.sha256)
    with av.open(io.BytesIO(blob)) as opened:
        (stream,) = opened.streams
        assert opened.format.name == demuxer and stream.type == "audio"
        assert stream.codec_context.name in audio_codecs and stream.codec_context.sample_rate == 48000
        samples = sum(frame.samples for frame in opened.decode(stream))
    assert 0.95 * 48000 <= samples <= 1.1 * 48000  # one second of sound, resampled
    assert copy.params["audio"] == {**copy.params["audio"], "sample_rate": 48000, "channels": "mono"}
    assert copy.params["source_streams"] == {"video": None, "audio": 0}


def test_out_size_keeps_aspect_even_dimensions_and_never_enlarges() -> None:
    assert tc.out_size(1920, 1080) == (1280, 720)
    assert tc.out_size(1080, 1920) == (404, 720)  # portrait: 720 high
    assert tc.out_size(1920, 1080, rotation=270) == (404, 720)
    assert tc.out_size(320, 240) == (320, 240)
    assert tc.out_size(175, 99) == (174, 98)  # even, for 4:2:0, never enlarged
    assert tc.out_size(720, 576, sar=Fraction(16, 15)) == (768, 576)  # PAL DV: square pixels in the copy
    assert tc.out_size(10_000, 20) == (1280, 2)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_a_corrupt_stream_is_one_line_and_the_source_stays(ws: Workspace, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = bytearray(video([photo(i, (160, 120)) for i in range(30)], fps=10, codec="mpeg4", container="avi"))
    fmt = sniff_media(bytes(data[:64]))
    assert fmt is not None
    # Every frame's payload overwritten: the container is intact, the pictures are garbage.
    start = data.index(b"movi") + 4
    for offset in range(start + 16, len(data) - 64, 7):
        data[offset] = 0xFF
    with pytest.raises(IngestError) as refused:
        tc.transcode(_write(tmp_path, "bad.avi", bytes(data)), fmt, tmp_path / "out")
    assert "\n" not in str(refused.value) and str(refused.value)
    # Through ingest: a stream that fails to transcode (here: out of time) is a problem, never a lost source.
    monkeypatch.setattr(tc, "TIME_LIMIT_BASE", 0.0)
    monkeypatch.setattr(tc, "TIME_LIMIT_FACTOR", 0.0)
    good = video([photo(i, (160, 120)) for i in range(10)], fps=10, codec="mpeg4", container="avi")
    (result,) = ingest_files(ws, [_write(tmp_path, "slow.avi", good)])
    assert result.source_ids and ws.blobs.exists(sha256_bytes(good))
    problem = result.error or ""
    assert "transcode: transcoding stopped after 0 s" in problem and "\n" not in problem
    kinds = {d.kind for d in derivatives_of(ws.db, sha256_bytes(good))}
    assert DerivativeKind.THUMBNAIL in kinds and DerivativeKind.TRANSCODED not in kinds


def test_a_long_original_is_not_transcoded_at_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = video([photo(i, (160, 120)) for i in range(20)], fps=10, codec="mpeg4", container="avi")
    path = _write(tmp_path, "long.avi", data)
    fmt = sniff_media(data[:64])
    assert fmt is not None
    monkeypatch.setattr(tc, "MAX_SECONDS", 1)  # the clip is 2 s long
    assert tc.transcode(path, fmt, tmp_path / "out") is None
    assert list(tc.TranscodeDeriver().derive(path, None)) == []  # type: ignore[arg-type]
    monkeypatch.setattr(tc, "MAX_SECONDS", 60)
    monkeypatch.setattr(tc, "MAX_BYTES", len(data) - 1)
    assert tc.transcode(path, fmt, tmp_path / "out") is None
    monkeypatch.setattr(tc, "MAX_BYTES", len(data))
    made = tc.transcode(path, fmt, tmp_path / "out")
    assert made is not None and made.params["video"]["frames"] == 20


def test_the_temporary_copy_is_removed_once_stored(tmp_path: Path) -> None:
    data = video([photo(i, (160, 120)) for i in range(5)], fps=10, codec="mpeg4", container="avi")
    path = _write(tmp_path, "a.avi", data)
    made = tc.TranscodeDeriver().derive(path, None)  # type: ignore[arg-type]
    first = next(iter(made))
    assert first.path is not None and first.path.is_file() and first.data is None
    assert list(made) == []  # asked for the next copy: the stage has stored this one
    assert not first.path.exists()


def test_webm_when_this_ffmpeg_has_no_h264_encoder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "libvpx-vp9" not in av.codecs_available and "libvpx" not in av.codecs_available:
        pytest.skip("no VP9/VP8 encoder in this FFmpeg")
    real = tc._encoder
    monkeypatch.setattr(tc, "_encoder", lambda name: name not in ("libx264", "libopenh264") and real(name))
    tc.video_profile.cache_clear()
    try:
        data = _clip((320, 240), frames=5)
        fmt = sniff_media(data[:64])
        assert fmt is not None
        made = tc.transcode(_write(tmp_path, "a.mov", data), fmt, tmp_path / "out")
        assert made is not None and made.media_type == "video/webm"
        with av.open(str(tmp_path / "out")) as opened:
            assert opened.format.name == "matroska,webm"
            assert {s.codec_context.name for s in opened.streams} in ({"vp9", "opus"}, {"vp8", "opus"})
            assert sum(1 for _ in opened.decode(video=0)) == 5
    finally:
        tc.video_profile.cache_clear()


def test_the_same_original_gives_the_same_copy(tmp_path: Path) -> None:
    """Settings fixed (threads included), no time stamps written: the copy can be made again byte for byte."""
    data = _clip((320, 240), frames=10)
    path = _write(tmp_path, "a.mov", data)
    fmt = sniff_media(data[:64])
    assert fmt is not None
    first, second = tc.transcode(path, fmt, tmp_path / "one"), tc.transcode(path, fmt, tmp_path / "two")
    assert first is not None and second is not None and first.params == second.params
    assert (tmp_path / "one").read_bytes() == (tmp_path / "two").read_bytes()
