"""Places named with a place noun that the gazetteer lacks ("the village of
al-Khatuniyah", "Eddekhar neighborhood", "حي الكلاسة").

They keep their name as written and take the coordinates of the nearest
gazetteer place in the same sentence (their *parent*), with a precision that
says how far that can be from the real place: a neighbourhood of a known town
is placed at the town ("neighbourhood"); a village or area near a town or
sub-district at that point ("district"); one in a governorate's countryside
at the governorate ("governorate"); one with no parent has no coordinates.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from ...domain import Location
from ...domain.enums import LocationPrecision
from ..gazetteer import LATIN_ARTICLES, Token, is_arabic, joined, starts_name
from .cues import Context, ar_noun
from .mention import PlaceMention

P = LocationPrecision
Item = tuple[int, int, str, str, str]
"""An unlisted place found in a text: (start, end, name as written, kind, role)."""
_SENTENCE_END = re.compile(r"[.!?؟;\n]")


def find_unlisted(text: str, toks: list[Token], found: list[PlaceMention], ctx: Context) -> list[Item]:
    """Places named with a place noun that the gazetteer lacks."""
    starts = [f.start for f in found]  # sorted, non-overlapping
    taken: list[tuple[int, int]] = []  # unlisted spans found so far

    def free(s: int, e: int) -> bool:
        i = bisect_left(starts, e) - 1
        if i >= 0 and found[i].end > s:
            return False
        return all(e <= a or s >= b for a, b in taken[-4:])  # they come in text order

    out: list[Item] = []
    n = len(toks)
    for i, t in enumerate(toks):
        if t.arabic:
            kind = ar_noun(t, ctx)
            if kind not in ("town", "neighbourhood", "area") or not joined(text, toks, i):
                continue
            span = _name_ar(text, toks, i + 1, ctx)
        else:
            kind = ctx.nouns.get(t.low) or (ctx.nouns.get(t.low[:-1], "") if t.low.endswith("s") else "")
            if not kind:
                continue
            span = None
            if i + 2 < n and toks[i + 1].low == "of" and joined(text, toks, i) and joined(text, toks, i + 1):
                j = i + 2
                if toks[j].low == "the" and joined(text, toks, j):
                    j += 1
                span = name_forward(text, toks, j, ctx)
            # "the Salah al-Din neighbourhood of Aleppo": the name is before the noun
            if (span is None or not free(*span)) and joined(text, toks, i - 1):
                span = _name_backward(text, toks, i - 1, ctx)
        if span is None:
            continue
        s, e = span
        if free(s, e):
            out.append((s, e, text[s:e].replace("_", " "), kind, "place"))  # "#Maar_Hattat" is Maar Hattat
            taken.append((s, e))
    return out


def _is_article(t: Token) -> bool:
    return not t.arabic and not t.key and t.low in LATIN_ARTICLES


def name_forward(text: str, toks: list[Token], j: int, ctx: Context) -> tuple[int, int] | None:
    """A capitalised name starting at token j ("al-Khatuniyah", "Tal Hamis")."""
    start = last = None
    content = 0
    k = j
    while k < len(toks) and content < 3:
        t = toks[k]
        if _is_article(t) and starts_name(text, toks, k):
            pass
        elif t.upper and not t.arabic and t.low not in ctx.not_names and t.low not in ctx.nouns:
            content += 1
            last = k
        else:
            break
        if start is None:
            start = k
        if not joined(text, toks, k):
            break
        k += 1
    if start is None or last is None:
        return None
    return toks[start].start, toks[last].end


def _name_backward(text: str, toks: list[Token], j: int, ctx: Context) -> tuple[int, int] | None:
    """A capitalised name ending at token j ("Eddekhar" in "Eddekhar neighborhood",
    "Salah al-Din", "the al-Fukheikha area")."""
    first = None
    content = 0
    k = j
    while k >= 0:
        t = toks[k]
        if t.upper and not t.arabic and not _is_article(t) and t.low not in ctx.not_names and t.low not in ctx.nouns:
            content += 1
            first = k
        elif _is_article(t) and first is not None and starts_name(text, toks, k):
            first = k
        else:
            break
        if content >= 3 or not joined(text, toks, k - 1):
            break
        k -= 1
    if first is None:
        return None
    return toks[first].start, toks[j].end


def _name_ar(text: str, toks: list[Token], j: int, ctx: Context) -> tuple[int, int] | None:
    """One Arabic word after a place noun, or two for a compound ("تل الذهب", "عين العرب")."""
    if j >= len(toks) or not toks[j].arabic or toks[j].text in ctx.ar_stop or len(toks[j].text) < 2:
        return None
    end = toks[j].end
    nxt = j + 1
    if (
        nxt < len(toks) and toks[nxt].arabic and joined(text, toks, j)
        and toks[nxt].text not in ctx.ar_stop
        and (toks[j].text in ctx.ar_heads or toks[nxt].text.startswith("ال"))
    ):
        end = toks[nxt].end
    return toks[j].start, end


def sentence_ends(text: str) -> list[int]:
    """Positions of the sentence-ending signs in ``text``, computed once per text."""
    return [m.start() for m in _SENTENCE_END.finditer(text)]


def _sentence(text: str, start: int, end: int, ends: list[int]) -> tuple[int, int]:
    i = bisect_left(ends, start) - 1
    left = ends[i] + 1 if i >= 0 and ends[i] >= start - 400 else max(0, start - 400)
    j = bisect_left(ends, end)
    return left, (ends[j] if j < len(ends) else min(len(text), end + 400))


_GAP_WORD = re.compile(r"[,،&]|and|or|the|al|el|[A-Z][\w'’]*|و[\u0621-\u064a]+|و")
_GAP_SPLIT = re.compile(r"[\s\-]+|(?<=[,،])|(?=[,،])")
_LIST_NEXT = re.compile(r"\s*(?:,|،|and\b|و)", re.IGNORECASE)


def _sibling(text: str, end: int, f: PlaceMention, start: int | None = None, *, backward: bool = False) -> bool:
    """Whether ``f`` is listed beside an unlisted place ("Kafr Sajna and Hish",
    "حاس وكفرنبل", "between Tal Rifaat and Kafr Naya") rather than being the
    place containing it ("Kafr Sajna, Idlib"). Forward, ``end`` is where the
    unlisted place (or the list so far) ends; backward, ``f`` comes first and
    ``start`` is where the unlisted place begins."""
    if f.role != "place":
        return False
    gap = text[f.end : start] if backward else text[end : f.start]
    words = [w for w in _GAP_SPLIT.split(gap) if w]
    if not all(_GAP_WORD.fullmatch(w) for w in words) or len(words) > 8:
        return False
    if any(w in ("and", "or", "&") or w.startswith("و") for w in words):
        return True
    return not backward and bool(words) and words[-1] in (",", "،") and _LIST_NEXT.match(text, f.end) is not None


def place_unlisted(
    text: str, item: Item, found: list[PlaceMention], starts: list[int], ends: list[int] | None = None
) -> tuple[PlaceMention, int | None]:
    """The unlisted place with the coordinates of its parent, and the parent's index in ``found``.

    The parent is the first gazetteer place after it in the sentence ("X in
    the countryside of Y"), else the last before it; a place listed beside it
    ("the villages of X and Hish") is a sibling, not a parent — its point is
    used only when nothing else is named, and it keeps its own role.
    """
    s, e, name, kind, role = item
    lo, hi = _sentence(text, s, e, sentence_ends(text) if ends is None else ends)
    inside = [
        (i, found[i])
        for i in range(bisect_left(starts, lo), bisect_left(starts, hi))
        if (p := found[i].place) is not None and p.level != "country" and found[i].end <= hi
        # "a man from Douma was killed in the village of X": X is not near his home town
        and (found[i].role != "origin" or role == "origin")
    ]
    after = [(i, f) for i, f in inside if f.start >= e]
    before = [(i, f) for i, f in inside if f.end <= s]
    siblings = []
    chain_end = e
    for i, f in after:
        if _sibling(text, chain_end, f):
            siblings.append((i, f))
            chain_end = f.end
        else:
            break
    after = after[len(siblings):]
    chain_start = s
    while before and _sibling(text, before[-1][1].end, before[-1][1], chain_start, backward=True):
        siblings.append(before.pop())  # "between Tal Rifaat and Kafr Naya": Tal Rifaat is listed beside it
        chain_start = siblings[-1][1].start
    parent = after[0] if after else (before[-1] if before else None)
    if kind == "neighbourhood" and parent is not None and parent[1].place.level != "town":
        # "مدينة X في ريف إدلب … دوار الساعة": a quarter or roundabout is in a town of its sentence, not in the
        # countryside or governorate named nearer to it
        parent = next((t for t in [*reversed(before), *after] if _town_within(t[1], parent[1])), parent)
    sibling_only = parent is None and bool(siblings)
    if sibling_only:
        parent = siblings[0]
    arabic = is_arabic(name)
    if parent is None:
        loc = Location(name="" if arabic else name, text=name, name_ar=name if arabic else "", precision=P.COUNTRY)
        return PlaceMention(s, e, name, None, loc, "unlisted-no-parent", role=role, kind=kind), None
    idx, pm = parent
    level = pm.place.level if pm.place else "place"
    rule = f"unlisted-{kind}-near-{level}" if sibling_only else f"unlisted-{kind}-in-{level}"
    return PlaceMention(s, e, name, None, placed_in(name, kind, pm), rule, role=role, kind=kind), \
        (None if sibling_only else idx)


def _town_within(town: PlaceMention, area: PlaceMention) -> bool:
    """Whether ``town`` is a town named as a scene and ``area`` the unit it is in (or says nothing of its unit)."""
    t, a = town.place, area.place
    if t is None or a is None or t.level != "town" or town.role not in ("place", "parent"):
        return False
    return a.level in ("region", "country") or a.id in (t.governorate_id, t.district_id, t.subdistrict_id) \
        or (bool(a.governorate_id) and a.governorate_id == t.governorate_id)


def placed_in(name: str, kind: str, pm: PlaceMention) -> Location:
    """An unlisted place named ``name`` (of ``kind``) placed at the known place ``pm`` it lies in or near."""
    pl = pm.location
    if kind == "neighbourhood" and pm.place and pm.place.level == "town":
        precision = P.NEIGHBOURHOOD  # inside a known town: its centre is within a few km
    elif pl.precision in (P.GOVERNORATE, P.COUNTRY):
        precision = pl.precision
    else:
        precision = P.DISTRICT  # a village or area near the parent, not in it
    arabic = is_arabic(name)
    return Location(name=pl.name if arabic else name, text=name, name_ar=name if arabic else "",
                    country=pl.country, admin1=pl.admin1, admin2=pl.admin2, admin3=pl.admin3, lat=pl.lat,
                    lon=pl.lon, precision=precision)


def adopted(mention: PlaceMention, parent: PlaceMention) -> PlaceMention:
    """A parentless unlisted place (``unlisted-no-parent``) placed in a known place the report names elsewhere
    (a heading, an earlier sentence): "a car bomb near the Seven Seas roundabout" under "Manbij now"."""
    level = parent.place.level if parent.place else "place"
    return PlaceMention(mention.start, mention.end, mention.text, None,
                        placed_in(mention.text, mention.kind, parent), f"unlisted-{mention.kind}-in-report-{level}",
                        role=mention.role, kind=mention.kind)
