"""Fast scanning of many lexicon patterns over one text.

Python's ``re`` tries every alternative at every character, which for a few
hundred lexicon patterns over a 4 KB report costs milliseconds. Lexicon
patterns start at a word, and the first two letters of a word rule out most
of them, so each pattern is indexed by the two-letter prefixes it can start
with (worked out from the parsed regex) and tried only at word starts with a
matching prefix. Patterns whose prefixes cannot be enumerated are scanned the
ordinary way, so the result never depends on the index.
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, Union

from ..domain.arabic import VOWEL_MARK_CHARS

# The regex parser is private to ``re`` but stable across 3.11+; only prefix
# analysis uses it, and a pattern it cannot read is scanned the ordinary way.
try:
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

# A word start and the character after it (the two-letter key), read in one regex call.
_WORD_START = re.compile(r"\b\w.?", re.DOTALL)
_MAX_SET = 4000
_DEPTH = 2
_JOIN_AFTER = 200  # word starts a prefix bucket is tried at before its patterns are joined
# Arabic entries share long clitic and suffix edges that a joined bucket states once, so joining
# costs less than compiling the entries it rules out: Arabic buckets are joined on first use.
_JOIN_AFTER_ARABIC = 1


@dataclass(frozen=True, slots=True)
class Source:
    """A pattern not compiled yet: a scanner compiles it the first time it has to try it."""

    pattern: str
    flags: int = 0


Entry = Union[re.Pattern[str], Source]


class _Unbounded(Exception):
    pass


def _chars(op: Any, av: Any, fold: bool) -> set[str]:
    if op is _c.LITERAL:
        ch = chr(av)
        return {ch.lower()} if fold else {ch}
    if op is _c.IN:
        out: set[str] = set()
        for iop, iav in av:
            if iop is _c.NEGATE or iop is _c.CATEGORY:
                raise _Unbounded
            if iop is _c.LITERAL:
                out |= _chars(iop, iav, fold)
            elif iop is _c.RANGE:
                lo, hi = iav
                if hi - lo > 60:
                    raise _Unbounded
                out |= {chr(x).lower() if fold else chr(x) for x in range(lo, hi + 1)}
            else:
                raise _Unbounded
        return out
    raise _Unbounded


def _prefixes(items: list, k: int, fold: bool) -> set[str]:
    """Strings of length ``k`` (or shorter, where the pattern may end) a match can start with."""
    if k == 0 or not items:
        return {""}
    (op, av), rest = items[0], items[1:]
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return _prefixes(rest, k, fold)
    if op in (_c.LITERAL, _c.IN):
        heads = _chars(op, av, fold)
        tails = _prefixes(rest, k - 1, fold)
        out = {h + t for h in heads for t in tails}
        if len(out) > _MAX_SET:
            raise _Unbounded
        return out
    if op is _c.SUBPATTERN:
        sub = av[-1]
        return _prefixes(list(sub) + rest, k, fold)
    if op is _c.BRANCH:
        out = set()
        for alt in av[1]:
            out |= _prefixes(list(alt) + rest, k, fold)
            if len(out) > _MAX_SET:
                raise _Unbounded
        return out
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        lo, hi, sub = av
        once = list(sub)
        more = [(op, (0, hi - 1 if hi != _c.MAXREPEAT else hi, sub))] if hi == _c.MAXREPEAT or hi > 1 else []
        out = _prefixes(once + more + rest, k, fold)
        if lo == 0:
            out |= _prefixes(rest, k, fold)
        return out
    raise _Unbounded


def prefixes(pattern: Entry) -> set[str] | None:
    """The two-letter prefixes a pattern's matches start with, or None if unknown."""
    fold = bool(pattern.flags & re.IGNORECASE)
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        out = _prefixes(list(parsed), _DEPTH, fold)
    except (_Unbounded, RecursionError, Exception):
        return None
    if "" in out or any(not p.strip() or not p[0].isalnum() for p in out):
        return None
    return out


def first_chars(pattern: str, flags: int = 0) -> set[str] | None:
    """The characters a match of ``pattern`` can start with (lower-cased if it ignores case), or None if
    unknown or if it can match the empty string."""
    try:
        out = _prefixes(list(_p.parse(pattern, flags)), 1, bool(flags & re.IGNORECASE))
    except (_Unbounded, RecursionError, Exception):
        return None
    return None if "" in out else out


