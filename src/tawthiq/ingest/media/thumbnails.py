"""Thumbnails of images and videos: small JPEG working copies for lists and review pages.

A thumbnail is made from the stored original, upright (EXIF orientation or
the video's display rotation applied), flattened on white, and written
without any metadata: a copy shown in the browser must not carry the
original's GPS position or camera serial number along with it.
"""
from __future__ import annotations

import io
from pathlib import Path

import av
import PIL
from PIL import Image

from ...domain import Source, SourceKind
from ...domain.enums import DerivativeKind
from ...evidence.derived import DerivedFile
from ..errors import IngestError
from .images import DRAFT_SIZE, decoded, open_image
from .probe_av import keyframes, open_container
from .sniff import HEAD_BYTES, MediaFormat, sniff_media

THUMBNAIL_MAX_PX = 320
THUMBNAIL_QUALITY = 80
_MEDIA_TYPE = "image/jpeg"


def _format_of(original: Path) -> MediaFormat:
    with open(original, "rb") as handle:
        fmt = sniff_media(handle.read(HEAD_BYTES))
    if fmt is None:
        raise IngestError("the stored original is not a known media format")
    return fmt


def _jpeg(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail((THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=False, progressive=False)  # no exif=: none kept
    return out.getvalue()


def _params(**extra: object) -> dict[str, object]:
    return {"max_px": THUMBNAIL_MAX_PX, "format": "JPEG", "quality": THUMBNAIL_QUALITY, "resample": "LANCZOS",
            "upright": True, "metadata": "none", **extra}


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
        fmt = _format_of(original)
        with open_container(original, fmt) as container:
            stream = next(iter(container.streams.video), None)
            if stream is None:
                return []
            duration = container.duration / av.time_base if container.duration else None
            stills = keyframes(container, stream, duration=duration, limit=1)  # the keyframe nearest the middle
        if not stills:
            raise IngestError("no video frame could be decoded for a thumbnail")
        still = stills[0]
        versions = f"PyAV {av.__version__}; FFmpeg {av.ffmpeg_version_info}; Pillow {PIL.__version__}"
        return [DerivedFile(kind=DerivativeKind.THUMBNAIL, media_type=_MEDIA_TYPE, tool="PyAV+FFmpeg",
                            tool_version=versions, data=_jpeg(still.image),
                            params=_params(keyframe="nearest before the middle", frame=still.frame,
                                           at_seconds=round(still.at_seconds, 3)))]
