"""Facts read from a video or audio container with PyAV (FFmpeg), and hashes of a few keyframes.

The demuxer is the one the file's signature names (see ``sniff``), never
FFmpeg's guess. A file is accepted only if at least one frame of its first
video (or, failing that, audio) stream decodes: a container header over
garbage is refused, like a truncated image.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image

from ...domain import SourceKind
from ...domain.originals import MediaFrameHash, MediaInfo
from ..errors import IngestError, one_line
from .images import MAX_IMAGE_PIXELS
from .lazy_av import av  # loaded on first use (lazy_av.py)
from .phash import ALGORITHM, phash_hex
from .sniff import MediaFormat
from .tags import safe_text, tag_dict

MAX_KEYFRAMES = 8  # spread over the duration: a re-cut or trimmed copy still shares some
MAX_FRAME_PIXELS = MAX_IMAGE_PIXELS  # the same decode budget as a still image
_MAX_PACKETS_FOR_FIRST_FRAME = 2000  # how far to read looking for one decodable frame
_LOCATION_KEYS = ("com.apple.quicktime.location.ISO6709", "location", "location-eng")
_CREATION_KEYS = ("com.apple.quicktime.creationdate", "creation_time", "date")
# ISO 6709 as phones write it: "+37.3317-122.0302+010.000/" (degrees), or with minutes/seconds packed
# into the integer part ("+4012.345-07412.345/").
_ISO6709 = re.compile(r"^([+-])(\d+(?:\.\d+)?)([+-])(\d+(?:\.\d+)?)(?:[+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?$")


@dataclass(slots=True)
class Still:
    """One decoded keyframe, upright, as an RGB image."""

    image: Image.Image
    frame: int  # 1-based frame number (from the timestamp and frame rate): > 0 marks a video keyframe
    at_seconds: float


@contextmanager
def open_container(source: Path | bytes, fmt: MediaFormat) -> Iterator[Any]:
    """The container opened with the named demuxer; IngestError when it cannot be."""
    target: Any = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        container = av.open(target, mode="r", format=fmt.decoder, metadata_errors="replace")
    except Exception as error:  # noqa: BLE001 - av.error.* and anything FFmpeg throws
        # strerror, not str(error): the latter names the path, which for a streamed file is a temporary copy.
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise IngestError(f"not a readable {fmt.label} (corrupt, truncated or another format: "
                          f"{one_line(str(reason), limit=80)})", kind="ingest.media_unreadable", format=fmt.label) from None
    try:
        yield container
    finally:
        container.close()


def probe_av(source: Path | bytes, fmt: MediaFormat) -> MediaInfo:
    """Container and stream facts, location and creation tags, and phashes of up to eight keyframes."""
    with open_container(source, fmt) as container:
        try:
            return _probe(container, fmt)
        except IngestError:
            raise
        except Exception as error:  # noqa: BLE001 - a decoder error is the file's fault, in one line
            raise IngestError(f"not a readable {fmt.label}: {type(error).__name__}: "
                              f"{one_line(str(error), limit=100)}", kind="ingest.media_unreadable",
                              format=fmt.label) from None


def _probe(container: Any, fmt: MediaFormat) -> MediaInfo:
    video = next((s for s in container.streams.video if _frame_pixels(s) > 0), None)
    audio = next(iter(container.streams.audio), None)
    if video is None and audio is None:
        raise IngestError(f"not a readable {fmt.label}: no audio or video stream in it", kind="ingest.media_unreadable",
                          format=fmt.label)
    if video is not None and _frame_pixels(video) > MAX_FRAME_PIXELS:
        raise IngestError(f"refused: the video declares {video.codec_context.width:,} × "
                          f"{video.codec_context.height:,} pixels per frame, over the limit of {MAX_FRAME_PIXELS:,}",
                          kind="ingest.media_too_many_pixels", format=fmt.label)
    duration = _duration(container)
    tags = tag_dict(sorted((container.metadata or {}).items()))
    metadata: dict[str, Any] = {
        "format": safe_text(container.format.name or ""), "container": tags,
        "streams": [_stream_facts(s) for s in container.streams][:32],
    }
    if container.bit_rate:
        metadata["bit_rate"] = int(container.bit_rate)
    latitude, longitude = _location(tags)
    taken_at, creation = _creation(tags)
    if creation:
        metadata["capture"] = creation
    hashes: list[MediaFrameHash] = []
    if video is not None:
        for still in keyframes(container, video, duration=duration):
            hashes.append(MediaFrameHash(hash=phash_hex(still.image), frame=still.frame,
                                         at_seconds=round(still.at_seconds, 3), algorithm=ALGORITHM))
        if not hashes:
            raise IngestError(f"not a readable {fmt.label}: no video frame could be decoded")
        kind, width, height = "video", video.codec_context.width, video.codec_context.height
    else:
        assert audio is not None
        if not _decodes(container, audio):
            raise IngestError(f"not a readable {fmt.label}: no audio could be decoded")
        kind, width, height = "audio", None, None
    metadata["media_type"] = _media_type(fmt, kind)
    return MediaInfo(sha256="", kind=kind, width=width, height=height, duration_seconds=duration,
                     taken_at=taken_at, latitude=latitude, longitude=longitude, hashes=hashes, metadata=metadata)


def _media_type(fmt: MediaFormat, kind: str) -> str:
    """The signature's type, corrected for audio-only containers (an .m4a-like .mp4, an Ogg video)."""
    if kind == "audio" and fmt.kind == SourceKind.VIDEO:
        return fmt.media_type.replace("video/", "audio/")
    if kind == "video" and fmt.kind == SourceKind.AUDIO:
        return fmt.media_type.replace("audio/", "video/")
    return fmt.media_type


