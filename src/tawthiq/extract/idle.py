"""Aircraft that only are there: seen, heard, flown over a town, moved to a base; blasts only heard.

A word for aircraft ("helicopters", "مروحيات") names a strike when the aircraft
strike; "footage showed three attack helicopters being unloaded", "المروحيات
حلقت فوق البلدة", "I heard the helicopter" tell no strike. The engine drops a
chunk whose only act words are such aircraft and that names no one killed or
wounded. Likewise "loud explosions were heard for an hour", right after an act, is that act's sound.
"""
from __future__ import annotations

from .report import Hit, Report

_AIR = "air-drone-strike"


def idle_aircraft(r: Report, start: int, end: int, hits: list[Hit], *, harmed: bool) -> bool:
    """Whether the chunk ``[start, end)`` only sees, hears or moves aircraft (see the module's note)."""
    idle = r.lex.context.get("idle_aircraft")
    if idle is None or harmed:
        return False
    acts = [h for h in hits if not h.trigger.weak]
    if not acts or any(h.trigger.event_type != _AIR for h in acts):
        return False
    return idle.search(r.hay, start, end) is not None


_BLAST = "explosion"  # the trigger of a bare "explosion", "blast", "انفجار"


def heard_blasts(r: Report, start: int, end: int, hits: list[Hit], *, harmed: bool) -> bool:
    """Whether the chunk ``[start, end)`` only hears blasts and names no one harmed (the caller asks this only
    just after an act was told: then the blasts are that act's)."""
    heard = r.lex.context.get("heard_blasts")
    if heard is None or harmed:
        return False
    acts = [h for h in hits if not h.trigger.weak]
    if not acts or any(h.trigger.name != _BLAST for h in acts):
        return False
    return heard.search(r.hay, start, end) is not None
