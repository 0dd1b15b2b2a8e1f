"""Place mentions in report text, resolved against the gazetteer.

How a mention is found, in order:

1. Gazetteer names: the text is split into word tokens once, and runs of
   1–6 tokens are looked up by their :func:`~.gazetteer.normalize_name` key
   (articles and Arabic one-letter prefixes و ب ل ف ك handled per token), so
   the cost is a few dict look-ups per token, not one regex per place.
   Leftmost, then longest, wins; mentions never overlap.
2. Context around each name decides which place a shared name means and how
   precise it is: "the countryside of Idlib" / "ريف إدلب" is the governorate
   (an *anchor*: the event is somewhere around it), "east of Idlib" /
   "شرق إدلب" an anchor near the town, "the city of Idlib" / "مدينة إدلب"
   the town.
3. Named places that the gazetteer lacks, introduced by a place noun ("the
   village of al-Khatuniyah", "Eddekhar neighborhood", "حي الكلاسة"), keep
   their name as written and take the coordinates of the nearest gazetteer
   place in the same sentence (their *parent*), with a precision that says
   how far that can be from the real place.

Guards against false places: in English text a name must be capitalised
(unless the whole text is in one case); names that are also common words
(flagged at build time from word frequencies) need a place noun before them;
a one-word name right after a person marker ("Mohammed", "Abu") is a
person's name, not a place.

Foreign places: a short list of countries (neighbours and parties to the
conflict) resolves to precision "country" with its ISO code and no
coordinates; the neighbours' large towns ("Erbil", "Gaziantep") are in the
gazetteer with their own country code, so they are not mistaken for Syrian
villages. :func:`best_location` prefers any Syrian place to a foreign one.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from ..domain import Location
from ..domain.enums import LocationPrecision
from .gazetteer import (
    LATIN_ARTICLES,
    Gazetteer,
    NameMatch,
    Place,
    Token,
    is_arabic,
    joined,
    light_key,
    normalize_name,
    starts_name,
    tokenize,
)

P = LocationPrecision

_CONTAINER_GAP = re.compile(r"\s*(?:\(|,|،|\s(?:in|في)(?:\s+the)?)\s*", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\s+")
_SENTENCE_END = re.compile(r"[.!?؟;\n]")


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text, resolved as far as the gazetteer allows."""

    start: int
    end: int
    text: str  # as written; offsets into the text
    place: Place | None  # None when the place is not in the gazetteer
    location: Location
    rule: str  # why: "gazetteer:town", "countryside-of:governorate", "unlisted-neighbourhood-in-town"…
    # "place": where something happened; "anchor": a reference point ("east of X",
    # "the countryside of X"); "parent": the place an unlisted place was placed
    # in; "origin": where someone comes from ("a woman from Afrin").
    role: str = "place"
    kind: str = ""  # the place noun's kind when one was written: town, neighbourhood, area


