"""Which part of a long source text a page shows: excerpts around marked passages, or one page of it.

A stored text runs to two million characters (an Arabic paste of 3.6 MB);
sent whole with its marks, the review page of one suggestion was megabytes
of HTML. Pages that show a text ask here what to show: the whole text when
it is short (as they always did), otherwise excerpts around the passages
that matter (:func:`around`) or one page of it (:func:`page_at`).

Every offset here is a Python ``str`` index into the *whole* text, as the
stored spans are, so a mark keeps its offsets (and its ``ev-<start>``
anchor) whatever was cut around it. Cuts move to the nearest paragraph or
line break when one is near (a bounded search), else to a space, so an
excerpt rarely starts or ends inside a word.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CONTEXT", "PAGE", "WHOLE_TEXT_MAX", "Excerpt", "TextWindow", "around", "page_at", "whole"]

WHOLE_TEXT_MAX = 40_000  # characters a page shows whole, exactly as before there were excerpts
CONTEXT = 2_000  # characters shown before and after a marked passage
REACH = 600  # how far a cut may move to reach a paragraph or line break (the search is bounded)
MAX_SHOWN = 40_000  # characters of all excerpts together; passages beyond are left to the full text
PAGE = 40_000  # characters of one page of a long text on its source page
_BREAKS = ("\n\n", "\n", " ")  # where a cut may land, best first


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Characters ``start`` (inclusive) to ``end`` (exclusive) of the whole text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TextWindow:
    """What to show of a text of ``length`` characters: its excerpts in order, never overlapping."""

    length: int
    excerpts: tuple[Excerpt, ...]
    left_out: int = 0  # marked passages that fell outside every excerpt (the budget ran out)
    previous: int | None = None  # page_at: the start of the page before, if any
    next: int | None = None  # page_at: the start of the page after, if any

    @property
    def shortened(self) -> bool:
        """Whether anything of the text is not shown (False: the whole text, shown as before)."""
        return self.shown < self.length

    @property
    def shown(self) -> int:
        return sum(e.end - e.start for e in self.excerpts)

    @property
    def start(self) -> int:
        return self.excerpts[0].start if self.excerpts else 0

    @property
    def end(self) -> int:
        return self.excerpts[-1].end if self.excerpts else 0


def whole(length: int) -> TextWindow:
    return TextWindow(length=length, excerpts=(Excerpt(0, length),) if length else ())


def _back(text: str, pos: int, reach: int) -> int:
    """A start at or before ``pos``: just after the nearest break within ``reach``, else ``pos``."""
    if pos <= 0:
        return 0
    lo = max(0, pos - reach)
    for brk in _BREAKS:
        found = text.rfind(brk, lo, pos)
        if found >= 0:
            return found + len(brk)
    return pos


def _forward(text: str, pos: int, reach: int) -> int:
    """An end at or after ``pos``: at the nearest break within ``reach`` (the break itself left out), else ``pos``."""
    if pos >= len(text):
        return len(text)
    hi = min(len(text), pos + reach)
    for brk in _BREAKS:
        found = text.find(brk, pos, hi)
        if found >= 0:
            return found
    return pos


def _valid(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    return sorted((s, e) for s, e in spans if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= length)


def around(text: str, spans: Iterable[tuple[int, int]], *, whole_max: int = WHOLE_TEXT_MAX,
           context: int = CONTEXT, budget: int = MAX_SHOWN, reach: int = REACH) -> TextWindow:
    """Excerpts of ``text`` holding each of ``spans`` (start, end) with ``context`` characters either side.

    A text of at most ``whole_max`` characters is shown whole. Passages near
    each other share one excerpt; excerpts are taken in text order while
    ``budget`` characters last, and the passages left out are counted. A
    text with no usable span shows its beginning. A span outside the text is
    ignored, as the highlighting ignores it.
    """
    length = len(text)
    if length <= whole_max:
        return whole(length)
    spans = _valid(spans, length)
    merged: list[list[int]] = []
    for s, e in spans or [(0, 1)]:  # no span: the beginning of the text
        lo, hi = max(0, s - context), min(length, e + context)
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    excerpts: list[Excerpt] = []
    for lo, hi in merged:
        start, end = _back(text, lo, reach), _forward(text, hi, reach)
        joined = bool(excerpts) and start <= excerpts[-1].end  # moving the cuts joined it to the one before
        kept = excerpts[:-1] if joined else excerpts
        if joined:
            start = excerpts[-1].start
        used = sum(x.end - x.start for x in kept)
        if used + end - start > budget:
            if kept:
                break  # the rest is left to the full text
            # The first excerpt is always shown, cut to the budget (a passage longer than the budget).
            end = max(_cut(text, start, budget, reach), excerpts[-1].end if joined else start + 1)
        excerpts = [*kept, Excerpt(start, end)]
    shown = sum(1 for s, _ in spans if any(x.start <= s < x.end for x in excerpts))
    return TextWindow(length=length, excerpts=tuple(excerpts), left_out=len(spans) - shown)


def _cut(text: str, start: int, budget: int, reach: int) -> int:
    """The end of an excerpt from ``start`` holding at most ``budget`` characters, at a break when one is near."""
    pos = min(len(text), start + budget)
    if pos >= len(text):
        return pos
    moved = _back(text, pos, reach)
    return moved if moved > start else pos


def _page_start(text: str, k: int, size: int, reach: int) -> int:
    """Where page ``k`` begins: at ``k * size``, moved forward to just after a break within ``reach``."""
    pos = min(len(text), max(0, k) * size)
    if pos in (0, len(text)):
        return pos
    hi = min(len(text), pos + reach)
    for brk in _BREAKS:
        found = text.find(brk, pos, hi)
        if found >= 0:
            return found + len(brk)
    return pos


def page_at(text: str, at: int = 0, *, size: int = PAGE, whole_max: int = WHOLE_TEXT_MAX,
            reach: int = REACH) -> TextWindow:
    """The page of ``text`` holding character ``at``, pages being about ``size`` characters cut at breaks.

    A text of at most ``whole_max`` characters is one page, the whole text. Page
    boundaries depend only on the text and ``size``, so the page holding a
    given character is always the same one, whichever link led there.
    """
    length = len(text)
    if length <= whole_max:
        return whole(length)
    at = min(max(0, int(at)), length - 1)
    k = at // size
    start = _page_start(text, k, size, reach)
    if at < start:  # page k's start moved past ``at``: it is on the page before
        k -= 1
        start = _page_start(text, k, size, reach)
    end = _page_start(text, k + 1, size, reach)
    return TextWindow(length=length, excerpts=(Excerpt(start, end),),
                      previous=_page_start(text, k - 1, size, reach) if k > 0 else None,
                      next=end if end < length else None)
