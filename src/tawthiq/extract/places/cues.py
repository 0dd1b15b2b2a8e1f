"""Words around a place name: what kind of place it is, where it is relative to
another, and whether a capitalised word is a place at all.

The word lists are data (``data/gazetteer_context.toml``); this module turns
them into look-up sets once per process and reads a name's neighbours with
token look-ups rather than regexes over the text.
"""
from __future__ import annotations

import gzip
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..gazetteer import Gazetteer, NameMatch, Place, Token, joined


@dataclass(frozen=True)
class Context:
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
    facility_after: re.Pattern[str]
    right_en: re.Pattern[str]
    ar_nouns: dict[str, str]  # Arabic noun → kind, incl. countryside, province, near, subdistrict
    ar_stop: frozenset[str]
    ar_heads: frozenset[str]
    ar_person_markers: frozenset[str]
    ar_organisations: frozenset[str]
    person_nouns: frozenset[str]
    person_cues: frozenset[str]  # last word of each cue ("named", "as" of "identified as")
    person_cue_phrases: frozenset[str]
    actor_words: frozenset[str]


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@cache
def context() -> Context:
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
    return Context(
        nouns=nouns,
        countryside=frozenset(w for w in en["countryside"] if " " not in w) | {"rural"},
        province=frozenset(en["province"]),
        directions=frozenset(en["directions"]),
        near=frozenset(w for w in en["near"] if " " not in w),
        outskirts=frozenset(en["outskirts"]),
        not_names=frozenset(en["not_names"]),
        person_markers=frozenset(en["person_markers"]),
        organisation_after=re.compile(rf"\s*(?:{_alt(en['organisation_nouns'])})\b", re.IGNORECASE),
        facility_after=re.compile(rf"\s*(?:{_alt(en['facility_nouns'])})\b", re.IGNORECASE),
        right_en=right_en,
        ar_nouns=ar_nouns,
        ar_stop=frozenset(ar["stop"]) | frozenset(ar["direction_adjectives"]),
        ar_heads=frozenset(ar["compound_heads"]),
        ar_person_markers=frozenset(ar["person_markers"]),
        ar_organisations=frozenset(ar["organisation_heads"]),
        person_nouns=frozenset(en["person_nouns"]),
        person_cues=frozenset(w.split()[-1] for w in en["person_cues"]),
        person_cue_phrases=frozenset(en["person_cues"]),
        actor_words=frozenset(en["actor_words"]),
    )


def plausible_latin(
    text: str, raw: NameMatch, toks: list[Token], content: list[Token], has_article: bool,
    cands: list[Place], gaz: Gazetteer, ctx: Context, covered: set[int],
) -> bool:
    """Whether a Latin-script name without a place noun before it is a place at all."""
    written = " ".join(t.low for t in content)
    if written in gaz.common_words:
        return False  # "Iraqi", "Nusra": an everyday word that merely shares a key
    if ctx.organisation_after.match(text, raw.end):
        return False  # "al-Nusra Front", "the Sham Legion"
    named_before = name_word_before(text, toks, raw.first, ctx, covered)
    if has_article and (named_before or name_word_before(text, toks, raw.first, ctx, covered, clause_start=True)):
        # "Tahrir al-Sham", "Bashar al-Assad", even first in a sentence
        # ("Ahrar al-Sham took…"): the second half of another name.
        return False
    big = any(p.level in ("governorate", "country") for p in cands)
    if len(content) == 1 and not big:
        if content[0].low in ctx.person_markers:
            return False  # a given name ("Qassem") that a town's spelling happens to match
        if named_before:
            return False  # "Mohammed Adnan", "Qassem Soleimani": a surname
        if person_after(text, toks, raw.last, ctx):
            return False  # "Rojin Hassan", "Jasim al-Masri": a given name before a father's or family name
    # "a girl named Rojin", "the young man Jasim": a person
    return big or not person_before(text, toks, raw.first, ctx)


def person_before(text: str, toks: list[Token], first: int, ctx: Context) -> bool:
    """Whether the words before a name introduce a person: "the girl X", "a man named X",
    "identified as X" — but not "a village called X", where a place noun comes first."""
    k = first - 1
    if k < 0 or not joined(text, toks, k) or toks[k].arabic:
        return False
    w = toks[k].low
    if w in ctx.person_nouns or (w.endswith("s") and w[:-1] in ctx.person_nouns and w not in ctx.nouns):
        return True
    if w not in ctx.person_cues:
        return False
    if w == "as" and not (k > 0 and f"{toks[k - 1].low} as" in ctx.person_cue_phrases):
        return False
    for j in range(max(0, k - 5), k):
        lw = toks[j].low
        if lw in ctx.nouns or (lw.endswith("s") and lw[:-1] in ctx.nouns):
            return False  # "a village called Hish", "the area known as X"
    return True


