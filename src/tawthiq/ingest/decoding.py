"""Bytes to text for report files whose encoding nobody declared.

Syrian reports arrive as UTF-8, UTF-8 with a BOM, UTF-16 from Windows tools,
and Windows-1256 from older Arabic software. A wrong guess silently turns a
name into mojibake in the record, so:

- what is certain is used: a byte-order mark, valid UTF-8, an encoding the
  container declares and the bytes decode under;
- a legacy encoding is used only on a confident detection (Windows-1256
  Arabic by its letters; another encoding only with enough non-ASCII bytes
  and a clean statistical read), and then said to be a guess;
- a file that claims or looks like UTF-8 but has a few invalid bytes is
  decoded as UTF-8 with those bytes replaced (U+FFFD), and said so;
- anything else doubtful (binary data, a file mixing two encodings, too few
  non-ASCII bytes to tell) is refused or replaced, never guessed.

Every result records which encoding was used and why (``Decoded.metadata``,
kept in the source's metadata); a doubtful one carries a warning that ingest
prints as a note on the file's line.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

from charset_normalizer import from_bytes

from ..domain.arabic import LETTER_CLASS
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
_ARABIC_LETTER = re.compile(f"[{LETTER_CLASS}]")
MIN_PRINTABLE_RATIO = 0.95
MAX_MOJIBAKE_CHAOS = 0.2
# A statistical guess needs material: with a handful of non-ASCII bytes every
# single-byte encoding reads "something" (one 0xFF is "ے" in Windows-1256).
MIN_GUESS_BYTES = 16
MAX_CONFIDENT_CHAOS = 0.1
MIN_ARABIC_LETTERS = 8
# Invalid bytes in a file that is otherwise UTF-8: at most this share of its
# non-ASCII characters is a damaged file (replaced); more is two encodings pasted together (refused).
MAX_DAMAGED_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text, the encoding it was read with and why; ``warning`` when the reading is doubtful."""

    text: str
    encoding: str
    reason: str
    replaced: int = 0  # invalid bytes (sequences) shown as U+FFFD
    warning: str = ""

    def metadata(self) -> dict[str, Any]:
        """What the source's metadata keeps about the decoding (always which encoding, and why)."""
        meta: dict[str, Any] = {"encoding": self.encoding, "encoding_reason": self.reason}
        if self.replaced:
            meta["invalid_bytes_replaced"] = self.replaced
        if self.warning:
            meta["encoding_warning"] = self.warning
        return meta


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """The text of ``data``, or :class:`IngestError` saying why not.

    ``declared`` is an encoding the container named (an HTML meta tag, a MIME
    header); it is tried after the unambiguous cases and before detection.
    """
    if not data or not data.strip():
        raise IngestError("empty file", kind="ingest.empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_checked(data.decode(encoding), encoding), encoding, "byte-order mark")
            except UnicodeDecodeError:
                raise IngestError(f"invalid {encoding.upper()} text after its byte-order mark") from None
    if b"\x00" in data:
        raise IngestError("binary data, not text (contains NUL bytes)", kind="ingest.not_text")
    try:
        return Decoded(_checked(data.decode("utf-8"), "utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError:
        pass
    codec = _normal_codec(declared) if declared else None
    damaged = _damaged_utf8(data, declared_utf8=codec == "utf-8")
    if damaged is not None:
        return damaged
    if codec and codec != "utf-8":
        try:
            return Decoded(_checked(data.decode(codec), codec), codec, f"declared by the file ({declared})")
        except UnicodeDecodeError:
            pass
    return _guess(data)


def _guess(data: bytes) -> Decoded:
    """A legacy encoding on a confident detection; otherwise UTF-8 with the unreadable bytes replaced."""
    arabic = _as_windows_arabic(data)
    if arabic is not None:
        return Decoded(_checked(arabic, "cp1256"), "cp1256",
                       "detected: Windows-1256 (its non-ASCII bytes read as Arabic words)")
    high = sum(1 for byte in data if byte >= 0x80)
    best = from_bytes(data).best() if high >= MIN_GUESS_BYTES else None
    if best is not None and best.encoding is not None and best.chaos <= MAX_CONFIDENT_CHAOS:
        try:
            text = _checked(data.decode(best.encoding), best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            return Decoded(text, best.encoding, f"detected: {best.encoding} (not UTF-8; {high} non-ASCII bytes "
                                                 "read cleanly as it)",
                           warning=f"not UTF-8: read as {best.encoding} by detection; check the original")
    decoded = data.decode("utf-8", errors="replace")
    try:
        text = _checked(decoded, "utf-8")
    except IngestError:
        if best is not None and best.encoding is not None:
            raise IngestError(f"text encoding cannot be determined reliably (best guess {best.encoding} "
                              "looks garbled)", kind="ingest.encoding_unknown") from None
        raise IngestError("not readable text: binary data or an unknown encoding "
                          "(expected UTF-8, UTF-16 or Windows-1256)", kind="ingest.not_text") from None
    bad = decoded.count("\ufffd")
    return Decoded(text, "utf-8", f"not valid UTF-8, and {high} non-ASCII byte(s) too few or too unclear to "
                                  "tell another encoding: read as UTF-8 with invalid bytes replaced",
                   replaced=bad, warning=f"{bad} byte(s) are not valid UTF-8 and the encoding cannot be told; "
                                         "replaced with U+FFFD (the original is kept unchanged)")


def _as_windows_arabic(data: bytes) -> str | None:
    """Windows-1256 Arabic, recognised before any statistical guess.

    Guessers call short cp1256 Arabic Korean or Chinese, or confuse it with
    ISO-8859-6, because the same bytes are letters in all of them. Text whose
    non-ASCII bytes decode under cp1256 to mostly Arabic letters, laid out
    like prose (spaces between words), is almost always cp1256 - given a few
    words of it: one stray byte 0xFF is "ے" too.
    """
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        return None
    sample = text[:200_000]  # plenty to recognise a language; keeps large files fast
    high = len(_NON_ASCII.findall(sample))
    if not high or len(_ARABIC_LETTER.findall(sample)) < MIN_ARABIC_LETTERS:
        return None
    arabic = len(_ARABIC.findall(sample))
    words = len(sample.split())
    if arabic / high >= 0.85 and words and len(sample) / words < 20:
        return text
    return None


def _damaged_utf8(data: bytes, *, declared_utf8: bool) -> Decoded | None:
    """UTF-8 with a few invalid bytes (a damaged file): decoded with those replaced, and said so.

    None when the file does not look like UTF-8 (hardly any valid multi-byte
    characters): a legacy encoding, to detect. A file that is partly valid
    UTF-8 and partly not, in earnest, was pasted together from two encodings:
    decoding it either way corrupts one half, so it is refused.
    """
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good = _non_ascii(decoded) - bad
    if good < max(3, bad // 5) and not (declared_utf8 and good >= bad):
        return None
    if bad > max(2, good * MAX_DAMAGED_SHARE):
        raise IngestError(
            f"mixed text encodings: {good} characters are valid UTF-8 and {bad} bytes are not; "
            "re-save the file in one encoding", kind="ingest.mixed_encodings"
        )
    why = "declared UTF-8" if declared_utf8 else f"{good} valid UTF-8 characters"
    return Decoded(_checked(decoded, "utf-8"), "utf-8", f"{why}, with {bad} invalid byte(s) replaced",
                   replaced=bad, warning=f"{bad} byte(s) are not valid UTF-8 (a damaged file?); replaced with U+FFFD "
                                         "(the original is kept unchanged)")


def _checked(text: str, encoding: str) -> str:
    if not text.strip():
        raise IngestError("empty file (only whitespace)", kind="ingest.empty")
    if _too_many(_NOT_TEXT, text, share=1 - MIN_PRINTABLE_RATIO):
        raise IngestError(f"binary data, not text (too many control characters as {encoding})", kind="ingest.not_text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _non_ascii(text: str) -> int:
    """How many characters of ``text`` are not ASCII, without a list of them (a 50 MB file has millions)."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _too_many(pattern: re.Pattern[str], text: str, *, share: float) -> bool:
    """Whether matches of ``pattern`` exceed ``share`` of ``text``: counted lazily, stopping once they do."""
    limit = share * len(text)
    count = 0
    for _ in pattern.finditer(text):
        count += 1
        if count > limit:
            return True
    return False


def _normal_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None
