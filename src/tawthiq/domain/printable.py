"""Text for people to read: text from outside made safe to print, and byte sizes.

Text from outside (file names, titles, URLs, messages) is made safe to print
on a terminal. A file name may hold a line break ("good.txt\\nfailed other.txt: virus
detected") and forge lines in a command's output; a terminal escape can
rewrite the screen; a bidi override (U+202E) can show "exe.txt" for
"txt.exe". Such characters are written as visible escapes (``\\n``,
``\\x1b``, ``\\u202e``) instead. Arabic letters, the marks ordinary Arabic
text uses (ZWNJ, ZWJ) and every printable character are left alone.
"""
from __future__ import annotations

import unicodedata

# Bidi embeddings, overrides and isolates reorder what follows them; the
# marks (ALM, LRM, RLM) are invisible and can disguise a name.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# The embedding, override and isolate controls (not the marks LRM, RLM, ALM, which Arabic text
# written beside Latin may need): they reorder what follows them, so a title "report\u202egnp.exe"
# shows as "reportexe.png". A one-line provenance field (title, author, received from) never needs
# them; they are taken out when it is stored, as tag labels refuse them.
BIDI_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NO_REORDERING = {ord(ch): None for ch in BIDI_REORDERING}


def without_reordering(text: str) -> str:
    """``text`` without bidi embedding, override and isolate controls (see :data:`BIDI_REORDERING`)."""
    return text.translate(_NO_REORDERING) if BIDI_REORDERING.intersection(text) else text


def _needs_escape(ch: str) -> bool:
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Zl", "Zp")


def _escape(ch: str) -> str:
    code = ord(ch)
    return _NAMED.get(ch) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def escaped_line(text: object) -> str:
    """``text`` as one line: every control character (line breaks and tabs too) and bidi control escaped."""
    value = str(text)
    if value.isprintable() and not BIDI_CONTROLS.intersection(value):
        return value  # the common case, without a per-character walk
    return "".join(_escape(ch) if _needs_escape(ch) else ch for ch in value)


def escaped_text(text: object) -> str:
    """A multi-line text (a source's body) with its line breaks and tabs kept, every other control escaped."""
    value = str(text).replace("\r\n", "\n")
    return "".join(ch if ch in "\n\t" or not _needs_escape(ch) else _escape(ch) for ch in value)


def json_text(encoded: str) -> str:
    """JSON from ``json.dumps(ensure_ascii=False)`` with bidi controls and line separators as ``\\uXXXX``.

    ``json.dumps`` already escapes C0 controls; these it leaves raw. Outside
    strings JSON is ASCII, so the replacement is still the same JSON value.
    """
    if not any(ch in BIDI_CONTROLS or ch in "\u2028\u2029\x7f" or "\x80" <= ch <= "\x9f" for ch in encoded):
        return encoded
    return "".join(f"\\u{ord(ch):04x}" if (ch in BIDI_CONTROLS or ch in "\u2028\u2029\x7f"
                                           or "\x80" <= ch <= "\x9f") else ch for ch in encoded)


def human_size(size: int, *, drop_zero_decimal: bool = False) -> str:
    """``size`` bytes in binary units up to GB: "512 bytes", "1.5 KB", "64.0 KB", "3.2 GB".

    Error messages keep the decimal ("over the size limit of 1.0 MB");
    ``drop_zero_decimal`` writes a whole figure without it ("50 MB"), as the
    upload form states its limit.
    """
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024 or unit == "GB":
            break
    text = f"{value:.1f} {unit}"
    return text.replace(".0 ", " ") if drop_zero_decimal else text
