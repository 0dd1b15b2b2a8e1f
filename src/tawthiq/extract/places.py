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

Foreign countries on the gazetteer's short list resolve to precision
"country" with their ISO code and no coordinates; other foreign places are
not in the gazetteer and are not reported.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from ..domain import Location
from ..domain.enums import LocationPrecision
from .gazetteer import Gazetteer, Place, is_arabic, light_key, normalize_name, token_key

P = LocationPrecision
MAX_TOKENS = 6

_TOKEN = re.compile(r"(?:[^\W\d_]|[\u064b-\u065f\u0670\u0640])+(?:['’‘ʿʾ`](?:[^\W\d_]|[\u064b-\u065f\u0670\u0640])+)*")
_JOIN = re.compile(r"[ \t\u00a0\-‐‑–]{1,3}")
_AR_PREFIXES = ("وب", "ول", "فب", "فل", "وك", "و", "ب", "ل", "ف", "ك")
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
    nouns: dict[str, str]  # lower-case noun → kind (town, neighbourhood, area)
    ar_nouns: dict[str, str]
    left_en: re.Pattern[str]
    right_en: re.Pattern[str]
    left_ar: re.Pattern[str]
    unlisted_en_before: re.Pattern[str]
    unlisted_en_after: re.Pattern[str]
    unlisted_ar: re.Pattern[str]
    not_names: frozenset[str]
    person_markers: frozenset[str]
    organisation_after: re.Pattern[str]
    directions: frozenset[str]
    ar_stop: frozenset[str]
    ar_heads: frozenset[str]
    ar_dir_adj: frozenset[str]


@dataclass(frozen=True)
class _Matcher:
    gazetteer: Gazetteer
    index: dict[str, tuple[tuple[Place, bool], ...]]  # key → (place, name is a common word)
    prefixes: frozenset[str]


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@cache
def _context() -> _Context:
    with resources.files("tawthiq.extract").joinpath("data", "gazetteer_context.toml").open("rb") as f:
        data = tomllib.load(f)
    en, ar = data["en"], data["ar"]
    nouns = {w: "town" for w in en["nouns_town"]} | {w: "neighbourhood" for w in en["nouns_neighbourhood"]}
    nouns |= {w: "area" for w in en["nouns_area"]}
    ar_nouns = {w: "town" for w in ar["nouns_town"]} | {w: "neighbourhood" for w in ar["nouns_neighbourhood"]}
    ar_nouns |= {w: "area" for w in ar["nouns_area"]} | {w: "countryside" for w in ar["countryside"]}
    ar_nouns |= {w: "province" for w in ar["province"]} | {w: "subdistrict" for w in ar["subdistrict"]}
    ar_nouns |= {w: "near" for w in ar["directions"]}
    dirs = _alt(en["directions"])
    left_en = re.compile(
        rf"(?:\b(?P<cs>{_alt(en['countryside'])})\s+of|\b(?P<prov>{_alt(en['province'])})\s+of"
        rf"|\b(?P<near>{_alt(en['near'])}|(?:{dirs})(?:\s+of|\s+from)?)"
        rf"|\b(?P<noun>{_alt(nouns)})\s+of|\b(?P<origin>{_alt(en['origin'])}))"
        rf"(?:\s+the)?(?:\s+(?:city|town|village)\s+of)?\s*$",
        re.I,
    )
    right_en = re.compile(
        rf"^(?:['’]s)?\s+(?:(?P<cs>{_alt(en['countryside'])})|(?P<prov>{_alt(en['province'])})|(?P<noun>{_alt(nouns)}))\b",
        re.I,
    )
    ar_prefix = r"(?:^|[\s،,(«\"])(?:في\s+|من\s+|إلى\s+|الى\s+|على\s+)?[وفبل]?(?:ال)?"
    left_ar = re.compile(rf"{ar_prefix}(?P<noun>{_alt(ar_nouns)})(?:\s+(?:{_alt(ar['directions'])}))?(?:\s+(?:مدينة|بلدة|قرية))?\s*[وبلف]?$")
    article = r"(?:(?:al|el|ar|as|ash|at|ad|az|an|adh|ath|Al|El|Ar|As|Ash|At|Ad|Az|An)[\-\s‐])"
    word = r"[A-Z\u00c0-\u024f\u1e00-\u1eff'’‘ʿ][\w'’‘ʿ]+"
    name = rf"(?P<name>{article}?{word}(?:[\-\s‐]{article}?{word}){{0,2}})"
    noun_words = _alt(nouns)
    unlisted_before = re.compile(rf"\b(?i:(?P<noun>{noun_words})s?\s+of\s+(?:the\s+)?){name}")
    unlisted_after = re.compile(rf"{name}\s+(?P<noun>{noun_words})\b")
    ar_noun_words = _alt({**{w: 1 for w in ar["nouns_town"]}, **{w: 1 for w in ar["nouns_neighbourhood"]}, **{w: 1 for w in ar["nouns_area"]}})
    unlisted_ar = re.compile(
        rf"(?:^|(?<=[\s،,(«\"]))(?:[وبلف])?(?P<noun>{ar_noun_words})\s+(?P<name>[\u0621-\u064a\u064b-\u065f\u0670]+(?:\s+[\u0621-\u064a\u064b-\u065f\u0670]+)?)"
    )
    return _Context(
        nouns=nouns,
        ar_nouns=ar_nouns,
        left_en=left_en,
        right_en=right_en,
        left_ar=left_ar,
        unlisted_en_before=unlisted_before,
        unlisted_en_after=unlisted_after,
        unlisted_ar=unlisted_ar,
        not_names=frozenset(en["not_names"]),
        person_markers=frozenset(en["person_markers"]),
        organisation_after=re.compile(rf"^\s*(?:{_alt(en['organisation_nouns'])})\b", re.I),
        directions=frozenset(en["directions"]),
        ar_stop=frozenset(ar["stop"]) | frozenset(ar["direction_adjectives"]),
        ar_heads=frozenset(ar["compound_heads"]),
        ar_dir_adj=frozenset(ar["direction_adjectives"]),
    )


