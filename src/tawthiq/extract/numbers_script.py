"""Script helpers shared by the number and date readers.

Reports mix ASCII, Arabic-Indic and Extended Arabic-Indic digits, and Arabic
writers spell the same word with or without hamza (أ/ا), ta marbuta (ة/ه) and
alef maqsura (ى/ي). Both readers match many words in both scripts along
every report, so their alternations are built as tries: a flat alternation of
a hundred words costs a hundred checks at each position of the text.
"""
from __future__ import annotations

import re
from typing import Any, Callable

__all__ = [
    "DIGIT", "DIGIT_CHARS", "AR_LETTER", "AR_BEFORE", "AR_AFTER", "HAS_ARABIC",
    "to_ascii_digits", "normalize_arabic", "arabic_pattern", "en_pattern", "alternation", "lookup_key",
    "trie_pattern", "ar_char", "en_char", "en_variants",
]

# ASCII, Arabic-Indic and Extended Arabic-Indic (Persian/Urdu) digits.
DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"  # for regex character classes
DIGIT_CHARS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
AR_LETTER = "\u0621-\u064a\u0671-\u06d3"
_DIACRITICS = re.compile("[\u064b-\u0652\u0640\u0670]")
AR_BEFORE = f"(?<![{AR_LETTER}])"  # no Arabic letter right before
AR_AFTER = f"(?![{AR_LETTER}])"
HAS_ARABIC = re.compile("[\u0600-\u06ff]")
_AR_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


def to_ascii_digits(s: str) -> str:
    """The same number in ASCII digits (same length, so offsets still hold)."""
    return s.translate(_DIGIT_TABLE)


def normalize_arabic(s: str) -> str:
    """Fold the spelling variants Arabic writers use interchangeably (for lookups only)."""
    return _DIACRITICS.sub("", s).translate(_AR_NORM)


def arabic_pattern(word: str) -> str:
    """A regex for an Arabic word that accepts its common spelling variants."""
    out = []
    for ch in word:
        if ch in "اأإآ":
            out.append("[اأإآٱ]")
        elif ch in "ةه":
            out.append("[ةه]")
        elif ch in "يى":
            out.append("[يى]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def en_pattern(phrase: str) -> str:
    """Regex for an English phrase, any run of spaces between its words."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


def alternation(patterns: list[str]) -> str:
    """A flat alternation, longest first, so "tens of thousands" wins over "tens"."""
    return "|".join(sorted(set(patterns), key=len, reverse=True))


def lookup_key(phrase: str) -> str:
    """Lookup form of a phrase: one space between words, lower case, Arabic variants folded."""
    s = " ".join(phrase.lower().split())
    return s if s.isascii() else normalize_arabic(s)


def trie_pattern(entries: list[tuple[str, str]], char_pattern: Callable[[str], str]) -> str:
    """A regex alternation shaped as a trie, so matching tries one branch per character.

    A flat alternation of a hundred words costs a hundred checks at every
    position of the text; the trie costs about one. ``entries`` are
    (literal, suffix regex) pairs; ``char_pattern`` maps a character to its regex.
    """
    root: dict[str, Any] = {}
    for literal, suffix in entries:
        node = root
        for ch in literal:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).add(suffix)

    def emit(node: dict[str, Any]) -> str:
        alts = [char_pattern(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        ends = sorted(node.get("", ()), key=len, reverse=True)
        alts.extend(ends)  # after the children: the longest word wins
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(root) if root else "(?!)"


def ar_char(ch: str) -> str:
    """Regex for one character of a folded Arabic word (see ``normalize_arabic``)."""
    return {"ا": "[اأإآٱ]", "ه": "[ةه]", "ي": "[يى]", " ": r"\s+"}.get(ch, re.escape(ch))


def en_char(ch: str) -> str:
    """Regex for one character of an English phrase: a space is any run of spaces."""
    return r"\s+" if ch == " " else re.escape(ch)


def en_variants(phrase: str, suffix: str = "") -> list[tuple[str, str]]:
    """An English phrase as written in lower case and with a capital first letter."""
    p = " ".join(phrase.split())
    return [(p, suffix), (p[:1].upper() + p[1:], suffix), (p.upper(), suffix)]
