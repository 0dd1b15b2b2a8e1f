"""Dates in English and Arabic report text, as EDTF.

Reports date incidents three ways: absolutely ("4 April 2017", "السادس من
شباط 2014", "6 شباط/فبراير 2014", "2017-04-04"), partly ("in March",
"early 2015", "أواخر آذار") and relative to the day the report came out
("on Friday", "yesterday", أمس, "last month", "الأسبوع الماضي"). Every
mention becomes a :class:`DateMention` with an EDTF string:

* a full date -> ``2017-04-04`` (DAY); month -> ``2017-04`` (MONTH); year ->
  ``2015`` (YEAR);
* "early/mid/late" a month or year, "last week", "earlier this year" -> the
  enclosing period marked approximate, ``2015-03~`` / ``2015~`` (APPROXIMATE);
  a reader gets the period that surely contains the date, never a guessed day;
* a day range "4-6 April 2017" -> the EDTF interval ``2017-04-04/2017-04-06``.

Relative mentions are resolved against ``published``: a weekday is the most
recent such day on or before publication (the same weekday is that very day,
as a news report says "on Friday" for events of the day); "yesterday" is the
day before. A month and day without a year take the publication year, or the
year before when that would fall after publication. Without ``published``
they stay unresolved: ``edtf=None``, ``relative=True``. Numeric dates with
slashes are read day first, as in Syria ("4/5/2017" = 4 May), unless only
the month-first reading is a valid date.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..domain import DatePrecision
from .numbers import DIGIT, normalize_arabic, parse_quantity, to_ascii_digits, trie_pattern

__all__ = ["DateMention", "find_dates", "pick_incident_date"]


@dataclass(frozen=True)
class DateMention:
    """One date mention: offsets into the text, the text as written, its EDTF reading."""

    start: int
    end: int
    text: str
    edtf: str | None  # None when it cannot be resolved (relative date, no publication date)
    precision: DatePrecision
    relative: bool
    rule: str


DIGIT_CHARS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_AR_LETTER = "\u0621-\u064a\u0671-\u06d3"
_AB = f"(?<![{_AR_LETTER}])"
_AE = f"(?![{_AR_LETTER}])"
_D = DIGIT


def _ar_char(ch: str) -> str:
    return {"ا": "[اأإآٱ]", "ه": "[ةه]", "ي": "[يى]", " ": r"\s+"}.get(ch, re.escape(ch))


def _en_char(ch: str) -> str:
    return r"[\s\-]+" if ch in " -" else re.escape(ch)


def _en_trie(words: list[str], suffix: str = r"\b") -> str:
    """Words as written in lower case, with a capital, or in capitals; ``suffix`` ends each."""
    entries: list[tuple[str, str]] = []
    for w in words:
        w = " ".join(w.lower().split())
        entries += [(w, suffix), (w[:1].upper() + w[1:], suffix), (w.upper(), suffix)]
    return r"\b" + trie_pattern(entries, _en_char)


def _ar_trie(words: list[str], suffix: str = "") -> str:
    return _AB + trie_pattern([(normalize_arabic(" ".join(w.split())), suffix) for w in words], _ar_char) + _AE


def _key(s: str) -> str:
    """Lookup form: lower case, one space between words, Arabic spelling variants folded."""
    k = " ".join(s.lower().replace("-", " ").split()).rstrip(".")
    return k if k.isascii() else normalize_arabic(k)


@dataclass(frozen=True)
class _Lex:
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
def _lex() -> _Lex:
    with resources.files("tawthiq.extract").joinpath("lexicons", "dates.toml").open("rb") as f:
        data: dict[str, Any] = tomllib.load(f)
    months = {_key(k): int(v) for k, v in data["months"]["en"].items()}
    abbrevs = {_key(k): int(v) for k, v in data["months"]["en_abbrev"].items()}
    months.update(abbrevs)
    months.update({_key(k): int(v) for k, v in data["months"]["ar"].items()})
    weekdays = {_key(k): int(v) for k, v in data["weekdays"]["en"].items()}
    weekdays.update({_key(k): int(v) for k, v in data["weekdays"]["ar"].items()})
    ordinals = {_key(k): int(v) for tbl in data["ordinal_days"].values() for k, v in tbl.items()}
    parts = {_key(k): v for k, v in {**_PART_EN, **_PART_AR}.items()}

    en_full = list(data["months"]["en"])
    en_abbr = list(data["months"]["en_abbrev"])
    ar_months = list(data["months"]["ar"])
    abbr_suffix = r"(?:\.|\b)"
    month_en = f"(?:{_en_trie(en_full)}|{_en_trie(en_abbr, abbr_suffix)})"
    month_ar = _ar_trie(ar_months)

    def month(name: str) -> str:
        # A second name for the same month: "شباط/فبراير", "شباط (فبراير)".
        second = rf"(?:\s*[/(\-–]\s*(?:{month_ar}|{month_en})\)?)?"
        return rf"(?P<{name}>{month_en}|{month_ar}){second}"

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
        rf"(?:(?:{part})|(?P<intro>\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]hroughout)\s+|{_AB}(?:في|خلال|منذ|حتى)\s+)?)"
        rf"(?P<shahr>{_AB}شهر\s+)?{month('m')}"
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
        rf"|(?P<ayday>(?:{_AB}(?:فجر|صباح|مساء|ليلة|ليل|ظهر|عصر|ظهيرة)\s+)?{_AB}[وفب]?(?:ال)?[اأ]مس{_AE}|{_AB}[وفب]?البارحة{_AE}|{_AB}الليلة\s+الماضية{_AE})"
        rf"|(?P<atoday>(?:{_AB}(?:فجر|صباح|مساء|ليلة|ليل|ظهر|عصر|ظهيرة)\s+)?{_AB}[وفب]?اليوم{_AE}(?!\s+(?:التالي|نفسه|ذاته|السابق|الأول|الثاني|الثالث|الأخير|الذي|العالمي|الدولي|الوطني)))"
        rf"|(?P<aago>{_AB}قبل\s+(?P<aagon>(?:[{_D}]+|[{_AR_LETTER}]+)\s+)?(?P<aagou>يوم|يومين|أيام|يوما|أسبوع|أسبوعين|أسابيع|شهر|شهرين|أشهر|شهور|عام|عامين|أعوام|سنة|سنتين|سنوات){_AE})"
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
    trigger_words_ar = ["امس", "البارحة", "اليوم", "الليلة", "يوم", "يومين", "ايام", "يوما", "اسبوع", "اسبوعين",
                        "اسابيع", "شهر", "شهرين", "اشهر", "شهور", "عام", "عامين", "اعوام", "سنة", "سنتين", "سنوات"]
    categories: dict[str, str] = {}
    for w in en_full + en_abbr + ar_months + list(data["ordinal_days"]["ar"]):
        categories[_key(w)] = "month"
    for w in list(data["weekdays"]["en"]) + list(data["weekdays"]["ar"]):
        categories[_key(w)] = "weekday"
    for w in trigger_words_en + trigger_words_ar:
        categories.setdefault(_key(w), "rel")
    trigger_en = re.compile(_en_trie(en_full + en_abbr + list(data["weekdays"]["en"]) + trigger_words_en))
    ar_words = ar_months + list(data["weekdays"]["ar"]) + trigger_words_ar + list(data["ordinal_days"]["ar"])
    trigger_ar = re.compile(
        rf"{_AB}[وفبل]?(?P<w>{trie_pattern([(normalize_arabic(w), '') for w in ar_words], _ar_char)}"
        rf"|ال{trie_pattern([(normalize_arabic(w), '') for w in trigger_words_ar if not w.startswith('ال')], _ar_char)}){_AE}"
    )
    # Words that may come between the start of a match and its trigger word.
    part_words = {t for phrase in list(_PART_EN) + list(_PART_AR) for t in _key(phrase).split()}
    ordinal_words = {t for k in ordinals for t in k.split()}
    weekday_words = set(weekdays)
    number_words = {_key(w) for w in ["a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                       "nine", "ten", "few", "several"]}
    with resources.files("tawthiq.extract").joinpath("lexicons", "numbers.toml").open("rb") as f:
        numbers = tomllib.load(f)
    number_words |= {_key(w) for kind in ("units", "tens", "hundreds", "scales") for w in numbers["ar"][kind]}

    def keys(words: list[str]) -> set[str]:
        return {_key(w) for w in words}

    lead = {
        "absolute": frozenset(weekday_words | ordinal_words | part_words | {"#day"}
                              | keys(["the", "of", "من", "يوم", "الموافق", "ل", "لـ", "شهر"])),
        "month_only": frozenset(part_words | keys(["in", "during", "since", "until", "by", "throughout", "of",
                                                   "في", "خلال", "منذ", "حتى", "شهر"])),
        "year": frozenset(part_words | keys(list(data["year_intro"]["en"]) + list(data["year_intro"]["ar"])
                                            + ["عام", "العام", "سنة", "السنة", "the", "year", "of"])),
        "relative": frozenset(weekday_words | ordinal_words | part_words | number_words | {"#day"} | keys([
            "the", "day", "days", "week", "weeks", "month", "months", "year", "years", "before", "last", "this",
            "past", "earlier", "later", "current", "of", "أول", "من", "قبل", "فجر", "صباح", "مساء", "ليلة", "ليل",
            "ظهر", "عصر", "ظهيرة", "هذا", "هذه", "يوم", "الشهر", "العام", "السنة", "الأسبوع", "الليلة"])),
    }
    return _Lex(months, frozenset(abbrevs), weekdays, ordinals, parts, absolute, numeric, year_re, month_only, relative,
                trigger_en, trigger_ar, categories, lead)


_Windows = dict[str, list[re.Match[str]]]
_DIGIT_RUN = re.compile(f"[{_D}]+")
_HAS_ARABIC = re.compile("[\u0600-\u06ff]")
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
    k = _key(core)
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


def _windows(text: str, lex: _Lex) -> _Windows:
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
        cat = lex.categories.get(_key(m.group()))
        if cat:
            hits.append((cat, m.start(), m.end()))
    if _HAS_ARABIC.search(text):
        for m in lex.trigger_ar.finditer(text):
            w = _key(m.group("w"))
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


def _scan(pattern: re.Pattern[str], text: str, windows: _Windows, name: str) -> list[re.Match[str]]:
    return windows.get(name, [])


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    edtf: str | None
    precision: DatePrecision
    relative: bool
    rule: str


def _int(s: str) -> int:
    return int(to_ascii_digits(s))


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return 1900 <= y <= 2100


def _ymd(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


def _day_of(s: str | None, o: str | None, lex: _Lex) -> int | None:
    if s:
        return _int(re.sub(r"\D", "", to_ascii_digits(s)) or "0")
    if o:
        return lex.ordinals.get(_key(o))
    return None


def _month_of(m: re.Match[str], name: str, lex: _Lex) -> int | None:
    raw = m.group(name)
    if raw is None:
        return None
    return lex.months.get(_key(raw))


def _ok_month_word(raw: str, lex: _Lex, *, has_day_or_year: bool) -> bool:
    """"may" is a verb and "Mar" a saint's title: accept them only inside a full date."""
    k = _key(raw)
    if k in lex.abbrevs or k == "may":
        return has_day_or_year and (k != "may" or raw[:1] == "M")
    return True


