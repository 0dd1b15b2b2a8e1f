"""Victim breakdowns: how many of a group are children, women and men, when the report says so.

"12 civilians were killed, including 5 children and 3 women", "of whom 2 were women",
"7 people, 3 of them children", "مقتل 12 مدنياً بينهم 5 أطفال و3 نساء", "منهم طفلان وامرأة",
"ثلاثة منهم أطفال". After a victim group, a breakdown marker (``lexicons/context.toml``
[breakdown_marker]) or a count of them ([breakdown_of_them]) opens a list of parts. Each part is
a count (``numbers.py``: digits or words; "at least N" is N) or an article, then a part noun
(``lexicons/victims.toml`` [[part]]). A singular noun with no count is one and an Arabic dual two;
a plural with no count, or with a vague one ("dozens of children"), is said but not counted, so it
adds nothing. A word or two may stand before an English noun ("two elderly women") and after an
Arabic one ("امرأة حامل"); "5 من الأطفال" is a count of the noun. The list ends at the first thing
that is no part, and before a part that has an outcome of its own ("…, and 3 women were injured").

A phrase belongs to the nearest victim group before it in the same act, with no sentence stop
between. A group named by a part noun itself ("five children, including two girls") takes none,
and parts that together pass the group's largest count are left out whole
(``domain/breakdown.py``): a part is never guessed. Each filled group gets one claim naming the
rule and the words it rests on, as every other victim field has.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..domain import Claim, ClaimField, Span, VictimGroup
from ..domain.arabic import BASIC_LETTER_CLASS, VOWEL_MARK_CLASS
from ..domain.breakdown import PARTS, breakdown_problem
from .lexicon import Lexicon, PartForm, part_forms
from .victims import VictimMention, VictimScan

__all__ = ["Part", "Phrase", "attach", "fill_breakdowns", "fill_toll_breakdown", "find_phrases"]

_REACH = 200  # characters a list of parts may run after its marker
_EN_BE = re.compile(r"\s*(?:(?:were|was|are|is|being)\s+)?", re.IGNORECASE)
_EN_ARTICLE = re.compile(r"(?:an?|one)\s+", re.IGNORECASE)
_EN_OF = re.compile(r"\s+(?:of\s+)?", re.IGNORECASE)  # "dozens of children"
# A word before an English part noun ("elderly", "teenage", "15-year-old"); never a word that joins
# or places ("and", "in", "of"): the noun after those is no part of this item.
_EN_ADJECTIVE = re.compile(r"(?!(?:and|or|in|of|on|at|by|from|with|were|was|are|is|the|their|his|her|who|"
                           r"which|that|as|while|after|when)\b)(?!\d+\s)[a-z0-9][a-z0-9'’-]*\s+", re.IGNORECASE)
_EN_SEP = re.compile(r"\s*,\s*(?:(?:and|as well as|plus)\s+)?|\s+(?:and|&|as well as|plus)\s+", re.IGNORECASE)
_AR_WORD = f"[{BASIC_LETTER_CLASS}][{BASIC_LETTER_CLASS}{VOWEL_MARK_CLASS}]*"
_AR_OF = re.compile(r"\s*(?:من\s+)?")  # "5 من الأطفال"
_AR_SEP = re.compile(r"\s*[،,]\s*|\s+(?=و)")  # "، " or the conjunction "و" written on the next word
_AR_ADJECTIVE = re.compile(f"\\s+(?!و){_AR_WORD}")  # "امرأة حامل", "رجل مسن"
_SPACE = re.compile(r"[\s:]*")
_STOP = re.compile(r"[.!?؟;؛]")  # a sentence stop between group and phrase: another statement
_TOLL_REACH = 30  # characters from a toll's new figure to its breakdown ("rose to 15, including 6 children")
_THEN_REACH = 3  # characters from a part to an outcome word that makes it a group of its own


@dataclass(frozen=True, slots=True)
class Part:
    """One item of a breakdown list: "5 children", "وامرأة"."""

    part: str  # "children", "women" or "men"
    count: int | None  # None: said but not counted ("among them children", "dozens of women")
    start: int
    end: int
    then: str = ""  # the outcome of a result word right after it ("3 women were injured"), "" if none


@dataclass(frozen=True, slots=True)
class Phrase:
    """A breakdown phrase: its marker or count, its parts, and the rule that read it."""

    start: int
    parts: tuple[Part, ...]
    rule: str  # "marker" or "count-of-them"


@dataclass(frozen=True, slots=True)
class Attached:
    """The parts a phrase gives one group, and the words they rest on."""

    counts: dict[str, int]
    start: int
    end: int
    rule: str


def _usable(q: Any) -> int | None:
    """A count a part can take: an exact figure, or the figure of "at least N"; never a vague one."""
    if q.min is None or q.min < 0:
        return None
    if q.max == q.min or (q.max is None and q.rule == "at-least"):
        return int(q.min)
    return None


def _noun_at(hay: str, lex: Lexicon, pos: int, limit: int) -> tuple[PartForm, int] | None:
    for pattern, form in part_forms(lex.language):
        m = pattern.match(hay, pos, limit)
        if m is not None:
            return form, m.end()
    return None


def _count_of(form: PartForm, q: Any | None) -> int | None:
    if q is not None:
        return _usable(q)  # "16 طفلاً" is singular after eleven: the number counts
    if form.number == "dual":
        return 2
    if form.number == "singular":
        return 1  # "a woman", "بينهم سيدة"
    return None  # "among them children": said, not counted


def _then(hay: str, end: int, cues: Sequence[Any]) -> str:
    for c in cues:
        # "وإصابة 15 آخرين" after a part is the next act's word, joined by "و", not this part's outcome
        if c.backward and 0 <= c.start - end <= _THEN_REACH and not hay.startswith("و", c.start):
            return str(c.outcome)
    return ""


def _item(hay: str, lex: Lexicon, pos: int, limit: int, qs: dict[int, Any], cues: Sequence[Any],
          forced: Any | None = None) -> Part | None:
    """The part written at ``pos``, if one is; ``forced`` is a count already read ("3 of them children")."""
    english = lex.language == "en"
    p = _EN_BE.match(hay, pos, limit).end() if english else _SPACE.match(hay, pos, limit).end()
    start = p
    q = forced
    article = False
    if q is None:
        q = qs.get(p) or (qs.get(p + 1) if not english and hay.startswith("و", p) else None)
        if q is not None:
            p = q.end
            p = (_EN_OF.match(hay, p, limit) or _SPACE.match(hay, p, limit)).end() if english \
                else _AR_OF.match(hay, p, limit).end()
            if english:
                p = _EN_BE.match(hay, p, limit).end()  # "of whom 16 were children"
        elif english and (m := _EN_ARTICLE.match(hay, p, limit)) is not None:
            p, article = m.end(), True
    if english and q is not None and (m := _EN_ARTICLE.match(hay, p, limit)) is not None:
        p = m.end()  # "of whom one was a child"
    found = _noun_at(hay, lex, p, limit)
    if found is None and english:
        at = p
        for _ in range(2):  # "two elderly women", "a 15-year-old boy"
            m = _EN_ADJECTIVE.match(hay, at, limit)
            if m is None:
                break
            at = m.end()
            if (found := _noun_at(hay, lex, at, limit)) is not None:
                break
    if found is None:
        return None
    form, end = found
    if article and form.number != "singular":
        return None
    return Part(form.part, _count_of(form, q), start, end, _then(hay, end, cues))


def _list(hay: str, lex: Lexicon, first: Part, limit: int, qs: dict[int, Any], cues: Sequence[Any]) -> tuple[Part, ...]:
    """``first`` and the parts joined to it ("5 children and 3 women", "طفلان وامرأة")."""
    items = [first]
    sep = _EN_SEP if lex.language == "en" else _AR_SEP
    while True:
        at, nxt = items[-1].end, None
        for _ in range(3 if lex.language == "ar" else 1):  # up to two Arabic adjectives after a noun
            s = sep.match(hay, at, limit)
            if s is not None and (nxt := _item(hay, lex, s.end(), limit, qs, cues)) is not None:
                break
            m = _AR_ADJECTIVE.match(hay, at, limit)
            if m is None:
                break
            at = m.end()
        if nxt is None:
            return tuple(items)
        items.append(nxt)


def find_phrases(hay: str, lex: Lexicon, *, start: int, end: int, limit: int, quantities: Sequence[Any],
                 cues: Sequence[Any]) -> list[Phrase]:
    """Breakdown phrases that start in ``[start, end)``; their lists may run on to ``limit``."""
    marker, of_them = lex.context.get("breakdown_marker"), lex.context.get("breakdown_of_them")
    qs = {q.start: q for q in quantities}
    out: list[Phrase] = []
    if of_them is not None:
        for q in quantities:
            if not (start <= q.start < end):
                continue
            gap = _SPACE.match(hay, q.end, limit).end()
            m = of_them.match(hay, gap, limit)
            if m is None or gap == q.end:
                continue
            # "3 of them children", "ثلاثة منهم أطفال": the count before says how many
            first = _item(hay, lex, m.end(), min(limit, m.end() + _REACH), qs, cues, forced=q)
            if first is not None:
                out.append(Phrase(q.start, _list(hay, lex, first, min(limit, m.end() + _REACH), qs, cues),
                                  "count-of-them"))
    if marker is not None:
        for m in marker.finditer(hay, start, end):
            if any(p.start <= m.start() < p.parts[-1].end for p in out):
                continue  # the "of them" of a count already read
            reach = min(limit, m.end() + _REACH)
            first = _item(hay, lex, m.end(), reach, qs, cues)
            if first is not None:
                out.append(Phrase(m.start(), _list(hay, lex, first, reach, qs, cues), "marker"))
    return sorted(out, key=lambda p: p.start)


def _named_by_part(hay: str, lex: Lexicon, start: int, end: int) -> bool:
    """Whether the group's own words name a part ("five children"): its parts cannot be told apart."""
    return any(pattern.search(hay, start, end) for pattern, _ in part_forms(lex.language))


