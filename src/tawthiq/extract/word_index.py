"""An English word-edged lexicon pattern tried only at the word starts it can begin at.

The engine asks the same context patterns (``background``, ``setting``, ``attribution``, …) of every
chunk of every sentence. Python's ``re`` cannot skip ahead to where such a pattern may start (it opens
with a look-behind for the word edge and ignores case), so each call tries the pattern at every
character of its window. A pattern that begins at a word edge can only match at a word start, and only
at one whose first two letters are among those it can begin with (worked out from the parsed regex, as
:class:`~.scan.Scanner` does). The report's word starts are indexed once; a call then tries the pattern
with ``match`` at those positions of its window alone.

``match(text, p, end)`` at each candidate ``p`` is exactly what ``search(text, start, end)`` does at
every position (the same look-behind context, the same cut at ``end``), and no match can begin at a
position that is not a candidate, so the matches found are the same ones, in the same order.
"""
from __future__ import annotations

import re
import sys
import threading
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from .scan import _c, _p, prefixes

# A word start and the character after it (the two-letter key), read in one regex call.
_WORD_START = re.compile(r"\b\w.?", re.DOTALL)
_MIN_TEXT = 256  # shorter strings (slices, single sentences) are scanned the ordinary way
_local = threading.local()


class _Index:
    """The word starts of one text by lower-cased two-letter key, and each pattern's candidates in it."""

    __slots__ = ("text", "words", "odd", "candidates")

    def __init__(self, text: str) -> None:
        self.text = text
        words: dict[str, list[int]] = {}
        for w in _WORD_START.finditer(text):
            words.setdefault(w.group().lower(), []).append(w.start())
        self.words = words
        # Keys that are not two plain ASCII characters ("İn" lower-cases to three; "ſo" matches "so" when case
        # is ignored): every pattern tries these, whatever its prefixes.
        self.odd = [p for k, ps in words.items() if len(k) != 2 or not k.isascii() for p in ps]
        self.candidates: dict[WordStartPattern, list[int]] = {}


def _index(text: str) -> _Index | None:
    # The last two texts indexed: a report's folded copy and its text may be scanned in turn.
    held: list[_Index] | None = getattr(_local, "held", None)
    if held is None:
        held = _local.held = []
    for idx in held:
        if idx.text is text:
            return idx
    if len(text) < _MIN_TEXT:
        return None
    idx = _Index(text)
    held.insert(0, idx)
    del held[2:]
    return idx


def _edged(items: list) -> bool:
    """Whether every way through the parsed ``items`` first asserts a word edge (``\\b``, ``(?<!\\w)``,
    ``(?<![\\w-])``) before it reads a character: a match whose first character is a letter then starts a word."""
    if not items:
        return False
    (op, av), rest = items[0], items[1:]
    if op is _c.AT:
        return av is _c.AT_BOUNDARY
    if op is _c.ASSERT_NOT:
        direction, sub = av
        sub = list(sub)
        return direction == -1 and len(sub) == 1 and sub[0][0] is _c.IN \
            and (_c.CATEGORY, _c.CATEGORY_WORD) in sub[0][1] and not any(o is _c.NEGATE for o, _ in sub[0][1])
    if op is _c.ASSERT:  # a look-ahead in front (a first-character guard) reads nothing
        return av[0] == 1 and _edged(rest)
    if op is _c.SUBPATTERN:
        return _edged(list(av[-1]) + rest)
    if op is _c.BRANCH:
        return all(_edged(list(alt) + rest) for alt in av[1])
    return False


class WordStartPattern:
    """A compiled pattern whose matches begin at a word start with one of a known set of prefixes.

    Used like the compiled pattern it wraps (``search``, ``finditer``, ``match``, ``pattern``, …).
    """

    __slots__ = ("_p", "_pairs", "_singles")

    def __init__(self, compiled: re.Pattern[str], keys: set[str]) -> None:
        self._p = compiled
        self._pairs = sorted(k for k in keys if len(k) == 2)
        self._singles = frozenset(k for k in keys if len(k) == 1)

    @classmethod
    def wrap(cls, compiled: re.Pattern[str] | None) -> Any:
        """``compiled`` wrapped if its matches provably begin at word starts with known ASCII prefixes."""
        if compiled is None or compiled.flags & (re.ASCII | re.LOCALE):
            return compiled  # their word edges are not the Unicode ones the index is built from
        try:
            edged = _edged(list(_p.parse(compiled.pattern, compiled.flags)))
        except Exception:  # a pattern the private parser cannot read is scanned the ordinary way
            edged = False
        if not edged:
            return compiled
        keys = prefixes(compiled)
        if not keys or not all(k.isascii() and k[:1].isalnum() for k in keys):
            return compiled
        return cls(compiled, {k.lower() for k in keys})  # the index's keys are lower-cased

    def __getattr__(self, name: str) -> Any:
        return getattr(self._p, name)

    def __repr__(self) -> str:
        return f"WordStartPattern({self._p!r})"

    def _candidates(self, text: str) -> list[int] | None:
        idx = _index(text)
        if idx is None:
            return None
        found = idx.candidates.get(self)
        if found is None:
            words = idx.words
            found = list(idx.odd)
            for k in self._pairs:
                found.extend(words.get(k, ()))
            if self._singles:
                found.extend(p for k, ps in words.items() if k[:1] in self._singles for p in ps)
            found = sorted(set(found))
            idx.candidates[self] = found
        return found

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self._p.match(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        found = self._candidates(string)
        if found is None:
            return self._p.finditer(string, pos, endpos)
        return self._scan(string, found, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        found = self._candidates(string)
        if found is None:
            return self._p.search(string, pos, endpos)
        return next(self._scan(string, found, pos, endpos), None)

    def _scan(self, string: str, found: list[int], pos: int, endpos: int) -> Iterator[re.Match[str]]:
        pos = max(pos, 0)
        endpos = min(endpos, len(string))
        match = self._p.match
        i, n = bisect_left(found, pos), len(found)
        while i < n:
            p = found[i]
            if p >= endpos:  # no match is empty (every one starts with a letter)
                return
            m = match(string, p, endpos)
            if m is None:
                i += 1
                continue
            yield m
            i = bisect_left(found, m.end(), i + 1)  # the next match starts after this one ends, as in ``finditer``
