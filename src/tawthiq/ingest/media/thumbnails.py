"""Thumbnails of images and videos: small JPEG working copies for lists and review pages.

A thumbnail is made from the stored original, upright (EXIF orientation or
the video's display rotation applied), flattened on white, and written
without any metadata: a copy shown in the browser must not carry the
original's GPS position or camera serial number along with it.
"""
from __future__ import annotations

import io
from pathlib import Path

import PIL
from PIL import Image

from ...domain import Source, SourceKind
from ...domain.enums import DerivativeKind
from ...store.vault.derived import DerivedFile
from ..errors import IngestError
from .images import DRAFT_SIZE, decoded, open_image
from .lazy_av import av  # loaded on first use (lazy_av.py)
from .probe_av import MAX_KEYFRAMES, Still, keyframes, open_container
from .sniff import HEAD_BYTES, MediaFormat, sniff_media

THUMBNAIL_MAX_PX = 320
THUMBNAIL_QUALITY = 80
KEYFRAME_MAX_PX = 960  # enough to see what a keyframe shows, far smaller than the video
KEYFRAME_QUALITY = 85
_MEDIA_TYPE = "image/jpeg"


def _format_of(original: Path) -> MediaFormat:
    with open(original, "rb") as handle:
        fmt = sniff_media(handle.read(HEAD_BYTES))
    if fmt is None:
        raise IngestError("the stored original is not a known media format")
    return fmt


def _jpeg(image: Image.Image, *, max_px: int = THUMBNAIL_MAX_PX, quality: int = THUMBNAIL_QUALITY) -> bytes:
    small = image.copy()
    small.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=quality, optimize=False, progressive=False)  # no exif=: none kept
    return out.getvalue()


def _params(*, max_px: int = THUMBNAIL_MAX_PX, quality: int = THUMBNAIL_QUALITY, **extra: object) -> dict[str, object]:
    return {"max_px": max_px, "format": "JPEG", "quality": quality, "resample": "LANCZOS",
            "upright": True, "metadata": "none", **extra}


def _versions() -> str:
    return f"PyAV {av.__version__}; FFmpeg {av.ffmpeg_version_info}; Pillow {PIL.__version__}"


def _video_stills(original: Path, *, limit: int) -> list[Still]:
    fmt = _format_of(original)
    with open_container(original, fmt) as container:
        stream = next(iter(container.streams.video), None)
        if stream is None:
            return []
        duration = container.duration / av.time_base if container.duration else None
        return keyframes(container, stream, duration=duration, limit=limit)


class ImageThumbnailDeriver:
    name = "image-thumbnail"

    def applies(self, source: Source) -> bool:
        return SourceKind(source.kind) == SourceKind.IMAGE

    def derive(self, original: Path, source: Source) -> list[DerivedFile]:
        fmt = _format_of(original)
        with open_image(original, fmt) as image:
            upright = decoded(image, fmt)
        return [DerivedFile(kind=DerivativeKind.THUMBNAIL, media_type=_MEDIA_TYPE, tool="Pillow",
                            tool_version=PIL.__version__, data=_jpeg(upright),
                            params=_params(decoded_at_most=list(DRAFT_SIZE) if fmt.decoder == "JPEG" else None,
                                           frame=0))]


class VideoThumbnailDeriver:
    name = "video-thumbnail"

    def applies(self, source: Source) -> bool:
        return SourceKind(source.kind) == SourceKind.VIDEO

    def derive(self, original: Path, source: Source) -> list[DerivedFile]:
        stills = _video_stills(original, limit=1)  # the keyframe nearest before the middle
        if not stills:
            raise IngestError("no video frame could be decoded for a thumbnail")
        still = stills[0]
        return [DerivedFile(kind=DerivativeKind.THUMBNAIL, media_type=_MEDIA_TYPE, tool="PyAV+FFmpeg",
                            tool_version=_versions(), data=_jpeg(still.image),
                            params=_params(keyframe="nearest before the middle", frame=still.frame,
                                           at_seconds=round(still.at_seconds, 3)))]


class VideoKeyframesDeriver:
    """Stills of the keyframes whose perceptual hashes were stored: what a near-duplicate match was made on."""

    name = "video-keyframes"

    def applies(self, source: Source) -> bool:
        return SourceKind(source.kind) == SourceKind.VIDEO

    def derive(self, original: Path, source: Source) -> list[DerivedFile]:
        return [DerivedFile(kind=DerivativeKind.KEYFRAME, media_type=_MEDIA_TYPE, tool="PyAV+FFmpeg",
                            tool_version=_versions(),
                            data=_jpeg(still.image, max_px=KEYFRAME_MAX_PX, quality=KEYFRAME_QUALITY),
                            params=_params(max_px=KEYFRAME_MAX_PX, quality=KEYFRAME_QUALITY, frame=still.frame,
                                           at_seconds=round(still.at_seconds, 3), of_keyframes=MAX_KEYFRAMES))
                for still in _video_stills(original, limit=MAX_KEYFRAMES)]