@dataclass(frozen=True)
class _Context:
    """Cue words from ``data/gazetteer_context.toml``, as look-up sets."""

    nouns: dict[str, str]  # English place noun → kind (town, neighbourhood, area)
    countryside: frozenset[str]
    province: frozenset[str]
    directions: frozenset[str]
    near: frozenset[str]
    outskirts: frozenset[str]
    not_names: frozenset[str]
    person_markers: frozenset[str]
    organisation_after: re.Pattern[str]
    right_en: re.Pattern[str]
    ar_nouns: dict[str, str]  # Arabic noun → kind, incl. countryside, province, near, subdistrict
    ar_stop: frozenset[str]
    ar_heads: frozenset[str]
    ar_person_markers: frozenset[str]
    ar_organisations: frozenset[str]


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@cache
def _context() -> _Context:
    with resources.files("tawthiq.extract").joinpath("data", "gazetteer_context.toml").open("rb") as f:
        data = tomllib.load(f)
    en, ar = data["en"], data["ar"]
    nouns = {w: "town" for w in en["nouns_town"]} | {w: "neighbourhood" for w in en["nouns_neighbourhood"]}
    nouns |= {w: "area" for w in en["nouns_area"] if " " not in w}
    ar_nouns = {w: "town" for w in ar["nouns_town"]} | {w: "neighbourhood" for w in ar["nouns_neighbourhood"]}
    ar_nouns |= {w: "area" for w in ar["nouns_area"]} | {w: "countryside" for w in ar["countryside"]}
    ar_nouns |= {w: "province" for w in ar["province"]} | {w: "subdistrict" for w in ar["subdistrict"]}
    ar_nouns |= {w: "near" for w in ar["directions"] if " " not in w}
    right_en = re.compile(
        rf"(?:['’]s)?\s+(?:(?:{_alt(en['directions'])})\s+)?"
        rf"(?:(?P<cs>{_alt(en['countryside'])})|(?P<prov>{_alt(en['province'])})|(?P<out>{_alt(en['outskirts'])})"
        rf"|(?P<noun>{_alt(list(nouns))}))\b",
        re.IGNORECASE,
    )
    return _Context(
        nouns=nouns,
        countryside=frozenset(w for w in en["countryside"] if " " not in w) | {"rural"},
        province=frozenset(en["province"]),
        directions=frozenset(en["directions"]),
        near=frozenset(w for w in en["near"] if " " not in w),
        outskirts=frozenset(en["outskirts"]),
        not_names=frozenset(en["not_names"]),
        person_markers=frozenset(en["person_markers"]),
        organisation_after=re.compile(rf"\s*(?:{_alt(en['organisation_nouns'])})\b", re.IGNORECASE),
        right_en=right_en,
        ar_nouns=ar_nouns,
        ar_stop=frozenset(ar["stop"]) | frozenset(ar["direction_adjectives"]),
        ar_heads=frozenset(ar["compound_heads"]),
        ar_person_markers=frozenset(ar["person_markers"]),
        ar_organisations=frozenset(ar["organisation_heads"]),
    )


def _plausible_latin(
    text: str, raw: NameMatch, toks: list[Token], content: list[Token], has_article: bool,
    cands: list[Place], gaz: Gazetteer, ctx: _Context, covered: set[int],
) -> bool:
    """Whether a Latin-script name without a place noun before it is a place at all."""
    written = " ".join(t.low for t in content)
    if written in gaz.common_words:
        return False  # "Iraqi", "Nusra": an everyday word that merely shares a key
    if ctx.organisation_after.match(text, raw.end):
        return False  # "al-Nusra Front", "the Sham Legion"
    named_before = _name_word_before(text, toks, raw.first, ctx, covered)
    if has_article and (named_before or _name_word_before(text, toks, raw.first, ctx, covered, clause_start=True)):
        # "Tahrir al-Sham", "Bashar al-Assad", even first in a sentence
        # ("Ahrar al-Sham took…"): the second half of another name.
        return False
    if len(content) == 1 and not any(p.level in ("governorate", "country") for p in cands):
        if content[0].low in ctx.person_markers:
            return False  # a given name ("Qassem") that a town's spelling happens to match
        if named_before:
            return False  # "Mohammed Adnan", "Qassem Soleimani": a surname
    return True


_CLAUSE_START = re.compile(r"[.!?:;\n\"“”«»(]")


def _name_word_before(
    text: str, toks: list[Token], first: int, ctx: _Context, covered: set[int], *, clause_start: bool = False
) -> bool:
    """Whether the word just before a name is a capitalised word of the same
    proper name (a first name, "Tahrir" in "Tahrir al-Sham"), not a capital
    that starts a sentence, a direction or another place."""
    k = first - 1
    if k < 0 or not joined(text, toks, k) or not toks[k].upper or toks[k].arabic:
        return False
    t = toks[k]
    if t.low in ctx.person_markers:
        return True
    if k in covered or t.low in ctx.directions or t.low in ctx.not_names or t.low in ctx.nouns:
        return False
    return clause_start or (k > 0 and not _CLAUSE_START.search(text, toks[k - 1].end, t.start))


