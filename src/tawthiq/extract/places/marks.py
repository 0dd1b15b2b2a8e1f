"""Marks on places already found: a same-named place in another governorate, a dateline, a road's ends.

``find_places`` (``places/__init__.py``) finds the places a report names; these
passes then say what some of them are: a town the text puts in another
governorate than the gazetteer's place of that name is rehomed there
(``rehome_same_names``); a place at the head of a report followed by its
date is the dateline, not where anything happened (``mark_dateline``); the
towns a road is named after are its ends, not places of the act
(``mark_road_ends``).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from ..gazetteer import Gazetteer, light_key
from .mention import CONTAINER_GAP, LEVEL_PRECISION, P, PlaceMention, place_lights, sentence_of
from .unlisted import placed_in, sentence_ends

_LINE_LABEL_AFTER = re.compile(r"\s*(?::|[-–—]\s)")
# "Hadar in the countryside of Quneitra", "حضر بريف القنيطرة", "حضر في محافظة القنيطرة"
_AREA_GAP = re.compile(r"\s*(?:,|،)?\s*(?:in\s+(?:the\s+)?(?:(?:countryside|province|governorate)\s+of\s+)?"
                       r"|(?:ب|في\s+)(?:ريف|محافظة|منطقة)\s+)", re.IGNORECASE)


def rehome_same_names(text: str, found: list[PlaceMention], gaz: Gazetteer) -> None:
    """"QUNEITRA: drones over the village of Hadar", "Hadar in Quneitra", "حضر بريف القنيطرة": when the line's
    label or a container right after the name puts a village in one governorate and every gazetteer place
    of that name lies in another, the village is a same-named place the gazetteer lacks. It keeps its name
    as written and is placed in the area the text gives."""
    ends: list[int] | None = None
    starts = [f.start for f in found]
    for i, m in enumerate(found):
        if m.role != "place" or m.place is None or m.place.level not in ("town", "subdistrict") or m.place.country != "SY":
            continue
        light = light_key(m.text)
        area = None
        if i + 1 < len(found) and (CONTAINER_GAP.fullmatch(text, m.end, found[i + 1].start) is not None
                                   or _AREA_GAP.fullmatch(text, m.end, found[i + 1].start) is not None):
            area = found[i + 1]
        elif light not in place_lights(m.place):
            # a line's label names the area of everything on the line, loosely: it outweighs the gazetteer
            # only when the name is not spelled as the gazetteer's place ("Hadar" is not "Al Hadir")
            if ends is None:
                ends = sentence_ends(text)
            lo, _ = sentence_of(ends, m.start, len(text))
            k = bisect_left(starts, lo)
            f = found[k]
            if k < i and not text[lo:f.start].strip(" \t\n#*-–•▪️🔴") and _LINE_LABEL_AFTER.match(text, f.end):
                area = f
        if area is None or area.place is None or area.place.country != "SY" or area.place.level == "country" \
                or area.role == "origin":
            continue
        gov = area.place.governorate_id or area.place.id
        if m.place.governorate_id == gov:
            continue
        cands = gaz.lookup(m.text)
        if any(p.level == "governorate" and light in place_lights(p) for p in cands):
            continue  # the text names a governorate or its seat: that is no village
        if any(p.governorate_id == gov for p in cands if p.country == "SY"):
            continue
        found[i] = replace(m, place=None, location=placed_in(m.text, "town", area),
                           rule="unlisted-same-name-in-" + area.place.level, kind=m.kind)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATELINE_AFTER = re.compile(
    r"(?:\s*,\s*(?:Syria|سوريا|سورية))?\s*(?:\([^()\n]{1,40}\))?"
    rf"\s*(?:[-–—:]|,\s*(?:\d|(?:{'|'.join(_MONTHS)})[a-z]*\b|[\u0621-\u064a]+\s*\d))",
    re.IGNORECASE,
)


def mark_dateline(text: str, found: list[PlaceMention]) -> None:
    """A report's dateline ("RAQQA, 3 May:", "Aleppo (AFP) —", "حلب - ") says
    where it was filed, not where each act was: when the text names another
    place, the dateline's place becomes a reference point (role "anchor",
    rule "dateline:…"), which a place named in the act's own clause outranks
    ("Raqqa, 3 May: a man was killed in al-Bab" is al-Bab)."""
    if len(found) < 2 or found[0].role != "place" or found[0].place is None or text[: found[0].start].strip():
        return
    if not _DATELINE_AFTER.match(text, found[0].end):
        return
    if not any(m.role == "place" for m in found[1:]):
        return
    m = found[0]
    found[0] = replace(m, role="anchor", rule=f"dateline:{m.place.level}")


ROAD_END = "road-end:"
"""Rule prefix of a town named as a road's end."""
_ROAD = r"(?:highway|road|motorway|route|autostrade?|autoroute|expressway|freeway|ring\s+road)"
_ROAD_AR = r"(?:ال)?(?:طريق|أوتوستراد|اوتوستراد|أوتستراد|اوتستراد|اتستراد)"
# "the road linking Aleppo and …", "طريق دمشق - درعا الدولي", "الطريق الواصل بين مدينتي …"
_ROAD_BEFORE = re.compile(
    rf"(?:\b{_ROAD}s?\s+(?:(?:that|which)\s+)?(?:links?|linking|connects?|connecting|joins?|joining|between|from|to)"
    rf"|{_ROAD_AR}(?:\s+(?:الدولي|السريع|العام|الرئيسي|القديم|الواصل|الرابط|الذي|يربط|يصل))*(?:\s+(?:بين|من))?)"
    r"\s+(?:the\s+)?(?:(?:towns?|cities|city|villages?)\s+of\s+(?:the\s+)?|(?:مدينة|مدينتي|بلدة|بلدتي|قرية|قريتي)\s+)?$",
    re.IGNORECASE,
)
_ROAD_BEFORE_WINDOW = 80
_ROAD_HINTS = ("road", "highway", "motorway", "route", "autostrad", "expressway", "freeway", "طريق", "وتوستراد", "وتستراد", "اتستراد")
# "Damascus-Daraa highway", "the Aleppo–Gaziantep road", "the Hama road"
_ROAD_AFTER = re.compile(rf"(?:['’]s)?\s+(?:(?:international|main|old|new|M\d+|[A-Z]\d+)\s+)*{_ROAD}\b", re.IGNORECASE)
_ROAD_LINK = re.compile(r"\s*(?:[-–—/]|and|to|with|و|إلى|الى|حتى)\s*(?:(?:the\s+)?(?:town|city|village)\s+of\s+)?", re.IGNORECASE)