def first_char_guard(pattern: str, flags: int = 0) -> str:
    """A lookahead for the characters ``pattern`` can start with, to write just before it ("" if unknown).

    ``re`` tries each alternative of a big alternation at every position, and with IGNORECASE it cannot
    even rule one out by its first letter without lower-casing; one character-class test in front rules
    out most positions at once. The guard admits every character a match can start with, so a guarded
    pattern matches exactly where the bare one does."""
    chars = first_chars(pattern, flags)
    if not chars or len(chars) > _GUARD_MAX:
        return ""
    return "(?=[" + "".join(re.escape(c) for c in sorted(chars)) + "])"


def guarded_alternation(items: list[str], flags: int = 0) -> str:
    """``(?:a|b|…)`` with each run of neighbouring alternatives whose first characters are known behind
    one :func:`first_char_guard`. The alternatives keep their order, so the same one wins where several
    match."""
    runs: list[list[str]] = []
    for item in items:
        known = first_chars(f"(?:{item})", flags) is not None
        if runs and runs[-1][0] == known:
            runs[-1][1].append(item)
        else:
            runs.append([known, [item]])
    parts = []
    for known, run in runs:
        body = f"(?:{'|'.join(run)})"
        g = first_char_guard(body, flags) if known else ""
        parts.append(g + body if g else "|".join(run))
    return f"(?:{'|'.join(parts)})"


_GUARD_MAX = 40  # more first characters than this rule out too few positions to pay for the test

_UNSEEN = object()  # a bucket ``any_match`` has not decided on yet
_START_AND_ENTRY = itemgetter(0, 1)  # text order, then entry order (never the match, which does not compare)

_local = threading.local()  # per thread: the text, start, end and word index last computed


def word_starts(text: str, start: int, end: int) -> dict[str, list[int]]:
    """Word-start positions by lower-cased two-letter prefix; cached for the last text scanned."""
    last = getattr(_local, "last", None)
    if last is not None and last[0] is text and last[1] == start and last[2] == end:
        return last[3]
    out: dict[str, list[int]] = {}
    # A key is cut short at ``end`` (a slice would run past it); no pattern's two letters fit there anyway.
    for w in _WORD_START.finditer(text, start, end):
        out.setdefault(w.group().lower(), []).append(w.start())
    _local.last = (text, start, end, out)
    return out