def _frame_pixels(stream: Any) -> int:
    context = stream.codec_context
    return max(0, int(context.width or 0)) * max(0, int(context.height or 0))


def _duration(container: Any) -> float | None:
    if container.duration is not None and container.duration > 0:
        return round(container.duration / av.time_base, 3)
    for stream in container.streams:
        if stream.duration and stream.time_base:
            return round(float(stream.duration * stream.time_base), 3)
    return None


def _stream_facts(stream: Any) -> dict[str, Any]:
    context = stream.codec_context
    facts: dict[str, Any] = {"index": int(stream.index), "type": safe_text(str(stream.type)),
                             "codec": safe_text(str(getattr(context, "name", "") or ""))}
    if stream.type == "video":
        facts.update(width=int(context.width or 0), height=int(context.height or 0))
        rate = stream.average_rate or stream.guessed_rate
        if rate:
            facts["frame_rate"] = round(float(rate), 3)
        if stream.frames:
            facts["frames"] = int(stream.frames)
    elif stream.type == "audio":
        facts.update(sample_rate=int(context.sample_rate or 0), channels=int(getattr(context, "channels", 0) or 0))
    if stream.duration and stream.time_base:
        facts["duration_seconds"] = round(float(stream.duration * stream.time_base), 3)
    if stream.metadata:
        facts["tags"] = tag_dict(sorted(stream.metadata.items()))
    return facts


def _location(tags: dict[str, str]) -> tuple[float | None, float | None]:
    for key in _LOCATION_KEYS:
        if key in tags:
            position = parse_iso6709(tags[key])
            if position is not None:
                return position
    return None, None


def parse_iso6709(text: str) -> tuple[float, float] | None:
    """Latitude and longitude in decimal degrees from an ISO 6709 string, or None if it is not one."""
    match = _ISO6709.match(text.strip())
    if match is None:
        return None
    lat_sign, lat_text, lon_sign, lon_text = match.groups()
    lat, lon = _packed_degrees(lat_text, 2), _packed_degrees(lon_text, 3)
    if lat is None or lon is None:
        return None
    lat, lon = (-lat if lat_sign == "-" else lat), (-lon if lon_sign == "-" else lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 7), round(lon, 7)


