"""Media originals (images, video, audio): recognising them, and reading their facts and perceptual hashes."""
from __future__ import annotations

from pathlib import Path

from ...domain.originals import MediaInfo
from .probe_av import probe_av
from .probe_image import probe_image
from .sniff import BY_EXTENSION, HEAD_BYTES, MediaFormat, media_format, sniff_media


def probe(source: Path | bytes, fmt: MediaFormat) -> MediaInfo:
    """Read and check a media original held in memory or stored at a path; IngestError (one line) if unreadable.

    The returned facts have an empty ``sha256``: the caller, which hashed
    the bytes it stored, fills it in.
    """
    return probe_image(source, fmt) if fmt.is_image else probe_av(source, fmt)


__all__ = ["BY_EXTENSION", "HEAD_BYTES", "MediaFormat", "media_format", "probe", "sniff_media"]
