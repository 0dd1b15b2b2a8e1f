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

4. Unlisted places with no place noun (``locative``): a capitalised name
   after "near", "in", "on" or an act verb ("shelled Hass"), an Arabic word
   after في/قرب followed by a locative phrase ("في الشحيل بريف دير الزور"),
   and names listed beside a place ("Hass and Kafr Oweid", "بلدتي حاس
   وكفرعويد") — each its own mention, so that an act on two villages can be
   two incidents. A place listed beside one is its sibling, never its parent.
5. Roads: the towns a road is named after ("the Damascus-Daraa highway",
   "طريق دمشق - درعا") become reference points (rule "road-end:…"): a
   village near the road outranks them, the governorate they are in does not.

6. Origins: "from X", "a man from the town of X", "من أبناء مدينة X",
   "نازح من X" are where someone comes from (role "origin"), not the scene —
   unless the sentence names no other place (or only X's own governorate),
   when X is the best guess and stays role "place".
7. A dateline ("RAQQA, 3 May:", "حلب -") is a reference point (role
   "anchor") when the text names another place.

Named regions (Eastern Ghouta, Qalamoun, Jabal al-Zawiya, Hawran…) are
gazetteer places of level "region", defined in ``data/regions.toml``.

Guards against false places: in English text a name must be capitalised
(unless the whole text is in one case); names that are also common words
(flagged at build time from word frequencies) need a place noun before them;
a one-word name right after a person marker ("Mohammed", "Abu"), after "a
girl named", "the young man", or before a father's or family name ("Rojin
Hassan", "جاسم محمد") is a person's name, not a place; so is a town's relative
adjective ("al-Halabi", "Hamwi"). A short Latin name (≤ 5 letters) must be
spelled as one of the place's listed names: the loose key alone joins names
that share only their consonants (Rojin ~ Radjun).

A town's name before "street" is a street elsewhere ("the Tal Abyad street");
a bare Arabic word spelled like a small village of a governorate nothing else
in the report names, with no place noun or preposition, is the everyday word
("مع الإشارة إلى"); towns a protest stands "in solidarity with" / "تضامناً مع"
are its cause (role "anchor"), not its scene. A hashtag's underscores join a
name's words ("#Maar_Hattat"), and a governorate tag after a town tag
("#Saraqib #Idlib") is that town's container.

Foreign places: a short list of countries (neighbours and parties to the
conflict) resolves to precision "country" with its ISO code and no
coordinates; the neighbours' large towns ("Erbil", "Gaziantep") are in the
gazetteer with their own country code, so they are not mistaken for Syrian
villages. :func:`best_location` prefers any Syrian place to a foreign one,
and "بلدة/قرية X" or "the village of X" in a report that names a Syrian
governorate is never a foreign town X (Sidon): it is left as an unlisted village.

Modules: ``cues`` (the words around a name), ``unlisted`` (places the
gazetteer lacks), ``mention`` (the result type); the name index and the
token scanner live in ``..gazetteer`` beside the matching keys.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from ...domain.enums import LocationPrecision
from ..gazetteer import (
    Gazetteer,
    NameMatch,
    Place,
    Token,
    joined,
    light_key,
    normalize_name,
    tokenize,
)
from .cues import (
    Context,
    ar_noun,
    common_words,
    context,
    left_cue,
    plausible_latin,
    right_cue,
)
from .locative import find_locative
from .marks import ROAD_END, mark_dateline, mark_road_ends, rehome_same_names
from .mention import CONTAINER_GAP as _CONTAINER_GAP
from .mention import LEVEL_PRECISION, PlaceMention, location_of
from .mention import place_lights as _lights
from .mention import sentence_of as _sentence_of
from .unlisted import find_unlisted, place_unlisted, sentence_ends

__all__ = ["PlaceMention", "best_location", "find_places", "location_of"]

P = LocationPrecision

_POSSESSIVE = re.compile(r"['’]s\s+")


# Below this population a village's name before "mosque", "hospital"… is more
# likely a building's own name than the village.
SMALL_TOWN = 20000
# Latin names of at most this many letters must match a listed spelling exactly.
SHORT_NAME = 5


def _is_nisba(light: str, cands: list[Place]) -> bool:
    """Whether a Latin word is the relative adjective of one of the places
    (Halab → Halabi, Homs → Homsi, Hama → Hamwi, Raqqa → Raqqawi) rather than
    one of its spellings; as a word of its own it is a family name or an adjective."""
    if not light.endswith("i") or len(light) < 4:
        return False
    names = frozenset().union(*(_lights(p) for p in cands))
    if light in names:
        return False  # "Qamishli", "Tal Abyadi": the place is spelled that way
    stems = {light[:-1]}
    if light.endswith("wi"):
        stems |= {light[:-2], light[:-2] + "a", light[:-2] + "ah", light[:-2] + "h"}
        if light.endswith("awi"):
            stems |= {light[:-3], light[:-3] + "a", light[:-3] + "ah"}
    return bool(stems & names)

_PREFER = {
    "town": ("town", "subdistrict", "district", "governorate", "country"),
    # "the countryside of X": the governorate if X names one; otherwise the
    # countryside is around the town, whose point is better than a centroid.
    "admin": ("governorate", "town", "subdistrict", "district", "country"),
    "subdistrict": ("subdistrict", "district", "town", "governorate", "country"),
}


_AR_PREPOSITIONS = frozenset({"في", "من", "إلى", "الى", "على", "نحو", "باتجاه", "حتى", "بين", "قرب", "داخل", "خارج"})
_AR_TITLES = frozenset({"السيد", "السيدة", "الشاب", "الشابة", "الطفل", "الطفلة", "المواطن", "المواطنة", "الناشط", "الناشطة",
                        "الشهيد", "الصحفي", "الطبيب", "المدعو", "المدعوة"})


def _ar_patronymic(text: str, toks: list[Token], last: int, ctx: Context, gaz: Gazetteer, small: bool) -> bool:
    """Whether an Arabic one-word name is followed by a father's name ("جاسم محمد",
    "جاسم بن علي") or, for a small town's name, by a family name ("سلمى الأحمد"):
    an ال- word that is no everyday word, place, direction or place noun."""
    k = last + 1
    if k >= len(toks) or not joined(text, toks, last) or not toks[k].arabic:
        return False
    w = toks[k].text
    if w in ("بن", "ابن") or (w in ctx.ar_person_markers and w not in _AR_TITLES):
        return True
    return (
        small and w.startswith("ال") and len(w) > 4 and w not in ctx.ar_stop and w not in common_words().ar
        and not ar_noun(toks[k], ctx) and not gaz.entries(toks[k].key)
    )


_AR_ORIGIN = frozenset({"من", "ابن", "أبناء", "ابناء", "أهالي", "اهالي", "أهل", "اهل", "ابنة"})


def _origin_before_noun(text: str, toks: list[Token], first: int, ctx: Context) -> bool:
    """Whether a place noun before a name is itself introduced by "from" / "من"
    (or من أبناء، من أهالي): "a young man from the town of X", "نازح من مدينة X",
    "شاب من أبناء بلدة X" — X is where someone comes from, not the scene."""
    k = first - 1
    if k < 1 or not joined(text, toks, k):
        return False
    if toks[first].arabic:
        if not ar_noun(toks[k], ctx) or not joined(text, toks, k - 1):
            return False
        w = toks[k - 1].text
        return w in _AR_ORIGIN and not (k > 1 and toks[k - 2].text == "بالقرب")
    # "from the town of X", "from the village of X", "from X town" is handled by the right cue
    j = k
    if toks[j].low == "the" and joined(text, toks, j - 1):
        j -= 1
    if toks[j].low != "of" or not joined(text, toks, j - 1):
        return False
    j -= 1
    if toks[j].low not in ctx.nouns and not (toks[j].low.endswith("s") and toks[j].low[:-1] in ctx.nouns):
        return False
    if j > 0 and toks[j - 1].low == "the" and joined(text, toks, j - 1):
        j -= 1
    return j > 0 and joined(text, toks, j - 1) and toks[j - 1].low == "from"


_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ath", "adh", "ed", "es", "er"})


def _name_goes_on(text: str, toks: list[Token], last: int, ctx: Context) -> bool:
    """Whether a Latin name runs on past the match with an article and a
    capitalised word ("Khan al-Assal" after "Khan") or with a capitalised
    word that is no everyday word, place noun or direction ("Khan Tuman")."""
    k = last + 1
    if k >= len(toks) or not joined(text, toks, last) or toks[k].arabic:
        return False
    t = toks[k]
    if t.key == "" and t.low in _ARTICLES:
        return k + 1 < len(toks) and joined(text, toks, k) and toks[k + 1].upper and not toks[k + 1].arabic
    return (
        t.upper and bool(t.key) and text[toks[last].end:t.start] in (" ", "-")
        and t.low not in ctx.nouns and t.low not in ctx.directions and t.low not in ctx.countryside
        and t.low not in ctx.province and t.low not in ctx.outskirts and t.low not in ctx.not_names
        and t.low not in common_words().en
    )






_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=16384)
def _close(light: str) -> str:
    """A light key with only near vowels folded (e~a, o~u, ou~u, y~i) and
    doubled letters single: "Efrin" ~ "Afrin", "Murek" ~ "Morek", "Sayda" ~
    "Saida", but not "Rojin" ~ "Radjun", which differ in more than a vowel's shade."""
    # doubled letters first: a vowel folded into its neighbour's is no doubling ("Berea" is not "Bara")
    return _DOUBLED.sub(r"\1", light).replace("ou", "u").replace("e", "a").replace("o", "u").replace("y", "i")


_CLOSE: dict[str, frozenset[str]] = {}


def _closes(p: Place) -> frozenset[str]:
    got = _CLOSE.get(p.id)
    if got is None:
        got = _CLOSE[p.id] = frozenset(_close(k) for k in _lights(p))
    return got


def _choose(cands: list[Place], *, order: tuple[str, ...], written: str, govs: set[str]) -> Place:
    light = light_key(written)

    def score(p: Place) -> tuple[int, int, int, int, int]:
        level = order.index(p.level) if p.level in order else len(order)
        exact = 0 if light in _lights(p) else 1
        foreign = 0 if p.country == "SY" else 1
        in_context = 0 if (p.governorate_id in govs or not govs) else 1
        return (level, exact, foreign, in_context, -p.population)

    return min(cands, key=score)


_STREET_AFTER = re.compile(r"\s+(?:street|st\.|avenue|boulevard)\b", re.IGNORECASE)
# A village's or small town's noun right before a name (a foreign namesake is a city, never "a village").
_VILLAGE_BEFORE = re.compile(
    r"(?:\b(?:village|town|hamlet)s?\s+of\s+(?:the\s+)?|(?:^|(?<=\s))[وب]?(?:ال)?(?:بلدة|قرية|بلدتي|قريتي|ضيعة)\s+)\Z",
    re.IGNORECASE)


def _resolve(
    text: str, raw: NameMatch, toks: list[Token], gaz: Gazetteer, ctx: Context, govs: set[str], covered: set[int],
    lone: frozenset[str] = frozenset(),
) -> PlaceMention | None:
    entries = gaz.entries(raw.key)
    written = text[raw.start : raw.end]
    relation, kind = left_cue(text, toks, raw.first, ctx)
    right = right_cue(text, raw.end, ctx)
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
    # A foreign town is known here by its main name only: a loose match is
    # noise ("Omari" is not Al 'Amarah in Iraq).
    light = light_key(written)
    cands = [p for p in cands if p.country == "SY" or light in _lights(p)]
    if latin and len(light) <= SHORT_NAME:
        # The key folds vowels and glides, which joins short names that differ
        # in every letter a reader sees (Rojin ~ Radjun): a short name must be
        # spelled as one of the place's listed or rule-derived names, up to
        # the shade of a vowel (Efrin, Murek).
        close = _close(light)
        cands = [p for p in cands if light in _lights(p) or close in _closes(p)]
    if latin and cands and _name_goes_on(text, toks, raw.last, ctx):
        # "Khan al-Assal" where only "Khan" is listed (an alternate name of
        # Khirbat Tin Nur): a sub-part of a longer written name is that place
        # only when it is the place's own main name ("Daraa al-Balad").
        cands = [p for p in cands if light == light_key(p.name_en)]
    if not cands:
        return None
    if relation == "noun" and govs and all(p.country != "SY" for p in cands) and _VILLAGE_BEFORE.search(text, 0, raw.start):
        # "بلدة صيدا في ريف درعا": a village in a report that names a Syrian governorate is that governorate's
        # namesake of the foreign town (Sidon), which is left to be placed as an unlisted village
        return None
    if latin and relation != "noun" and _is_nisba(light, cands):
        return None  # "al-Halabi", "Homsi", "Hamwi": a surname made from a town's name
    if latin and relation != "noun" and _STREET_AFTER.match(text, raw.end):
        return None  # "the Tal Abyad street", "Baghdad Street": a street named after a town runs through another one
    if (
        relation != "noun" and ctx.facility_after.match(text, raw.end)
        and all(p.level == "town" and p.population < SMALL_TOWN for p in cands)
    ):
        return None  # "the Omari mosque": a building named after a person or family, not the village
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
    if (
        not latin and relation == "" and len(content) == 1 and raw.start == toks[raw.first].start
        and _ar_patronymic(text, toks, raw.last, ctx, gaz, all(p.level == "town" and p.population < SMALL_TOWN for p in cands))
        and not any(p.level == "governorate" for p in cands)
        and not (raw.first > 0 and toks[raw.first - 1].text in _AR_PREPOSITIONS)
    ):
        return None  # "اعتقل جاسم محمد": a given name before the father's name
    if (
        not latin and relation == "" and len(content) == 1 and len(govs) > 1 and raw.start == toks[raw.first].start
        and all(p.level == "town" and p.population < SMALL_TOWN and p.governorate_id in lone for p in cands)
        and not (raw.first > 0 and toks[raw.first - 1].text in _AR_PREPOSITIONS)
    ):
        # "مع الإشارة إلى": a bare word spelled like a village of a governorate the report never names, with
        # no place noun or preposition to say it is a place, is the everyday word
        return None
    if latin and relation != "noun" and not plausible_latin(text, raw, toks, content, has_article, cands, gaz, ctx, covered):
        return None
    if relation in ("countryside", "province"):
        place = _choose(cands, order=_PREFER["town" if kind == "town" else "admin"], written=written, govs=govs)
        if relation == "countryside" and place.level == "governorate":
            # The countryside of Damascus is its own governorate ("Damascus Countryside", Rif Dimashq).
            around = [p for p in gaz.lookup(f"{place.name_en} Countryside") if p.level == "governorate"]
            place = around[0] if around else place
        precision = LEVEL_PRECISION[place.level]
        if place.level == "town":
            precision = P.DISTRICT  # "the countryside of Saraqib": around the town, not in it
        return PlaceMention(raw.start, raw.end, written, place, location_of(place, text=written, precision=precision),
                            f"{relation}-of:{place.level}", role="anchor")
    order = _PREFER["subdistrict"] if kind == "subdistrict" else _PREFER["town"]
    if kind != "subdistrict" and not any(p.level == "town" for p in cands) and any(p.level == "governorate" for p in cands):
        order = _PREFER["admin"]  # "ريف دمشق", "Rif Dimashq": a bare name shared with no town is the governorate
    place = _choose(cands, order=order, written=written, govs=govs)
    if relation == "near":
        precision = P.DISTRICT if place.level in ("town", "subdistrict", "district") else LEVEL_PRECISION[place.level]
        return PlaceMention(raw.start, raw.end, written, place, location_of(place, text=written, precision=precision),
                            f"near:{place.level}", role="anchor")
    if relation == "noun" and _origin_before_noun(text, toks, raw.first, ctx):
        relation = "origin"  # "a man from the town of X", "شاب من أبناء مدينة X": where he comes from
    role = "origin" if relation == "origin" else "place"
    rule = f"gazetteer:{place.level}"
    if relation == "noun" and kind == "town" and place.level == "subdistrict":
        rule = "gazetteer:subdistrict-seat"  # "the town of Jindires": the sub-district's seat town
    return PlaceMention(raw.start, raw.end, written, place, location_of(place, text=written), rule, role=role, kind=kind)


# -------------------------------------------------------------------- API

def find_places(text: str, *, language: str | None = None) -> list[PlaceMention]:
    """Place mentions in ``text``, sorted by start, non-overlapping, longest match first.

    ``language`` ("en", "ar") is a hint only; both scripts are always read,
    because Arabic reports quote English names and the other way round.
    """
    if not isinstance(text, str) or not text:
        return []
    gaz, ctx = Gazetteer.load(), context()
    toks = tokenize(text)
    raws = gaz.scan(text, toks)
    # Governorates named unambiguously elsewhere in the text settle which of two
    # same-named towns is meant.
    govs: set[str] = set()
    pins: dict[str, int] = {}
    for r in raws:
        places = {p.governorate_id for p, common in gaz.entries(r.key) if not common and p.level != "country"}
        if len(places) == 1:
            govs |= places
            gov = next(iter(places))
            pins[gov] = pins.get(gov, 0) + 1
    lone = frozenset(g for g, n in pins.items() if n == 1)  # named once: perhaps only by a word spelled like a village
    covered = {k for r in raws for k in range(r.first, r.last + 1)}
    found = [pm for r in raws if (pm := _resolve(text, r, toks, gaz, ctx, govs, covered, lone)) is not None]
    for i in range(len(found) - 1):
        # "Idlib's Jisr al-Shughur", "Aleppo's Sheikh Maqsoud": the first is where the second is
        if _POSSESSIVE.fullmatch(text, found[i].end, found[i + 1].start) and found[i].role == "place":
            found[i] = replace(found[i], role="parent")
    _demote_containers(text, found, gaz)
    mark_dateline(text, found)
    rehome_same_names(text, found, gaz)
    mark_road_ends(text, found)
    found = _with_nisba_countryside(text, toks, found, gaz)
    extra: list[PlaceMention] = []
    parents: set[int] = set()
    starts = [f.start for f in found]
    items = find_unlisted(text, toks, found, ctx)
    items = sorted(items + find_locative(text, toks, found, [(it[0], it[1]) for it in items], ctx, common_words()))
    ends = sentence_ends(text) if items else []
    for item in items:
        pm, parent_idx = place_unlisted(text, item, found, starts, ends)
        extra.append(pm)
        if parent_idx is not None and pm.role != "origin":  # "a man from X was killed in Idlib": Idlib stays the place
            parents.add(parent_idx)
    for i in parents:
        if found[i].role == "place":
            found[i] = replace(found[i], role="parent")
    return _solidarity(text, _lone_origins(text, _origin_lists(text, sorted(found + extra, key=lambda pm: pm.start))))


# "demonstrated in X in solidarity with Aleppo and Homs", "تضامناً مع درعا", "نصرةً لحمص": the towns a
# protest stands with are its cause, not its scene (ACLED codes the protest where it is held).
_SOLIDARITY = re.compile(
    r"(?:\bin\s+solidarity\s+with|\bin\s+support\s+of|تضامن[اًا]*\s+مع|نصرة[ًا]*\s+(?:ل|لأهالي\s+|لأهل\s+))"
    r"(?:\s+(?:the\s+)?(?:people|residents|besieged|city|cities|town|towns)\s+(?:of\s+)?)?[^.!?؟;:\n]{0,40}\Z",
    re.IGNORECASE)


def _solidarity(text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    if not any(w in text for w in ("olidarity", "support of", "تضامن", "نصرة")):
        return found
    out = list(found)
    for i, m in enumerate(found):
        if m.role == "place" and _SOLIDARITY.search(text, max(0, m.start - 120), m.start):
            out[i] = replace(m, role="anchor", rule=f"solidarity:{m.rule}")
    return out


_LIST_JOIN = re.compile(r"\s*(?:,|،)?\s*(?:and\s+|or\s+|و|أو\s*|او\s*)?(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$",
                        re.IGNORECASE)


def _origin_lists(text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """Places listed after a place someone comes from are where they come from too: "displaced from Aleppo,
    Homs and Raqqa", "نازحون من حلب وحمص والرقة"."""
    out = list(found)
    for i in range(1, len(out)):
        prev, m = out[i - 1], out[i]
        gap = text[prev.end:m.start]
        if prev.role == "origin" and m.role == "place" and len(gap) <= 12 and gap.strip() and _LIST_JOIN.fullmatch(gap):
            out[i] = replace(m, role="origin")
    return out


def _lone_origins(text: str, found: list[PlaceMention]) -> list[PlaceMention]:
    """A place someone comes from is the scene's best guess when the sentence
    names no other place ("a girl from the city of Hasakah was recruited",
    "اختطف مسلحون طبيباً من مدينة جاسم"): it is kept as role "place" then,
    so an act is not left without a location; beside another place
    ("a man from Douma was killed in Harasta") it stays "origin"."""
    if not any(m.role == "origin" for m in found):
        return found
    ends = sentence_ends(text)
    out = list(found)
    for i, m in enumerate(found):
        if m.role != "origin":
            continue
        a, b = _sentence_of(ends, m.start, len(text))
        if not any(o is not m and o.role in ("place", "parent", "anchor") and a <= o.start < b
                   and not _contains(o, m) and not _is_label(text, o) for o in found):
            out[i] = replace(m, role="place")
    return out


_LABEL_AFTER = re.compile(r"\s*[:：]")


def _is_label(text: str, m: PlaceMention) -> bool:
    """Whether a place heads its line as a label ("Hasakah: …", "الحسكة: …" in a daily toll): it names the
    section's governorate, not a second scene beside a place named in the act's own words."""
    line_start = text.rfind("\n", 0, m.start) + 1
    return not text[line_start:m.start].strip(" \t#•-–—▪️🔴") and _LABEL_AFTER.match(text, m.end) is not None


def _contains(outer: PlaceMention, inner: PlaceMention) -> bool:
    """Whether ``outer`` only says which governorate ``inner`` is in ("من مدينة جاسم
    في ريف درعا"): no second scene."""
    if outer.place is None or inner.place is None or outer.place.level not in ("governorate", "district", "subdistrict", "region"):
        return False
    gov = inner.place.governorate_id
    return bool(gov) and gov in (outer.place.id, outer.place.governorate_id)




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


# "near Basira town in Deir ez-Zor", "بلدة X في دير الزور": the place noun after a name does not part it from its governorate
_NOUN_CONTAINER_GAP = re.compile(
    r"\s+(?:town|city|village|area|camp|neighbou?rhood|district)\s+in(?:\s+the)?\s+", re.IGNORECASE)


def _demote_containers(text: str, found: list[PlaceMention], gaz: Gazetteer) -> None:
    """"Saraqib (Idlib)", "Saraqib, Idlib", "the town of Saraqib in Idlib": a bare
    governorate name right after a place inside that governorate names the
    governorate the place is in, not a second town."""
    for i in range(1, len(found)):
        a, b = found[i - 1], found[i]
        if b.role != "place" or b.kind or b.place is None or b.place.level != "town" or a.place is None:
            continue
        if not (_CONTAINER_GAP.fullmatch(text, a.end, b.start) or _NOUN_CONTAINER_GAP.fullmatch(text, a.end, b.start)):
            continue
        gov = next((p for p in gaz.lookup(b.text) if p.level == "governorate"), None)
        if gov is not None and a.place.governorate_id == gov.id and a.place.level in ("town", "subdistrict"):
            found[i] = replace(b, place=gov, location=location_of(gov, text=b.text), rule="container:governorate", role="parent")


_ROLE_RANK = {"place": 0, "origin": 1, "parent": 2, "anchor": 2}
_ROAD_SPECIFICITY = 2.5
_SPECIFICITY = {"town": 4, "subdistrict": 3, "district": 2, "region": 1.5, "governorate": 1, "country": 0}


def _specificity(pm: PlaceMention) -> float:
    if pm.place is None:
        if pm.location.lat is None:
            return 0.5
        if "-near-" in pm.rule:
            return 3.5  # placed at a town listed beside it: that town's own point is better
        return 6 if pm.location.precision is P.NEIGHBOURHOOD else 5
    if pm.rule.startswith(ROAD_END):
        return _ROAD_SPECIFICITY
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