def _year_for(published: dt.date | None, month: int, day: int | None) -> int | None:
    if published is None:
        return None
    y = published.year
    if (month, day or 1) > (published.month, published.day):
        y -= 1
    return y


def _absolute(text: str, lex: _Lex, windows: _Windows, published: dt.date | None) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(lex.absolute, text, windows, "absolute"):
        start, end = m.start(), m.end()
        if m.group("m1"):
            mon, d, y = _month_of(m, "m1", lex), _day_of(m.group("d1"), m.group("o1"), lex), m.group("y1")
            d_end, mname, rel = _day_of(m.group("d1b"), None, lex), "m1", m.group("r1")
        elif m.group("m2"):
            mon, d, y = _month_of(m, "m2", lex), _day_of(m.group("d2"), None, lex), m.group("y2")
            d_end, mname, rel = _day_of(m.group("d2b"), None, lex), "m2", m.group("r2")
        else:
            mon, d, y = _month_of(m, "m3", lex), None, m.group("y3")
            d_end, mname, rel = None, "m3", m.group("r3")
        if mon is None or not _ok_month_word(m.group(mname), lex, has_day_or_year=bool(d or y or rel)):
            continue
        year = _int(y) if y else None
        if year is not None and not 1900 <= year <= 2100:
            continue
        if rel:
            back = 1 if re.search(r"last|past|ماضي|منصرم|فائت|سابق", rel, re.IGNORECASE) else 0
            if published is None:
                out.append(_Cand(start, end, None, DatePrecision.UNKNOWN, True, "month-of-relative-year"))
                continue
            year = published.year - back
        part = m.groupdict().get("part")
        if d is None:  # month and year
            if part:
                out.append(_Cand(start, end, f"{year:04d}-{mon:02d}~", DatePrecision.APPROXIMATE, bool(rel), "month-part"))
            else:
                out.append(_Cand(start, end, f"{year:04d}-{mon:02d}", DatePrecision.MONTH, bool(rel), "month-year"))
            continue
        relative = year is None or bool(rel)
        if year is None:
            year = _year_for(published, mon, d)
            # Drop a year-less match's trailing context: the span is the day and month.
        if year is None:
            if 1 <= d <= 31:
                out.append(_Cand(start, end, None, DatePrecision.UNKNOWN, True, "day-month"))
            continue
        if not _valid(year, mon, d):
            continue
        rule = "day-month-year" if year is not None and (y or rel) else "day-month"
        if m.group("wd"):
            rule = "weekday-" + rule
        if d_end and d_end > d and _valid(year, mon, d_end):
            out.append(_Cand(start, end, f"{_ymd(year, mon, d)}/{_ymd(year, mon, d_end)}", DatePrecision.DAY,
                             relative, "day-range"))
        else:
            out.append(_Cand(start, end, _ymd(year, mon, d), DatePrecision.DAY, relative, rule))
    return out


