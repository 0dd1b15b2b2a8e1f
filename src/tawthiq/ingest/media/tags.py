"""Metadata values made safe to store and show: strings, bounded, without control characters.

Tags are written by whoever made (or forged) the file: a MakerNote can be
megabytes, a "Model" can hold terminal escape codes or NUL. Every value is
kept as a string (nothing is dropped for being odd), control characters (all but tab and line feed) are
replaced one-for-one with U+FFFD, long values are cut with a note of the
full length, and a file can bring only so many tags.
"""
from __future__ import annotations

import math
import re
from typing import Any

MAX_VALUE_CHARS = 1000
MAX_BINARY_SHOWN = 64  # bytes of a binary value kept (as hex) before the length note
MAX_TAGS = 400  # per group (EXIF, GPS, container, one stream)

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_text(value: str, *, limit: int = MAX_VALUE_CHARS) -> str:
    """``value`` without control or bidi-override characters, cut to ``limit`` characters with a note."""
    cleaned = _CONTROL.sub("\ufffd", value)
    if len(cleaned) > limit:
        return f"{cleaned[:limit]}… ({len(cleaned)} characters)"
    return cleaned


def _binary(value: bytes) -> str:
    stripped = value.rstrip(b"\x00")
    if stripped and all(32 <= byte < 127 or byte in (9, 10, 13) for byte in stripped):
        return safe_text(stripped.decode("ascii"))
    shown = value[:MAX_BINARY_SHOWN].hex()
    return f"0x{shown}" if len(value) <= MAX_BINARY_SHOWN else f"0x{shown}… ({len(value)} bytes)"


def tag_text(value: Any) -> str:
    """Any tag value (bytes, rational, tuple, number) as a safe string."""
    if isinstance(value, bytes | bytearray):
        return _binary(bytes(value))
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, tuple | list):
        parts: list[str] = []
        total = 0
        for item in value:
            text = tag_text(item)
            parts.append(text)
            total += len(text) + 2
            if total > MAX_VALUE_CHARS:
                break
        return safe_text(", ".join(parts) + ("" if len(parts) == len(value) else f", … ({len(value)} values)"))
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "nan"
    try:
        number = float(value)  # IFDRational and friends
    except (TypeError, ValueError, ZeroDivisionError):
        return safe_text(str(value))
    if not math.isfinite(number):
        return safe_text(str(value))
    return repr(int(number)) if number.is_integer() and not isinstance(value, float) else repr(number)


def tag_dict(items: Any) -> dict[str, str]:
    """Name → safe string for at most :data:`MAX_TAGS` items of ``items`` (pairs)."""
    out: dict[str, str] = {}
    for count, (key, value) in enumerate(items):
        if count >= MAX_TAGS:
            out["…"] = "more tags not kept"
            break
        out[safe_text(str(key), limit=120)] = tag_text(value)
    return out