@cache
def _matcher() -> _Matcher:
    gaz = Gazetteer.load()
    index: dict[str, tuple[tuple[Place, bool], ...]] = {}
    for key, places in gaz.keys().items():
        entries = []
        for p in places:
            named = [n for n in p.names if normalize_name(n) == key]
            entries.append((p, all(n in p.ambiguous for n in named)))
        index[key] = tuple(entries)
    prefixes = {""}
    for key in index:
        prefixes.update(key[:i] for i in range(1, len(key) + 1))
    return _Matcher(gazetteer=gaz, index=index, prefixes=frozenset(prefixes))


# ---------------------------------------------------------------- matching

@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    key: str
    arabic: bool
    upper: bool


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group()
        ar = is_arabic(t)
        out.append(_Tok(m.start(), m.end(), t, token_key(t), ar, t[:1].isupper()))
    return out


def _start_forms(tok: _Tok) -> list[tuple[int, str]]:
    """(characters skipped, key) for the first token of a name: Arabic prefixes may be glued on."""
    forms = [(0, tok.key)]
    if tok.arabic:
        t = tok.text
        for pre in _AR_PREFIXES:
            if t.startswith(pre) and len(t) - len(pre) >= 3:
                rest = t[len(pre) :]
                if pre.endswith("ل") and rest.startswith("ل"):  # للرقة = ل + الرقة
                    forms.append((len(pre), token_key("ا" + rest)))
                forms.append((len(pre), token_key(rest)))
    return forms


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    key: str
    first: int  # token index
    last: int


def _scan(text: str, toks: list[_Tok], m: _Matcher) -> list[_Raw]:
    caseless = text == text.lower() or text == text.upper()
    found: list[_Raw] = []
    i, n = 0, len(toks)
    while i < n:
        best: _Raw | None = None
        for skip, acc in _start_forms(toks[i]):
            if acc not in m.prefixes:
                continue
            j = i
            while True:
                if toks[j].key and acc in m.index and _well_formed(toks, i, j, caseless):
                    if best is None or j > best.last:
                        best = _Raw(toks[i].start + skip, toks[j].end, acc, i, j)
                if j + 1 >= n or j + 1 - i >= MAX_TOKENS:
                    break
                if not _JOIN.fullmatch(text[toks[j].end : toks[j + 1].start]):
                    break
                nxt = acc + toks[j + 1].key
                if nxt not in m.prefixes:
                    break
                acc, j = nxt, j + 1
        if best:
            found.append(best)
            i = best.last + 1
        else:
            i += 1
    return found


