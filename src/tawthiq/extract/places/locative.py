"""Unlisted places introduced by a preposition alone: "near Shuhail in the
eastern Deir ez-Zor countryside", "on Hass and Kafr Oweid", "في الشحيل بريف
دير الزور", and the places coordinated with a named one ("the villages of
Kafr Sajna and Hish", "بلدتي حاس وكفرعويد").

The gazetteer has only ~500 Syrian towns, so most villages in reports are
missing; without a place noun ("the village of") the only sign is the
preposition. What guards against taking any capitalised word for a village:

- English: the word must be capitalised in a text that is not all one case,
  be no everyday word and no foreign place (the shipped lists, see
  :class:`.cues.CommonWords`), no acronym, no armed group, no person (given
  names, "named X", a father's name after it), and not stand before an
  organisation or building noun ("the X Front", "X hospital"), "-held" or a
  possessive; a line in Title Case (a headline) is skipped.
- Arabic: the word must be no everyday word and must be followed by a
  locative phrase ("بريف X", "شرق X", "في ريف X"), since Arabic has no
  capitals to tell a name from a noun ("في الهجوم بريف حلب").

The mentions are placed by :func:`.unlisted.place_unlisted`, like the
unlisted places named with a place noun.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from ..gazetteer import Token, joined, light_key
from .cues import CommonWords, Context, ar_noun, person_after
from .mention import PlaceMention
from .unlisted import Item, name_forward

Free = Callable[[int, int], bool]
"""Whether a span overlaps no place found so far."""

# English prepositions that put an event at a place ("in", "near"), and the
# words before "of" that do ("east of", "on the outskirts of").
_PREPS = frozenset({"in", "near", "at", "outside", "around", "from", "on", "between", "inside", "nearby", "towards", "toward"})
# Verbs of an act on a place: "shelling targeted Hass and Kafr Oweid".
_ACT_VERBS = frozenset({
    "shelled", "bombed", "bombarded", "struck", "hit", "targeted", "raided", "stormed", "entered", "captured", "besieged",
    "seized", "overran", "shelling", "bombing", "bombardment", "besieging", "storming", "recaptured", "retook", "encircled",
})
_OF_HEADS = frozenset({"outskirts", "vicinity", "edge", "edges", "entrance", "environs", "surroundings", "periphery"})
# First words of village names that are also English words ("Tal", "Ain"): allowed as a name's head.
_HEADS = frozenset({
    "tal", "tall", "tell", "tel", "ain", "ayn", "ein", "deir", "dayr", "kafr", "kfar", "umm", "um", "abu", "khirbet", "khirbat",
    "jabal", "jebel", "jisr", "ras", "bir", "beit", "bayt", "wadi", "qasr", "khan", "marj", "hammam", "arab", "bab", "sheikh",
    "shaykh", "maarat", "maaret", "mazraat", "qaryat",
})
# Person words that also begin village names ("Abu Kamal", "Umm Batna", "Sheikh Maqsoud"):
# allowed first when no given name follows.
_PLACE_HEAD_TITLES = frozenset({"abu", "umm", "sheikh", "shaykh"})
_AFTER_NOT_PLACE = re.compile(r"(?:-|\s+)(?:controlled|held|backed|led|run|based|affiliated|linked|allied|aligned)\b|['’]s?\b", re.IGNORECASE)
_COORD = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:the\s+)?", re.IGNORECASE)
_COORD_AR = ("و",)
# Arabic prepositions that put an event at a place; "بالقرب من", "على أطراف" end in these.
_AR_PREPS = frozenset({"في", "قرب", "بين", "محيط", "أطراف", "اطراف", "من", "بالقرب", "داخل", "عند"})
# Words right after a name that say it is a place: "التابعة لـ", "الواقعة في".
_AR_PLACE_AFTER = frozenset({"التابعة", "التابع", "الواقعة", "الواقع", "بالقرب", "قرب", "بمحيط", "محيط"})
_AR_PLURAL_NOUNS = frozenset({"بلدتي", "قريتي", "مدينتي", "بلدتا", "قريتا", "مدينتا", "بلدات", "قرى", "مدن", "مزرعتي", "حيي", "أحياء"})


def find_locative(
    text: str, toks: list[Token], found: list[PlaceMention], taken: list[tuple[int, int]], ctx: Context, words: CommonWords
) -> list[Item]:
    """Unlisted places after a preposition or coordinated with a place, not overlapping ``found`` or ``taken``."""
    starts = [f.start for f in found]
    spans = sorted(taken)

    def free(s: int, e: int) -> bool:
        i = bisect_left(starts, e) - 1
        if i >= 0 and found[i].end > s:
            return False
        j = bisect_left(spans, (e, e)) - 1
        return j < 0 or spans[j][1] <= s

    caseless = text == text.lower() or text == text.upper()
    out: list[Item] = []
    anchors: list[tuple[int, str]] = [(f.end, f.role) for f in found if f.role in ("place", "origin")]
    anchors += [(e, "place") for _, e in spans]
    n = len(toks)
    for i, t in enumerate(toks):
        if t.arabic:
            if t.text in _AR_PREPS or t.low in _AR_PREPS:
                found_here = _arabic_after(text, toks, i + 1, ctx, words, free)
                if t.text == "من" and not (i > 0 and toks[i - 1].text == "بالقرب"):
                    found_here = [(s, e, w, k, "origin") for s, e, w, k, _ in found_here]  # "شاب من الشحيل"
                out.extend(found_here)
            elif t.text in _AR_PLURAL_NOUNS or t.low in _AR_PLURAL_NOUNS:
                # "بلدتي حاس وكفرعويد": a dual or plural noun names each place after it
                out.extend(_arabic_chain(text, toks, i + 1, ctx, words, free, first_taken=True)[1:])
            continue
        w = t.low
        if not (w in _PREPS or w in _ACT_VERBS or (w == "of" and i > 0 and (toks[i - 1].low in _OF_HEADS or toks[i - 1].low in ctx.directions))
                or (w == "to" and i > 0 and toks[i - 1].low in ("close", "next"))):
            continue
        if caseless or i + 1 >= n or not (toks[i + 1].upper or toks[i + 1].low in ("al", "el")) or not joined(text, toks, i):
            continue
        item = _latin_name(text, toks, i + 1, ctx, words, free, role="origin" if w == "from" else "place")
        if item is not None:
            out.append(item)
            anchors.append((item[1], item[4]))
    # "X and Y", "X, Y and Z": a name coordinated with a place is a place of the same role
    anchors.sort()
    k = 0
    while k < len(anchors):
        end, role = anchors[k]
        k += 1
        m = _COORD.match(text, end)
        if not m or text[end:m.end()].strip() == "" or caseless:
            continue
        j = _token_at(toks, m.end())
        if j is None:
            continue
        item = _latin_name(text, toks, j, ctx, words, free, role=role)
        if item is not None:
            out.append(item)
            anchors.insert(k, (item[1], role))
    out.sort()
    return [it for idx, it in enumerate(out) if idx == 0 or it[0] >= out[idx - 1][1]]


def _token_at(toks: list[Token], pos: int) -> int | None:
    """The index of the token starting exactly at ``pos``, if any."""
    lo, hi = 0, len(toks)
    while lo < hi:
        mid = (lo + hi) // 2
        if toks[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(toks) and toks[lo].start == pos else None


def _latin_name(text: str, toks: list[Token], j: int, ctx: Context, words: CommonWords, free: Free, *, role: str) -> Item | None:
    """The capitalised name starting at token j if it passes every guard (see the module docstring)."""
    if j >= len(toks) or toks[j].arabic or not (toks[j].upper or toks[j].low in ("al", "el")):
        return None
    span = name_forward(text, toks, j, ctx)
    if span is None:
        return None
    s, e = span
    if not free(s, e):
        return None
    content = [t for t in toks[j:] if t.start < e and t.key]
    if not content or not all(t.upper for t in content):
        return None
    first = content[0]
    for t in content:
        low = t.low
        if len(low) < 3 and t is not first:
            return None
        if t.text.isupper() and len(t.text) > 1:
            return None  # "ISIS", "SDF", "UN": an acronym
        if low in ctx.actor_words or low in ctx.not_names:
            return None
        if low in words.en and not (t is first and low in _HEADS and len(content) > 1):
            return None  # an everyday word ("Response", "Village", "Facebook")
    if len(content) == 1 and len(first.low) < 3:
        return None
    if any(t.low in ctx.person_markers and not (t is first and t.low in _PLACE_HEAD_TITLES) for t in content):
        return None  # "near Mohammed's house", "captured Abu Hamza"
    written = text[s:e]
    if light_key(written) in words.foreign or light_key(first.text) in words.foreign:
        return None  # "talks in Astana"
    if _AFTER_NOT_PLACE.match(text, e) or ctx.organisation_after.match(text, e) or ctx.facility_after.match(text, e):
        return None  # "in SDF-held areas", "near the Nusra Front", "at Tishreen hospital"
    last = next(k for k in range(len(toks) - 1, -1, -1) if toks[k].start < e)
    if person_after(text, toks, last, ctx):
        return None
    if _title_case(toks, j, words):
        return None
    return (s, e, written, "place", role)


def _title_case(toks: list[Token], j: int, words: CommonWords) -> bool:
    """Whether the everyday words around token j are capitalised (a headline:
    "Child Killed Near Shuhail"); in prose only names are."""
    window = [t for t in toks[max(0, j - 8) : j + 8] if not t.arabic and len(t.text) > 3 and t.low in words.en]
    return len(window) >= 3 and sum(t.upper for t in window) >= 0.7 * len(window)


def _arabic_word_ok(t: Token, ctx: Context, words: CommonWords, strip: int = 0, *, head_ok: bool = False) -> bool:
    """Whether an Arabic word (less ``strip`` prefix letters) can be a village's name:
    no everyday word (with or without its article), place noun, stop word,
    given name or organisation word."""
    w = t.text[strip:]
    if head_ok and w in ctx.ar_heads:
        return True  # "أبو حمام", "تل تمر": the head is an everyday word, the name is the pair
    if len(w) < 3 or w in ctx.ar_stop or w in words.ar or ar_noun(t, ctx):
        return False
    return not (w.startswith("ال") and w[2:] in words.ar) and w not in ctx.ar_person_markers and w not in ctx.ar_organisations


def _arabic_chain(
    text: str, toks: list[Token], j: int, ctx: Context, words: CommonWords, free: Free, *, first_taken: bool = False
) -> list[Item]:
    """Names from token j on: the first, then any joined with "و" ("حاس وكفرعويد").

    ``first_taken``: the first name was found already (after a place noun); it
    is returned all the same so that the caller can drop it.
    """
    out: list[Item] = []
    k = j
    while k < len(toks) and len(out) < 6:
        t = toks[k]
        strip = 0
        if out:
            if not (t.arabic and t.text.startswith(_COORD_AR) and len(t.text) > 3 and joined(text, toks, k - 1)):
                break
            strip = 1
        head_ok = k + 1 < len(toks) and toks[k + 1].arabic and joined(text, toks, k)
        if not t.arabic or not _arabic_word_ok(t, ctx, words, strip, head_ok=head_ok):
            break
        s, e = t.start + strip, t.end
        nxt = k + 1
        if (
            nxt < len(toks) and toks[nxt].arabic and joined(text, toks, k) and toks[nxt].text.startswith("ال")
            and toks[nxt].text not in ctx.ar_stop and (t.text[strip:] in ctx.ar_heads or toks[nxt].text[2:] not in words.ar)
            and not ar_noun(toks[nxt], ctx)
        ):
            e = toks[nxt].end  # "تل الذهب", "الشيخ مصطفى"
            nxt += 1
        if t.text[strip:] in ctx.ar_heads and e == t.end and nxt < len(toks) and joined(text, toks, k):
            e, nxt = toks[nxt].end, nxt + 1  # "كفر عويد"
        if not free(s, e) and not (first_taken and not out):
            break
        out.append((s, e, text[s:e], "place", "place"))
        k = nxt
    return out


def _arabic_after(text: str, toks: list[Token], j: int, ctx: Context, words: CommonWords, free: Free) -> list[Item]:
    """After "في", "قرب": the chain of names if a locative phrase follows it ("بريف X", "شرق X")."""
    if j < len(toks) and toks[j].text == "من":
        j += 1  # "بالقرب من"
    chain = _arabic_chain(text, toks, j, ctx, words, free)
    if not chain:
        return []
    k = next((x for x in range(j, min(len(toks), j + 12)) if toks[x].start >= chain[-1][1]), None)
    skipped = 0
    while k is not None and k < len(toks) and skipped < 3 and toks[k].text.startswith("و") and len(toks[k].text) > 3 \
            and joined(text, toks, k - 1) and not ar_noun(toks[k], ctx):
        k, skipped = k + 1, skipped + 1  # "بين الشحيل وذيبان بريف …": a listed place found by the gazetteer
    if k is None or k >= len(toks) or not joined(text, toks, k - 1):
        return []
    nxt = toks[k]
    kind = ar_noun(nxt, ctx)
    if kind in ("countryside", "near", "province") or nxt.text in _AR_PLACE_AFTER or nxt.low in _AR_PLACE_AFTER:
        return chain
    if nxt.text in ("في", "ب") and k + 1 < len(toks) and ar_noun(toks[k + 1], ctx) in ("countryside", "near", "province"):
        return chain
    return []
