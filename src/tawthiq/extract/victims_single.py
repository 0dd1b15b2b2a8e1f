"""One person told of only by a pronoun, and a person held whose fate is unknown since.

In a testimony the one an act fell on is often named in an earlier sentence and then only as "him":
"a sniper shot him", "they whipped him forty times", "he was taken from the checkpoint", "ضربوه",
"اعتقلوه". :func:`pronoun_victim` reads that one person and what befell them (the verb's own outcome, or
the act's when the verb only says it was done to them). :func:`unknown_fate` adds, to those held, that
they disappeared when the account says nothing has been heard of them since ("we have not heard anything
about him since", "ولم نسمع عنه شيئاً منذ ذلك الحين"). Used by ``victims.py``.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..domain.arabic import VOWEL_MARK_CLASS
from . import victim_words as vw

if TYPE_CHECKING:
    from .victims import VictimMention

_MARKS = re.compile(f"[{VOWEL_MARK_CLASS}]*")
_AR_EDGE_BEFORE = r"(?<![\u0621-\u064a])[وف]?"
_AR_EDGE_AFTER = r"(?![\u0621-\u064a])"
# "she was taken from the checkpoint": the passive of a taking, one person its subject; never "taken to hospital"
_PASSIVE_TAKEN = re.compile(r"\b(?:he|she)\s+(?:was|had been)\s+(?:taken|picked up|led away|dragged away|snatched|seized)\b"
                            r"(?!\s+(?:to|into)\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:hospital|clinic|medical point|ambulance))",
                            re.IGNORECASE)
# "we have not heard anything about him since", "ولم نسمع عنه شيئاً", "انقطعت أخباره": nothing known of them since
_NO_NEWS = {
    "en": re.compile(r"\b(?:(?:have|has|had|did)\s+(?:not|never)\s+(?:heard|had\s+(?:any\s+)?news|learned|known)\s+"
                     r"(?:anything\s+|a\s+word\s+|a\s+thing\s+)?(?:about|of|from)\s+(?:him|her|them)|"
                     r"(?:have|has|had)\s+heard\s+nothing\s+(?:about|of|from)\s+(?:him|her|them)|"
                     r"no\s+(?:news|word|trace)\s+(?:of|from|about)\s+(?:him|her|them)\s+(?:since|ever since|to this day))",
                     re.IGNORECASE),
    "ar": re.compile(_AR_EDGE_BEFORE + r"(?:لم|ما)\s+(?:نسمع|نعرف|يعرف|تعرف|نعلم|يعلم)\s+(?:عنه|عنها|عنهم|عنهما)|"
                     + _AR_EDGE_BEFORE + r"(?:انقطعت|انقطع)\s+(?:اخباره|اخبارها|اخبارهم|خبره|خبرها|الاتصال به|الاتصال بها)"
                     + _AR_EDGE_AFTER),
}


def pronoun_victim(hay: str, language: str, start: int, end: int, default_outcome: str) -> tuple[int, int, str] | None:
    """The span and outcome of one person named only by a pronoun object or subject in ``[start, end)``
    ("a sniper shot him", "جلدوه", "he was taken"), or None. A verb that only says the act was done to them
    ("shot", "took", "was taken") takes the act's ``default_outcome``; "beat him to death" is a death."""
    pm = vw.ONE_OBJECT[language == "ar"].search(hay, start, end)
    if pm is None and language == "en":
        pm = _PASSIVE_TAKEN.search(hay, start, end)
        if pm is None:
            return None
        return (pm.start(), pm.end(), default_outcome) if default_outcome else None
    if pm is None:
        return None
    outcome = next((g for g, v in pm.groupdict().items() if v is not None), "act")
    after = _MARKS.match(hay, pm.end()).end()  # "ضرباً": the tanween after the word
    if outcome in ("injured", "act") and (death := vw.TO_DEATH.match(hay, after)) is not None \
            and not vw.PUNCT_STOP.search(hay, after, death.end()):
        outcome = "killed"  # "beat him to death", "ضربوه حتى الموت"
    outcome = default_outcome if outcome == "act" else outcome
    return (pm.start(), pm.end(), outcome) if outcome else None


def unknown_fate(hay: str, language: str, start: int, end: int, found: list[VictimMention]) -> list[VictimMention]:
    """``found`` with, for the people held, a group who disappeared when nothing has been heard of them since
    the act ("he was taken at the checkpoint, and we have not heard anything about him since")."""
    pattern = _NO_NEWS.get(language)
    if pattern is None or any(v.outcome == "disappeared" for v in found):
        return found
    held = [v for v in found if v.outcome in vw.HELD_OUTCOMES]
    if not held or (m := pattern.search(hay, start, end)) is None or m.start() < held[0].start:
        return found
    v = held[0]
    return [*found, replace(v, outcome="disappeared", rule=v.rule.split("|")[0] + "|outcome/no-news-since")]