# ----------------------------------------------------------------- context

def _left_cue(text: str, toks: list[Token], first: int, ctx: _Context) -> tuple[str, str]:
    """(relation, kind) from the words just before a name.

    relation: "countryside" ("the countryside of X", "ريف X"), "province",
    "near" ("east of X", "شرق X", "near X"), "noun" ("the town of X",
    "مدينة X"; kind says which), "origin" ("from X", "من X") or "".
    """
    k = first - 1
    if not joined(text, toks, k):
        return "", ""
    if toks[first].arabic:
        return _left_cue_ar(text, toks, k, ctx)
    w = toks[k].low
    if w == "the" and joined(text, toks, k - 1):
        k -= 1
        w = toks[k].low
    if w == "of" and joined(text, toks, k - 1):
        x = toks[k - 1].low
        if x in ("city", "town", "village") and joined(text, toks, k - 2):
            # "the countryside of the city of X", "east of the town of X"
            j = k - 2
            if toks[j].low == "the" and joined(text, toks, j - 1):
                j -= 1
            if toks[j].low == "of" and joined(text, toks, j - 1):
                outer = _of_relation(toks[j - 1].low, ctx)
                if outer[0] in ("countryside", "near"):
                    return outer[0], "town"  # "the countryside of the city of X": around the town
        relation = _of_relation(x, ctx)
        if relation[0] == "noun" and k >= 2 and joined(text, toks, k - 2) and toks[k - 2].upper and toks[k - 2].key:
            return "", ""  # "the Salah al-Din neighbourhood of Aleppo": X contains the named place
        return relation
    if w in ctx.near:
        return "near", ""
    if w == "rural":
        return "countryside", ""  # "rural Damascus"
    if w == "to" and k > 0 and toks[k - 1].low in ("close", "next"):
        return "near", ""
    if w == "from":
        return "origin", ""
    return "", ""


def _of_relation(word: str, ctx: _Context) -> tuple[str, str]:
    if word in ctx.countryside:
        return "countryside", ""
    if word in ctx.outskirts:
        return "near", ""
    if word in ctx.province:
        return "province", ""
    if word in ctx.directions:
        return "near", ""
    if word in ctx.nouns:
        return "noun", ctx.nouns[word]
    if word.endswith("s") and word[:-1] in ctx.nouns:
        return "noun", ctx.nouns[word[:-1]]
    return "", ""


def _left_cue_ar(text: str, toks: list[Token], k: int, ctx: _Context) -> tuple[str, str]:
    kind = ctx.ar_nouns.get(toks[k].text) or ctx.ar_nouns.get(toks[k].low)
    if kind:
        if kind in ("town", "neighbourhood", "area") and joined(text, toks, k - 1):
            outer = ctx.ar_nouns.get(toks[k - 1].text) or ctx.ar_nouns.get(toks[k - 1].low)
            if outer in ("countryside", "near"):
                return outer, "town"  # "ريف مدينة X", "جنوب مدينة X": around the town
        if kind in ("countryside", "province", "near"):
            return kind, ""
        if kind == "subdistrict":
            return "noun", "subdistrict"
        return "noun", kind
    if toks[k].text in ("من", "ابن", "أبناء", "أهالي"):
        if k > 0 and toks[k - 1].text == "بالقرب":
            return "near", ""
        return "origin", ""
    return "", ""


def _right_cue(text: str, end: int, ctx: _Context) -> tuple[str, str]:
    m = ctx.right_en.match(text, end, min(len(text), end + 40))
    if not m:
        return "", ""
    if m.group("cs"):
        return "countryside", ""
    if m.group("prov"):
        return "province", ""
    if m.group("out"):
        return "near", ""
    return "noun", ctx.nouns.get(re.sub(r"\s+", " ", m.group("noun").lower()), "area")