def _first_letters(words: dict[str, list[int]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for key, positions in words.items():
        out.setdefault(key[:1], []).extend(positions)
    return out


_CLITIC_LETTERS = frozenset("وفبلكا")
# The run of word characters and vowel marks at a word start: ``_core_keys`` stops at
# the first character that is neither a letter nor a mark, so it only ever reads this run.
_CORE_RUN = re.compile("(?:\\w|[" + "".join(re.escape(c) for c in sorted(VOWEL_MARK_CHARS)) + "])*")


@lru_cache(maxsize=65536)
def _word_core_keys(word: str) -> frozenset[str]:
    # Reports repeat their words, so each distinct word is worked out once.
    return frozenset(_core_keys(word, 0))


def _core_keys(text: str, pos: int) -> set[str]:
    """Two-letter keys of an Arabic word at ``pos`` with 0–4 proclitic letters skipped.

    Arabic writes "and", "with", "for" and the article on the word ("وبالقصف"),
    so a lexicon entry is indexed by its own first letters and looked up past
    any run of letters that can be clitics; short vowels are skipped.
    """
    keys = set()
    letters: list[str] = []
    i = pos
    while i < len(text) and len(letters) < 6:
        ch = text[i]
        if ch in VOWEL_MARK_CHARS:
            i += 1
            continue
        if not ch.isalpha():
            break
        letters.append(ch)
        i += 1
    for off in range(0, min(5, len(letters) - 1)):
        keys.add(letters[off] + letters[off + 1])
        if letters[off] not in _CLITIC_LETTERS:
            break
    return keys


class Scanner:
    """Several patterns scanned together; yields (pattern index, match) in text order.

    ``keys`` may give each pattern's prefixes explicitly (Arabic entries are
    indexed by their own first letters, see ``_core_keys``); ``arabic`` turns
    on the clitic-skipping lookup.
    """

    def __init__(self, patterns: Sequence[Entry], *, keys: Sequence[set[str] | None] | None = None,
                 arabic: bool = False, affixes: Sequence[tuple[str, str]] = ()) -> None:
        self._sources = list(patterns)
        # Compiled on first use: most entries of a big lexicon are never tried in a short run, and
        # a joined bucket tries its entries only where one of them matches (see ``any_match``).
        self._compiled: list[re.Pattern[str] | None] = [p if isinstance(p, re.Pattern) else None for p in patterns]
        self.arabic = arabic
        # Complete regex units the patterns are built between ("word edge", body, "word edge"):
        # a bucket's alternation states a shared pair once, see ``any_match``.
        self._affixes = list(affixes)
        self._index: dict[str, list[int]] = {}
        self._short: dict[str, list[int]] = {}
        self._plain: list[int] = []
        for i, p in enumerate(self._sources):
            pre = keys[i] if keys is not None else prefixes(p)
            if pre is None:
                self._plain.append(i)
                continue
            for s in pre:
                table = self._index if len(s) == 2 else self._short
                bucket = table.setdefault(s, [])
                if not bucket or bucket[-1] != i:
                    bucket.append(i)
        # Entries indexed under more than one two-letter key: only these can be reached twice at one
        # word start (a position sits once in each key's list), so only these need a record of tries.
        seen_in: dict[int, int] = {}
        for bucket in self._index.values():
            for i in bucket:
                seen_in[i] = seen_in.get(i, 0) + 1
        self._shared = frozenset(i for i, n in seen_in.items() if n > 1)
        self._any: dict[tuple[str, int], Callable[..., re.Match[str] | None] | None] = {}
        self._reached: dict[tuple[str, int], int] = {}  # word starts a bucket was tried at, until it is joined

    @property
    def patterns(self) -> list[re.Pattern[str]]:
        """Every entry, compiled."""
        return [self._load(i) for i in range(len(self._sources))]

    def _load(self, i: int) -> re.Pattern[str]:
        p = self._compiled[i]
        if p is None:
            source = self._sources[i]
            p = self._compiled[i] = re.compile(source.pattern, source.flags)
        return p

    def any_match(self, key: str, width: int, positions: int) -> Callable[..., re.Match[str] | None] | None:
        """``match`` of one alternation of a bucket's patterns; None if not joined (yet) or they cannot be.

        Most word starts match none of the patterns sharing their prefix, and one
        call into the regex engine rules them all out at once where trying each
        pattern from Python costs a call per pattern. An alternation matches at a
        position exactly when one of its alternatives does, so the patterns are
        then tried one by one only where one of them will match. Compiling costs
        about as much as a few hundred tries, so a bucket is joined once it has
        been tried at ``_JOIN_AFTER`` word starts (a short run spares the rare ones).
        """
        slot = (key, width)
        if slot in self._any:
            return self._any[slot]
        reached = self._reached.get(slot, 0) + positions
        if reached < (_JOIN_AFTER_ARABIC if self.arabic else _JOIN_AFTER):
            self._reached[slot] = reached
            return None
        bucket = (self._index if width == 2 else self._short)[key]
        members = [self._sources[i] for i in bucket]
        joined: Callable[..., re.Match[str] | None] | None = None
        if len(members) > 1 and len({p.flags for p in members}) == 1:
            sources = [p.pattern for p in members]
            lead = tail = ""
            for a, b in self._affixes:
                if all(len(x) >= len(a) + len(b) and x.startswith(a) and x.endswith(b) for x in sources):
                    # A(B1|B2)C matches where AB1C or AB2C does; A and C are then tried once, not per entry.
                    lead, tail = a, b
                    sources = [x[len(a):len(x) - len(b)] for x in sources]
                    break
            try:
                # The patterns' own flags apply to the whole alternation (all members share them).
                body = "|".join(f"(?:{x})" for x in sources)
                compiled = re.compile(f"{lead}(?:{body}){tail}", members[0].flags)
                # Its groups are the members' groups: a member with any (a back-reference would
                # point elsewhere once joined) keeps the bucket unjoined.
                joined = compiled.match if not compiled.groups else None
            except (re.error, RecursionError, OverflowError):
                joined = None
        self._any[slot] = joined
        return joined

    def _arabic(self, text: str, words: dict[str, list[int]], end: int) -> Iterator[tuple[int, int, re.Match[str]]]:
        return _arabic_candidates(self, text, words, end)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, re.Match[str]]]:
        end = len(text) if end is None else end
        found: list[tuple[int, int, re.Match[str]]] = []
        words = word_starts(text, start, end)
        compiled, load, anys = self._compiled, self._load, self._any
        if self.arabic:
            found.extend(self._arabic(text, words, end))
        for table, width in ((() if self.arabic else self._index, 2), (self._short, 1)):
            if not table:
                continue
            keys = words if width == 2 else _first_letters(words)
            for key in table.keys() & keys.keys():
                bucket = table[key]
                # A bucket joined (or found unjoinable) is read straight from the table: most are, after a few reports.
                joined = anys.get((key, width), _UNSEEN)
                if joined is _UNSEEN:
                    joined = self.any_match(key, width, len(keys[key]))
                for pos in keys[key]:
                    if joined is not None and joined(text, pos, end) is None:
                        continue  # no pattern of the bucket matches here
                    for i in bucket:
                        m = (compiled[i] or load(i)).match(text, pos, end)
                        if m is not None and m.end() > m.start():
                            found.append((m.start(), i, m))
        for i in self._plain:
            for m in load(i).finditer(text, start, end):
                found.append((m.start(), i, m))
        found.sort(key=_START_AND_ENTRY)
        for _, i, m in found:
            yield i, m