def _numeric(text: str, lex: _Lex, windows: _Windows) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(lex.numeric, text, windows, "numeric"):
        if m.group("iy"):
            y, mo, d = _int(m.group("iy")), _int(m.group("im")), _int(m.group("id"))
            rule = "iso"
        else:
            a, b, yy = _int(m.group("a")), _int(m.group("b")), m.group("y")
            y = _int(yy)
            if len(yy) == 2:
                y += 2000 if y < 50 else 1900
            d, mo = a, b  # day first, as written in Syria
            if not _valid(y, mo, d) and _valid(y, a, b):
                mo, d = a, b
            rule = "numeric-dmy"
        if _valid(y, mo, d):
            out.append(_Cand(m.start(), m.end(), _ymd(y, mo, d), DatePrecision.DAY, False, rule))
    return out


def _years(text: str, lex: _Lex, windows: _Windows) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(lex.year, text, windows, "year"):
        y = _int(m.group("y"))
        if not 1900 <= y <= 2100:
            continue
        intro = (m.group("intro") or "").lower()
        if m.group("part"):
            out.append(_Cand(m.start(), m.end(), f"{y:04d}~", DatePrecision.APPROXIMATE, False, "year-part"))
            continue
        # The intro word is context, not part of the date, unless it is "عام"/"year".
        start = m.start("y") if intro not in ("year", "the year") and _key(intro) not in ("عام", "العام", "سنه", "السنه") else m.start()
        inner = text[m.end("intro"):m.start("y")]
        if inner.strip():
            start = m.end("intro") + len(inner) - len(inner.lstrip())
        rule = "year-since" if _key(intro) in ("since", "منذ") else "year"
        out.append(_Cand(start, m.end(), f"{y:04d}", DatePrecision.YEAR, False, rule))
    return out