def attach(hay: str, lex: Lexicon, mentions: Sequence[Any], phrases: Sequence[Phrase]) -> dict[int, Attached]:
    """Which mention (by index) each phrase breaks down, and into what.

    ``mentions`` have ``start``, ``end``, ``outcome`` and ``count_max``; a phrase goes to the
    nearest one ending before it, the first phrase a mention gets is its breakdown.
    """
    out: dict[int, Attached] = {}
    for phrase in phrases:
        before = [(m.end, m.start, i) for i, m in enumerate(mentions) if m.end <= phrase.start]
        if not before:
            continue
        _, _, i = max(before)
        v = mentions[i]
        if i in out or _STOP.search(hay, v.end, phrase.start) or _named_by_part(hay, lex, v.start, v.end):
            continue
        kept: list[Part] = []
        for part in phrase.parts:
            if part.then and part.then != str(v.outcome):
                break  # "…, including 2 children, and 3 women were injured": a group of its own
            kept.append(part)
        counts: dict[str, int] = {}
        for part in kept:
            if part.count is not None:
                counts[part.part] = counts.get(part.part, 0) + part.count
        if not counts:
            continue
        out[i] = Attached({p: counts[p] for p in PARTS if p in counts}, phrase.start, kept[-1].end, phrase.rule)
    return out


