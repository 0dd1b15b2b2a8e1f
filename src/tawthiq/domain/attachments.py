"""A source attached to an incident as evidence, and which part of it: a region of a photo, a time range
of a video or recording, or a page of a PDF.

A region is kept as fractions of the upright picture (x, y, width, height,
each 0-1), so it stays where the person drew it whatever size the picture is
shown at (a thumbnail, the original). A time range is whole or fractional
seconds from the start; people type it as mm:ss (or h:mm:ss). Attaching is a
human decision, so it carries who, when and why; removing one is a recorded
withdrawal (who, when, why), never a deletion.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .typed_numbers import typed_float

__all__ = ["MAX_PAGE", "MAX_REASON", "MAX_SECONDS", "Attachment", "AttachmentError", "Part", "Region",
           "TimeRange", "format_clock", "parse_clock", "parse_region"]

MAX_REASON = 2000
MAX_SECONDS = 7 * 24 * 3600  # a week: longer than any recording a documenter attaches
MAX_PAGE = 100_000
MIN_SIDE = 0.001  # a region narrower than a thousandth of the picture is a slip of the mouse


class AttachmentError(ValueError):
    """A part of a source that cannot be attached, in one English line; ``key`` names the problem for an
    interface that says it in its own language, with ``values``."""

    def __init__(self, message: str, *, key: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


class Part(StrEnum):
    """Which part of the source backs the incident."""

    WHOLE = "whole"
    REGION = "region"
    TIME = "time"
    PAGE = "page"


@dataclass(frozen=True, slots=True)
class Region:
    """A rectangle as fractions of the upright picture: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def __post_init__(self) -> None:
        values = (self.x, self.y, self.w, self.h)
        if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values):
            raise AttachmentError("a region is four numbers between 0 and 1", key="region_numbers")
        if min(values) < 0 or self.w < MIN_SIDE or self.h < MIN_SIDE:
            raise AttachmentError("a region needs a width and a height inside the picture", key="region_size")
        # A hair of rounding from the browser is allowed; a box past the edge is not.
        if self.x + self.w > 1.0001 or self.y + self.h > 1.0001:
            raise AttachmentError("the region goes past the edge of the picture", key="region_edge")

    def percent(self) -> tuple[float, float, float, float]:
        return (round(self.x * 100, 3), round(self.y * 100, 3), round(self.w * 100, 3), round(self.h * 100, 3))


@dataclass(frozen=True, slots=True)
class TimeRange:
    """Seconds from the start of a video or recording: [start, end]."""

    start: float
    end: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.start) and math.isfinite(self.end)):
            raise AttachmentError("a time range is two times like 01:30", key="time_format", value="")
        if self.start < 0 or self.end > MAX_SECONDS:
            raise AttachmentError("the time range is outside the recording", key="time_outside")
        if self.end <= self.start:
            raise AttachmentError("the end of the time range must come after its start", key="time_order")


_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,4}):(\d{1,2})(?:\.(\d{1,3}))?|(\d{1,6})(?:\.(\d{1,3}))?")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def parse_clock(text: str) -> float:
    """Seconds from "mm:ss", "h:mm:ss" or plain seconds (Arabic-Indic digits allowed, as people type them)."""
    cleaned = (text or "").strip().translate(_DIGITS).replace("٫", ".")
    shown = (text or "").strip()[:40]
    match = _CLOCK.fullmatch(cleaned)
    if not match:
        raise AttachmentError(f"a time is minutes:seconds, like 01:30, not {shown!r}", key="time_format",
                              value=shown)
    if match.group(5) is not None:
        return float(match.group(5)) + float(f"0.{match.group(6)}" if match.group(6) else 0)
    hours, minutes, seconds = int(match.group(1) or 0), int(match.group(2)), int(match.group(3))
    if seconds >= 60 or (match.group(1) is not None and minutes >= 60):
        raise AttachmentError(f"a time is minutes:seconds, like 01:30, not {shown!r}", key="time_format",
                              value=shown)
    fraction = float(f"0.{match.group(4)}") if match.group(4) else 0.0
    return hours * 3600 + minutes * 60 + seconds + fraction


def format_clock(seconds: float) -> str:
    """"mm:ss" (or "h:mm:ss"), as the time was typed; tenths kept when there are any."""
    whole = int(seconds)
    tenths = round((seconds - whole) * 10)
    if tenths == 10:
        whole, tenths = whole + 1, 0
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
    return f"{text}.{tenths}" if tenths else text


def parse_region(text: str) -> Region:
    """A region from "x,y,w,h" fractions, as the page's drawing sends it."""
    parts = [p.strip() for p in (text or "").split(",")]
    if len(parts) != 4:
        raise AttachmentError("draw the region on the picture (or leave it empty for the whole picture)",
                              key="region_draw")
    values = [typed_float(p) for p in parts]  # typed by hand, "٠٫١" is 0.1
    if any(v is None for v in values):
        raise AttachmentError("a region is four numbers between 0 and 1", key="region_numbers")
    return Region(*values)  # type: ignore[arg-type]


@dataclass(slots=True)
class Attachment:
    """One source attached to one incident, with the part of it that matters."""

    incident_id: int
    source_id: int
    part: Part
    reason: str
    created_by: str
    region: Region | None = None
    time: TimeRange | None = None
    page: int | None = None
    id: int | None = None
    created_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str = ""
    withdrawn_why: str = ""

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def describe(self) -> dict[str, object]:
        """The part as plain values, for the audit and custody entries."""
        out: dict[str, object] = {"incident_id": self.incident_id, "source_id": self.source_id,
                                  "part": self.part.value}
        if self.region is not None:
            out["region"] = [self.region.x, self.region.y, self.region.w, self.region.h]
        if self.time is not None:
            out["time"] = [self.time.start, self.time.end]
        if self.page is not None:
            out["page"] = self.page
        return out
