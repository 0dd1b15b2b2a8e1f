"""Facts and a perceptual hash read from a still image."""
from __future__ import annotations

from pathlib import Path

from ...domain.originals import MediaFrameHash, MediaInfo
from .exif import read_exif
from .images import decoded, open_image
from .phash import ALGORITHM, phash_hex
from .sniff import MediaFormat
from .tags import tag_dict

_SKIPPED_INFO = {"exif", "icc_profile", "xmp", "photoshop"}  # kept in full in the original; EXIF is read above


def probe_image(source: Path | bytes, fmt: MediaFormat) -> MediaInfo:
    """Width/height as stored, EXIF (all tags, GPS, capture time), and the phash of the upright first frame.

    Raises IngestError (one line) for a corrupt, truncated, over-large or
    mislabelled image: decoding it whole is part of the probe.
    """
    with open_image(source, fmt) as image:
        facts = read_exif(image)
        width, height = image.size
        info_items = [(k, v) for k, v in image.info.items() if isinstance(k, str) and k not in _SKIPPED_INFO]
        frames = int(getattr(image, "n_frames", 1) or 1)
        metadata: dict[str, object] = {
            "format": fmt.decoder, "mode": image.mode, "frames": frames,
            "exif": facts.tags, "gps": facts.gps, "info": tag_dict(info_items),
        }
        if facts.orientation is not None:
            metadata["orientation"] = facts.orientation
        if facts.capture:
            metadata["capture"] = facts.capture
        upright = decoded(image, fmt)
        frame_hash = MediaFrameHash(hash=phash_hex(upright), frame=0, algorithm=ALGORITHM)
    return MediaInfo(sha256="", kind="image", width=width, height=height, taken_at=facts.taken_at,
                     latitude=facts.latitude, longitude=facts.longitude, hashes=[frame_hash], metadata=metadata)