_LEVEL_PRECISION = {
    "town": P.TOWN,
    # A sub-district's coordinates are its centroid, up to ~15 km from the seat
    # town it is usually named after: honest precision is "district".
    "subdistrict": P.DISTRICT,
    "district": P.DISTRICT,
    "governorate": P.GOVERNORATE,
    "country": P.COUNTRY,
}
_PREFER = {
    "town": ("town", "subdistrict", "district", "governorate", "country"),
    # "the countryside of X": the governorate if X names one; otherwise the
    # countryside is around the town, whose point is better than a centroid.
    "admin": ("governorate", "town", "subdistrict", "district", "country"),
    "subdistrict": ("subdistrict", "district", "town", "governorate", "country"),
}


def _choose(cands: list[Place], *, order: tuple[str, ...], written: str, govs: set[str]) -> Place:
    light = light_key(written)

    def score(p: Place) -> tuple[int, int, int, int, int]:
        level = order.index(p.level) if p.level in order else len(order)
        exact = 0 if any(light_key(n) == light for n in p.names) else 1
        foreign = 0 if p.country == "SY" else 1
        in_context = 0 if (p.governorate_id in govs or not govs) else 1
        return (level, exact, foreign, in_context, -p.population)

    return min(cands, key=score)


def location_of(place: Place, *, text: str, precision: LocationPrecision | None = None) -> Location:
    """The :class:`Location` for a gazetteer place, as written in ``text``."""
    if place.level == "country":
        return Location(name=place.name_en, text=text, name_ar=place.name_ar, country=place.country,
                        precision=P.COUNTRY, place_id=place.id)
    return Location(
        name=place.name_en,
        text=text,
        name_ar=place.name_ar,
        country=place.country,
        admin1=place.governorate or (place.name_en if place.level == "governorate" else ""),
        admin2=place.district or (place.name_en if place.level == "district" else ""),
        admin3=place.subdistrict or (place.name_en if place.level == "subdistrict" else ""),
        lat=place.lat,
        lon=place.lon,
        precision=precision or _LEVEL_PRECISION.get(place.level, P.COUNTRY),
        place_id=place.id,
    )


