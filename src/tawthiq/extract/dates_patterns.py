"""The patterns behind tawthiq.extract.dates, and where in a text to try them.

The patterns are compiled once from ``lexicons/dates.toml``: absolute dates
(day, month, year in either order, Arabic ordinal days, two month names side
by side), numeric dates, introduced years, months without a year, and
relative expressions. Running them along a whole report is costly, so
:func:`find_matches` first finds the words every date holds (a digit, a month
or weekday name, "yesterday"/أمس/"year") and tries each pattern only at the
run of date words just before such a word.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..domain.arabic import DIGIT_CHARS, fold_for_lookup, to_ascii_digits
from ..domain.arabic import DIGIT_CLASS as DIGIT
from ..domain.arabic import LETTER_CLASS as AR_LETTER
from .numbers_script import HAS_ARABIC, ar_char, trie_pattern

__all__ = ["Lex", "Matches", "load_lex", "date_key", "find_matches", "AR_BEFORE_DATE"]

_AB = f"(?<![{AR_LETTER}])"
AR_BEFORE_DATE = _AB
_AE = f"(?![{AR_LETTER}])"
_D = DIGIT


def _en_char(ch: str) -> str:
    # Unlike numbers' en_char, a hyphen and a space are interchangeable: "mid-2015", "twenty-first".
    return r"[\s\-]+" if ch in " -" else re.escape(ch)


def _en_trie(words: list[str], suffix: str = r"\b") -> str:
    """Words as written in lower case, with a capital, or in capitals; ``suffix`` ends each."""
    entries: list[tuple[str, str]] = []
    for w in words:
        w = " ".join(w.lower().split())
        entries += [(w, suffix), (w[:1].upper() + w[1:], suffix), (w.upper(), suffix)]
    return r"\b" + trie_pattern(entries, _en_char)


def _ar_trie(words: list[str], suffix: str = "") -> str:
    return _AB + trie_pattern([(fold_for_lookup(" ".join(w.split())), suffix) for w in words], ar_char) + _AE


def date_key(s: str) -> str:
    """Lookup form: lower case, one space between words, Arabic spelling variants folded."""
    k = " ".join(s.lower().replace("-", " ").split()).rstrip(".")
    return k if k.isascii() else fold_for_lookup(k)


@dataclass(frozen=True)
class Lex:
    """The date lexicon as lookup tables and compiled patterns (see :func:`load_lex`)."""

    months: dict[str, int]
    abbrevs: frozenset[str]
    weekdays: dict[str, int]
    ordinals: dict[str, int]
    parts: dict[str, str]
    absolute: re.Pattern[str]
    numeric: re.Pattern[str]
    year: re.Pattern[str]
    month_only: re.Pattern[str]
    relative: re.Pattern[str]
    trigger_en: re.Pattern[str]
    trigger_ar: re.Pattern[str]
    categories: dict[str, str]
    lead: dict[str, frozenset[str]]  # pattern name -> words a match may start with before its trigger


_PART_EN = {
    "early": "early", "earlier in": "early", "beginning of": "early", "the beginning of": "early",
    "start of": "early", "the start of": "early", "onset of": "early", "the onset of": "early",
    "the first half of": "early", "first half of": "early", "the first days of": "early", "the early days of": "early",
    "mid": "mid", "mid-": "mid", "middle of": "mid", "the middle of": "mid",
    "late": "late", "end of": "late", "the end of": "late", "the second half of": "late",
    "second half of": "late", "the last days of": "late",
}
_PART_AR = {
    "مطلع": "early", "أوائل": "early", "بداية": "early", "بدايات": "early", "أول": "early",
    "منتصف": "mid", "أواسط": "mid", "أواخر": "late", "نهاية": "late", "آخر": "late",
}


@cache
def load_lex() -> Lex:
    with resources.files("tawthiq.extract").joinpath("lexicons", "dates.toml").open("rb") as f:
        data: dict[str, Any] = tomllib.load(f)
    months = {date_key(k): int(v) for k, v in data["months"]["en"].items()}
    abbrevs = {date_key(k): int(v) for k, v in data["months"]["en_abbrev"].items()}
    months.update(abbrevs)
    months.update({date_key(k): int(v) for k, v in data["months"]["ar"].items()})
    weekdays = {date_key(k): int(v) for k, v in data["weekdays"]["en"].items()}
    weekdays.update({date_key(k): int(v) for k, v in data["weekdays"]["ar"].items()})
    ordinals = {date_key(k): int(v) for tbl in data["ordinal_days"].values() for k, v in tbl.items()}
    parts = {date_key(k): v for k, v in {**_PART_EN, **_PART_AR}.items()}

    en_full = list(data["months"]["en"])
    en_abbr = list(data["months"]["en_abbrev"])
    ar_months = list(data["months"]["ar"])
    abbr_suffix = r"(?:\.|\b)"
    month_en = f"(?:{_en_trie(en_full)}|{_en_trie(en_abbr, abbr_suffix)})"
    month_ar = _ar_trie(ar_months)
    # Not آب: "باب" is "door" far more often than "in August".
    month_ar_bare = trie_pattern([(fold_for_lookup(" ".join(w.split())), "") for w in ar_months
                                  if len(fold_for_lookup(w)) > 2], ar_char) + _AE

    def month(name: str) -> str:
        # A second name for the same month: "شباط/فبراير", "شباط (فبراير)".
        second = rf"(?:\s*[/(\-–]\s*(?:{month_ar}|{month_en})\)?)?"
        # "بآذار 2018", "وشباط": a proclitic joined to an Arabic month name stays outside the name.
        return rf"(?:{_AB}[بو](?={month_ar_bare}))?(?P<{name}>{month_en}|{month_ar}|(?<=[بو]){month_ar_bare}){second}"

    wd_en = _en_trie(list(data["weekdays"]["en"]))
    wd_ar = _ar_trie(list(data["weekdays"]["ar"]))
    ord_ar = _ar_trie(list(data["ordinal_days"]["ar"]))
    ord_en = _en_trie(list(data["ordinal_days"]["en"]))
    year = rf"(?<![{_D}])[{_D}]{{4}}(?![{_D}])"
    year_intro_ar = rf"(?:{_AB}(?:من\s+)?(?:[لب]?عام|العام|[لب]?سنة|السنة)\s+)?"
    day = rf"(?<![{_D}])[{_D}]{{1,2}}(?![{_D}])(?:st|nd|rd|th)?"
    part_en = _en_trie(list(_PART_EN))
    part_ar = _ar_trie(list(_PART_AR))
    part = rf"(?P<part>{part_en}|{part_ar})[\s\-]*(?:of\s+|شهر\s+)?"
    wd_prefix = rf"(?:(?:{_AB}يوم\s+)?(?P<wd>{wd_en}|{wd_ar})[\s,،]+(?:the\s+|{_AB}الموافق\s*(?:ل\S?\s*)?)?)?"

    def yrel(name: str) -> str:
        # "of last year", "من العام الماضي", "this year": a year named relative to publication.
        return (rf"(?P<{name}>(?:of\s+|{_AB}من\s+)?(?:\b(?:[Tt]his|[Ll]ast|[Tt]he\s+past|[Tt]he\s+current)\s+year\b"
                rf"|{_AB}(?:هذا\s+)?(?:العام|السنة|عام)\s+(?:الماضي|الماضية|المنصرم|المنصرمة|الفائت|الفائتة|السابق|السابقة"
                rf"|الجاري|الجارية|الحالي|الحالية){_AE}))")

    absolute = re.compile(
        wd_prefix + "(?:"
        # 4 April 2017, 4th of April, السادس من شباط 2014, 4-6 April 2017
        rf"(?:(?P<d1>{day})(?:\s*[\-–]\s*(?P<d1b>{day}))?|(?:the\s+)?(?P<o1>{ord_en}|{ord_ar}))"
        rf"(?:\s+of|\s+من)?(?:\s+{_AB}شهر)?[\s,\-]*{month('m1')}"
        rf"(?:[\s,،]+(?:{year_intro_ar}(?P<y1>{year})|{yrel('r1')}))?"
        # April 4, 2017 / April 4th / March 18-19, 2011
        rf"|{month('m2')}\s+(?P<d2>{day})(?![:{_D}])(?:\s*[\-–]\s*(?P<d2b>{day}))?"
        rf"(?:[\s,،]+(?:(?P<y2>{year})|{yrel('r2')}))?"
        # April 2017, شهر آذار 2015, early March 2015, آذار من العام الماضي
        rf"|(?:{part})?(?:{_AB}شهر\s+)?{month('m3')}[\s,،]+(?:(?:of\s+)?{year_intro_ar}(?P<y3>{year})|{yrel('r3')})"
        ")"
        rf"(?:\s*م{_AE})?"
    )
    numeric = re.compile(
        rf"(?<![{_D}/.\-])(?:(?P<iy>[{_D}]{{4}})[\-/.](?P<im>[{_D}]{{1,2}})[\-/.](?P<id>[{_D}]{{1,2}})"
        rf"|(?P<a>[{_D}]{{1,2}})(?P<sep>[/.\-])(?P<b>[{_D}]{{1,2}})(?P=sep)(?P<y>[{_D}]{{4}}|[{_D}]{{2}}))"
        rf"(?![{_D}]|[/.\-][{_D}])"
    )
    intro_en = _en_trie(["in", "since", "of", "during", "year", "until", "till", "by", "from", "throughout",
                         "through", "before", "after", "between", "the year", "and", "to", "spring", "summer",
                         "autumn", "fall", "winter"])
    intro_ar = _ar_trie(["عام", "العام", "سنة", "السنة", "لعام", "لسنة", "بعام", "منذ", "خلال", "في", "حتى",
                         "ربيع", "صيف", "خريف", "شتاء"])
    year_re = re.compile(
        rf"(?:{part}|(?P<intro>{intro_en}|{intro_ar})\s+)(?:{_AB}(?:عام|العام|سنة)\s+)?"
        rf"(?P<y>{year})(?:\s*م{_AE})?(?!\s*[\-–/]\s*[{_D}]{{1,2}}(?![{_D}]))"
    )
    # A month without a year: "in March", "late March", "شهر آذار", "أواخر شباط".
    month_only = re.compile(
        rf"(?:(?:{part})|(?P<intro>\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]hroughout)\s+|(?P<enlast>\b(?:[Ll]ast|[Tt]his\s+past)\s+)|{_AB}(?:في|خلال|منذ|حتى)\s+)?)"
        rf"(?P<shahr>{_AB}شهر\s+)?{month('m')}"
        # "last October", "تشرين الأول الماضي": the latest such month before publication.
        rf"(?P<mlast>\s+(?:{_AB}(?:الماضي|المنصرم|الفائت){_AE}))?"
    )

    rel_unit_ar = rf"{_AB}(?P<aunit>[وفب]?(?:ال)?(?:أسبوع|شهر|عام|سنة))"
    relative = re.compile(
        "(?:"
        # A day of this or last month: "في الخامس من الشهر الجاري", "on the 5th of last month".
        rf"(?P<dayrel>(?:(?P<drd>{day})|(?P<dro>{ord_ar}|{ord_en}))\s+(?:من|of)\s+"
        rf"(?:(?P<drw>[Tt]his|[Ll]ast)\s+month\b|(?:هذا\s+)?الشهر\s+(?P<drwa>الجاري|الحالي|الماضي|المنصرم|الفائت|السابق){_AE}))|"
        r"(?P<dby>\b[Tt]he\s+day\s+before\s+yesterday\b)"
        r"|(?P<yday>\b(?:[Yy]esterday|YESTERDAY)\b|\b[Ll]ast\s+night\b)"
        r"|(?P<today>\b(?:[Tt]oday|TODAY|[Tt]onight|[Tt]his\s+(?:morning|afternoon|evening))\b)"
        rf"|(?P<ago>\b(?P<agon>[{_D}]{{1,3}}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several)"
        r"\s+(?P<agou>days?|weeks?|months?|years?)\s+ago\b)"
        rf"|(?P<rper>(?:(?P<rpart>{part_en})[\s\-]*(?:of\s+)?)?\b(?P<which>[Ll]ast|[Tt]his|[Pp]ast|[Tt]he\s+past|[Tt]he\s+current|[Ee]arlier\s+this|[Ll]ater\s+this)\s+(?P<unit>week|month|year)\b)"
        rf"|(?P<wdrel>(?:\b(?P<wdlast>[Ll]ast|[Pp]ast|[Tt]his)\s+)?(?P<wde>{wd_en}))"
        # Arabic
        rf"|(?P<adby>{_AB}(?:أول\s+(?:من\s+)?|قبل\s+)[اأإ]مس{_AE})"
        rf"|(?P<ayday>(?:{_AB}(?:فجر|صباح|مساء|ليلة|ليل|ظهر|عصر|ظهيرة)\s+)?{_AB}[وفب]?(?:ال)?[اأ]مس{_AE}|{_AB}[وفب]?البارحة{_AE}|{_AB}[وفب]?[اإ]?مبارح(?:ة)?{_AE}|{_AB}الليلة\s+الماضية{_AE})"
        rf"|(?P<atoday>(?:{_AB}(?:فجر|صباح|مساء|ليلة|ليل|ظهر|عصر|ظهيرة)\s+)?{_AB}[وفب]?اليوم{_AE}(?!\s+(?:التالي|نفسه|ذاته|السابق|الأول|الثاني|الثالث|الأخير|الذي|العالمي|الدولي|الوطني)))"
        rf"|(?P<aago>{_AB}قبل\s+(?P<aagon>(?:[{_D}]+|[{AR_LETTER}]+)\s+)?(?P<aagou>يوم|يومين|أيام|يوما|أسبوع|أسبوعين|أسابيع|شهر|شهرين|أشهر|شهور|عام|عامين|أعوام|سنة|سنتين|سنوات){_AE})"
        rf"|(?P<arper>(?:(?P<arpart>{part_ar})\s+)?(?:{rel_unit_ar}\s+(?P<awhich>الماضي|الماضية|المنصرم|المنصرمة|الفائت|الفائتة|السابق|السابقة|الحالي|الحالية|الجاري|الجارية){_AE}"
        rf"|(?P<athis>{_AB}(?:هذا|هذه)\s+(?:ال)?(?P<aunit2>أسبوع|شهر|عام|سنة){_AE})))"
        rf"|(?P<arpart2>{part_ar})\s+(?P<aunit3>العام|الشهر|السنة){_AE}"
        rf"|(?P<wdrar>(?:{_AB}[وفب]?يوم\s+)?(?P<wda>{wd_ar})(?:\s+(?P<wdalast>الماضي|الفائت|المنصرم){_AE})?)"
        ")"
    )
    # Every date mention holds a digit, a month or weekday name, or one of these
    # words. Finding them first lets the full patterns run on small windows.
    trigger_words_en = ["yesterday", "today", "tonight", "night", "morning", "afternoon", "evening", "week",
                        "month", "year", "ago"]
    trigger_words_ar = ["امس", "البارحة", "مبارح", "امبارح", "مبارحة", "اليوم", "الليلة", "يوم", "يومين", "ايام", "يوما", "اسبوع", "اسبوعين",
                        "اسابيع", "شهر", "شهرين", "اشهر", "شهور", "عام", "عامين", "اعوام", "سنة", "سنتين", "سنوات"]
    categories: dict[str, str] = {}
    for w in en_full + en_abbr + ar_months + list(data["ordinal_days"]["ar"]):
        categories[date_key(w)] = "month"
    for w in list(data["weekdays"]["en"]) + list(data["weekdays"]["ar"]):
        categories[date_key(w)] = "weekday"
    for w in trigger_words_en + trigger_words_ar:
        categories.setdefault(date_key(w), "rel")
    trigger_en = re.compile(_en_trie(en_full + en_abbr + list(data["weekdays"]["en"]) + trigger_words_en))
    ar_words = ar_months + list(data["weekdays"]["ar"]) + trigger_words_ar + list(data["ordinal_days"]["ar"])
    trigger_ar = re.compile(
        rf"{_AB}[وفبل]?(?P<w>{trie_pattern([(fold_for_lookup(w), '') for w in ar_words], ar_char)}"
        rf"|ال{trie_pattern([(fold_for_lookup(w), '') for w in trigger_words_ar if not w.startswith('ال')], ar_char)}){_AE}"
    )
    # Words that may come between the start of a match and its trigger word.
    part_words = {t for phrase in list(_PART_EN) + list(_PART_AR) for t in date_key(phrase).split()}
    ordinal_words = {t for k in ordinals for t in k.split()}
    weekday_words = set(weekdays)
    number_words = {date_key(w) for w in ["a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                       "nine", "ten", "few", "several"]}
    with resources.files("tawthiq.extract").joinpath("lexicons", "numbers.toml").open("rb") as f:
        numbers = tomllib.load(f)
    number_words |= {date_key(w) for kind in ("units", "tens", "hundreds", "scales") for w in numbers["ar"][kind]}

    def keys(words: list[str]) -> set[str]:
        return {date_key(w) for w in words}

    lead = {
        "absolute": frozenset(weekday_words | ordinal_words | part_words | {"#day"}
                              | keys(["the", "of", "من", "يوم", "الموافق", "ل", "لـ", "شهر"])),
        "month_only": frozenset(part_words | keys(["in", "during", "since", "until", "by", "throughout", "of", "last", "past",
                                                   "في", "خلال", "منذ", "حتى", "شهر"])),
        "year": frozenset(part_words | keys(list(data["year_intro"]["en"]) + list(data["year_intro"]["ar"])
                                            + ["عام", "العام", "سنة", "السنة", "the", "year", "of"])),
        "relative": frozenset(weekday_words | ordinal_words | part_words | number_words | {"#day"} | keys([
            "the", "day", "days", "week", "weeks", "month", "months", "year", "years", "before", "last", "this",
            "past", "earlier", "later", "current", "of", "أول", "من", "قبل", "فجر", "صباح", "مساء", "ليلة", "ليل",
            "ظهر", "عصر", "ظهيرة", "هذا", "هذه", "يوم", "الشهر", "العام", "السنة", "الأسبوع", "الليلة"])),
    }
    return Lex(months, frozenset(abbrevs), weekdays, ordinals, parts, absolute, numeric, year_re, month_only, relative,
                trigger_en, trigger_ar, categories, lead)


Matches = dict[str, list[re.Match[str]]]
_DIGIT_RUN = re.compile(f"[{_D}]+")
_WORD = re.compile(r"\S+")
_DIGIT_SET = frozenset(DIGIT_CHARS)
# For each kind of trigger: which patterns may match around it, and how many
# words (within how many characters) before the trigger such a match may start.
_REACH: dict[str, tuple[tuple[str, int, int], ...]] = {
    "digit": (("numeric", 0, 0),),
    "year": (("year", 4, 45),),
    "month": (("absolute", 8, 80), ("month_only", 3, 40)),
    "weekday": (("absolute", 2, 15), ("relative", 2, 15)),
    "rel": (("relative", 6, 50),),
}


_LEAD_STRIP = ",،;:()\"'“”«»"
_DAYLIKE = re.compile(f"[{DIGIT}]+(?:st|nd|rd|th)?(?:[\\-–][{DIGIT}]+(?:st|nd|rd|th)?)?")


def _is_lead(core: str, lead: frozenset[str]) -> bool:
    k = date_key(core)
    if k in lead or (k[:1] in "وفب" and k[1:] in lead):
        return True
    return "#day" in lead and _DAYLIKE.fullmatch(core) is not None


def _starts(words: list[tuple[int, str]], trigger: int, lead: frozenset[str], limit: int) -> list[int]:
    """Where a match reaching ``trigger`` may start, farthest first: the starts of
    the run of date words ("Tuesday", "the", "السادس", "من") right before it,
    then the trigger itself. Ordinary words end the run, so a pattern is
    tried at a handful of places instead of along the whole text."""
    out = [trigger]
    for start, w in reversed(words[-limit:]):
        core = w.strip(_LEAD_STRIP)
        if not core:
            continue  # a lone mark: "-", "،"
        if not _is_lead(core, lead):
            break
        out.append(start + len(w) - len(w.lstrip(_LEAD_STRIP)))
    out.reverse()
    return out


def find_matches(text: str, lex: Lex) -> Matches:
    """The matches of each pattern, tried only where a date can be.

    Every date mention holds a digit, a month or weekday name, or a word such
    as "yesterday"/أمس/"year"; the full patterns are costly to run along the
    whole text, so each is tried only at the few word starts before such a
    word, keeping the longest match that reaches it.
    """
    hits: list[tuple[str, int, int]] = []
    n = len(text)
    for m in _DIGIT_RUN.finditer(text):
        e = m.end()
        if e + 1 < n and text[e] in "/.-" and text[e + 1] in _DIGIT_SET:
            hits.append(("digit", m.start(), e))
        if m.end() - m.start() == 4 and 1900 <= int(to_ascii_digits(m.group())) <= 2100:
            hits.append(("year", m.start(), m.end()))
    for m in lex.trigger_en.finditer(text):
        cat = lex.categories.get(date_key(m.group()))
        if cat:
            hits.append((cat, m.start(), m.end()))
    if HAS_ARABIC.search(text):
        for m in lex.trigger_ar.finditer(text):
            w = date_key(m.group("w"))
            cat = lex.categories.get(w) or lex.categories.get(w[2:] if w.startswith("ال") else w)
            if cat:
                hits.append((cat, m.start(), m.end()))
    found: dict[str, dict[tuple[int, int], re.Match[str]]] = {}
    for cat, s, e in hits:
        reach = _REACH[cat]
        lo = max(0, s - max(r[2] for r in reach))
        words = [(m.start(), m.group()) for m in _WORD.finditer(text, lo, s)]
        if words and words[0][0] == lo and lo > 0 and not text[lo - 1].isspace():
            words = words[1:]  # the window cut this word
        for name, limit, chars in reach:
            pattern: re.Pattern[str] = getattr(lex, name)
            bucket = found.setdefault(name, {})
            for p in _starts(words, s, lex.lead[name], limit) if limit else (s,):
                if p < s - chars:
                    continue
                m = pattern.match(text, p)
                if m is not None and m.end() >= e:
                    bucket.setdefault(m.span(), m)
                    break
    return {name: sorted(b.values(), key=lambda m: m.start()) for name, b in found.items()}