def _packed_degrees(text: str, degree_digits: int) -> float | None:
    """``DD.dd``, ``DDMM.mm`` or ``DDMMSS.ss`` (``DDD`` for longitude), told apart by the integer digits."""
    whole, _, fraction = text.partition(".")
    fraction_value = float(f"0.{fraction}") if fraction else 0.0
    digits = len(whole)
    if digits == degree_digits:
        return int(whole) + fraction_value
    if digits == degree_digits + 2:
        minutes = int(whole[degree_digits:]) + fraction_value
        return int(whole[:degree_digits]) + minutes / 60 if minutes < 60 else None
    if digits == degree_digits + 4:
        minutes, seconds = int(whole[degree_digits:degree_digits + 2]), int(whole[degree_digits + 2:]) + fraction_value
        return int(whole[:degree_digits]) + minutes / 60 + seconds / 3600 if minutes < 60 and seconds < 60 else None
    return None


def _creation(tags: dict[str, str]) -> tuple[datetime | None, dict[str, str]]:
    """The recording time: Apple's local time with offset first, then the container's (UTC by the MP4 spec)."""
    for key in _CREATION_KEYS:
        written = tags.get(key, "").strip()
        if not written:
            continue
        try:
            when = datetime.fromisoformat(written.replace("Z", "+00:00"))
        except ValueError:
            continue
        if when.tzinfo is None:
            return None, {"local": when.isoformat(), "tag": key}
        if when.year < 1971:  # a zeroed field (1904 or 1970 epochs), not a recording time
            continue
        return when.astimezone(UTC), {"written": written, "tag": key}
    return None, {}


def _decodes(container: Any, stream: Any) -> bool:
    container.seek(0)
    for count, packet in enumerate(container.demux(stream)):
        if count >= _MAX_PACKETS_FOR_FIRST_FRAME:
            return False
        try:
            if packet.decode():
                return True
        except av.error.InvalidDataError:
            continue
    return False


def keyframes(container: Any, stream: Any, *, duration: float | None, limit: int = MAX_KEYFRAMES) -> list[Still]:
    """Up to ``limit`` distinct keyframes spread over the duration (seeking), else the first ones in order."""
    stream.codec_context.skip_frame = "NONKEY"  # only keyframes are decoded: cheap, and what seeking lands on
    rate = float(stream.average_rate or stream.guessed_rate or 0) or None
    found: dict[int, Still] = {}
    targets = [duration * (i + 0.5) / limit for i in range(limit)] if duration else []
    for target in targets:
        try:
            container.seek(int(target / stream.time_base), stream=stream, backward=True, any_frame=False)
            still = _first_frame(container, stream, rate)
        except av.error.FFmpegError:
            continue
        if still is not None:
            found.setdefault(still.frame, still)
    if not found:  # no duration, or seeking is not possible: take the first keyframes in order
        container.seek(0)
        for frame in _frames(container, stream):
            still = _still(frame, rate)
            found.setdefault(still.frame, still)
            if len(found) >= limit:
                break
    stream.codec_context.skip_frame = "DEFAULT"
    return [found[key] for key in sorted(found)]


def _frames(container: Any, stream: Any) -> Iterator[Any]:
    for count, packet in enumerate(container.demux(stream)):
        if count >= _MAX_PACKETS_FOR_FIRST_FRAME * 50:
            return
        try:
            yield from packet.decode()
        except av.error.InvalidDataError:
            continue


def _first_frame(container: Any, stream: Any, rate: float | None) -> Still | None:
    for frame in _frames(container, stream):
        return _still(frame, rate)
    return None


def _still(frame: Any, rate: float | None) -> Still:
    at = float(frame.pts * frame.time_base) if frame.pts is not None and frame.time_base else 0.0
    at = max(0.0, at)
    number = int(round(at * rate)) + 1 if rate else int(round(at * 1000)) + 1
    image = frame.to_image()
    rotation = int(getattr(frame, "rotation", 0) or 0) % 360
    if rotation:  # phones record upright video as landscape frames plus a display rotation
        image = image.rotate(rotation, expand=True)
    return Still(image=image.convert("RGB"), frame=number, at_seconds=at)


__all__ = ["MAX_KEYFRAMES", "keyframes", "open_container", "parse_iso6709", "probe_av"]