def _resolve(
    text: str, raw: NameMatch, toks: list[Token], gaz: Gazetteer, ctx: _Context, govs: set[str], covered: set[int]
) -> PlaceMention | None:
    entries = gaz.entries(raw.key)
    written = text[raw.start : raw.end]
    relation, kind = _left_cue(text, toks, raw.first, ctx)
    right = _right_cue(text, raw.end, ctx)
    if not relation or (right[0] == "province" and relation in ("near", "countryside")):
        relation, kind = right  # "the western suburbs of Aleppo governorate": the governorate decides
    if relation == "noun" and kind == "neighbourhood":
        # "the al-Midan neighbourhood", "حي الميدان": a quarter of a city that
        # shares a name with some town; it is placed in its city as unlisted.
        return None
    content = [t for t in toks[raw.first : raw.last + 1] if t.key]
    latin = not toks[raw.first].arabic
    if len(content) == 1 and (content[0].low in ctx.nouns or content[0].text in ctx.ar_nouns):
        return None  # a place noun ("مدينة", "Camp") is never itself the name
    has_article = latin and any(not t.key for t in toks[raw.first : raw.last + 1])
    if relation == "noun":
        cands = [p for p, _ in entries]
    elif light_key(written) in gaz.ambiguous_forms:
        return None  # "Tell", "Dana", الثورة without "the town of" / "مدينة"
    else:
        cands = [p for p, common in entries if not common]
    if not cands:
        return None
    if not latin and written.startswith("ال") and not any(
        n.startswith(("ال", "أل")) and normalize_name(n) == raw.key for p in cands for n in p.names
    ):
        return None  # "السورية" is the adjective "Syrian", not "سورية" (Syria)
    if not latin and relation != "noun" and raw.first > 0 and joined(text, toks, raw.first - 1):
        before = toks[raw.first - 1]
        if before.text in ctx.ar_organisations or before.low in ctx.ar_organisations:
            return None  # "قوات سوريا الديمقراطية", "جيش إدلب الحر": an organisation's name
        if len(content) == 1 and before.text in ctx.ar_person_markers and not any(p.level == "governorate" for p in cands):
            return None  # "محمد خليل": a person's name
    if latin and relation != "noun" and not _plausible_latin(text, raw, toks, content, has_article, cands, gaz, ctx, covered):
        return None
    if relation in ("countryside", "province"):
        place = _choose(cands, order=_PREFER["town" if kind == "town" else "admin"], written=written, govs=govs)
        if relation == "countryside" and place.level == "governorate":
            # The countryside of Damascus is its own governorate ("Damascus Countryside", Rif Dimashq).
            around = [p for p in gaz.lookup(f"{place.name_en} Countryside") if p.level == "governorate"]
            place = around[0] if around else place
        precision = _LEVEL_PRECISION[place.level]
        if place.level == "town":
            precision = P.DISTRICT  # "the countryside of Saraqib": around the town, not in it
        return PlaceMention(raw.start, raw.end, written, place, location_of(place, text=written, precision=precision),
                            f"{relation}-of:{place.level}", role="anchor")
    order = _PREFER["subdistrict"] if kind == "subdistrict" else _PREFER["town"]
    if kind != "subdistrict" and not any(p.level == "town" for p in cands) and any(p.level == "governorate" for p in cands):
        order = _PREFER["admin"]  # "ريف دمشق", "Rif Dimashq": a bare name shared with no town is the governorate
    place = _choose(cands, order=order, written=written, govs=govs)
    if relation == "near":
        precision = P.DISTRICT if place.level in ("town", "subdistrict", "district") else _LEVEL_PRECISION[place.level]
        return PlaceMention(raw.start, raw.end, written, place, location_of(place, text=written, precision=precision),
                            f"near:{place.level}", role="anchor")
    role = "origin" if relation == "origin" else "place"
    rule = f"gazetteer:{place.level}"
    if relation == "noun" and kind == "town" and place.level == "subdistrict":
        rule = "gazetteer:subdistrict-seat"  # "the town of Jindires": the sub-district's seat town
    return PlaceMention(raw.start, raw.end, written, place, location_of(place, text=written), rule, role=role, kind=kind)


# ---------------------------------------------------------- unlisted places

def _unlisted(text: str, toks: list[Token], found: list[PlaceMention], ctx: _Context) -> list[tuple[int, int, str, str]]:
    """(start, end, name as written, kind) for places named with a place noun that the gazetteer lacks."""
    starts = [f.start for f in found]  # sorted, non-overlapping
    taken: list[tuple[int, int]] = []  # unlisted spans found so far

    def free(s: int, e: int) -> bool:
        i = bisect_left(starts, e) - 1
        if i >= 0 and found[i].end > s:
            return False
        return all(e <= a or s >= b for a, b in taken[-4:])  # they come in text order

    out: list[tuple[int, int, str, str]] = []
    n = len(toks)
    for i, t in enumerate(toks):
        if t.arabic:
            kind = ctx.ar_nouns.get(t.text) or ctx.ar_nouns.get(t.low)
            if kind not in ("town", "neighbourhood", "area") or not joined(text, toks, i):
                continue
            span = _name_ar(text, toks, i + 1, ctx)
        else:
            kind = ctx.nouns.get(t.low) or (ctx.nouns.get(t.low[:-1]) if t.low.endswith("s") else None)
            if not kind:
                continue
            span = None
            if i + 2 < n and toks[i + 1].low == "of" and joined(text, toks, i) and joined(text, toks, i + 1):
                j = i + 2
                if toks[j].low == "the" and joined(text, toks, j):
                    j += 1
                span = _name_forward(text, toks, j, ctx)
            # "the Salah al-Din neighbourhood of Aleppo": the name is before the noun
            if (span is None or not free(*span)) and joined(text, toks, i - 1):
                span = _name_backward(text, toks, i - 1, ctx)
        if span is None:
            continue
        s, e = span
        if free(s, e):
            out.append((s, e, text[s:e], kind))
            taken.append((s, e))
    return out


