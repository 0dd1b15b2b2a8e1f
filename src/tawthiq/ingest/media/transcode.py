"""Browser-playable working copies of video and audio originals (transcoded with PyAV/FFmpeg).

Phones and messengers send HEVC in MOV, AMR voice notes, 3GP, AVI, WMA: a
reviewer's browser plays none of them, and the original is never given to
the browser anyway (it is attacker-supplied and served as a download only).
The copy made here is what the source page plays, veiled: H.264 + AAC in
MP4 (``+faststart``, so it streams and seeks) when this FFmpeg build has an
H.264 encoder, else VP9/VP8 + Opus in WebM; audio becomes AAC in M4A (or
Opus in Ogg), 48 kHz. Video is scaled down to fit 1280 × 720 (never up),
square pixels, even dimensions, with the display rotation applied, so the
copy plays upright without relying on a player honouring a rotation flag.
No metadata of the original (GPS, device) is copied into it.

Every setting that shapes the copy is recorded in its params, with the
PyAV and FFmpeg library versions, so anyone can make it again.

Limits, because the original is hostile: an original longer than
:data:`MAX_SECONDS` or bigger than :data:`MAX_BYTES` is not transcoded at
ingest (nothing is made; a reviewer downloads the original); the frame
size is checked before decoding like the probe's; the encode is time-boxed
(:func:`time_limit`) and a stream that keeps failing to decode stops it,
with one line. The source itself is already stored when this runs.
"""
from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from ...domain import Source, SourceKind
from ...domain.enums import DerivativeKind
from ...store.vault.derived import DerivedFile
from ..errors import IngestError, one_line
from .lazy_av import av  # loaded on first use (lazy_av.py)
from .probe_av import MAX_FRAME_PIXELS, open_container
from .sniff import HEAD_BYTES, MediaFormat, sniff_media

TOOL = "PyAV/FFmpeg"
MAX_SECONDS = 20 * 60  # longer originals are not transcoded at ingest: minutes of CPU inside an upload
MAX_BYTES = 2 * 1024 ** 3  # an original this big is not transcoded at ingest whatever the configured limit
MAX_WIDTH, MAX_HEIGHT = 1280, 720  # a working copy to look at, not a replacement for the original
TIME_BASE = Fraction(1, 90_000)  # the copy's video clock: exact for the usual 1/600, 1/1000, 1/fps clocks
GOP_SECONDS = 2  # a keyframe every two seconds, so the player can seek
ENCODER_THREADS = 2  # fixed: x264's output depends on the thread count; this keeps the copy reproducible
AUDIO_RATE = 48_000
AUDIO_BIT_RATES = {1: 64_000, 2: 128_000}  # by output channels (mono voice notes, stereo)
TIME_LIMIT_BASE = 120.0  # seconds of wall clock an encode may take, plus ...
TIME_LIMIT_FACTOR = 3.0  # ... this many seconds per second of media
MAX_BAD_PACKETS = 200  # packets that fail to decode before the stream is called corrupt
MAX_PACKETS_FOR_FIRST_FRAME = 2000  # how far to read looking for the frame that sets size and rotation
MAX_RATE = 240.0  # a declared frame rate above this is not believed


@dataclass(frozen=True, slots=True)
class Profile:
    """A container and the encoders put in it, as chosen for this FFmpeg build."""

    container: str  # FFmpeg muxer
    media_type: str
    suffix: str
    audio_codec: str
    audio_format: str  # the sample format the audio encoder takes
    audio_frame_size: int
    video_codec: str | None = None
    video_options: dict[str, str] = field(default_factory=dict)
    video_bit_rate: int = 0
    muxer_options: dict[str, str] = field(default_factory=dict)


_FASTSTART = {"movflags": "+faststart"}  # the index first: the browser can play and seek before it has it all
_X264 = {"preset": "veryfast", "crf": "23", "profile": "high"}
_VP9 = {"crf": "33", "deadline": "realtime", "cpu-used": "8", "row-mt": "1"}
_VP8 = {"crf": "10", "deadline": "realtime", "cpu-used": "8"}


def _encoder(name: str) -> bool:
    if name not in av.codecs_available:
        return False
    try:
        av.Codec(name, "w")
    except Exception:  # noqa: BLE001 - a decoder only, or not built in
        return False
    return True


def _opus() -> str:
    return "libopus" if _encoder("libopus") else "opus"