def mark_road_ends(text: str, found: list[PlaceMention]) -> None:
    """Towns named as the ends of a road ("on the Damascus-Daraa highway near
    Khirbet Ghazaleh", "طريق دمشق - درعا") say which road, not where on it the
    event was: they become reference points (role "anchor", rule "road-end:…"),
    which a village near the road outranks and a governorate does not.

    A road between two towns runs for tens of km, so an end's precision is
    "district" at best. When nothing nearer is named, :func:`best_location`
    gives the first end written ("the road between Palmyra and Deir ez-Zor"
    → Tadmur, district): a real gazetteer place whose name a reader can
    check, rather than a midpoint in the desert that no name describes and
    that is as far from both ends.
    """
    low = text.lower()
    if not any(w in low for w in _ROAD_HINTS):
        return  # most reports name no road
    i = 0
    while i < len(found):
        a = found[i]
        ends: list[int] = []
        if a.place is not None and _ROAD_BEFORE.search(text, max(0, a.start - _ROAD_BEFORE_WINDOW), a.start):
            ends = [i]
            if i + 1 < len(found) and _ROAD_LINK.fullmatch(text, a.end, found[i + 1].start):
                ends.append(i + 1)
        elif a.place is not None:
            if i + 1 < len(found) and _ROAD_LINK.fullmatch(text, a.end, found[i + 1].start) and _ROAD_AFTER.match(text, found[i + 1].end):
                ends = [i, i + 1]
            elif _ROAD_AFTER.match(text, a.end) and not text[a.end:a.end + 3].startswith(("'", "’")):
                ends = [i]
        for j in ends:
            m = found[j]
            if m.place is None or m.role not in ("place", "anchor", "parent") or m.rule.startswith(ROAD_END):
                continue
            precision = P.DISTRICT if LEVEL_PRECISION.get(m.place.level) in (P.TOWN, P.NEIGHBOURHOOD) else m.location.precision
            found[j] = replace(m, role="anchor", rule=f"{ROAD_END}{m.place.level}",
                               location=replace(m.location, precision=precision))
        i = (ends[-1] + 1) if ends else i + 1


# A road's end is a reference point: a village "near" which it happened is more
# specific, the governorate the road is in ("in Hasakah governorate") less.