def _is_article(t: Token) -> bool:
    return not t.arabic and not t.key and t.low in LATIN_ARTICLES


def _name_forward(text: str, toks: list[Token], j: int, ctx: _Context) -> tuple[int, int] | None:
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


def _name_backward(text: str, toks: list[Token], j: int, ctx: _Context) -> tuple[int, int] | None:
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


def _name_ar(text: str, toks: list[Token], j: int, ctx: _Context) -> tuple[int, int] | None:
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


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=max(0, start - 400))
    m = _SENTENCE_END.search(text, end)
    return left, (m.start() if m else min(len(text), end + 400))


def _place_unlisted(
    text: str, item: tuple[int, int, str, str], found: list[PlaceMention], starts: list[int]
) -> tuple[PlaceMention, int | None]:
    s, e, name, kind = item
    lo, hi = _sentence(text, s, e)
    inside = [
        (i, found[i])
        for i in range(bisect_left(starts, lo), bisect_left(starts, hi))
        if (p := found[i].place) is not None and p.level != "country" and found[i].end <= hi
    ]
    after = [(i, f) for i, f in inside if f.start >= e]
    before = [(i, f) for i, f in inside if f.end <= s]
    parent = after[0] if after else (before[-1] if before else None)
    arabic = is_arabic(name)
    if parent is None:
        loc = Location(name="" if arabic else name, text=name, name_ar=name if arabic else "", precision=P.COUNTRY)
        return PlaceMention(s, e, name, None, loc, "unlisted-no-parent", kind=kind), None
    idx, pm = parent
    pl = pm.location
    if kind == "neighbourhood" and pm.place and pm.place.level == "town":
        precision = P.NEIGHBOURHOOD  # inside a known town: its centre is within a few km
    elif pl.precision in (P.GOVERNORATE, P.COUNTRY):
        precision = pl.precision
    else:
        precision = P.DISTRICT  # a village or area near the parent, not in it
    loc = Location(
        name=pl.name if arabic else name,
        text=name,
        name_ar=name if arabic else "",
        country=pl.country,
        admin1=pl.admin1,
        admin2=pl.admin2,
        admin3=pl.admin3,
        lat=pl.lat,
        lon=pl.lon,
        precision=precision,
    )
    level = pm.place.level if pm.place else "place"
    return PlaceMention(s, e, name, None, loc, f"unlisted-{kind}-in-{level}", kind=kind), idx


# -------------------------------------------------------------------- API

def find_places(text: str, *, language: str | None = None) -> list[PlaceMention]:
    """Place mentions in ``text``, sorted by start, non-overlapping, longest match first.

    ``language`` ("en", "ar") is a hint only; both scripts are always read,
    because Arabic reports quote English names and the other way round.
    """
    if not isinstance(text, str) or not text:
        return []
    gaz, ctx = Gazetteer.load(), _context()
    toks = tokenize(text)
    raws = gaz.scan(text, toks)
    # Governorates named unambiguously elsewhere in the text settle which of two
    # same-named towns is meant.
    govs: set[str] = set()
    for r in raws:
        places = {p.governorate_id for p, common in gaz.entries(r.key) if not common and p.level != "country"}
        if len(places) == 1:
            govs |= places
    covered = {k for r in raws for k in range(r.first, r.last + 1)}
    found = [pm for r in raws if (pm := _resolve(text, r, toks, gaz, ctx, govs, covered)) is not None]
    for i in range(len(found) - 1):
        # "Idlib's Jisr al-Shughur", "Aleppo's Sheikh Maqsoud": the first is where the second is
        if _POSSESSIVE.fullmatch(text, found[i].end, found[i + 1].start) and found[i].role == "place":
            found[i] = replace(found[i], role="parent")
    _demote_containers(text, found, gaz)
    found = _with_nisba_countryside(text, toks, found, gaz)
    extra: list[PlaceMention] = []
    parents: set[int] = set()
    starts = [f.start for f in found]
    for item in _unlisted(text, toks, found, ctx):
        pm, parent_idx = _place_unlisted(text, item, found, starts)
        extra.append(pm)
        if parent_idx is not None:
            parents.add(parent_idx)
    for i in parents:
        if found[i].role == "place":
            found[i] = replace(found[i], role="parent")
    return sorted(found + extra, key=lambda pm: pm.start)


