"""Reading one name where ``named.py`` expects it: the words before it, the name, the age after it.

An item of a list ("the child Ahmad al-Hasan, 12", "الطفلة سارة خليل (9
سنوات)") is read here, in English or Arabic: a role noun, title or relative
before the name says a person follows (and maybe their sex); the name is
cut where a word no name has begins, and refused when it is a place's or an
actor's; the age is the number written right after it with an age's words.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..domain.arabic import LETTER_CLASS, strip_vowel_marks, to_ascii_digits
from .gazetteer import Gazetteer, light_key
from .named_vocab import NameWords, fold_ar, latin_key
from .numbers import find_quantities

WINDOW = 80  # characters read after a name for its age
SPEECH = re.compile(r"\b(?:said|says|told|according|reported|added|stated|quoted|wrote|by)\b|(?<!\S)(?:و)?(?:قال|قالت|"
                     r"افاد|افادت|ذكر|ذكرت|اكد|اكدت|اضاف|اضافت|بحسب|حسب|وفق|وفقا|نقل|نقلت|صرح|اوضح)(?!\S)",
                     re.IGNORECASE)
_AR_TOKEN = re.compile(rf"[ \t]*([{LETTER_CLASS}\u064b-\u0652\u0670\u0640]+)")
_LATIN_TOKEN = r"(?:(?:[Aa]l|[Ee]l)-)?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
NAME_EN = re.compile(rf"(?-i:{_LATIN_TOKEN}(?:[ \t]+(?:(?:al|el|bin|ibn|bint|abu|abd)[ \t]+)?{_LATIN_TOKEN}){{0,6}})")
_AGE_BEFORE_EN = re.compile(r"(\d{1,3})[-\s]years?[-\s]old\b\s*", re.IGNORECASE)
_ARTICLE_EN = re.compile(r"(?:the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE_EN = re.compile(r"(?:his|her|their|its)\s+", re.IGNORECASE)
_AGE_UNIT = re.compile(r"\s*(?:-?\s*years?(?:[\s-]+old)?|yrs?\b|عاما|عام|عاماً|سنه|سنة|سنوات|اعوام|أعوام)", re.IGNORECASE)
_AGE_LEAD = re.compile(r"\s*[(,،]?\s*(?:aged\s+|age\s+|(?:و)?(?:البالغ|البالغه|البالغة)\s+من\s+العمر\s+|(?:و)?عمر(?:ه|ها)\s+"
                       r"|(?:ابن|ابنة|ابنه)\s+(?:ال)?)?[(]?\s*$", re.IGNORECASE)
_AGE_WORD = re.compile(r"aged|age|العمر|عمره|عمرها", re.IGNORECASE)
_AGE_BARE = re.compile(r"\s*[(,]\s*$")  # "Ahmad al-Hasan, 12," / "(12)": a number alone is an age only here
_AGE_BARE_AFTER = re.compile(r"\s*(?:\)|,|;|\.|$|\s+and\b|\s+who\b|\s+were\b|\s+was\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Patterns:
    opener: Any  # a re.Pattern (English: wrapped in a WordStartPattern); group names say the kind: list, vlist, harm, title
    subject_tail: re.Pattern[str] | None
    outcomes: tuple[tuple[str, re.Pattern[str]], ...]
    any_outcome: re.Pattern[str]
    victim_word: re.Pattern[str]
    roles_en: re.Pattern[str] | None


@cache
def _gazetteer() -> Gazetteer:
    return Gazetteer.load()


def is_place_name(name: str) -> bool:
    """Whether ``name`` is spelled exactly as a gazetteer place ("Abu Kamal", "أبو الظهور", "Ras al-Ain")."""
    light = light_key(name)
    if not light:
        return False
    return any(light_key(n) == light for p in _gazetteer().lookup(name) for n in p.names)


@dataclass(slots=True)
class Scan:
    text: str
    hay: str
    language: str
    words: NameWords
    pats: Patterns
    sentence_starts: list[int]
    sentence_ends: list[int]
    actors: list[tuple[int, int]]
    places: list[tuple[int, int]]

    def sentence(self, at: int) -> tuple[int, int]:
        i = bisect_right(self.sentence_starts, at) - 1
        if i < 0:
            return 0, len(self.text)
        return self.sentence_starts[i], self.sentence_ends[i]


def read_item(scan: Scan, pos: int, se: int, *, strong: bool, first: bool
          ) -> tuple[int, int, str, int | None, str | None, int] | None:
    """One list item at ``pos``: (start, end, sex, age, outcome its role says, where it ends) or None."""
    if scan.language == "ar":
        return _item_ar(scan, pos, se, strong=strong, first=first)
    return _item_en(scan, pos, se, strong=strong)


# ---------------------------------------------------------------- English


def _item_en(scan: Scan, pos: int, se: int, *, strong: bool
             ) -> tuple[int, int, str, int | None, str | None, int] | None:
    text, words = scan.text, scan.words
    sex, age, role_outcome = "", None, None
    m = _ARTICLE_EN.match(text, pos) or _POSSESSIVE_EN.match(text, pos)
    if m:
        pos = m.end()
    m = _AGE_BEFORE_EN.match(text, pos)
    if m:
        age, pos = _age_value(m.group(1)), m.end()
    assert scan.pats.roles_en is not None
    m = scan.pats.roles_en.match(text, pos)
    if m:
        role = re.sub(r"\s+", " ", m.group().strip(" ,")).lower()
        sex = "female" if role in words.roles_en_female else "male" if role in _MALE_EN else ""
        role_outcome = _ROLE_OUTCOME_EN.get(role)
        strong, pos = True, m.end()
    # a title: "Dr. Rami Haddad", "Mrs Fatima …"
    m = re.match(r"([A-Z][a-z]{1,9}\.?)\s+", text[pos:pos + 16])
    if m and m.group(1).lower().rstrip(".") in words.titles_en:
        if m.group(1).lower().rstrip(".") in words.titles_en_female:
            sex = "female"
        strong, pos = True, pos + m.end()
    nm = NAME_EN.match(text, pos, se)
    if nm is None:
        return None
    span = trim_en(scan, nm.start(), nm.end())
    if span is None:
        return None
    start, stop, tokens = span
    if not accept_en(scan, start, stop, tokens, strong=strong):
        return None
    after = stop
    got = age_after(scan, stop, se)
    if got is not None:
        age, after = got
    return start, stop, sex, age, role_outcome, after


_MALE_EN = frozenset({"boy", "man", "young man", "elderly man", "old man", "brother", "son", "husband", "father",
                      "nephew", "uncle", "grandson", "grandfather", "brother-in-law", "son-in-law"})
_ROLE_OUTCOME_EN = {"detainee": "detained", "prisoner": "detained", "martyr": "killed"}


def trim_en(scan: Scan, start: int, stop: int) -> tuple[int, int, list[str]] | None:
    """The name's tokens up to the first word no name has; None when it starts with one."""
    text = scan.text
    tokens = [(t.start() + start, t.end() + start) for t in re.finditer(r"\S+", text[start:stop])]
    kept = []
    for s, e in tokens:
        word = text[s:e]
        bare = re.sub(r"^(?:al|el)-", "", word, flags=re.IGNORECASE).lower()
        if bare in scan.words.not_name_en or word.lower() in scan.words.not_name_en:
            if kept:
                return None  # "Jamal Pasha Street", "Omar Mukhtar School": a place or body named after someone
            break
        kept.append((s, e))
    if not kept:
        return None
    # a particle never ends a name ("Ahmad bin")
    while kept and text[kept[-1][0]:kept[-1][1]].lower() in scan.words.particles_en:
        kept.pop()
    if not kept:
        return None
    start, stop = kept[0][0], kept[-1][1]
    return start, stop, [text[s:e] for s, e in kept]