@cache
def video_profile() -> Profile | None:
    """MP4 with H.264 + AAC when this build can encode H.264, else WebM with VP9 (or VP8) + Opus."""
    if _encoder("libx264"):
        return Profile(container="mp4", media_type="video/mp4", suffix=".mp4", video_codec="libx264",
                       video_options=dict(_X264), audio_codec="aac", audio_format="fltp", audio_frame_size=1024,
                       muxer_options=dict(_FASTSTART))
    if _encoder("libopenh264"):  # no CRF: a fixed bit rate
        return Profile(container="mp4", media_type="video/mp4", suffix=".mp4", video_codec="libopenh264",
                       video_bit_rate=2_000_000, audio_codec="aac", audio_format="fltp", audio_frame_size=1024,
                       muxer_options=dict(_FASTSTART))
    for codec, options, bit_rate in (("libvpx-vp9", _VP9, 0), ("libvpx", _VP8, 2_000_000)):
        if _encoder(codec):
            return Profile(container="webm", media_type="video/webm", suffix=".webm", video_codec=codec,
                           video_options=dict(options), video_bit_rate=bit_rate, audio_codec=_opus(),
                           audio_format="flt", audio_frame_size=960)
    return None


@cache
def audio_profile() -> Profile | None:
    """AAC in M4A (every browser plays it), else Opus in Ogg."""
    if _encoder("aac"):
        return Profile(container="mp4", media_type="audio/mp4", suffix=".m4a", audio_codec="aac",
                       audio_format="fltp", audio_frame_size=1024, muxer_options=dict(_FASTSTART))
    if _encoder(_opus()):
        return Profile(container="ogg", media_type="audio/ogg", suffix=".ogg", audio_codec=_opus(),
                       audio_format="flt", audio_frame_size=960)
    return None


def versions() -> str:
    libs = av.library_versions
    named = ", ".join(f"{name} {'.'.join(map(str, libs[name]))}" for name in
                      ("libavcodec", "libavformat", "libavfilter", "libswscale", "libswresample") if name in libs)
    return f"PyAV {av.__version__}; FFmpeg {av.ffmpeg_version_info} ({named})"


def time_limit(duration: float | None) -> float:
    """Seconds of wall clock the encode of ``duration`` seconds of media may take."""
    return TIME_LIMIT_BASE + TIME_LIMIT_FACTOR * float(duration if duration is not None else MAX_SECONDS)


@dataclass(slots=True)
class Transcoded:
    media_type: str
    params: dict[str, Any]


@dataclass(slots=True)
class _Plan:
    """What the first look at the original decided."""

    video_index: int | None
    audio_index: int | None
    duration: float | None
    rotation: int = 0
    in_size: tuple[int, int] = (0, 0)
    in_format: str = "yuv420p"
    out_size: tuple[int, int] = (0, 0)
    rate: Fraction = Fraction(30)


def _is_picture(stream: Any) -> bool:
    """A video stream that is a picture: cover art in an MP3 or M4A, not a video."""
    disposition = int(getattr(stream, "disposition", 0) or 0)
    return bool(disposition & int(av.stream.Disposition.attached_pic))


def _pixels(stream: Any) -> int:
    context = stream.codec_context
    return max(0, int(context.width or 0)) * max(0, int(context.height or 0))


def _even(value: float) -> int:
    """Down to even (4:2:0 halves both sides), so rounding never enlarges; 1e-6 absorbs float error."""
    return max(2, int(value / 2 + 1e-6) * 2)


def out_size(width: int, height: int, *, sar: Fraction | None = None, rotation: int = 0) -> tuple[int, int]:
    """The copy's frame: square pixels, upright, inside MAX_WIDTH × MAX_HEIGHT, never enlarged, even."""
    shown_w = float(width * sar) if sar else float(width)
    shown_h = float(height)
    if rotation % 180:
        shown_w, shown_h = shown_h, shown_w
    scale = min(1.0, MAX_WIDTH / shown_w, MAX_HEIGHT / shown_h)
    return _even(shown_w * scale), _even(shown_h * scale)


def _rotation_filters(rotation: int) -> list[tuple[str, str]]:
    """FFmpeg filters turning a frame shown with ``rotation`` degrees counter-clockwise upright."""
    turn = rotation % 360
    if turn == 90:
        return [("transpose", "cclock")]
    if turn == 270:
        return [("transpose", "clock")]
    if turn == 180:
        return [("hflip", ""), ("vflip", "")]
    return []