# Words before a given name that make "X al-Y" a place phrase ("in Daraa al-Balad").
_LOCATIVE_BEFORE = frozenset({
    "in", "near", "at", "outside", "around", "from", "on", "into", "to", "towards", "toward", "across", "between",
    "of", "inside", "within", "throughout", "via", "through", "and", "or", "hit", "struck", "shelled", "bombed", "targeted",
    "stormed", "raided", "entered", "captured", "seized", "besieged", "attacked", "reached", "left", "fled", "recaptured",
})


def person_after(text: str, toks: list[Token], last: int, ctx: Context) -> bool:
    """Whether a one-word name is followed by a father's or family name: a given
    name from the list ("Rojin Hassan"), "bin"/"ibn", or — when no locative word
    comes before — a capitalised "al-" surname ("killed Jasim al-Masri")."""
    k = last + 1
    if k >= len(toks) or not joined(text, toks, last) or toks[k].arabic:
        return False
    nxt = toks[k]
    if nxt.upper and nxt.low in ctx.person_markers and nxt.low not in ("general", "major", "captain", "colonel"):
        return True
    if nxt.key == "" and nxt.low in ("al", "el") and k + 1 < len(toks) and joined(text, toks, k) and toks[k + 1].upper:
        before = toks[last - 1].low if last > 0 and joined(text, toks, last - 1) else ""
        return before not in _LOCATIVE_BEFORE
    return False


_CLAUSE_START = re.compile(r"[.!?:;\n\"“”«»(]")


def name_word_before(
    text: str, toks: list[Token], first: int, ctx: Context, covered: set[int], *, clause_start: bool = False
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

def left_cue(text: str, toks: list[Token], first: int, ctx: Context) -> tuple[str, str]:
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
    if w.endswith("ern") and w in ctx.directions and k > 0 and toks[k - 1].low in ("in", "of", "across", "the", "over", "throughout"):
        return "province", ""  # "in southern Idlib": the south of the governorate, not the city
    if w == "rural":
        return "countryside", ""  # "rural Damascus"
    if w == "to" and k > 0 and toks[k - 1].low in ("close", "next"):
        return "near", ""
    if w == "from":
        return "origin", ""
    return "", ""


def _of_relation(word: str, ctx: Context) -> tuple[str, str]:
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


def _left_cue_ar(text: str, toks: list[Token], k: int, ctx: Context) -> tuple[str, str]:
    kind = ar_noun(toks[k], ctx)
    if kind:
        if kind in ("town", "neighbourhood", "area") and joined(text, toks, k - 1):
            outer = ar_noun(toks[k - 1], ctx)
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


_AR_TWO_LETTER_PREFIXES = ("وب", "ول", "فب", "فل", "وك")


def ar_noun(tok: Token, ctx: Context) -> str:
    """The kind of an Arabic place noun, with a prefix glued on or not (مدينة، بمدينة، وبمدينة)."""
    kind = ctx.ar_nouns.get(tok.text) or ctx.ar_nouns.get(tok.low)
    if not kind and tok.text[:2] in _AR_TWO_LETTER_PREFIXES:
        kind = ctx.ar_nouns.get(tok.text[2:])
    return kind or ""


def right_cue(text: str, end: int, ctx: Context) -> tuple[str, str]:
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


@dataclass(frozen=True)
class CommonWords:
    """Everyday words (wordfreq Zipf ≥ 3 at build time) and foreign place names
    (GeoNames countries, capitals, big cities), shipped in
    ``data/common_words.json.gz`` so the run time needs no ``wordfreq``.

    Syrian place spellings are left out at build time; a capitalised word
    after "near" that is in neither list is taken for an unlisted village.
    """

    en: frozenset[str]
    ar: frozenset[str]
    foreign: frozenset[str]  # light keys


@cache
def common_words() -> CommonWords:
    raw = resources.files("tawthiq.extract").joinpath("data", "common_words.json.gz").read_bytes()
    data = json.loads(gzip.decompress(raw))
    return CommonWords(frozenset(data.get("en", ())), frozenset(data.get("ar", ())), frozenset(data.get("foreign", ())))
