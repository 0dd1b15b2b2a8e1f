"""Bytes to text for report files whose encoding nobody declared.

Syrian reports arrive as UTF-8, UTF-8 with a BOM, UTF-16 from Windows tools,
and Windows-1256 from older Arabic software. A wrong guess silently turns a
name into mojibake in the record, so anything doubtful (binary data, a file
mixing two encodings) is refused with a reason rather than decoded.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .errors import IngestError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than line/tab whitespace, replacement characters
# and private-use code points: what binary data decodes to, never prose.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")
_ARABIC = re.compile("[\u0600-\u06ff\u200c-\u200f]")
MIN_PRINTABLE_RATIO = 0.95
MAX_MOJIBAKE_CHAOS = 0.2


def decode_text(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`IngestError` saying why not.

    ``declared`` is an encoding the container named (an HTML meta tag, a MIME
    header); it is tried after the unambiguous cases and before guessing.
    """
    if not data or not data.strip():
        raise IngestError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding), encoding
            except UnicodeDecodeError:
                raise IngestError(f"invalid {encoding.upper()} text after its byte-order mark") from None
    if b"\x00" in data:
        raise IngestError("binary data, not text (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed_utf8(data)
    codec = _normal_codec(declared) if declared else None
    if codec and codec != "utf-8":
        try:
            return _checked(data.decode(codec), codec), codec
        except UnicodeDecodeError:
            pass
    return _guess(data)


def _guess(data: bytes) -> tuple[str, str]:
    arabic = _as_windows_arabic(data)
    if arabic is not None:
        return _checked(arabic, "cp1256"), "cp1256"
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise IngestError(
            "not readable text: binary data or an unknown encoding (expected UTF-8, UTF-16 or Windows-1256)"
        )
    if best.chaos > MAX_MOJIBAKE_CHAOS:
        raise IngestError(f"text encoding cannot be determined reliably (best guess {best.encoding} looks garbled)")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise IngestError(f"text is not valid {best.encoding}") from None
    return _checked(text, best.encoding), best.encoding


def _as_windows_arabic(data: bytes) -> str | None:
    """Windows-1256 Arabic, recognised before any statistical guess.

    Guessers call short cp1256 Arabic Korean or Chinese, or confuse it with
    ISO-8859-6, because the same bytes are letters in all of them. Text whose
    non-ASCII bytes decode under cp1256 to mostly Arabic letters, laid out
    like prose (spaces between words), is almost always cp1256.
    """
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    sample = text[:200_000]  # plenty to recognise a language; keeps large files fast
    high = len(_NON_ASCII.findall(sample))
    if not high:
        return None
    arabic = len(_ARABIC.findall(sample))
    words = len(sample.split())
    if arabic / high >= 0.85 and words and len(sample) / words < 20:
        return text
    return None


def _refuse_mixed_utf8(data: bytes) -> None:
    """A file that is partly valid UTF-8 and partly not was pasted together from two encodings.

    Decoding it either way corrupts one half, so it is refused.
    """
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good = len(_NON_ASCII.findall(decoded)) if bad else 0
    if bad and good >= max(3, bad // 5):
        raise IngestError(
            f"mixed text encodings: {good} characters are valid UTF-8 and {bad} bytes are not; "
            "re-save the file in one encoding"
        )


def _checked(text: str, encoding: str) -> str:
    if not text.strip():
        raise IngestError("empty file (only whitespace)")
    junk = len(_NOT_TEXT.findall(text))
    if junk and 1 - junk / len(text) < MIN_PRINTABLE_RATIO:
        raise IngestError(f"binary data, not text (too many control characters as {encoding})")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _normal_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None
