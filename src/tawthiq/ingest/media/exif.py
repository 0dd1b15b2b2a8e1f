"""EXIF as evidence: every tag kept as text, and the few a reviewer checks first read out.

Capture time is the device's clock. ``DateTimeOriginal`` carries no time
zone; only with ``OffsetTimeOriginal`` (written by most phones since 2018)
is it an instant, so ``taken_at`` is set only then. Without an offset the
local time is still kept, as written, in ``metadata["capture"]``: turning a
Damascus clock reading into UTC by guessing would put a false time on the
record.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from PIL import ExifTags, Image

from .tags import tag_dict, tag_text

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
# (date tag, its offset tag, the IFD holding both): the original shot first, then digitised, then file change.
_CAPTURE_TAGS = (
    ("DateTimeOriginal", "OffsetTimeOriginal"),
    ("DateTimeDigitized", "OffsetTimeDigitized"),
    ("DateTime", "OffsetTime"),
)


@dataclass(slots=True)
class ExifFacts:
    tags: dict[str, str] = field(default_factory=dict)  # IFD0 + Exif IFD, by tag name
    gps: dict[str, str] = field(default_factory=dict)
    latitude: float | None = None
    longitude: float | None = None
    taken_at: datetime | None = None
    capture: dict[str, str] = field(default_factory=dict)
    orientation: int | None = None


def _named(ifd: Any, names: dict[int, str]) -> list[tuple[str, Any]]:
    return [(names.get(tag, f"0x{tag:04x}"), value) for tag, value in sorted(ifd.items())]


def read_exif(image: Image.Image) -> ExifFacts:
    """Everything EXIF says about ``image``; never raises on malformed tags (they become text or are skipped)."""
    facts = ExifFacts()
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block must not cost the image
        return facts
    raw: list[tuple[str, Any]] = _named(exif, ExifTags.TAGS)
    gps_raw: dict[int, Any] = {}
    for ifd_id, target in ((ExifTags.IFD.Exif, raw), (ExifTags.IFD.GPSInfo, None)):
        try:
            ifd = exif.get_ifd(ifd_id)
        except Exception:  # noqa: BLE001
            continue
        if target is None:
            gps_raw = dict(ifd)
        else:
            target.extend(_named(ifd, ExifTags.TAGS))
    raw = [(name, _user_comment(value) if name == "UserComment" else value)
           for name, value in raw if name not in ("ExifOffset", "GPSInfo")]
    facts.tags = tag_dict(raw)
    facts.gps = tag_dict(_named(gps_raw, ExifTags.GPSTAGS))
    facts.latitude, facts.longitude = _position(gps_raw)
    values = dict(raw)
    facts.taken_at, facts.capture = _capture(values)
    orientation = values.get("Orientation")
    if isinstance(orientation, int) and 1 <= orientation <= 8:
        facts.orientation = orientation
    return facts


def _user_comment(value: Any) -> Any:
    """A UserComment's text: its first 8 bytes name the character code (EXIF 2.3, 4.6.5)."""
    if not isinstance(value, bytes) or len(value) < 8:
        return value
    code, body = value[:8], value[8:]
    if code.startswith(b"ASCII"):
        return body.decode("ascii", "replace").rstrip("\x00 ")
    if code.startswith(b"UNICODE"):
        # UCS-2 in the file's byte order, which is not known here: ASCII-range text shows it by its zero bytes.
        little = len(body) > 1 and body[1] == 0 and body[0] != 0
        return body.decode("utf-16-le" if little else "utf-16-be", "replace").rstrip("\x00 ")
    return value


def _degrees(value: Any) -> float | None:
    try:
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not 1 <= len(parts) <= 3 or not all(math.isfinite(p) and p >= 0 for p in parts):
        return None
    scale = (1.0, 60.0, 3600.0)
    return sum(part / scale[i] for i, part in enumerate(parts))


def _ref(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value).strip("\x00 ").upper()[:1]


def _position(gps: dict[int, Any]) -> tuple[float | None, float | None]:
    """Decimal degrees, south and west negative; None for absent or impossible values."""
    lat, lon = _degrees(gps.get(2)), _degrees(gps.get(4))  # GPSLatitude, GPSLongitude
    lat_ref, lon_ref = _ref(gps.get(1, "N")), _ref(gps.get(3, "E"))
    if lat is None or lon is None or lat_ref not in "NS" or lon_ref not in "EW" or not lat_ref or not lon_ref:
        return None, None
    lat, lon = (-lat if lat_ref == "S" else lat), (-lon if lon_ref == "W" else lon)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return round(lat, 7), round(lon, 7)


def _capture(values: dict[str, Any]) -> tuple[datetime | None, dict[str, str]]:
    for date_tag, offset_tag in _CAPTURE_TAGS:
        written = tag_text(values[date_tag]).strip(" \ufffd") if date_tag in values else ""
        if not written:
            continue
        try:
            local = datetime.strptime(written[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue  # "0000:00:00 00:00:00" and other placeholders
        capture = {"local": local.isoformat(), "tag": date_tag}
        offset_text = tag_text(values[offset_tag]).strip(" \ufffd") if offset_tag in values else ""
        match = _OFFSET.match(offset_text)
        if match is None:
            return None, capture
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta > timedelta(hours=14):
            return None, capture
        zone = timezone(-delta if sign == "-" else delta)
        capture["offset"] = offset_text
        return local.replace(tzinfo=zone), capture
    return None, {}
