"""Corroboration: for each field of an event (a cluster of incidents), which sources say what.

Each incident of a cluster is one source's account (or, after a reviewer's
merge, several sources', told apart by their claims). For every field —
date, place, event type, perpetrators, and the victim count of each outcome
— the matrix lists each value given, the sources that give it, how many
*independent* sources that is (copies of one account, which share an origin
key, count once), and the sources whose value contradicts it.

What contradicts is decided per field, generously, because reports differ in
precision rather than in fact:

* dates contradict when their ranges do not overlap ("October 2015" and
  "7 October 2015" agree);
* places contradict when they are different places and neither contains the
  other (a governorate contains its towns, a district its sub-districts);
* counts contradict when their ranges do not overlap ("at least 6" and "7"
  agree; "5" and "7" do not);
* event types contradict when they differ;
* perpetrators never contradict: naming one actor does not deny another;
  a source that names none is silent.

Pure: incidents in, rows out.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.edtfrange import date_range
from ..domain.enums import ClaimField, CountingUnit, LocationPrecision, VictimOutcome
from ..domain.model import Incident, Location

FIELDS = ("date", "place", "event_type", "perpetrator") + tuple(f"victims:{o.value}" for o in VictimOutcome)
_BROAD = {LocationPrecision.COUNTRY.value: 0, LocationPrecision.GOVERNORATE.value: 1,
          LocationPrecision.DISTRICT.value: 2}


@dataclass(slots=True)
class FieldValue:
    """One value of one field, with who gives it and who contradicts it."""

    field: str  # one of FIELDS
    value: str  # as shown: "2015-10-07", "Ariha (Idlib)", "russia", "5–7"
    sources: list[int] = field(default_factory=list)  # source ids giving this value
    independent: int = 0  # distinct origins among them
    contradicted_by: list[int] = field(default_factory=list)  # sources giving a value that cannot also be true
    # A victims row's count as numbers (low, high; high None when open), for pages that write it in their
    # own words and digits rather than as the label.
    counted: tuple[int, int | None] | None = None


@dataclass(slots=True)
class Corroboration:
    members: list[int]  # incident ids of the cluster
    sources: list[int]  # every source behind it
    independent_sources: int
    rows: list[FieldValue]

    def for_field(self, name: str) -> list[FieldValue]:
        return [r for r in self.rows if r.field == name]


@dataclass(frozen=True, slots=True)
class _Said:
    key: str  # what makes two values the same
    label: str
    detail: Any  # what compatibility is judged on


def _place(loc: Location | None) -> _Said | None:
    if loc is None or not (loc.name or loc.admin1):
        return None
    label = loc.name + (f" ({loc.admin1})" if loc.admin1 and loc.admin1 != loc.name else "")
    return _Said(key=loc.place_id or f"{loc.name}|{loc.admin1}".casefold(), label=label or loc.admin1, detail=loc)


def _places_agree(a: Location, b: Location) -> bool:
    if (a.place_id and a.place_id == b.place_id) or (a.name and a.name == b.name and a.admin1 == b.admin1):
        return True
    for broad, narrow in ((a, b), (b, a)):
        level = _BROAD.get(str(broad.precision))
        if level == 0:
            return True
        if level == 1 and broad.admin1 and broad.admin1 == narrow.admin1:
            return True
        if level == 2 and broad.admin2 and broad.admin2 == narrow.admin2:
            return True
    return False


def _date(incident: Incident) -> _Said | None:
    if incident.date is None:
        return None
    start, end = date_range(incident.date.edtf)
    return _Said(key=incident.date.edtf, label=incident.date.edtf, detail=(start, end))


def _dates_agree(a: tuple[date | None, date | None], b: tuple[date | None, date | None]) -> bool:
    if None in a or None in b:
        return True  # an unreadable date contradicts nothing
    return not (a[1] < b[0] or b[1] < a[0])  # type: ignore[operator]


def _count(incident: Incident, outcome: str) -> _Said | None:
    groups = [v for v in incident.victims if str(v.outcome) == outcome]
    if not groups:
        return None
    lo = sum(v.count_min or 0 for v in groups)
    opened = any(v.count_max is None or v.unit is not CountingUnit.INDIVIDUAL for v in groups)
    hi = None if opened else sum(v.count_max or 0 for v in groups)
    label = (f"≥ {lo}" if lo else "?") if hi is None else (str(lo) if lo == hi else f"{lo}–{hi}")
    return _Said(key=label, label=label, detail=(lo, hi))


def _counts_agree(a: tuple[int, int | None], b: tuple[int, int | None]) -> bool:
    (alo, ahi), (blo, bhi) = a, b
    return (ahi is None or blo <= ahi) and (bhi is None or alo <= bhi)


_SINGLE: dict[str, tuple[Callable[[Incident], _Said | None], Callable[[Any, Any], bool]]] = {
    "date": (_date, _dates_agree),
    "place": (lambda i: _place(i.location), _places_agree),
    "event_type": (lambda i: _Said(i.event_type, i.event_type, i.event_type) if i.event_type else None,
                   lambda a, b: a == b),
}
_CLAIM_FIELD = {"date": ClaimField.DATE, "place": ClaimField.LOCATION, "event_type": ClaimField.EVENT_TYPE,
                "perpetrator": ClaimField.PERPETRATOR}


def _sources_of(incident: Incident, name: str) -> set[int]:
    """The sources behind ``incident``'s value of field ``name``: its claims' sources, else its own source."""
    wanted = _CLAIM_FIELD.get(name, ClaimField.VICTIMS)
    found = {int(c.source_id) for c in incident.claims if c.current and c.field is wanted and c.source_id}
    if not found and incident.source_id is not None:
        found = {int(incident.source_id)}
    return found


def corroborate(members: Sequence[Incident], origins: Mapping[int, str]) -> Corroboration:
    """The matrix of a cluster's incidents; ``origins`` maps source id to its origin key."""
    said: dict[str, dict[str, tuple[_Said, set[int]]]] = {}

    def add(name: str, value: _Said | None, sources: Iterable[int]) -> None:
        if value is None:
            return
        _, held = said.setdefault(name, {}).setdefault(value.key, (value, set()))
        held.update(sources)

    for incident in members:
        for name, (read, _) in _SINGLE.items():
            add(name, read(incident), _sources_of(incident, name))
        for actor in dict.fromkeys(i.actor for i in incident.perpetrators):
            add("perpetrator", _Said(actor, actor, actor), _sources_of(incident, "perpetrator"))
        for outcome in dict.fromkeys(str(v.outcome) for v in incident.victims):
            add(f"victims:{outcome}", _count(incident, outcome), _sources_of(incident, "victims"))

    def independent(ids: Iterable[int]) -> int:
        return len({origins.get(i) or f"source:{i}" for i in ids})

    rows: list[FieldValue] = []
    for name in FIELDS:
        values = list(said.get(name, {}).values())
        agree = (_SINGLE[name][1] if name in _SINGLE else
                 _counts_agree if name.startswith("victims:") else None)
        for value, sources in sorted(values, key=lambda vs: (-independent(vs[1]), vs[0].label)):
            against: set[int] = set()
            if agree is not None:
                for other, other_sources in values:
                    if other.key != value.key and not agree(value.detail, other.detail):
                        against |= other_sources - sources
            rows.append(FieldValue(field=name, value=value.label, sources=sorted(sources),
                                   independent=independent(sources), contradicted_by=sorted(against),
                                   counted=value.detail if name.startswith("victims:") else None))
    every = sorted({s for name in said.values() for _, ss in name.values() for s in ss}
                   | {int(i.source_id) for i in members if i.source_id is not None})
    return Corroboration(members=sorted(int(i.id) for i in members if i.id is not None), sources=every,
                         independent_sources=independent(every), rows=rows)