def accept_en(scan: Scan, start: int, stop: int, tokens: list[str], *, strong: bool) -> bool:
    text, words = scan.text, scan.words
    if text[stop:stop + 2] in ("'s", "’s") or text[stop:stop + 1] == "-":
        return False  # "Ahmad's house", "Assad-controlled"
    caps = [t for t in tokens if t.lower() not in words.particles_en]
    if len(caps) > 5:
        return False
    first = caps[0].lower()
    given = _given_en(words, caps)
    if len(caps) == 1 and not (strong and given):
        return False  # one word is a name only as "his brother Omar", "the child Omar"
    if not given and not strong:
        return False
    if first in words.heads_en and len(caps) < 2:
        return False
    return not _taken(scan, start, stop, tokens)


def _given_en(words: NameWords, caps: list[str]) -> bool:
    first = caps[0]
    if first.lower() in words.heads_en:
        # "Abu Ahmad", "Abdul Rahman", "Abd al-Karim": a head and a name
        return len(caps) > 1
    if re.match(r"(?i)abd(?:ul|el|al)?[a-z]{3,}", first):
        return True  # "Abdulrahman", "Abdelkarim"
    return latin_key(first) in words.given_en


# ---------------------------------------------------------------- Arabic


def _item_ar(scan: Scan, pos: int, se: int, *, strong: bool, first: bool
             ) -> tuple[int, int, str, int | None, str | None, int] | None:
    words = scan.words
    sex, role_outcome = "", None
    toks = _ar_tokens(scan, pos, se, limit=9)
    i = 0
    # a leading "و" joins the item to the list ("ويوسف", "والطفل"); a name that begins with it stays ("وليد")
    if toks:
        s, e, w = toks[0]
        if w.startswith("و") and w not in words.given_ar and len(w) > 2:
            rest = w[1:]
            if rest in words.given_ar or rest in words.heads_ar or rest in words.roles_ar or _kin_at(words, [rest]):
                toks[0] = (s + 1, e, rest)
    # role nouns and the words that may follow them ("الناشط الإعلامي", "الطفلة")
    while i < len(toks) and (toks[i][2] in words.roles_ar or (i and toks[i][2] in words.between_ar)):
        w = toks[i][2]
        sex = "female" if w in words.female_ar else (sex or ("male" if w not in _AR_NEUTRAL else ""))
        role_outcome = role_outcome or _ROLE_OUTCOME_AR.get(w)
        strong, i = True, i + 1
    kin = _kin_at(words, [t[2] for t in toks[i:i + 2]])
    if kin:
        joined = " ".join(t[2] for t in toks[i:i + kin])
        last = toks[i + kin - 1][2]
        sex = "female" if last in words.female_ar or joined in words.female_ar else \
            "male" if last in words.male_ar or joined in words.male_ar else sex
        strong, i = True, i + kin
    name = []
    for s, e, w in toks[i:]:
        raw = strip_vowel_marks(scan.text[s:e])
        if w in words.not_name_ar or raw in words.not_name_ar_raw or scan.pats.any_outcome.fullmatch(w) \
                or (name and _new_item_ar(words, w)):
            break
        name.append((s, e, w))
    if not name or len(name) > 5:
        return None
    # the name must reach the end of what was read or stop at a boundary, never mid-clause after 5 words
    ws = [w for _, _, w in name]
    given = ws[0] in words.given_ar or (ws[0] in words.heads_ar and len(ws) > 1) or \
        (ws[0].startswith("عبد") and len(ws[0]) > 4)
    if len(ws) == 1 and not (kin and given):
        return None
    if not given and not strong:
        return None
    start, stop = name[0][0], name[-1][1]
    if _taken(scan, start, stop, ws):
        return None
    age, after = None, stop
    got = age_after(scan, stop, se)
    if got is not None:
        age, after = got
    return start, stop, sex, age, role_outcome, after


