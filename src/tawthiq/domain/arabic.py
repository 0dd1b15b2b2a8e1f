"""Arabic script normalisation: digits, letter variants and marks, decided in one place.

Reports mix ASCII, Arabic-Indic and Extended Arabic-Indic (Persian/Urdu)
digits, and Arabic writers spell one word with or without hamza (أ/ا), ta
marbuta (ة/ه), alef maqsura (ى/ي), short vowels and tatweel. Every reader
that compares Arabic words folds these differences, but not all fold the same
amount, and some of what they fold is stored (search index text, gazetteer
keys), so each variant here is named for what it keeps:

* :func:`to_ascii_digits`: digits only, length kept (offsets stay valid).
* :func:`fold_letters`: alef forms, ta marbuta and alef maqsura, length kept;
  the rule engine matches its lexicons on this 1:1 copy of a report.
* :func:`fold_place_letters`: the same plus hamza seats (ؤ ئ) and the
  Persian letters (ی ک) that place names are often typed with.
* :func:`strip_vowel_marks`: harakat and tatweel, which writers add or leave
  out at will; :func:`strip_marks` drops every Arabic mark (Quranic
  annotation signs too), as place names from many sources need.
* :func:`fold_for_lookup`: the lookup key of a number or date word
  (harakat, tatweel and superscript alef dropped, letters folded).
* :data:`SEARCH_FOLD`: the table full-text search applies after Unicode
  decomposition; the search index stores text folded with it.

Pure functions and tables only: this module imports nothing of the project.
"""
from __future__ import annotations

import re

__all__ = [
    "ALL_MARKS_CLASS",
    "ARABIC_INDIC_DIGITS",
    "BASIC_LETTER_CLASS",
    "DIGITS_TO_ASCII",
    "DIGIT_CHARS",
    "DIGIT_CLASS",
    "EXTENDED_DIGITS",
    "FOLDED_LETTER_CLASS",
    "HARAKAT_CLASS",
    "IN_WORD_MARK_CLASS",
    "LETTER_CLASS",
    "LETTER_FOLD",
    "PLACE_LETTER_FOLD",
    "SCRIPT_CLASS",
    "SEARCH_FOLD",
    "SUPERSCRIPT_ALEF",
    "TATWEEL",
    "VOWEL_MARK_CHARS",
    "VOWEL_MARK_CLASS",
    "fold_for_lookup",
    "fold_letters",
    "fold_place_letters",
    "strip_marks",
    "strip_vowel_marks",
    "to_ascii_digits",
]

# ---------------------------------------------------------------- digits

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"  # U+0660–U+0669
EXTENDED_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0–U+06F9, Persian and Urdu
DIGIT_CHARS = "0123456789" + ARABIC_INDIC_DIGITS + EXTENDED_DIGITS
DIGIT_CLASS = "0-9\u0660-\u0669\u06f0-\u06f9"
"""The body of a regex character class for a digit in any of the three scripts."""
DIGITS_TO_ASCII: dict[str, str] = {ch: str(i % 10) for i, ch in enumerate(ARABIC_INDIC_DIGITS + EXTENDED_DIGITS)}
_DIGIT_TABLE = str.maketrans(DIGITS_TO_ASCII)

# ---------------------------------------------------------------- letters and marks
# Character class bodies (for ``f"[{...}]"``), kept as ranges: the rule
# engine's pattern analysis reads the compiled ranges.

SCRIPT_CLASS = "\u0600-\u06ff"
"""The whole Arabic block: letters, marks, digits and punctuation."""
LETTER_CLASS = "\u0621-\u064a\u0671-\u06d3"
"""Arabic letters, with the extended letters Persian, Urdu and Kurdish add."""
BASIC_LETTER_CLASS = "\u0621-\u064a"
"""Hamza to yeh: the letters of Arabic itself."""