def _plan(original: Path, fmt: MediaFormat) -> _Plan:
    with open_container(original, fmt) as container:
        video = next((s for s in container.streams.video if _pixels(s) > 0 and not _is_picture(s)), None)
        audio = next(iter(container.streams.audio), None)
        duration = round(container.duration / av.time_base, 3) if container.duration else None
        if duration is None:
            for stream in container.streams:
                if stream.duration and stream.time_base:
                    duration = round(float(stream.duration * stream.time_base), 3)
                    break
        plan = _Plan(video_index=video.index if video is not None else None,
                     audio_index=audio.index if audio is not None else None, duration=duration)
        if video is None:
            return plan
        if _pixels(video) > MAX_FRAME_PIXELS:
            raise IngestError(f"refused: the video declares {_pixels(video):,} pixels per frame, "
                              f"over the limit of {MAX_FRAME_PIXELS:,}")
        first = _first_frame(container, video)
        rate = video.average_rate or video.guessed_rate
        plan.rate = Fraction(rate) if rate and 0 < float(rate) <= MAX_RATE else Fraction(30)
        plan.rotation = int(getattr(first, "rotation", 0) or 0) % 360
        plan.in_size, plan.in_format = (first.width, first.height), first.format.name
        sar = video.sample_aspect_ratio
        plan.out_size = out_size(first.width, first.height, rotation=plan.rotation,
                                 sar=Fraction(sar) if sar and 0.1 < float(sar) < 10 else None)
        return plan


def _first_frame(container: Any, stream: Any) -> Any:
    bad = 0
    for count, packet in enumerate(container.demux(stream)):
        if count >= MAX_PACKETS_FOR_FIRST_FRAME:
            break
        try:
            for frame in packet.decode():
                return frame
        except av.error.InvalidDataError:
            bad += 1
            if bad > MAX_BAD_PACKETS:
                break
    raise IngestError("no video frame could be decoded")


class _Clock:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise IngestError(f"transcoding stopped after {self.seconds:.0f} s (the limit for this length); "
                              "the original is stored, download it to play it")


class _TooLong(Exception):
    """The media turned out longer than MAX_SECONDS (its container did not say): no copy at ingest."""


def transcode(original: Path, fmt: MediaFormat, target: Path, *, seconds: float | None = None) -> Transcoded | None:
    """Write the playable copy of ``original`` to ``target``; None when it is not transcoded at ingest.

    IngestError (one line) when the original cannot be decoded or the
    encode runs out of time; ``target`` may then hold a partial file, which
    the caller throws away.
    """
    if original.stat().st_size > MAX_BYTES:
        return None
    plan = _plan(original, fmt)
    if plan.duration is not None and plan.duration > MAX_SECONDS:
        return None
    if plan.video_index is None and plan.audio_index is None:
        raise IngestError("no audio or video stream to transcode")
    profile = video_profile() if plan.video_index is not None else audio_profile()
    if profile is None:
        raise IngestError("this FFmpeg build has no encoder for a browser-playable copy")
    clock = _Clock(seconds if seconds is not None else time_limit(plan.duration))
    try:
        with open_container(original, fmt) as container:
            return _run(container, plan, profile, target, clock)
    except _TooLong:
        return None
    except IngestError:
        raise
    except Exception as error:  # noqa: BLE001 - FFmpeg's errors are the file's fault, in one line
        raise IngestError(f"could not transcode: {type(error).__name__}: {one_line(str(error), limit=120)}") from None