def _months_only(text: str, lex: _Lex, windows: _Windows, published: dt.date | None) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(lex.month_only, text, windows, "month_only"):
        raw = m.group("m")
        mon = lex.months.get(_key(raw))
        if mon is None or not _ok_month_word(raw, lex, has_day_or_year=False):
            continue
        if not (m.group("part") or m.group("intro") or m.group("shahr")) and _key(raw) in ("مارس",):
            pass
        start = m.start("m") if m.group("intro") else m.start()
        if m.group("shahr") and m.group("intro"):
            start = m.start("shahr")
        year = _year_for(published, mon, None)
        approx = bool(m.group("part"))
        if year is None:
            out.append(_Cand(start, m.end(), None, DatePrecision.UNKNOWN, True, "month"))
        else:
            out.append(_Cand(start, m.end(), f"{year:04d}-{mon:02d}" + ("~" if approx else ""),
                             DatePrecision.APPROXIMATE if approx else DatePrecision.MONTH, True, "month"))
    return out


_EN_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "a few": 2, "several": 3}
_AR_DUAL_UNITS = {"يومين": ("d", 2), "اسبوعين": ("w", 2), "شهرين": ("m", 2), "عامين": ("y", 2), "سنتين": ("y", 2)}
_AR_UNITS = {"يوم": "d", "ايام": "d", "يوما": "d", "اسبوع": "w", "اسابيع": "w", "شهر": "m", "اشهر": "m",
             "شهور": "m", "عام": "y", "اعوام": "y", "سنه": "y", "سنوات": "y"}