_AR_NEUTRAL = frozenset({fold_ar("الضحية")})
_ROLE_OUTCOME_AR = {fold_ar(w): o for w, o in (
    ("الشهيد", "killed"), ("الشهيدة", "killed"), ("المعتقل", "detained"), ("المعتقلة", "detained"),
    ("المختطف", "abducted"), ("المختطفة", "abducted"), ("المخطوف", "abducted"), ("المخطوفة", "abducted"),
    ("المغيب", "disappeared"), ("الجريح", "injured"), ("الجريحة", "injured"))}


def past_agent_ar(scan: Scan, pos: int, se: int) -> int:
    """"اعتقلت قوات النظام الشاب X": the role noun after the verb's subject, or ``pos`` when none comes soon.

    Only words (no punctuation) may stand between, at most four, and no
    speech verb: "مقتل 3 مدنيين، وقال الناشط X" names a source, not a victim.
    """
    toks = _ar_tokens(scan, pos, se, limit=5)
    for k, (s, _, w) in enumerate(toks):
        if k == 0:
            continue
        if SPEECH.fullmatch(w) or w in scan.words.given_ar:
            break
        if w in scan.words.roles_ar:
            return s
    return pos


def _ar_tokens(scan: Scan, pos: int, se: int, *, limit: int) -> list[tuple[int, int, str]]:
    """Arabic words from ``pos`` separated by spaces only (punctuation, digits or a line break end them)."""
    out = []
    while len(out) < limit:
        m = _AR_TOKEN.match(scan.text, pos, se)
        if m is None:
            break
        out.append((m.start(1), m.end(1), fold_ar(scan.hay[m.start(1):m.end(1)])))
        pos = m.end()
    return out