class _VideoOut:
    def __init__(self, out: Any, plan: _Plan, profile: Profile, origin: float, in_tb: Fraction) -> None:
        assert profile.video_codec is not None
        self.plan, self.origin, self.in_tb = plan, origin, in_tb
        width, height = plan.out_size
        self.stream = out.add_stream(profile.video_codec, rate=plan.rate, options=dict(profile.video_options))
        context = self.stream.codec_context
        context.width, context.height, context.pix_fmt = width, height, "yuv420p"
        context.time_base = TIME_BASE
        self.stream.time_base = TIME_BASE
        self.gop = max(1, min(600, round(float(plan.rate) * GOP_SECONDS)))
        context.gop_size = self.gop
        context.thread_count = ENCODER_THREADS
        if profile.video_bit_rate:
            context.bit_rate = profile.video_bit_rate
        self.graph = av.filter.Graph()
        chain = [self.graph.add_buffer(width=plan.in_size[0], height=plan.in_size[1],
                                       format=av.VideoFormat(plan.in_format), time_base=in_tb)]
        chain += [self.graph.add(name, args) for name, args in _rotation_filters(plan.rotation)]
        chain += [self.graph.add("scale", f"{width}:{height}:flags=bicubic"), self.graph.add("setsar", "1"),
                  self.graph.add("format", "yuv420p"), self.graph.add("buffersink")]
        self.graph.link_nodes(*chain).configure()
        self.last_pts: int | None = None
        self.frames = self.dropped = 0
        self.step = max(1, round(1 / (float(plan.rate) * TIME_BASE)))

    def push(self, frame: Any | None, out: Any) -> None:
        if frame is not None:
            width, height = self.plan.in_size
            if (frame.width, frame.height, frame.format.name) != (width, height, self.plan.in_format):
                frame = frame.reformat(width=width, height=height, format=self.plan.in_format)
        self.graph.vpush(frame)
        while True:
            try:
                filtered = self.graph.vpull()
            except (av.error.BlockingIOError, av.error.EOFError):
                break
            self._encode(filtered, out)
        if frame is None:
            for packet in self.stream.encode(None):
                out.mux(packet)

    def _encode(self, frame: Any, out: Any) -> None:
        if frame.pts is None:
            pts = 0 if self.last_pts is None else self.last_pts + self.step
        else:
            pts = round((float(frame.pts * self.in_tb) - self.origin) / TIME_BASE)
        if pts < 0 or (self.last_pts is not None and pts <= self.last_pts):
            self.dropped += 1  # a timestamp going backwards: the copy keeps the order it can play
            return
        if pts / TIME_BASE.denominator > MAX_SECONDS:
            raise _TooLong()
        frame.pts, frame.time_base = pts, TIME_BASE
        self.last_pts = pts
        self.frames += 1
        for packet in self.stream.encode(frame):
            out.mux(packet)

    def params(self, profile: Profile) -> dict[str, Any]:
        width, height = self.plan.out_size
        return {"encoder": profile.video_codec, "options": dict(profile.video_options),
                "bit_rate": profile.video_bit_rate or None, "width": width, "height": height,
                "max_width": MAX_WIDTH, "max_height": MAX_HEIGHT, "scale": "bicubic", "pixel_aspect": "1:1",
                "pix_fmt": "yuv420p", "rotation_applied": self.plan.rotation, "gop": self.gop,
                "frame_rate": str(self.plan.rate), "time_base": str(TIME_BASE), "threads": ENCODER_THREADS,
                "frames": self.frames, "dropped_frames": self.dropped,
                "source_size": list(self.plan.in_size)}


class _AudioOut:
    def __init__(self, out: Any, profile: Profile, in_stream: Any, origin: float) -> None:
        channels = 1 if int(getattr(in_stream.codec_context, "channels", 0) or 1) == 1 else 2
        self.layout = "mono" if channels == 1 else "stereo"
        self.bit_rate = AUDIO_BIT_RATES[channels]
        self.stream = out.add_stream(profile.audio_codec, rate=AUDIO_RATE, layout=self.layout)
        self.stream.bit_rate = self.bit_rate
        self.stream.codec_context.time_base = Fraction(1, AUDIO_RATE)
        self.resampler = av.AudioResampler(format=profile.audio_format, layout=self.layout, rate=AUDIO_RATE,
                                           frame_size=profile.audio_frame_size)
        self.origin, self.samples, self.frames, self.started = origin, 0, 0, False
        self.codec = profile.audio_codec
        self.frame_size = profile.audio_frame_size

    def push(self, frame: Any | None, out: Any) -> None:
        if frame is not None and not self.started:  # where the sound starts, against the video's clock
            self.started = True
            if frame.pts is not None and frame.time_base:
                self.samples = max(0, round((float(frame.pts * frame.time_base) - self.origin) * AUDIO_RATE))
        for resampled in self.resampler.resample(frame):
            resampled.pts, resampled.time_base = self.samples, Fraction(1, AUDIO_RATE)
            self.samples += resampled.samples
            if self.samples > MAX_SECONDS * AUDIO_RATE:
                raise _TooLong()
            self.frames += 1
            for packet in self.stream.encode(resampled):
                out.mux(packet)
        if frame is None:
            for packet in self.stream.encode(None):
                out.mux(packet)

    def params(self) -> dict[str, Any]:
        return {"encoder": self.codec, "bit_rate": self.bit_rate, "sample_rate": AUDIO_RATE,
                "channels": self.layout, "frame_size": self.frame_size, "frames": self.frames}


