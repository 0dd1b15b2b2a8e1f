"""Sentences and chunks with character offsets, in English and Arabic.

A *sentence* ends at . ! ? ؟ or a line break. A *chunk* is the part of a
sentence that can hold one act: sentences are cut where the writer turns to
another act ("…, while …", "…, as well as …", "، كما …", "، و…"). Offsets
always point into the original text; nothing is rewritten.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A full stop ends a sentence unless it follows an abbreviation or a single
# capital ("U.S.", "Dr.", "St."); decimals never match because a space follows.
_SENT_END = re.compile(r"(?<=[.!?؟])[\"'”’»)\]]*\s+|\n\s*\n|\n(?=\s*\S)")
_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Maj|Brig|Sgt|Capt|No|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z]|\d)\.$")
# "on 3 November 2019. Six armed men came …": a year ends its sentence like any word; a small number
# with a full stop stays inside one (a list item "1.", "No. 5", "para 3.")
_YEAR_END = re.compile(r"(?<!\d)(?:19|20)\d\d\.$")
MAX_SENTENCE = 600


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start:self.end]


def _trim(text: str, start: int, end: int) -> Segment | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Segment(start, end) if end > start else None


def sentences(text: str) -> list[Segment]:
    """Sentences, each at most ``MAX_SENTENCE`` characters (longer ones are cut at commas)."""
    out: list[Segment] = []
    start = 0
    for m in _SENT_END.finditer(text):
        gap = m.group()
        if "\n" not in gap and _ABBREV.search(text[max(start, m.start() - 6):m.start()]) \
                and not _YEAR_END.search(text, max(start, m.start() - 6), m.start()):
            continue
        if gap.count("\n") == 1 and gap.startswith("\n") and _wrapped(text, m.start(), m.end()):
            continue
        seg = _trim(text, start, m.start())
        if seg:
            out.extend(_cap(text, seg))
        start = m.end()
    seg = _trim(text, start, len(text))
    if seg:
        out.extend(_cap(text, seg))
    return out


def _wrapped(text: str, at: int, after: int) -> bool:
    """A single line break inside a hard-wrapped sentence, not a heading's end."""
    line_start = text.rfind("\n", 0, at) + 1
    line = text[line_start:at].rstrip()
    nxt = text[after:after + 1]
    return len(line) >= 50 and line[-1:] not in ".!?؟:" and nxt.islower()


_SOFT_BREAK = re.compile(r"[,;،؛:]\s+")


def _cap(text: str, seg: Segment) -> list[Segment]:
    """Cut an over-long sentence at commas so no evidence span exceeds the limit."""
    if seg.end - seg.start <= MAX_SENTENCE:
        return [seg]
    out: list[Segment] = []
    start = seg.start
    while seg.end - start > MAX_SENTENCE:
        window = text[start:start + MAX_SENTENCE]
        cut = None
        for m in _SOFT_BREAK.finditer(window):
            if m.start() > 80:
                cut = m.end()
        if cut is None:
            space = window.rfind(" ", 100)
            cut = space + 1 if space > 0 else MAX_SENTENCE
        piece = _trim(text, start, start + cut)
        if piece:
            out.append(piece)
        start += cut
    piece = _trim(text, start, seg.end)
    if piece:
        out.append(piece)
    return out


def chunks(text: str, sentence: Segment, breaks: re.Pattern[str] | None, folded: str | None = None) -> list[Segment]:
    """Cut one sentence where the writer turns to another act.

    ``folded`` is the Arabic-folded copy of ``text`` that ``breaks`` matches.
    """
    if breaks is None:
        return [sentence]
    hay = (folded or text)
    out: list[Segment] = []
    start = sentence.start
    for m in breaks.finditer(hay, sentence.start, sentence.end):
        if m.start() - start < 12:  # a break right at the start cuts nothing
            continue
        seg = _trim(text, start, m.start())
        if seg:
            out.append(seg)
        # the connector belongs to the new chunk, minus leading punctuation
        start = m.start()
        while start < sentence.end and text[start] in ",;،؛ \t\n":
            start += 1
    seg = _trim(text, start, sentence.end)
    if seg:
        out.append(seg)
    return out or [sentence]


def paragraphs(text: str) -> list[Segment]:
    """Blocks separated by blank lines."""
    out = []
    start = 0
    for m in re.finditer(r"\n\s*\n", text):
        seg = _trim(text, start, m.start())
        if seg:
            out.append(seg)
        start = m.end()
    seg = _trim(text, start, len(text))
    if seg:
        out.append(seg)
    return out