def _apply(text: str, group: VictimGroup, found: Attached) -> Claim | None:
    """Set ``found``'s parts on ``group`` and return the claim for them; None (group unchanged) when
    they pass the group's count ("two killed, including three children": not said right)."""
    for part, n in found.counts.items():
        setattr(group, part, n)
    if breakdown_problem(group) is not None:
        for part in PARTS:
            setattr(group, part, None)
        return None
    value = {"kind": str(group.kind), "outcome": str(group.outcome), "count_min": group.count_min,
             "count_max": group.count_max, **{p: getattr(group, p) for p in PARTS}}
    return Claim(ClaimField.VICTIMS, value, Span.of(text, found.start, found.end),
                 f"rule:victims/breakdown/{found.rule}", confidence=0.6)


def _cues(scan: VictimScan, start: int, limit: int) -> list[Any]:
    return scan.cues[bisect_left(scan.cue_starts, start):bisect_left(scan.cue_starts, limit)]


def fill_breakdowns(text: str, scan: VictimScan, *, mentions: Sequence[Any], groups: Sequence[VictimGroup],
                    start: int, end: int, limit: int, quantities: Sequence[Any]) -> list[Claim]:
    """Set the parts of ``groups`` (one per mention, same order) that a phrase in ``[start, end)``
    breaks down, and return one claim for each group filled. Parts over a group's count are left out.

    ``limit`` is where the lists may run to (the sentence's end); ``quantities`` the counts up to it."""
    phrases = find_phrases(scan.hay, scan.lex, start=start, end=end, limit=limit, quantities=quantities,
                           cues=_cues(scan, start, limit))
    if not phrases:
        return []
    found = attach(scan.hay, scan.lex, mentions, phrases)
    return [c for i, f in found.items() if (c := _apply(text, groups[i], f)) is not None]


def fill_toll_breakdown(text: str, scan: VictimScan, *, group: VictimGroup, start: int, end: int, limit: int,
                        quantities: Sequence[Any]) -> list[Claim]:
    """The parts of a toll's new figure ("the toll rose to 15, including 6 children", "ارتفعت الحصيلة إلى
    13 قتيلاً بينهم خمسة أطفال"): ``start``..``end`` are the toll's words up to its figure; the phrase
    must follow within a few words, with no other count between."""
    reach = min(limit, end + _TOLL_REACH)
    phrases = find_phrases(scan.hay, scan.lex, start=end, end=reach, limit=limit, quantities=quantities,
                           cues=_cues(scan, end, limit))
    if not phrases or any(end <= q.start < phrases[0].start for q in quantities):
        return []  # "rose to 15 after 2 more died, including a child": whose child is not plain
    toll = VictimMention(start, end, str(group.kind), str(group.outcome), group.count_min, group.count_max,
                         str(group.unit), "toll-rose-to")
    found = attach(scan.hay, scan.lex, [toll], phrases[:1])
    claim = _apply(text, group, found[0]) if 0 in found else None
    return [claim] if claim is not None else []