TATWEEL = "\u0640"
SUPERSCRIPT_ALEF = "\u0670"
HARAKAT_CLASS = "\u064b-\u0652"
"""Tanween, the short vowels, shadda and sukun."""
VOWEL_MARK_CLASS = HARAKAT_CLASS + TATWEEL
"""What writers add or leave out at will: harakat and tatweel."""
VOWEL_MARK_CHARS: frozenset[str] = frozenset(chr(c) for c in range(0x064B, 0x0653)) | {TATWEEL}
IN_WORD_MARK_CLASS = "\u064b-\u065f\u0670\u0640"
"""The marks a word carries between its letters: harakat, the madda and hamza
signs, superscript alef, and tatweel; a word with them is still one word."""
ALL_MARKS_CLASS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
"""Every mark that decorates a letter: harakat, the hamza and madda signs,
superscript alef, Quranic annotation signs, and tatweel."""

_VOWEL_MARKS = re.compile(f"[{VOWEL_MARK_CLASS}]")
_LOOKUP_MARKS = re.compile(f"[{HARAKAT_CLASS}{TATWEEL}{SUPERSCRIPT_ALEF}]")
_ALL_MARKS = re.compile(f"[{ALL_MARKS_CLASS}]")

# ---------------------------------------------------------------- letter folds

LETTER_FOLD: dict[str, str] = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"}
"""Alef forms, ta marbuta and alef maqsura, each to the letter written in its place."""
PLACE_LETTER_FOLD: dict[str, str] = {**LETTER_FOLD, "ؤ": "و", "ئ": "ي", "ی": "ي", "ک": "ك"}
"""The letter fold plus hamza seats and the Persian yeh and kaf, which place names are often typed with."""
FOLDED_LETTER_CLASS: dict[str, str] = {"ا": "[اأإآٱ]", "ه": "[ةه]", "ي": "[يى]"}
"""For a letter :data:`LETTER_FOLD` folds to, a regex class of every letter that folds to it:
a pattern built from folded words with these classes matches the text as written."""
_LETTER_TABLE = str.maketrans(LETTER_FOLD)
_PLACE_LETTER_TABLE = str.maketrans(PLACE_LETTER_FOLD)

SEARCH_FOLD: dict[str, str | None] = {
    TATWEEL: None,
    "ة": "ه",
    "ى": "ي",
    "ک": "ك",  # Persian kaf
    "ی": "ي",  # Persian yeh
    "ٱ": "ا",  # alef wasla
    "\u200c": None,  # zero-width non-joiner
    "\u200d": None,  # zero-width joiner
    "\u200f": None,  # right-to-left mark
    "\u200e": None,  # left-to-right mark
    **DIGITS_TO_ASCII,
}
"""What full-text search folds after NFKD has split off (and search dropped) the
hamza and madda marks, which already turned أ إ آ ؤ ئ into ا ا ا و ي. The
search index stores text folded with this table: changing it means
re-indexing every document."""


def to_ascii_digits(text: str) -> str:
    """``text`` with Arabic-Indic and Extended Arabic-Indic digits as ASCII digits (same length)."""
    return text.translate(_DIGIT_TABLE)


def fold_letters(text: str) -> str:
    """Fold alef forms, ta marbuta and alef maqsura (:data:`LETTER_FOLD`), keeping length so offsets stay valid."""
    return text.translate(_LETTER_TABLE)


def fold_place_letters(text: str) -> str:
    """Fold :data:`PLACE_LETTER_FOLD` (the letter fold plus ؤ ئ ی ک), keeping length."""
    return text.translate(_PLACE_LETTER_TABLE)


def strip_vowel_marks(text: str) -> str:
    """``text`` without harakat and tatweel (:data:`VOWEL_MARK_CLASS`)."""
    return _VOWEL_MARKS.sub("", text)


def strip_marks(text: str) -> str:
    """``text`` without any Arabic mark (:data:`ALL_MARKS_CLASS`)."""
    return _ALL_MARKS.sub("", text)


def fold_for_lookup(text: str) -> str:
    """The lookup key of a number or date word: harakat, tatweel and superscript alef dropped, letters folded.

    For looking words up only: the result can be shorter than ``text``.
    """
    return fold_letters(_LOOKUP_MARKS.sub("", text))