def _well_formed(toks: list[_Tok], i: int, j: int, caseless: bool) -> bool:
    span = toks[i : j + 1]
    if any(t.arabic for t in span) and not all(t.arabic for t in span):
        return False
    if span[0].arabic:
        return True
    content = [t for t in span if t.key]
    if sum(len(t.text) for t in content) < 3:
        return False
    return caseless or all(t.upper for t in content)


def _plausible_latin(
    text: str, raw: _Raw, toks: list[_Tok], content: list[_Tok], has_article: bool,
    cands: list[Place], m: _Matcher, ctx: _Context,
) -> bool:
    """Whether a Latin-script name without a place noun before it is a place at all."""
    written = " ".join(t.text for t in content).lower()
    if written in m.gazetteer.common_words:
        return False  # "Iraqi", "Nusra": an everyday word that merely shares a key
    if ctx.organisation_after.match(text, raw.end):
        return False  # "al-Nusra Front", "the Sham Legion"
    prev = toks[raw.first - 1] if raw.first > 0 else None
    adjacent = prev is not None and _JOIN.fullmatch(text[prev.end : raw.start] or " ") is not None
    if has_article and adjacent and prev.upper and not prev.arabic and prev.text.lower() not in ctx.directions:
        # "Tahrir al-Sham", "Jabhat al-Nusra": the second half of another name.
        return False
    if len(content) == 1 and not any(p.level in ("governorate", "country") for p in cands):
        if content[0].text.lower() in ctx.person_markers:
            return False
        if adjacent and prev.upper and prev.text.lower() in ctx.person_markers:
            return False  # "Mohammed Adnan", "Abu Hamza"
    return True


# ----------------------------------------------------------------- context

def _left_cue(text: str, start: int, ctx: _Context) -> tuple[str, str]:
    """(relation, kind) from the words before a name: relation is one of
    countryside, province, near, noun, origin, ""."""
    window = text[max(0, start - 60) : start]
    if is_arabic(window[-12:] or text[start : start + 1]):
        m = ctx.left_ar.search(window)
        if m:
            kind = ctx.ar_nouns.get(m.group("noun"), "")
            if kind in ("countryside", "province", "near"):
                return kind, ""
            if kind == "subdistrict":
                return "noun", "subdistrict"
            return "noun", kind
        if re.search(r"(?:^|\s)(?:من|ابن|أبناء|أهالي)\s*$", window):
            return "origin", ""
        return "", ""
    m = ctx.left_en.search(window)
    if not m:
        return "", ""
    if m.group("cs"):
        return "countryside", ""
    if m.group("prov"):
        return "province", ""
    if m.group("near"):
        return "near", ""
    if m.group("noun"):
        return "noun", ctx.nouns.get(m.group("noun").lower(), "area")
    return "origin", ""


def _right_cue(text: str, end: int, ctx: _Context) -> tuple[str, str]:
    m = ctx.right_en.match(text, end, min(len(text), end + 40))
    if not m:
        return "", ""
    if m.group("cs"):
        return "countryside", ""
    if m.group("prov"):
        return "province", ""
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
    "admin": ("governorate", "district", "subdistrict", "town", "country"),
    "subdistrict": ("subdistrict", "district", "town", "governorate", "country"),
}


def _choose(cands: list[Place], *, order: tuple[str, ...], written: str, govs: set[str]) -> Place:
    light = light_key(written)

    def score(p: Place) -> tuple[int, int, int, int]:
        level = order.index(p.level) if p.level in order else len(order)
        in_context = 0 if (p.governorate_id in govs or not govs) else 1
        exact = 0 if any(light_key(n) == light for n in p.names) else 1
        return (level, in_context, exact, -p.population)

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


