"""What the rule engine finds once per report, and the acts it cuts the report into.

The engine scans a report once (triggers, actors, places, counts, dates) and
then works act by act; these types carry that shared state between
``engine.py`` and ``fields.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.enums import DatePrecision, LocationPrecision
from .lexicon import Lexicon, Trigger
from .scan import ByStart
from .segment import Segment
from .victims import VictimScan


@dataclass(slots=True)
class Hit:
    """One trigger word found in the report."""

    start: int
    end: int
    trigger: Trigger
    setting: bool = False  # in a clause that sets the scene ("after … took control"), not the act's own


@dataclass(slots=True)
class Unit:
    """The chunks of one sentence that report one act, and the trigger words in them."""

    start: int
    end: int
    sentence: int  # index into the report's sentences
    hits: list[Hit] = field(default_factory=list)

    @property
    def top(self) -> Hit:
        # A word of the setting ("after the shelling") yields to an act of the clause itself, whatever
        # their priorities; a result word alone ("killed") still yields to both.
        return max(self.hits, key=lambda h: (not h.trigger.weak, not h.setting, h.trigger.priority, -h.start))

    @property
    def weak(self) -> bool:
        return all(h.trigger.weak for h in self.hits)


@dataclass(slots=True)
class Report:
    """Everything found once per report."""

    text: str
    hay: str
    lex: Lexicon
    language: str
    sentences: list[Segment]
    paragraph_of: list[int]
    places: ByStart
    quantities: ByStart
    dates: ByStart
    actors: ByStart  # of ActorMention
    dominant: str | None
    main_place: Any | None
    victims: VictimScan
    hits: ByStart  # every trigger word in the report (Hit)
    cue_hits: ByStart  # (start, end, violation cue index)
    unit_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # sentence → its acts
    headings: list[Segment] = field(default_factory=list)  # lines standing alone, left out of ``sentences``
    published: date | None = None  # the day the report came out, when the caller knows it


def start_of(x: Any) -> int:
    return x.start


def usable_date(d: Any) -> bool:
    return bool(getattr(d, "edtf", None))


def date_precision(d: Any) -> DatePrecision:
    value = str(getattr(d, "precision", "") or "")
    try:
        return DatePrecision(value)
    except ValueError:
        edtf = d.edtf
        if "~" in edtf or "?" in edtf:
            return DatePrecision.APPROXIMATE
        return {10: DatePrecision.DAY, 7: DatePrecision.MONTH, 4: DatePrecision.YEAR}.get(len(edtf), DatePrecision.UNKNOWN)


def place_mentions(r: Report, start: int, end: int) -> list[Any]:
    """Syrian places named in ``[start, end)`` where something can happen (not a person's origin)."""
    out = []
    for p in r.places.between(start, end):
        if start <= p.start < end and getattr(p, "role", "place") in ("place", "parent", "anchor"):
            loc = p.location
            if loc.country and loc.country != "SY":
                continue
            if loc.precision == LocationPrecision.COUNTRY and getattr(p, "place", None) is not None:
                continue  # a country named as such; an unlisted village keeps its name
            if evacuated(r, max(start, p.start - 60), p.start):
                continue  # "taken to a hospital in Idlib": where the wounded went, not where it happened
            out.append(p)
    return out


def evacuated(r: Report, lo: int, at: int) -> bool:
    """Whether the words right before ``at`` say the wounded were taken or treated there."""
    ev = r.lex.context.get("evacuation")
    return ev is not None and ev.search(r.hay[lo:at]) is not None