def _with_nisba_countryside(text: str, toks: list[Token], found: list[PlaceMention], gaz: Gazetteer) -> list[PlaceMention]:
    nisba = gaz.governorate_adjectives()
    taken = {(m.start, m.end) for m in found}
    extra = []
    for i in range(len(toks) - 1):
        if toks[i].arabic and toks[i].low in ("الريف", "ريف", "البادية", "بادية") and joined(text, toks, i):
            nxt = toks[i + 1]
            place = nisba.get(nxt.key) if nxt.text.startswith("ال") else None
            if place is not None and (nxt.start, nxt.end) not in taken:
                extra.append(PlaceMention(nxt.start, nxt.end, nxt.text, place, location_of(place, text=nxt.text),
                                          "countryside-of:governorate-adjective", role="anchor"))
    return sorted(found + extra, key=lambda m: m.start) if extra else found


def _demote_containers(text: str, found: list[PlaceMention], gaz: Gazetteer) -> None:
    """"Saraqib (Idlib)", "Saraqib, Idlib", "the town of Saraqib in Idlib": a bare
    governorate name right after a place inside that governorate names the
    governorate the place is in, not a second town."""
    for i in range(1, len(found)):
        a, b = found[i - 1], found[i]
        if b.role != "place" or b.kind or b.place is None or b.place.level != "town" or a.place is None:
            continue
        if not _CONTAINER_GAP.fullmatch(text, a.end, b.start):
            continue
        gov = next((p for p in gaz.lookup(b.text) if p.level == "governorate"), None)
        if gov is not None and a.place.governorate_id == gov.id and a.place.level in ("town", "subdistrict"):
            found[i] = replace(b, place=gov, location=location_of(gov, text=b.text), rule="container:governorate", role="parent")


_ROLE_RANK = {"place": 0, "origin": 1, "parent": 2, "anchor": 2}
_SPECIFICITY = {"town": 4, "subdistrict": 3, "district": 2, "governorate": 1, "country": 0}


def _specificity(pm: PlaceMention) -> float:
    if pm.place is None:
        if pm.location.lat is None:
            return 0.5
        return 6 if pm.location.precision is P.NEIGHBOURHOOD else 5
    if pm.rule == "gazetteer:subdistrict-seat":
        return 4
    return _SPECIFICITY.get(pm.place.level, 0)


def best_location(mentions: Sequence[PlaceMention]) -> PlaceMention | None:
    """The mention that best says where one incident happened.

    A place the text puts the event in beats a reference point ("east of X",
    "the countryside of X") or a place someone comes from; then the most
    specific (a named neighbourhood over its town, a town over its
    governorate); then a Syrian place over a foreign country; then the first.
    """
    usable = [pm for pm in mentions if isinstance(pm, PlaceMention)]
    if not usable:
        return None

    def score(pm: PlaceMention) -> tuple[int, int, float, int]:
        foreign = 1 if pm.location.country != "SY" else 0
        return (foreign, _ROLE_RANK.get(pm.role, 3), -_specificity(pm), pm.start)

    return min(usable, key=score)
