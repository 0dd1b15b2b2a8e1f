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
from ..domain.enums import Sex, VictimOutcome
from .named_items import NAME_EN, SPEECH, Patterns, Scan, accept_en, age_after, past_agent_ar, read_item, trim_en
from .named_vocab import fold_ar, name_words, words_alternation
from .report import Report, Unit
from .word_index import WordStartPattern

MAX_ITEMS = 30  # names read from one list
MAX_SKIPS = 2  # list items that are no name ("three children") passed over before a name

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
_SEP_EN = re.compile(r"\s*(?:,\s*(?:and\s+|as well as\s+)?|;\s*|\s+and\s+|\s+as well as\s+|\s*&\s*)")
_SEP_AR = re.compile(r"\s*[,،؛;]\s*|\s+(?=و)|\s+و\s+")
@dataclass(frozen=True, slots=True)
class NameFound:
    """One name the finder took: where it is, what the text says of the person, and the rule."""

    start: int
    end: int
    age: int | None
    sex: str  # "female", "male" or "" when the text does not say
    outcome: str | None
    rule: str


def _fold_pattern(p: str) -> str:
    return fold_ar(p)


@cache
def _patterns(language: str) -> Patterns:
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
    return Patterns(opener=WordStartPattern.wrap(re.compile(opener, flags)),  # English: tried at word starts only
                    subject_tail=tail, outcomes=compiled, any_outcome=any_outcome,
                    victim_word=re.compile(rf"(?<!\w)(?:{_VICTIM_WORDS['ar' if language == 'ar' else 'en']})(?!\w)",
                                           flags),
                    roles_en=roles)


# ---------------------------------------------------------------- finding


def find_named(text: str, hay: str, language: str, *, sentences: list[Any], end: int,
               actors: list[Any] = (), places: list[Any] = ()) -> list[NameFound]:  # type: ignore[assignment]
    """The names in ``text[:end]`` the text gives as victims, in text order, one per span.

    ``hay`` is the engine's 1:1 folded copy; ``sentences`` its sentences
    (objects with ``start``/``end``); ``actors`` and ``places`` the actor
    and place mentions found in the report (names overlapping them are no
    person's).
    """
    lang = "ar" if language == "ar" else "en"
    scan = Scan(text, hay, lang, name_words(), _patterns(lang), [s.start for s in sentences],
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


def _victim_sentence(scan: Scan, at: int) -> bool:
    """Whether the sentence says, before ``at``, that someone was harmed (or names victims)."""
    ss, _ = scan.sentence(at)
    return bool(scan.pats.any_outcome.search(scan.hay, ss, at) or scan.pats.victim_word.search(scan.hay, ss, at))


def _read_list(scan: Scan, m: re.Match[str], kind: str, end: int) -> list[NameFound]:
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
            pos = past_agent_ar(scan, pos, se)
        item = read_item(scan, pos, se, strong=kind in ("title",), first=n == 0)
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


def _skip_item(scan: Scan, pos: int, se: int) -> int | None:
    """The end of a list item that names no one ("three children", "نساء وأطفال"), or None to stop the list."""
    sep = _ITEM_END.search(scan.text, pos, min(se, pos + 60))
    stop = sep.start() if sep else None
    if stop is None or stop == pos:
        return None
    piece = scan.hay[pos:stop]
    if SPEECH.search(piece) or re.search(r"[.:!?؟]", piece):
        return None
    if scan.language == "en" and re.search(r"(?-i:[A-Z])", piece):
        return None  # a capitalised word that is no name: something else is being listed
    return stop


def _outcome_of(scan: Scan, start: int, end: int) -> str | None:
    for name, pat in scan.pats.outcomes:
        if pat.search(scan.hay, start, end):
            return name
    return None


def _choose_outcome(scan: Scan, start: int, stop: int, *, title: str | None) -> str | None:
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


def _killed_nearby(scan: Scan, ss: int, se: int) -> bool:
    pat = dict(scan.pats.outcomes)["killed"]
    return pat.search(scan.hay, ss, se) is not None


def _subject(scan: Scan, m: re.Match[str]) -> NameFound | None:
    """"Mohammed Ali al-Omar, aged 17, was shot dead": the name right before a passive harm verb."""
    ss, se = scan.sentence(m.start())
    lo = max(ss, m.start() - 80)
    window = scan.text[lo:m.start()]
    nm = re.search(rf"{NAME_EN.pattern}$", window)
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
    span = trim_en(scan, start, stop)
    if span is None:
        return None
    start, stop, tokens = span
    if stop != lo + nm.end() or not accept_en(scan, start, stop, tokens, strong=False):
        return None
    got = age_after(scan, stop, se)
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
