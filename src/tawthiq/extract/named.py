"""Persons a report names as victims: "among them Ahmad al-Hasan, 12", "وبين الضحايا الطفل محمد أحمد الحسن (12 عاماً)".

A wrong name in a confidential list of victims is harmful, so this finder
is built for precision, not recall. A name is taken only where the text
says the person is a victim:

* after a list opener in a sentence about victims: "among them", "including",
  "identified as", "the detainees are", بينهم، منهم، وهم، بين الضحايا، تم
  التعرف على …; the list goes on over commas and "and"/و;
* as the object of a harm word: "arrested Dr. Rami Haddad", "abducted the
  journalist X", "استشهاد الطفلة X", "اعتقلت قوات النظام الشاب X";
* after a title that is itself a victim's: "the late X", "الشهيد X", "المعتقل X";
* as the subject of a passive harm verb: "X, aged 17, was shot dead".

What is taken must look like a person's name: Latin capitalised words with
al-/el-, bin/ibn, Abu, Abdul/Abd al- (at most five), or two to five Arabic
words. Unless a role noun, title or relative says a person follows ("the
child", "الطفل", "his brother"), the name must begin with a known given name
(``lexicons/names.toml``). A name that is a place (in the gazetteer, spelled
exactly), overlaps an actor mention, or holds a month, weekday or another
word no name contains, is dropped. Speech and bylines ("said Dr. X", "By
Sarah Johnson") are no victim context and give nothing.

The age ("12", "(12 عاماً)", "aged 12", "12-year-old"), the sex where the text
says it (الطفلة, "his wife", "a girl") and the outcome (the nearest harm word;
a body or a death beats a detainee's title) go with the name. The name's span
is exact: the name is never normalised.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..domain import Incident, NamedPerson, Span
from ..domain.arabic import LETTER_CLASS, strip_vowel_marks, to_ascii_digits
from ..domain.enums import Sex, VictimOutcome
from .gazetteer import Gazetteer, light_key
from .named_vocab import NameWords, fold_ar, latin_key, name_words, words_alternation
from .numbers import find_quantities
from .report import Report, Unit

MAX_ITEMS = 30  # names read from one list
MAX_SKIPS = 2  # list items that are no name ("three children") passed over before a name
_WINDOW = 80  # characters read after a name for its age

_OUTCOMES_EN = (
    ("killed", r"kill(?:ed|ing|s)?|dead|died|deaths?|shot dead|gunned down|execut\w*|assassinat\w*|martyr\w*"
               r"|bod(?:y|ies)|remains of|funeral|slain|perished|fatalit\w+|corpses?"),
    ("injured", r"injur\w*|wound\w*"),
    ("detained", r"arrest\w*|detain\w*|detention|imprison\w*|prisoners?"),
    ("abducted", r"abduct\w*|kidnap\w*|hostages?"),
    ("disappeared", r"(?:forcibly )?disappear\w*|missing"),
    ("tortured", r"tortur\w*"),
)
# Folded Arabic (أ→ا, ة→ه, ى→ي), with the usual proclitics.
_OUTCOMES_AR = (
    ("killed", r"(?:است)?شهد\S*|شهيد\S*|شهداء|مقتل\S*|قتل\S*|قتلي|قضي|قضت|توفي\S*|وفاه\S*|اعدام\S*|اعدم\S*"
               r"|اغتيال\S*|اغتال\S*|تصفيه\S*|جثه|جثث|جثمان\S*|ضحايا|الضحايا|ضحيه|الضحيه"),
    ("injured", r"اصاب\S*|اصيب\S*|جرح\S*|جريح\S*|مصاب\S*|الجرحي"),
    ("detained", r"اعتقال\S*|اعتقل\S*|معتقل\S*|المعتقل\S*|احتجاز\S*|احتجز\S*|توقيف\S*|اوقف\S*"),
    ("abducted", r"خطف\S*|اختطاف\S*|اختطف\S*|مخطوف\S*|المخطوف\S*|مختطف\S*|المختطف\S*"),
    ("disappeared", r"تغييب\S*|مغيب\S*|المغيب\S*|اخفاء\S*|مختف\S*|اختفاء\S*|مفقود\S*|المفقود\S*"),
    ("tortured", r"تعذيب\S*|عذب\S*"),
)
# A victim word with no outcome of its own still makes a sentence about victims.
_VICTIM_WORDS = {"en": r"victims?|casualt(?:y|ies)", "ar": r"ضحايا|الضحايا|ضحيه|الضحيه"}
_SPEECH = re.compile(r"\b(?:said|says|told|according|reported|added|stated|quoted|wrote|by)\b|(?<!\S)(?:و)?(?:قال|قالت|"
                     r"افاد|افادت|ذكر|ذكرت|اكد|اكدت|اضاف|اضافت|بحسب|حسب|وفق|وفقا|نقل|نقلت|صرح|اوضح)(?!\S)",
                     re.IGNORECASE)
_SEP_EN = re.compile(r"\s*(?:,\s*(?:and\s+|as well as\s+)?|;\s*|\s+and\s+|\s+as well as\s+|\s*&\s*)")
_SEP_AR = re.compile(r"\s*[,،؛;]\s*|\s+(?=و)|\s+و\s+")
_AR_TOKEN = re.compile(rf"[ \t]*([{LETTER_CLASS}\u064b-\u0652\u0670\u0640]+)")
_LATIN_TOKEN = r"(?:(?:[Aa]l|[Ee]l)-)?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_NAME_EN = re.compile(rf"(?-i:{_LATIN_TOKEN}(?:[ \t]+(?:(?:al|el|bin|ibn|bint|abu|abd)[ \t]+)?{_LATIN_TOKEN}){{0,6}})")
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
class NameFound:
    """One name the finder took: where it is, what the text says of the person, and the rule."""

    start: int
    end: int
    age: int | None
    sex: str  # "female", "male" or "" when the text does not say
    outcome: str | None
    rule: str


@dataclass(frozen=True, slots=True)
class _Patterns:
    opener: re.Pattern[str]  # group names say the kind: list, vlist (a victim list by its own words), harm, title
    subject_tail: re.Pattern[str] | None
    outcomes: tuple[tuple[str, re.Pattern[str]], ...]
    any_outcome: re.Pattern[str]
    victim_word: re.Pattern[str]
    roles_en: re.Pattern[str] | None


def _fold_pattern(p: str) -> str:
    return fold_ar(p)


@cache
def _patterns(language: str) -> _Patterns:
    words = name_words()
    if language == "ar":
        victims = "الضحايا|القتلي|الشهداء|المعتقلين|المصابين|الجرحي|المختطفين|المفقودين|الموقوفين|المعتقلات|المغيبين"
        opener = (
            rf"(?<!\S)(?:(?P<vlist>(?:و)?(?:من )?بين (?:{victims})|(?:و)?(?:تم |قد تم )?التعرف علي(?: هويه| هويات| جثه"
            rf"| جثث| جثمان| جثامين)?|(?:و)?اسماؤهم|(?:و)?اسماء (?:{victims})(?: هي| هم)?)"
            r"|(?P<list>(?:و)?(?:من )?بينهم|(?:و)?منهم|(?:و)?هم(?: كل من)?|(?:و)?كل من|(?:و)?يدعي|(?:و)?تدعي)"
            r"|(?P<harm>(?:و|ف)?(?:استشهاد|استشهد|استشهدت|مقتل|قتل|قتلت|قضي|قضت|توفي|توفيت|وفاه|اعدام|اعدمت|اعدم"
            r"|اغتيال|اغتالت|اغتال|تصفيه|اعتقال|اعتقلت|اعتقل|احتجاز|احتجزت|احتجز|اختطاف|اختطفت|اختطف|خطف|خطفت|اصابه"
            r"|اصيب|اصيبت|جرح|تغييب|اخفاء|اختفاء|جثه|جثمان))"
            r"|(?P<title>(?:و)?(?:الشهيد|الشهيده|المعتقل|المعتقله|المختطف|المختطفه|المخطوف|المخطوفه|المغيب|المغيبه"
            r"|المدعو|المدعوه|الفقيد|الفقيده)))(?=[\s:])\s*:?\s*"
        )
        flags = 0
        roles = None
        tail = None
        outcomes = _OUTCOMES_AR
    else:
        victims = ("dead|victims|killed|wounded|injured|detainees|detained|abducted|kidnapped|missing|arrested"
                   "|casualties|martyrs|fatalities|deceased|bodies")
        opener = (
            rf"\b(?:(?P<vlist>among (?:the )?(?:{victims})(?:\s+(?:were|was|are|is))?"
            rf"|the (?:names|identities) of the (?:\w+\s+){{0,2}}?(?:{victims})(?:\s+(?:are|were|include|included))?"
            rf"|the (?:{victims}) (?:are|were|include|included)|(?:{victims})\s*:)"
            r"|(?P<list>among (?:them|whom|those)(?:\s+(?:were|was|are|is))?|including|identified as|named(?: as)?)"
            r"|(?P<harm>kill(?:ed|ing)|shot(?:\s+dead)?|shooting(?:\s+dead)?|gunned down|execut(?:ed|ing)"
            r"|assassinat(?:ed|ing)|arrest(?:ed|ing)|detain(?:ed|ing)|abduct(?:ed|ing)|kidnap(?:ped|ping)"
            r"|tortur(?:ed|ing)(?:\s+to\s+death)?|wound(?:ed|ing)|injur(?:ed|ing)|(?:forcibly\s+)?disappear(?:ed|ing)"
            r"|martyred|bod(?:y|ies) of|remains of|funeral of)"
            r"|(?P<title>the (?:late|detained|detainee|martyr|abducted|kidnapped|missing|slain)))\s*:?\s+"
        )
        flags = re.IGNORECASE
        roles = re.compile(rf"(?:{words_alternation(words.roles_en)})\b\s*,?\s*", re.IGNORECASE)
        tail = re.compile(
            r"(?:\s*,\s*(?:aged\s+)?\d{1,3}\s*,)?\s+(?:(?:was|were|has been|had been|is)\s+(?:(?:also|reportedly|later|"
            r"then|allegedly|found)\s+)?(?:killed|shot dead|shot and killed|shot|executed|assassinated|arrested|detained|abducted|kidnapped|"
            r"wounded|injured|tortured|dead|gunned down|disappeared)|died|was among the (?:dead|victims|killed))\b",
            re.IGNORECASE)
        outcomes = _OUTCOMES_EN
    compiled = tuple((name, re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", flags)) for name, p in outcomes)
    any_outcome = re.compile("|".join(f"(?:{p.pattern})" for _, p in compiled), flags)
    return _Patterns(opener=re.compile(opener, flags), subject_tail=tail, outcomes=compiled, any_outcome=any_outcome,
                     victim_word=re.compile(rf"(?<!\w)(?:{_VICTIM_WORDS['ar' if language == 'ar' else 'en']})(?!\w)",
                                            flags),
                     roles_en=roles)


@cache
def _gazetteer() -> Gazetteer:
    return Gazetteer.load()


def is_place_name(name: str) -> bool:
    """Whether ``name`` is spelled exactly as a gazetteer place ("Abu Kamal", "أبو الظهور", "Ras al-Ain")."""
    light = light_key(name)
    if not light:
        return False
    return any(light_key(n) == light for p in _gazetteer().lookup(name) for n in p.names)


# ---------------------------------------------------------------- finding


@dataclass(slots=True)
class _Scan:
    text: str
    hay: str
    language: str
    words: NameWords
    pats: _Patterns
    sentence_starts: list[int]
    sentence_ends: list[int]
    actors: list[tuple[int, int]]
    places: list[tuple[int, int]]

    def sentence(self, at: int) -> tuple[int, int]:
        i = bisect_right(self.sentence_starts, at) - 1
        if i < 0:
            return 0, len(self.text)
        return self.sentence_starts[i], self.sentence_ends[i]


def find_named(text: str, hay: str, language: str, *, sentences: list[Any], end: int,
               actors: list[Any] = (), places: list[Any] = ()) -> list[NameFound]:  # type: ignore[assignment]
    """The names in ``text[:end]`` the text gives as victims, in text order, one per span.

    ``hay`` is the engine's 1:1 folded copy; ``sentences`` its sentences
    (objects with ``start``/``end``); ``actors`` and ``places`` the actor
    and place mentions found in the report (names overlapping them are no
    person's).
    """
    lang = "ar" if language == "ar" else "en"
    scan = _Scan(text, hay, lang, name_words(), _patterns(lang), [s.start for s in sentences],
                 [s.end for s in sentences], [(a.start, a.end) for a in actors],
                 [(p.start, p.end) for p in places if getattr(p, "role", "place") != "origin"])
    found: dict[int, NameFound] = {}
    for m in scan.pats.opener.finditer(hay, 0, end):
        kind = m.lastgroup or "list"
        for item in _read_list(scan, m, kind, end):
            found.setdefault(item.start, item)
    if scan.pats.subject_tail is not None:
        for m in scan.pats.subject_tail.finditer(hay, 0, end):
            item = _subject(scan, m)
            if item is not None:
                found.setdefault(item.start, item)
    return [found[k] for k in sorted(found)]


def _victim_sentence(scan: _Scan, at: int) -> bool:
    """Whether the sentence says, before ``at``, that someone was harmed (or names victims)."""
    ss, _ = scan.sentence(at)
    return bool(scan.pats.any_outcome.search(scan.hay, ss, at) or scan.pats.victim_word.search(scan.hay, ss, at))


def _read_list(scan: _Scan, m: re.Match[str], kind: str, end: int) -> list[NameFound]:
    ss, se = scan.sentence(m.start())
    se = min(se, end)
    if kind == "list" and not _victim_sentence(scan, m.start()):
        return []  # "including Idlib", "among them members of …" in a sentence that harms no one
    if kind == "list" and scan.language == "en" and re.match(r"(?i)including|named", m.group()) and \
            not _GROUP_BEFORE_EN.search(scan.text, max(ss, m.start() - 40), m.start()):
        return []  # "condemned the killing, including Dr. X": "including" must follow the victims it lists
    pos, out, skips = m.end(), [], 0
    outcome_word = _outcome_of(scan, m.start(), m.end()) if kind in ("harm", "title") else None
    title_outcome = outcome_word if kind == "title" else None
    for n in range(MAX_ITEMS):
        if n:
            sep = (_SEP_AR if scan.language == "ar" else _SEP_EN).match(scan.text, pos, se)
            if sep is None:
                break
            pos = sep.end()
        if n == 0 and kind == "harm" and scan.language == "ar":
            pos = _past_agent_ar(scan, pos, se)
        item = _item(scan, pos, se, strong=kind in ("title",), first=n == 0)
        if item is None:
            if kind not in ("list", "vlist") or skips >= MAX_SKIPS:
                break
            nxt = _skip_item(scan, pos, se)
            if nxt is None:
                break
            skips, pos = skips + 1, nxt
            continue
        start, stop, sex, age, role_outcome, after = item
        if kind == "harm":
            outcome = _outcome_of(scan, m.start(), m.end()) if n == 0 else outcome_word
        else:
            outcome = _choose_outcome(scan, start, stop, title=title_outcome or role_outcome)
        if outcome in ("detained", "abducted", "disappeared") and _killed_nearby(scan, ss, se):
            outcome = "killed"  # "the body of the detainee X", "died under torture"
        out.append(NameFound(start, stop, age, sex, outcome, f"rule:named/{kind}"))
        pos = after
        if kind in ("harm", "title") and n == 0:
            outcome_word = outcome
    return out


# What "including" / "named" must follow to list victims: a group of people, a count, or a harm word.
_GROUP_BEFORE_EN = re.compile(
    r"\b(?:civilians?|people|persons?|children|child|women|woman|men|man|boys?|girls?|babies|baby|infants?|"
    r"teenagers?|residents|villagers|victims|casualties|dead|others|family|relatives|detainees|prisoners|youths?|"
    r"young men|students?|workers?|volunteers?|fighters|soldiers|doctors?|nurses?|journalists?|activists?|"
    r"shepherds?|farmers?|members|killed|injured|wounded|arrested|detained|abducted|kidnapped|\d+)\s*,?\s*$",
    re.IGNORECASE)
_ITEM_END = re.compile(r"\s*[,،;؛]|\s+and\b|\s+(?=و)", re.IGNORECASE)


def _skip_item(scan: _Scan, pos: int, se: int) -> int | None:
    """The end of a list item that names no one ("three children", "نساء وأطفال"), or None to stop the list."""
    sep = _ITEM_END.search(scan.text, pos, min(se, pos + 60))
    stop = sep.start() if sep else None
    if stop is None or stop == pos:
        return None
    piece = scan.hay[pos:stop]
    if _SPEECH.search(piece) or re.search(r"[.:!?؟]", piece):
        return None
    if scan.language == "en" and re.search(r"(?-i:[A-Z])", piece):
        return None  # a capitalised word that is no name: something else is being listed
    return stop


def _item(scan: _Scan, pos: int, se: int, *, strong: bool, first: bool
          ) -> tuple[int, int, str, int | None, str | None, int] | None:
    """One list item at ``pos``: (start, end, sex, age, outcome its role says, where it ends) or None."""
    if scan.language == "ar":
        return _item_ar(scan, pos, se, strong=strong, first=first)
    return _item_en(scan, pos, se, strong=strong)


# ---------------------------------------------------------------- English


def _item_en(scan: _Scan, pos: int, se: int, *, strong: bool
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
    nm = _NAME_EN.match(text, pos, se)
    if nm is None:
        return None
    span = _trim_en(scan, nm.start(), nm.end())
    if span is None:
        return None
    start, stop, tokens = span
    if not _accept_en(scan, start, stop, tokens, strong=strong):
        return None
    after = stop
    got = _age_after(scan, stop, se)
    if got is not None:
        age, after = got
    return start, stop, sex, age, role_outcome, after


_MALE_EN = frozenset({"boy", "man", "young man", "elderly man", "old man", "brother", "son", "husband", "father",
                      "nephew", "uncle", "grandson", "grandfather", "brother-in-law", "son-in-law"})
_ROLE_OUTCOME_EN = {"detainee": "detained", "prisoner": "detained", "martyr": "killed"}


def _trim_en(scan: _Scan, start: int, stop: int) -> tuple[int, int, list[str]] | None:
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


def _accept_en(scan: _Scan, start: int, stop: int, tokens: list[str], *, strong: bool) -> bool:
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


def _item_ar(scan: _Scan, pos: int, se: int, *, strong: bool, first: bool
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
    got = _age_after(scan, stop, se)
    if got is not None:
        age, after = got
    return start, stop, sex, age, role_outcome, after


_AR_NEUTRAL = frozenset({fold_ar("الضحية")})
_ROLE_OUTCOME_AR = {fold_ar(w): o for w, o in (
    ("الشهيد", "killed"), ("الشهيدة", "killed"), ("المعتقل", "detained"), ("المعتقلة", "detained"),
    ("المختطف", "abducted"), ("المختطفة", "abducted"), ("المخطوف", "abducted"), ("المخطوفة", "abducted"),
    ("المغيب", "disappeared"), ("الجريح", "injured"), ("الجريحة", "injured"))}


def _past_agent_ar(scan: _Scan, pos: int, se: int) -> int:
    """"اعتقلت قوات النظام الشاب X": the role noun after the verb's subject, or ``pos`` when none comes soon.

    Only words (no punctuation) may stand between, at most four, and no
    speech verb: "مقتل 3 مدنيين، وقال الناشط X" names a source, not a victim.
    """
    toks = _ar_tokens(scan, pos, se, limit=5)
    for k, (s, _, w) in enumerate(toks):
        if k == 0:
            continue
        if _SPEECH.fullmatch(w) or w in scan.words.given_ar:
            break
        if w in scan.words.roles_ar:
            return s
    return pos


def _ar_tokens(scan: _Scan, pos: int, se: int, *, limit: int) -> list[tuple[int, int, str]]:
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


def _taken(scan: _Scan, start: int, stop: int, tokens: list[str]) -> bool:
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


def _age_after(scan: _Scan, stop: int, se: int) -> tuple[int, int] | None:
    """The age written right after a name, and where it ends: ", 12", "(12 عاماً)", "aged 12", "البالغ من العمر 9 سنوات"."""
    hi = min(se, stop + _WINDOW)
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


def _outcome_of(scan: _Scan, start: int, end: int) -> str | None:
    for name, pat in scan.pats.outcomes:
        if pat.search(scan.hay, start, end):
            return name
    return None


def _choose_outcome(scan: _Scan, start: int, stop: int, *, title: str | None) -> str | None:
    """The nearest harm word before the name in its sentence, else the title's, else the first after it."""
    ss, se = scan.sentence(start)
    before = [m for m in scan.pats.any_outcome.finditer(scan.hay, ss, start)]
    if before:
        last = before[-1]
        return _outcome_of(scan, last.start(), last.end())
    if title:
        return title
    after = scan.pats.any_outcome.search(scan.hay, stop, se)
    return _outcome_of(scan, after.start(), after.end()) if after else None


def _killed_nearby(scan: _Scan, ss: int, se: int) -> bool:
    pat = dict(scan.pats.outcomes)["killed"]
    return pat.search(scan.hay, ss, se) is not None


def _subject(scan: _Scan, m: re.Match[str]) -> NameFound | None:
    """"Mohammed Ali al-Omar, aged 17, was shot dead": the name right before a passive harm verb."""
    ss, se = scan.sentence(m.start())
    lo = max(ss, m.start() - 80)
    window = scan.text[lo:m.start()]
    nm = re.search(rf"{_NAME_EN.pattern}$", window)
    if nm is None:
        return None
    start, stop = lo + nm.start(), lo + nm.end()
    tokens_all = scan.text[start:stop].split()
    # leading words no name has ("Yesterday Ahmad …", "Local …")
    while tokens_all and (tokens_all[0].lower() in scan.words.not_name_en or tokens_all[0].lower() in scan.words.titles_en):
        start = scan.text.index(tokens_all[0], start) + len(tokens_all[0])
        start += len(scan.text[start:]) - len(scan.text[start:].lstrip())
        tokens_all = tokens_all[1:]
    if not tokens_all:
        return None
    span = _trim_en(scan, start, stop)
    if span is None:
        return None
    start, stop, tokens = span
    if stop != lo + nm.end() or not _accept_en(scan, start, stop, tokens, strong=False):
        return None
    got = _age_after(scan, stop, se)
    outcome = _outcome_of(scan, m.start(), m.end())
    return NameFound(start, stop, got[0] if got else None, "", outcome, "rule:named/subject")


# ---------------------------------------------------------------- attaching


def attach_named(r: Report, items: list[tuple[Unit, Incident]]) -> None:
    """Give each incident the persons its act names (``Incident.named``).

    A name belongs to the act whose words hold it, else to an act of its
    sentence, else to the act told at most two sentences before in the
    same paragraph ("… killed 11 civilians. Among the dead were X and Y.").
    A name no act claims is dropped: a person is recorded as a victim of
    an incident, or not at all.
    """
    if not items or not r.sentences:
        return
    found = find_named(r.text, r.hay, r.language, sentences=r.sentences, end=r.sentences[-1].end,
                       actors=list(r.actors), places=list(r.places))
    if not found:
        return
    starts = [s.start for s in r.sentences]
    for name in found:
        si = max(0, bisect_right(starts, name.start) - 1)
        incident = _owner(r, items, name.start, si)
        if incident is None:
            continue
        outcome = name.outcome
        if outcome is None:
            outcomes = {str(v.outcome) for v in incident.victims}
            outcome = outcomes.pop() if len(outcomes) == 1 else None
        incident.named.append(NamedPerson(
            name=r.text[name.start:name.end], span=Span.of(r.text, name.start, name.end), age=name.age,
            sex=Sex(name.sex) if name.sex else Sex.UNKNOWN,
            outcome=VictimOutcome(outcome) if outcome else None, method=name.rule))


def _owner(r: Report, items: list[tuple[Unit, Incident]], at: int, si: int) -> Incident | None:
    for unit, incident in items:
        if unit.start <= at < unit.end:
            return incident
    same = [(unit, incident) for unit, incident in items if unit.sentence == si]
    if same:
        before = [(u, i) for u, i in same if u.start <= at]
        return (before[-1] if before else same[0])[1]
    earlier = [(u, i) for u, i in items if u.sentence < si and si - u.sentence <= 2
               and r.paragraph_of[u.sentence] == r.paragraph_of[si]]
    return earlier[-1][1] if earlier else None