def _shift(published: dt.date, unit: str, n: int) -> tuple[str, DatePrecision]:
    if unit == "d":
        return (published - dt.timedelta(days=n)).isoformat(), DatePrecision.DAY
    if unit == "w":
        return (published - dt.timedelta(weeks=n)).isoformat() + "~", DatePrecision.APPROXIMATE
    if unit == "m":
        y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
        return f"{y:04d}-{mo + 1:02d}", DatePrecision.MONTH
    return f"{published.year - n:04d}", DatePrecision.YEAR


def _period(published: dt.date, unit: str, back: int, part: str | None) -> tuple[str, DatePrecision]:
    """This/last week, month or year; a part ("early this year") makes it approximate."""
    edtf, prec = _shift(published, unit, back)
    if part and not edtf.endswith("~"):
        edtf, prec = edtf + "~", DatePrecision.APPROXIMATE
    return edtf, prec


def _weekday(published: dt.date, wd: int, strictly_before: bool) -> str:
    back = (published.weekday() - wd) % 7
    if back == 0 and strictly_before:
        back = 7
    return (published - dt.timedelta(days=back)).isoformat()


_UNTIL = re.compile(rf"(?:\b(?:until|till|to|up\s+to)|{_AB}[و]?(?:حتى|لغاية|إلى|الى))\s*$", re.IGNORECASE)