def _resolve(text: str, raw: _Raw, toks: list[_Tok], m: _Matcher, ctx: _Context, govs: set[str]) -> PlaceMention | None:
    entries = m.index[raw.key]
    written = text[raw.start : raw.end]
    relation, kind = _left_cue(text, raw.start, ctx)
    if not relation:
        relation, kind = _right_cue(text, raw.end, ctx)
    content = [t for t in toks[raw.first : raw.last + 1] if t.key]
    latin = not toks[raw.first].arabic
    has_article = latin and any(not t.key for t in toks[raw.first : raw.last + 1])
    cands = [p for p, common in entries if not common]
    if relation == "noun" and not cands:
        cands = [p for p, _ in entries]
    if not cands:
        return None
    if latin and relation != "noun" and not _plausible_latin(text, raw, toks, content, has_article, cands, m, ctx):
        return None
    if relation in ("countryside", "province"):
        place = _choose(cands, order=_PREFER["admin"], written=written, govs=govs)
        precision = _LEVEL_PRECISION[place.level]
        if place.level == "town":
            precision = P.DISTRICT  # "the countryside of Saraqib": around the town, not in it
        return PlaceMention(raw.start, raw.end, written, place, location_of(place, text=written, precision=precision),
                            f"{relation}-of:{place.level}", role="anchor")
    order = _PREFER["subdistrict"] if kind == "subdistrict" else _PREFER["town"]
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

def _unlisted(text: str, found: list[PlaceMention], ctx: _Context) -> list[tuple[int, int, str, str]]:
    """(start, end, name as written, kind) for named places the gazetteer lacks."""
    taken = [(f.start, f.end) for f in found]

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    out: list[tuple[int, int, str, str]] = []
    for pattern in (ctx.unlisted_en_before, ctx.unlisted_en_after):
        for m in pattern.finditer(text):
            s, e = m.span("name")
            name = m.group("name")
            first = re.split(r"[\-\s‐]", name)[0].lower()
            if first in ctx.not_names or not free(s, e):
                continue
            words = [w for w in re.split(r"[\-\s‐]+", name) if w]
            if any(w.lower() in ctx.not_names for w in words if w[:1].isupper()):
                continue
            kind = ctx.nouns.get(re.sub(r"\s+", " ", m.group("noun").lower()), "area")
            out.append((s, e, name, kind))
            taken.append((s, e))
    for m in ctx.unlisted_ar.finditer(text):
        words = m.group("name").split()
        if not words or words[0] in ctx.ar_stop:
            continue
        keep = [words[0]]
        if len(words) > 1 and words[1] not in ctx.ar_stop and (words[0] in ctx.ar_heads or words[1].startswith("ال")):
            keep.append(words[1])
        s = m.start("name")
        e = s + len(" ".join(keep)) if len(keep) == 1 else m.end("name")
        if not free(s, e):
            continue
        kind = ctx.ar_nouns.get(m.group("noun"), "area")
        out.append((s, e, text[s:e], kind))
        taken.append((s, e))
    return out


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=max(0, start - 400))
    m = _SENTENCE_END.search(text, end)
    return left, (m.start() if m else min(len(text), end + 400))


def _place_unlisted(text: str, item: tuple[int, int, str, str], found: list[PlaceMention]) -> tuple[PlaceMention, int | None]:
    s, e, name, kind = item
    lo, hi = _sentence(text, s, e)
    inside = [(i, f) for i, f in enumerate(found) if f.place is not None and f.place.level != "country" and lo <= f.start and f.end <= hi]
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
    m, ctx = _matcher(), _context()
    toks = _tokens(text)
    raws = _scan(text, toks, m)
    # Governorates named unambiguously elsewhere in the text settle which of two
    # same-named towns is meant.
    govs: set[str] = set()
    for r in raws:
        places = {p.governorate_id for p, common in m.index[r.key] if not common and p.level != "country"}
        if len(places) == 1:
            govs |= places
    found = [pm for r in raws if (pm := _resolve(text, r, toks, m, ctx, govs)) is not None]
    extra: list[PlaceMention] = []
    parents: set[int] = set()
    for item in _unlisted(text, found, ctx):
        pm, parent_idx = _place_unlisted(text, item, found)
        extra.append(pm)
        if parent_idx is not None:
            parents.add(parent_idx)
    for i in parents:
        if found[i].role == "place":
            found[i] = replace(found[i], role="parent")
    return sorted(found + extra, key=lambda pm: pm.start)


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
