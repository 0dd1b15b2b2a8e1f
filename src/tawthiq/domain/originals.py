"""Evidence beyond the text: working copies, media facts, near-duplicates, links between sources."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .enums import DerivativeKind


@dataclass(slots=True)
class Derivative:
    """A working copy made from an original, with what made it.

    ``tool``, ``tool_version`` and ``params`` are enough for someone else to
    make the same copy again and compare; ``original_sha256`` ties it to the
    bytes it came from, whatever source rows name those bytes.
    """

    original_sha256: str
    sha256: str
    kind: DerivativeKind
    media_type: str
    size: int
    tool: str
    tool_version: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    source_id: int | None = None
    created_at: datetime | None = None
    created_by: str = ""
    id: int | None = None


@dataclass(slots=True)
class MediaFrameHash:
    """A perceptual hash of an image, or of one keyframe of a video (``frame`` > 0 or ``at_seconds`` set)."""

    hash: str  # 16 hex digits, a 64-bit hash
    frame: int = 0
    at_seconds: float | None = None
    algorithm: str = "phash"


@dataclass(slots=True)
class MediaInfo:
    """What was read out of a media original: the facts a reviewer checks a claim against.

    ``metadata`` keeps every tag as read (EXIF, container tags, PDF info),
    as strings, so nothing is lost to the handful of typed fields.
    """

    sha256: str
    kind: str  # "image", "video", "audio", "pdf"
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None
    taken_at: datetime | None = None  # capture time as the device recorded it
    latitude: float | None = None
    longitude: float | None = None
    hashes: list[MediaFrameHash] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class NearDuplicate:
    """Two different originals that look the same (a re-encoded or resized copy); ``sha256_a`` < ``sha256_b``."""

    sha256_a: str
    sha256_b: str
    distance: int  # Hamming distance between the closest pair of hashes
    method: str = "phash"


@dataclass(slots=True)
class SourceLink:
    """A relation between two sources, e.g. a Telegram message and the photo attached to it."""

    from_source_id: int
    to_source_id: int
    relation: str  # "attachment", "forwarded", "capture"
    details: dict[str, Any] = field(default_factory=dict)