def core_index(text: str, words: dict[str, list[int]]) -> dict[str, list[int]]:
    """Word starts by their Arabic core keys; cached for the last text scanned."""
    last = getattr(_local, "core", None)
    if last is not None and last[0] is text and last[1] is words:
        return last[2]
    out: dict[str, list[int]] = {}
    run = _CORE_RUN.match
    for positions in words.values():
        for pos in positions:
            for key in _word_core_keys(run(text, pos).group()):
                out.setdefault(key, []).append(pos)
    _local.core = (text, words, out)
    return out


def _arabic_candidates(scanner: "Scanner", text: str, words: dict[str, list[int]], end: int
                       ) -> Iterator[tuple[int, int, re.Match[str]]]:
    index, compiled, load, shared, anys = scanner._index, scanner._compiled, scanner._load, scanner._shared, scanner._any
    core = core_index(text, words)
    tried: set[tuple[int, int]] = set()
    for key in index.keys() & core.keys():
        bucket = index[key]
        joined = anys.get((key, 2), _UNSEEN)
        if joined is _UNSEEN:
            joined = scanner.any_match(key, 2, len(core[key]))
        for pos in core[key]:
            if joined is not None and joined(text, pos, end) is None:
                continue  # no pattern of the bucket matches here (trying them again would not either)
            for i in bucket:
                if i in shared:
                    if (pos, i) in tried:
                        continue
                    tried.add((pos, i))
                m = (compiled[i] or load(i)).match(text, pos, end)
                if m is not None and m.end() > m.start():
                    yield m.start(), i, m


def non_overlapping(found: Iterator[tuple[int, re.Match[str]]]) -> Iterator[tuple[int, re.Match[str]]]:
    """Matches in text order, dropping any that starts inside the previous one (as ``finditer`` would)."""
    last_end = -1
    for i, m in found:
        if m.start() >= last_end:
            last_end = m.end()
            yield i, m


class ByStart:
    """Items sorted by a start offset, sliced by offset range in O(log n)."""

    __slots__ = ("items", "starts")

    def __init__(self, items: Sequence, start: Callable[[Any], int]) -> None:
        pairs = sorted(((start(x), i, x) for i, x in enumerate(items)), key=lambda t: (t[0], t[1]))
        self.items = [x for _, _, x in pairs]
        self.starts = [s for s, _, _ in pairs]

    def between(self, lo: int, hi: int) -> list:
        """Items whose start is in ``[lo, hi)``."""
        return self.items[bisect_left(self.starts, lo):bisect_left(self.starts, hi)]

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
