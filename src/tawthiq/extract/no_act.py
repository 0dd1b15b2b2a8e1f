"""What makes a chunk of a sentence no act: a period, a tally or a background; speech about an act told
elsewhere; a threat, a plan or a fear; a state that lasts.

The engine (``engine.py``) asks these of each chunk that has an act's word before it makes the chunk an act;
their vocabulary is in ``lexicons/context.toml`` (``background``, ``background_soft``, ``speech``,
``superlative``, ``toll``, ``hypothetical``, ``state``).
"""
from __future__ import annotations

import re

from ..domain.enums import DatePrecision
from .report import Hit, Report, date_precision, usable_date


def triggers_in(r: Report, start: int, end: int) -> list[Hit]:
    """The act words wholly inside ``[start, end)``."""
    return [h for h in r.hits.between(start, end) if h.end <= end]


_HELD_SINCE = re.compile(r"(?:arrest(?:ed)?|detain(?:ed)?|detention|held|disappeared|missing|imprisoned|"
                         r"\S*اعتقال\S*|\S*اعتقل\S*|\S*احتجاز\S*|مختف\S*|مغيب\S*|معتقل\S*)\s+(?:\S+\s+){0,2}$",
                         re.IGNORECASE)


def background(r: Report, start: int, end: int) -> bool:
    """Whether ``[start, end)`` speaks of a period, a running total or a ranking, or of an act told elsewhere
    ("condemned the shelling of …"), rather than reporting an act."""
    bg = r.lex.context.get("background")
    if bg is not None:
        for m in bg.finditer(r.hay, start, end):
            if frames_act(r, start, end, m):
                continue
            # "died under torture, detained since 2013": the period is the detention's, the death is an act
            if not (_HELD_SINCE.search(r.hay, max(start, m.start() - 40), m.start())
                    and any(h.trigger.outcome == "killed" for h in triggers_in(r, start, end))):
                return True
    speech = r.lex.context.get("speech")
    if speech is not None:
        first = min((h.start for h in triggers_in(r, start, end)), default=end)
        framing = [m for m in speech.finditer(r.hay, start, end) if m.start() < first and not frames_act(r, start, end, m)]
        # "نحمّل الهيئة مسؤولية الاعتداء الذي شنته فجر اليوم": the act's day may come before its word
        if framing and not told_here(r, min(first, framing[0].end()), end):
            return True  # "condemned the shelling of …": the act is what the speaker refers to
    soft = r.lex.context.get("background_soft")
    if soft is None or all(frames_act(r, start, end, m, soft=True) for m in soft.finditer(r.hay, start, end)):
        return False
    return not any(usable_date(d) and date_precision(d) == DatePrecision.DAY and not getattr(d, "relative", False)
                   for d in r.dates.between(start, end))


_TOLD_HERE = re.compile(r"\b(?:committed|carried out|perpetrated|conducted|launched) (?:\w+ ){0,3}?by\b"
                        r"|\b(?:this|yesterday|today|last) (?:morning|evening|night|afternoon)\b|\b(?:yesterday|today)\b"
                        r"|(?:التي|الذي) (?:ارتكب|نفذ|شن)\S*|(?<!\S)(?:صباح|مساء|فجر|ليله|ظهر) (?:اليوم|امس)|(?<!\S)(?:امس|اليوم)(?!\S)",
                        re.IGNORECASE)


def told_here(r: Report, first: int, end: int) -> bool:
    """A statement that condemns an act it tells for the first time ("condemns the massacre committed this
    morning by Russian warplanes", "تدين المجزرة التي ارتكبتها … صباح اليوم"): its author or its day is given."""
    return _TOLD_HERE.search(r.hay, first, end) is not None


_TOLL_TO_ACT = 50  # characters between a toll phrase and the act it is the toll of ("حصيلة استهداف الكلية … بطائرات")
_SUPERLATIVE_REACH = 80  # characters from "one of the deadliest attacks" to the period it is measured in


def frames_act(r: Report, start: int, end: int, m: re.Match[str], *, soft: bool = False) -> bool:
    """A period phrase that only frames the act: a superlative's yardstick, or the toll of an act named next."""
    sup = r.lex.context.get("superlative")
    if sup is not None and sup.search(r.hay, max(start, m.start() - _SUPERLATIVE_REACH), m.start()):
        return True  # "one of the deadliest bombings since 2018", "the latest in a series of kidnappings"
    if soft and sup is not None and sup.search(r.hay, m.end(), end):
        return True  # "a series of bombings … killing 200 in one of the deadliest attacks": one act, measured
    toll = r.lex.context.get("toll")
    if toll is None or not toll.search(r.hay, m.start(), m.end()):
        return False
    # "the toll of the truck bombing rose to 55": the act's own toll, updated
    return any(m.end() <= h.start <= m.end() + _TOLL_TO_ACT for h in r.hits.between(m.end(), m.end() + _TOLL_TO_ACT))


def hypothetical(r: Report, start: int, hits: list[Hit]) -> bool:
    """A threat, plan or fear of an act, written shortly before its trigger."""
    hypo = r.lex.context.get("hypothetical")
    if hypo is None:
        return False
    first = min(h.start for h in hits)
    return hypo.search(r.hay, max(start, first - 60), first + 25) is not None


# characters from a lasting state's words to the act word it describes ("لا تزال أحياء درعا البلد، التي يقطنها
# قرابة 50 ألف نسمة، تحت حصار")
_STATE_REACH = 90


def lasting_state(r: Report, start: int, end: int, hits: list[Hit]) -> bool:
    """A state that lasts ("the city remains besieged", "لا تزال الألغام … تنتشر"), written shortly before the
    trigger, unless the chunk dates an act to a day ("…, إذ سقطت صباح أمس نحو 20 قذيفة")."""
    state = r.lex.context.get("state")
    if state is None:
        return False
    first = min(h.start for h in hits)
    if not any(m.start() <= first + 25 for m in state.finditer(r.hay, max(start, first - _STATE_REACH), end)):
        return False  # "the shelling of the camp continued for the fifth consecutive day": it begins near the act
    return not day_dated(r, start, end)


def day_dated(r: Report, start: int, end: int) -> bool:
    return any(usable_date(d) and date_precision(d) == DatePrecision.DAY for d in r.dates.between(start, end))