def _relative(text: str, lex: _Lex, windows: _Windows, published: dt.date | None) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(lex.relative, text, windows, "relative"):
        kind = m.lastgroup
        g = m.groupdict()
        start, end = m.span()
        edtf: str | None = None
        prec = DatePrecision.DAY
        rule = kind or "relative"
        if g["dayrel"]:
            rule = "day-of-month"
            d = _day_of(g["drd"], g["dro"], lex)
            back = 1 if (g["drw"] or "").lower() == "last" or (g["drwa"] or "") in ("الماضي", "المنصرم", "الفائت", "السابق") else 0
            if published and d:
                y, mo = divmod(published.year * 12 + published.month - 1 - back, 12)
                if not _valid(y, mo + 1, d):
                    continue
                edtf = _ymd(y, mo + 1, d)
        elif g["dby"] or g["adby"]:
            rule = "day-before-yesterday"
            if published:
                edtf = (published - dt.timedelta(days=2)).isoformat()
        elif g["yday"] or g["ayday"]:
            rule = "yesterday"
            if published:
                edtf = (published - dt.timedelta(days=1)).isoformat()
        elif g["today"] or g["atoday"]:
            if _UNTIL.search(text, max(0, start - 12), start):
                continue  # "until today", "حتى اليوم": the end of a period, not a day something happened
            rule = "today"
            if published:
                edtf = published.isoformat()
        elif g["ago"] or g["aago"]:
            rule = "ago"
            if g["ago"]:
                n_raw = " ".join(g["agon"].lower().split())
                n = _EN_SMALL.get(n_raw) or (_int(n_raw) if n_raw.isdigit() or to_ascii_digits(n_raw).isdigit() else None)
                unit = g["agou"][0].lower()
            else:
                u = normalize_arabic(g["aagou"])
                if u in _AR_DUAL_UNITS:
                    unit, n = _AR_DUAL_UNITS[u]
                else:
                    unit = _AR_UNITS.get(u, "d")
                    q = parse_quantity(g["aagon"]) if g["aagon"] else None
                    n = q.min if q is not None and q.min is not None else (1 if not g["aagon"] else None)
            if n is None:
                continue
            if published:
                edtf, prec = _shift(published, unit, n)
            else:
                prec = DatePrecision.UNKNOWN
        elif g["rper"] or g["arper"] or g["arpart2"]:
            rule = "period"
            if g["rper"]:
                which = " ".join(g["which"].lower().split())
                unit = g["unit"][0].lower()
                back = 1 if which in ("last", "past", "the past") else 0
                part = g["rpart"]
                if which.startswith(("earlier", "later")):
                    part = part or which
            elif g["arper"]:
                u = normalize_arabic(g["aunit"] or g["aunit2"] or "")
                u = re.sub(r"^[وفب]?(?:ال)?", "", u)
                unit = {"اسبوع": "w", "شهر": "m", "عام": "y", "سنه": "y"}.get(u, "y")
                which = normalize_arabic(g["awhich"] or "")
                back = 1 if which.startswith(("الماضي", "المنصرم", "الفائت", "السابق")) else 0
                part = g["arpart"]
            else:
                unit = {"العام": "y", "الشهر": "m", "السنة": "y"}.get(g["aunit3"], "y")
                back, part = 0, g["arpart2"]
            if published:
                if unit == "w" and back == 0:
                    edtf, prec = published.isoformat() + "~", DatePrecision.APPROXIMATE
                else:
                    edtf, prec = _period(published, unit, back, part)
            else:
                prec = DatePrecision.UNKNOWN
        elif g["wdrel"] or g["wdrar"]:
            name = g["wde"] or g["wda"]
            wd = lex.weekdays.get(_key(name))
            if wd is None:
                continue
            rule = "weekday"
            last = bool(g["wdalast"]) or (g["wdlast"] or "").lower() in ("last", "past")
            if published:
                edtf = _weekday(published, wd, strictly_before=last)
        if edtf is None:
            prec = DatePrecision.UNKNOWN
        out.append(_Cand(start, end, edtf, prec, True, rule))
    return out


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, longer first, then earlier; returned in text order."""
    cands.sort(key=lambda c: (-(c.end - c.start), c.start))
    starts: list[int] = []
    taken: list[_Cand] = []
    for c in cands:
        i = bisect.bisect_right(starts, c.start)
        if i and taken[i - 1].end > c.start:
            continue
        if i < len(taken) and taken[i].start < c.end:
            continue
        starts.insert(i, c.start)
        taken.insert(i, c)
    return taken


_WEEKDAY_JOIN = re.compile(r"[\s,،]*(?:the\s+|الموافق\s*(?:لـ?)?\s*)?", re.IGNORECASE)


def _join_weekdays(text: str, taken: list[_Cand]) -> list[_Cand]:
    """"Sunday 21/08/2013", "الأحد 2013-08-21": the weekday names the same day as the date."""
    out: list[_Cand] = []
    for c in taken:
        prev = out[-1] if out else None
        if (prev is not None and prev.rule == "weekday" and not c.relative and c.precision is DatePrecision.DAY
                and _WEEKDAY_JOIN.fullmatch(text, prev.end, c.start)):
            out[-1] = _Cand(prev.start, c.end, c.edtf, c.precision, False, "weekday-" + c.rule)
            continue
        out.append(c)
    return out


def _dateline(text: str, taken: list[_Cand]) -> dt.date | None:
    """The date a report gives itself in its first line ("Idlib, 5 March 2018 —").

    Only a full date on a short first line counts: a long first line is a
    paragraph, and its date is more likely the incident's than the report's.
    """
    newline = text.find("\n")
    first_line_end = newline if newline >= 0 else len(text)
    if first_line_end > 160:
        return None
    for c in taken:
        if c.start >= first_line_end:
            break
        if c.relative or c.precision is not DatePrecision.DAY or not c.edtf or "/" in c.edtf:
            continue
        # A dateline date ends its line or is set off from the story by a mark.
        if first_line_end - c.end <= 40 or _DATELINE_MARK.match(text, c.end):
            return dt.date.fromisoformat(c.edtf[:10])
    return None


_DATELINE_MARK = re.compile(r"\s*(?:\([^)\n]{0,40}\)\s*)?[—–\-|:/]")


def _find(text: str, lex: _Lex, w: _Windows, published: dt.date | None) -> list[_Cand]:
    cands = (_absolute(text, lex, w, published) + _numeric(text, lex, w) + _years(text, lex, w)
             + _months_only(text, lex, w, published) + _relative(text, lex, w, published))
    return _join_weekdays(text, _select(cands))


def find_dates(text: str, *, language: str | None = None, published: dt.date | None = None) -> list[DateMention]:
    """Every date mention in ``text``, sorted by position and non-overlapping.

    When two readings overlap the longer one wins ("Tuesday 4 April 2017" over
    "Tuesday"), then the earlier. Without ``published``, a full date on a
    short first line (a dateline) resolves the relative mentions instead;
    their rule then ends in ``@dateline``. ``language`` is accepted for
    symmetry with the other extractors; both scripts are always read.
    """
    if not text:
        return []
    lex = _lex()
    w = _windows(text, lex)
    if not w:
        return []
    taken = _find(text, lex, w, published)
    if published is None and any(c.relative for c in taken):
        ref = _dateline(text, taken)
        if ref is not None:
            taken = [c if not c.relative or c.edtf is None else
                     _Cand(c.start, c.end, c.edtf, c.precision, True, c.rule + "@dateline")
                     for c in _find(text, lex, w, ref)]
    return [DateMention(c.start, c.end, text[c.start:c.end], c.edtf, c.precision, c.relative, c.rule) for c in taken]


_SENTENCE_END = re.compile(r"[.!?؟。]\s|\n\s*\n|\n")


def pick_incident_date(mentions: list[DateMention], *, anchor: int, text: str | None = None) -> DateMention | None:
    """The date of an incident whose trigger word is at character ``anchor``.

    Reports put the date in the sentence that tells the act ("killed four on
    Friday"), so a resolved mention in the same sentence wins, the nearest
    first; ``text`` (optional) lets us see sentence ends. Otherwise the
    nearest resolved mention before the anchor, since a report dates its
    story before telling it; then any resolved mention. "since 2011" opens a
    period rather than dating an act, so it is chosen only if nothing else
    is. Unresolved mentions are never chosen.
    """
    resolved = [m for m in mentions if m.edtf]
    if not resolved:
        return None

    def same_sentence(m: DateMention) -> bool:
        if text is None:
            return abs((m.start if m.start >= anchor else m.end) - anchor) <= 200
        lo, hi = (m.end, anchor) if m.end <= anchor else (anchor, m.start)
        return _SENTENCE_END.search(text, lo, max(lo, hi)) is None

    def distance(m: DateMention) -> int:
        return 0 if m.start <= anchor < m.end else min(abs(m.start - anchor), abs(m.end - anchor))

    preferred = [m for m in resolved if m.rule != "year-since"] or resolved
    near = [m for m in preferred if same_sentence(m)]
    if near:
        return min(near, key=distance)
    before = [m for m in preferred if m.end <= anchor]
    if before:
        return max(before, key=lambda m: m.end)
    return min(preferred, key=distance)
