"""Regex builders shared by the number and date readers.

Both readers match many words in both scripts along every report, so their
alternations are built as tries: a flat alternation of a hundred words costs
a hundred checks at each position of the text. Arabic words are matched in
their spelling variants (see ``domain/arabic.py``, where the folds and digit
tables live).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ..domain.arabic import (
    FOLDED_LETTER_CLASS,
    LETTER_CLASS,
    SCRIPT_CLASS,
    fold_for_lookup,
    fold_letters,
)

__all__ = [
    "AR_BEFORE", "AR_AFTER", "HAS_ARABIC",
    "arabic_pattern", "en_pattern", "alternation", "lookup_key",
    "trie_pattern", "ar_char", "en_char", "en_variants",
]

AR_BEFORE = f"(?<![{LETTER_CLASS}])"  # no Arabic letter right before
AR_AFTER = f"(?![{LETTER_CLASS}])"
HAS_ARABIC = re.compile(f"[{SCRIPT_CLASS}]")
_AR_CHAR = {**FOLDED_LETTER_CLASS, " ": r"\s+"}


def arabic_pattern(word: str) -> str:
    """A regex for an Arabic word that accepts its common spelling variants."""
    return "".join(ar_char(ch) for ch in fold_letters(word))


def en_pattern(phrase: str) -> str:
    """Regex for an English phrase, any run of spaces between its words."""
    return r"\s+".join(re.escape(w) for w in phrase.split())


def alternation(patterns: list[str]) -> str:
    """A flat alternation, longest first, so "tens of thousands" wins over "tens"."""
    return "|".join(sorted(set(patterns), key=len, reverse=True))


def lookup_key(phrase: str) -> str:
    """Lookup form of a phrase: one space between words, lower case, Arabic variants folded."""
    s = " ".join(phrase.lower().split())
    return s if s.isascii() else fold_for_lookup(s)


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
    """Regex for one character of a folded Arabic word (see ``domain.arabic.fold_for_lookup``)."""
    return _AR_CHAR.get(ch) or re.escape(ch)


def en_char(ch: str) -> str:
    """Regex for one character of an English phrase: a space is any run of spaces."""
    return r"\s+" if ch == " " else re.escape(ch)


def en_variants(phrase: str, suffix: str = "") -> list[tuple[str, str]]:
    """An English phrase as written in lower case and with a capital first letter."""
    p = " ".join(phrase.split())
    return [(p, suffix), (p[:1].upper() + p[1:], suffix), (p.upper(), suffix)]
