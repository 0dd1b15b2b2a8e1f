"""Search hits marked in a result's text: which words of the original match the search.

The words are compared as the search index folds them (alef forms, taa
marbuta, diacritics, case, the Arabic article and glued prepositions, a
prefix for longer words), so "الرقة" marks "الرقّة" and "بالرقه", and
"strike" marks "Strikes". Nothing here makes HTML: the result is plain pieces,
and the template escapes each one and wraps the hits in ``<mark>``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..domain.arabic import ALL_MARKS_CLASS
from ..store.textnorm import QueryTerm, query_terms, term_matches, words

__all__ = ["Piece", "mark_hits", "terms_of"]

MAX_MARKED_CHARS = 5_000  # result titles and snippets are short; a longer text is shown unmarked past this
# A word as written: letters and digits with any Arabic marks between them (a mark alone is no word).
_WORD = re.compile(f"(?:[^\\W_][{ALL_MARKS_CLASS}]*)+")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    hit: bool = False


def terms_of(q: str | None) -> tuple[QueryTerm, ...]:
    """The search words of ``q`` as the index folds them (empty for none)."""
    return tuple(query_terms(q)) if q and q.strip() else ()


@lru_cache(maxsize=8192)
def _folded(word: str) -> tuple[str, ...]:
    """A written word as the index folds it. Pages repeat their words (two texts a row, fifty rows),
    and folding each afresh was most of a search page's marking (13 ms a page on 100,000 incidents)."""
    return tuple(words(word))


def mark_hits(text: str, terms: tuple[QueryTerm, ...]) -> list[Piece]:
    """``text`` cut into pieces, the words matching any of ``terms`` marked. Joining the pieces'
    text gives back ``text`` exactly."""
    if not text:
        return []
    if not terms:
        return [Piece(text)]
    head, tail = text[:MAX_MARKED_CHARS], text[MAX_MARKED_CHARS:]
    out: list[Piece] = []
    at = 0
    for match in _WORD.finditer(head):
        folded = _folded(match.group())
        if not any(term_matches(t, w) for w in folded for t in terms):
            continue
        if match.start() > at:
            out.append(Piece(head[at:match.start()]))
        out.append(Piece(match.group(), hit=True))
        at = match.end()
    if at < len(head) or tail:
        out.append(Piece(head[at:] + tail))
    return out