def _kin_at(words: NameWords, toks: list[str]) -> int:
    """How many words a relative takes at the start of ``toks`` ("ابن عمه": 2), 0 when none."""
    for kin in words.kin_ar:
        parts = kin.split()
        if toks[:len(parts)] == parts:
            return len(parts)
    return 0


def _new_item_ar(words: NameWords, w: str) -> bool:
    """A word that starts the list's next item ("ويوسف", "والطفل", "وشقيقه")."""
    if not w.startswith("و") or w in words.given_ar or len(w) < 3:
        return False
    rest = w[1:]
    return rest in words.given_ar or rest in words.heads_ar or rest in words.roles_ar or bool(_kin_at(words, [rest]))


# ---------------------------------------------------------------- shared checks


def _taken(scan: Scan, start: int, stop: int, tokens: list[str]) -> bool:
    """Whether the span is an actor's or a place's name rather than a person's."""
    if any(s < stop and start < e for s, e in scan.actors):
        return True
    if any(s <= start and stop <= e for s, e in scan.places):
        return True
    name = scan.text[start:stop]
    if is_place_name(name):
        return True
    # "Abu Kamal …", "Ras al-Ain …": a place's name at the start, unless it starts with a given name
    words = scan.words
    head = tokens[0].lower() if scan.language == "en" else tokens[0]
    plain_given = (latin_key(tokens[0]) in words.given_en) if scan.language == "en" else tokens[0] in words.given_ar
    if head in words.heads_en or head in words.heads_ar or not plain_given:
        for k in range(2, min(4, len(tokens)) + 1):
            if is_place_name(" ".join(tokens[:k])):
                return True
    return False


def _age_value(digits: str) -> int | None:
    try:
        n = int(to_ascii_digits(digits))
    except ValueError:
        return None
    return n if 0 < n < 120 else None


def age_after(scan: Scan, stop: int, se: int) -> tuple[int, int] | None:
    """The age written right after a name, and where it ends: ", 12", "(12 عاماً)", "aged 12", "البالغ من العمر 9 سنوات"."""
    hi = min(se, stop + WINDOW)
    window = scan.text[stop:hi]
    if not window:
        return None
    try:
        quantities = find_quantities(window, language=scan.language)
    except Exception:  # a number finder's failure costs the age, not the name
        quantities = []
    for q in quantities:
        if q.min is None or q.min != q.max:
            continue
        lead, rest = window[:q.start], window[q.end:]
        unit = _AGE_UNIT.match(rest)
        lead_ok = _AGE_LEAD.fullmatch(fold_ar(lead) if scan.language == "ar" else lead)
        if lead_ok and (unit or _AGE_WORD.search(lead)):
            # "aged 40", "عمره 12": the word says it is an age, with or without "years"
            age = q.min if 0 < q.min < 120 else None
            end = q.end + (unit.end() if unit else 0)
            close = re.match(r"\s*\)", window[end:])
            return (age, stop + end + (close.end() if close else 0)) if age else None
        if unit is None and _AGE_BARE.fullmatch(lead) and _AGE_BARE_AFTER.match(rest) and q.text.isdigit():
            age = q.min if 0 < q.min < 120 else None
            close = re.match(r"\s*\)", rest)
            return (age, stop + q.end + (close.end() if close else 0)) if age else None
        break  # only the first number counts
    return None