def _run(container: Any, plan: _Plan, profile: Profile, target: Path, clock: _Clock) -> Transcoded:
    streams = [container.streams[i] for i in (plan.video_index, plan.audio_index) if i is not None]
    for stream in streams:
        stream.codec_context.thread_type = "AUTO"  # decoding is exact whatever the threads
    starts = [float(s.start_time * s.time_base) for s in streams if s.start_time is not None and s.time_base]
    origin = min(starts) if starts else 0.0
    bad = 0
    with av.open(str(target), "w", format=profile.container, options=dict(profile.muxer_options)) as out:
        video = audio = None
        if plan.video_index is not None:
            in_video = container.streams[plan.video_index]
            video = _VideoOut(out, plan, profile, origin, Fraction(in_video.time_base or TIME_BASE))
        if plan.audio_index is not None:
            audio = _AudioOut(out, profile, container.streams[plan.audio_index], origin)
        for packet in container.demux(streams):
            clock.check()
            try:
                frames = packet.decode()
            except av.error.InvalidDataError:
                bad += 1
                if bad > MAX_BAD_PACKETS:
                    raise IngestError(f"not transcoded: over {MAX_BAD_PACKETS} packets of the stream are corrupt "
                                      "(the original is stored)") from None
                continue
            sink = video if packet.stream_index == plan.video_index else audio
            for frame in frames:
                if sink is not None:
                    sink.push(frame, out)
        for sink in (video, audio):
            if sink is not None:
                sink.push(None, out)
        if video is not None and video.frames == 0:
            raise IngestError("not transcoded: no video frame could be decoded (the original is stored)")
        if video is None and audio is not None and audio.frames == 0:
            raise IngestError("not transcoded: no audio could be decoded (the original is stored)")
    params: dict[str, Any] = {"container": profile.container, "muxer_options": dict(profile.muxer_options),
                              "metadata": "none", "skipped_packets": bad,
                              "source_streams": {"video": plan.video_index, "audio": plan.audio_index},
                              "limits": {"max_seconds": MAX_SECONDS, "max_bytes": MAX_BYTES}}
    if video is not None:
        params["video"] = video.params(profile)
    if audio is not None:
        params["audio"] = audio.params()
    media_type = profile.media_type
    return Transcoded(media_type=media_type, params=params)


def _format_of(original: Path) -> MediaFormat:
    with open(original, "rb") as handle:
        fmt = sniff_media(handle.read(HEAD_BYTES))
    if fmt is None or fmt.is_image:
        raise IngestError("the stored original is not a known audio or video format")
    return fmt


class TranscodeDeriver:
    """A browser-playable copy of a video or audio original, for the source page's (veiled) player.

    Makes nothing (an empty result) for an original longer than
    :data:`MAX_SECONDS` or bigger than :data:`MAX_BYTES`: transcoding it
    would hold an ingest for many minutes, and the original can still be
    downloaded and played in a desktop player. The copy is encoded to a
    temporary file that is removed once it has been stored (this deriver
    is a generator: the derive stage asks for the next copy after storing one).
    """

    name = "transcode"

    def applies(self, source: Source) -> bool:
        return SourceKind(source.kind) in (SourceKind.VIDEO, SourceKind.AUDIO)

    def derive(self, original: Path, source: Source) -> Iterator[DerivedFile]:
        fmt = _format_of(original)
        with tempfile.TemporaryDirectory(prefix="tawthiq-transcode-") as scratch:
            target = Path(scratch) / "copy"
            made = transcode(original, fmt, target)
            if made is None:
                return
            yield DerivedFile(kind=DerivativeKind.TRANSCODED, media_type=made.media_type, tool=TOOL,
                              tool_version=versions(), params=made.params, path=target)


__all__ = ["MAX_BYTES", "MAX_HEIGHT", "MAX_SECONDS", "TOOL", "TranscodeDeriver", "Transcoded", "audio_profile",
           "out_size", "time_limit", "transcode", "versions", "video_profile"]
