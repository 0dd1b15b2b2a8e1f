"""How a first-person testimony tells its acts: the setting named once in its introduction, who did it named
after the act ("they are from X", "وكانوا عناصر من X"), and Arabic verbs in the plural whose subject is the
party named just before. ``fields.py`` asks these when an act's own words name no place or perpetrator.
"""
from __future__ import annotations

import re
from typing import Any

from ..domain.enums import LocationPrecision
from .attribution import AGENT, ActorMention
from .report import Report, Unit

_FINE = (LocationPrecision.EXACT, LocationPrecision.NEIGHBOURHOOD, LocationPrecision.TOWN)


# a past verb in the plural, bare or with its object ("سرقوا", "خطفوه"); "عبوه", "قوه" are nouns
_PLURAL_VERB = re.compile(r"(?<!\S)\S{2,}وا$|(?<!\S)\S{3,}(?:وه|وها|وهم|وني|ونا)$")


def plural_verb(hay: str, start: int, end: int) -> bool:
    """Whether the word holding ``hay[start:end]`` is a past verb in the plural."""
    return _PLURAL_VERB.search(hay, _word_start(hay, start), _word_end(hay, end)) is not None


def _word_start(hay: str, at: int) -> int:
    while at > 0 and not hay[at - 1].isspace():
        at -= 1
    return at


def _word_end(hay: str, at: int) -> int:
    while at < len(hay) and hay[at].isalpha():
        at += 1
    return at


STORY_REACH = 400  # characters back to the party a pronoun verb goes on about


def identified_after(r: Report, unit: Unit) -> list[ActorMention]:
    """"My husband was taken from our shop. Six armed men came; two of them I knew, they are from the Hamza
    Division.", "… وكانوا عناصر من المخابرات الجوية": a witness names who did it in the next sentence, one
    that tells no act of its own, by a marker as plain as "by X"."""
    nxt = unit.sentence + 1
    if nxt >= len(r.sentences) or r.unit_spans.get(nxt) or r.paragraph_of[nxt] != r.paragraph_of[unit.sentence]:
        return []
    s = r.sentences[nxt]
    named = [a for a in r.actors.between(s.start, s.end) if a.marker == AGENT and a.strength >= 3]
    return [a for i, a in enumerate(named) if a.actor not in {b.actor for b in named[:i]}]


def story_setting(r: Report, unit: Unit) -> Any | None:
    """A testimony names its setting once, early ("Abu Khaled, from Moadamiyat al-Sham:", "I am from Manbij",
    "من مدينة الميادين"), and tells its acts below without it: the first town the report named before the act
    (a later "باب" may be a door, not al-Bab), failing that the first known Syrian place it named."""
    before = [p for p in r.places.between(0, unit.start)
              if getattr(p, "place", None) is not None and getattr(p, "role", "place") != "origin"
              and p.end <= unit.start and (p.location.country or "SY") == "SY"
              and p.location.precision != LocationPrecision.COUNTRY]
    fine = [p for p in before if p.location.precision in _FINE and getattr(p, "role", "place") == "place"]
    return fine[0] if fine else (before[0] if before else None)
