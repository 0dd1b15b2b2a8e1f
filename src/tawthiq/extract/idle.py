"""Aircraft that only are there: seen, heard, flown over a town, moved to a base; blasts only heard.

A word for aircraft ("helicopters", "مروحيات") names a strike when the aircraft
strike; "footage showed three attack helicopters being unloaded", "المروحيات
حلقت فوق البلدة", "I heard the helicopter" tell no strike. The engine drops a
chunk whose only act words are such aircraft and that names no one killed or
wounded. Likewise "loud explosions were heard for an hour", right after an act, is that act's sound.
"""
from __future__ import annotations

from collections.abc import Callable

from .report import Hit, Report

_AIR = "air-drone-strike"
_BLAST = "explosion"  # the trigger of a bare "explosion", "blast", "انفجار"


def _only(r: Report, start: int, end: int, hits: list[Hit], *, harmed: bool, cue: str,
          kind: Callable[[Hit], bool]) -> bool:
    """Whether every act word of the chunk ``[start, end)`` is of ``kind``, no one is harmed, and the chunk holds
    the context pattern ``cue`` (what is only seen, heard or moved)."""
    pattern = r.lex.context.get(cue)
    if pattern is None or harmed:
        return False
    acts = [h for h in hits if not h.trigger.weak]
    if not acts or not all(kind(h) for h in acts):
        return False
    return pattern.search(r.hay, start, end) is not None


def idle_aircraft(r: Report, start: int, end: int, hits: list[Hit], *, harmed: bool) -> bool:
    """Whether the chunk ``[start, end)`` only sees, hears or moves aircraft (see the module's note)."""
    return _only(r, start, end, hits, harmed=harmed, cue="idle_aircraft",
                 kind=lambda h: h.trigger.event_type == _AIR)


def heard_blasts(r: Report, start: int, end: int, hits: list[Hit], *, harmed: bool) -> bool:
    """Whether the chunk ``[start, end)`` only hears blasts and names no one harmed (the caller asks this only
    just after an act was told: then the blasts are that act's)."""
    return _only(r, start, end, hits, harmed=harmed, cue="heard_blasts", kind=lambda h: h.trigger.name == _BLAST)
