"""The compiled tables behind tawthiq.extract.numbers, built once per process.

Everything here comes from ``lexicons/numbers.toml`` (and the month names of
``lexicons/dates.toml``): the number words of both languages, the vague
words with their ACLED figures, the qualifiers ("at least", "نحو"), and the
context words that make a number a year, an age, a sum or a label.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..domain.arabic import DIGIT_CLASS as DIGIT
from ..domain.arabic import LETTER_CLASS as AR_LETTER
from ..domain.arabic import fold_for_lookup
from .numbers_script import (
    AR_AFTER,
    AR_BEFORE,
    alternation,
    ar_char,
    arabic_pattern,
    en_char,
    en_pattern,
    en_variants,
    lookup_key,
    trie_pattern,
)

__all__ = ["Tables", "tables", "lexicon", "AR_PREFIX", "TANWEEN"]

AR_PREFIX = "(?:[وف]?(?:بال|ال|لل|ب|ل)?)"  # clitics and article in front of a number word
TANWEEN = "(?:اً|ًا|ا|ً)?"  # accusative ending: "ألفاً"


@dataclass(frozen=True)
class Tables:
    en_re: re.Pattern[str]
    ar_re: re.Pattern[str]
    en_words: dict[str, tuple[str, int]]  # word -> (kind, value)
    ar_words: dict[str, tuple[str, int]]  # normalised word -> (kind, value)
    vague: dict[str, tuple[str, int, int | None]]  # normalised phrase -> (rule, min, max)
    acled: dict[str, int]
    before: dict[str, tuple[str, str]]
    before_last: dict[str, int]  # last word of a key in ``before`` -> most words in such a key
    year_intros: frozenset[str]
    before_max_words: int
    range_gap: re.Pattern[str]
    after_ctx: re.Pattern[str]
    after_day: re.Pattern[str]
    dual_guard: frozenset[str]


@cache
def lexicon() -> dict[str, Any]:
    with resources.files("tawthiq.extract").joinpath("lexicons", "numbers.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def month_words() -> tuple[list[str], list[str]]:
    """Month names (English, Arabic) from the dates lexicon, to spot day-of-month numbers."""
    with resources.files("tawthiq.extract").joinpath("lexicons", "dates.toml").open("rb") as f:
        data = tomllib.load(f)
    en = list(data["months"]["en"]) + list(data["months"]["en_abbrev"])
    return en, list(data["months"]["ar"])


@cache
def tables() -> Tables:
    lex = lexicon()
    en_words: dict[str, tuple[str, int]] = {}
    for kind in ("units", "tens", "scales"):
        for w, v in lex["en"][kind].items():
            en_words[w] = (kind, int(v))
    ar_words: dict[str, tuple[str, int]] = {}
    for kind in ("units", "teen_units", "tens", "hundreds", "scales", "plural_scales"):
        for w, v in lex["ar"][kind].items():
            ar_words[fold_for_lookup(w)] = (kind, int(v))

    vague: dict[str, tuple[str, int, int | None]] = {}
    acled: dict[str, int] = {}
    en_entries: list[tuple[str, str]] = []
    for w in en_words:
        en_entries += en_variants(w)
    en_entries += en_variants("a", r"(?=\s+(?:hundred|thousand|million|dozen)\b)")
    ar_entries: list[tuple[str, str]] = [(w, "") for w in ar_words]
    for entry in lex["vague"]:
        rule, lo, hi = entry["rule"], int(entry["min"]), entry.get("max")
        acled[rule] = int(entry.get("acled", lo))
        for phrase in entry.get("en", []):
            words = " ".join(phrase.lower().split())
            suffix = ""
            if words.endswith(" of"):
                # "tens of" is only vague when "of" follows; keep "of" out of the span.
                words, suffix = words[:-3], r"(?=\s+of\b)"
            en_entries += en_variants(words, suffix)
            vague[words] = (rule, lo, hi)
        for phrase in entry.get("ar", []):
            key = fold_for_lookup(" ".join(phrase.split()))
            suffix = ""
            if key.endswith(" من"):
                key, suffix = key[:-3], r"(?=\s+من" + AR_AFTER + ")"
            ar_entries.append((key, suffix))
            vague[key] = (rule, lo, hi)
    en_re = re.compile(r"\b" + trie_pattern(en_entries, en_char) + r"\b")
    ar_re = re.compile(f"{AR_BEFORE}(?P<arp>{AR_PREFIX})(?P<arw>{trie_pattern(ar_entries, ar_char)}){TANWEEN}{AR_AFTER}")
    # Words before a number, looked up from the number backwards (see _tail_keys):
    # key -> (category, detail). Earlier categories win when a key is in two.
    before: dict[str, tuple[str, str]] = {}

    def add(words: list[str], category: str, detail: str = "") -> None:
        for w in words:
            before.setdefault(lookup_key(w), (category, detail))

    q = lex["qualifiers"]
    for kind in ("at_least", "at_most", "less_than", "as_many_as", "nearly", "about"):
        add(q.get(f"{kind}_en", []) + q.get(f"{kind}_ar", []), "qualifier", kind)
    c = lex["context"]
    en_months, ar_months = month_words()
    add(c["money_before"], "money")
    add(c["age_before_en"] + c["age_before_ar"], "age")
    add(c["labels_before_en"] + c["labels_before_ar"], "label")
    add(en_months + [m + "." for m in en_months] + ar_months, "month")
    add(["between", "بين", "ما بين"], "between")
    with resources.files("tawthiq.extract").joinpath("lexicons", "dates.toml").open("rb") as f:
        year_intro = tomllib.load(f)["year_intro"]
    # Year intros ("in", "of", "عام") are common words; they are looked up only
    # for a number that could be a year, not in ``before``.
    year_intros = frozenset(lookup_key(w) for w in year_intro["en"] + year_intro["ar"])

    def en_words_pat(words: list[str]) -> str:
        return alternation([en_pattern(w.lower()) for w in words])

    def ar_words_pat(words: list[str]) -> str:
        return alternation([arabic_pattern(w) for w in words])

    after_ctx = re.compile(
        r"^(?:"
        rf"(?P<ordinal>(?:st|nd|rd|th)\b)"
        r"|(?P<decade>'?s\b)"  # the 1980s
        r"|\s*(?P<ampm>(?:am|pm|a\.m\.|p\.m\.)(?![A-Za-z]))"
        r"|(?P<glued>[A-Za-z])"  # 5x, 12B: a code, not a count
        r"|[\s\-]+(?P<fraction>(?:thirds?|quarters?|halves|half|fifths?|tenths?)\b)"
        rf"|\s+(?P<unit>(?:{en_words_pat(c['labels_after_en'])})\b)"
        rf"|(?P<age>(?:{alternation([re.escape(a) for a in c['age_after_en']])}))"
        rf"|\s*(?P<percent>(?:%|٪)|(?:{en_words_pat(c['percent_after_en'][1:])})\b|(?:{ar_words_pat(c['percent_after_ar'][2:])}){AR_AFTER})"
        rf"|[\s\-]*(?P<money>(?:{en_words_pat([w for w in c['money_after_en'] if w != '$'])})\b|(?:{ar_words_pat(c['money_after_ar'])})(?:اً|ًا|ا|ً)?{AR_AFTER})"
        rf"|\s*(?P<date>(?:of\s+)?(?:{en_words_pat(en_months)})\b|(?:من\s+)?(?:شهر\s+)?(?:{ar_words_pat(ar_months)}){AR_AFTER})"
        rf"|[\s\-]*(?P<duration>(?:{en_words_pat(c['duration_after_en'])})(?![\w])|(?:{ar_words_pat(c['duration_after_ar'])})(?:اً|ًا|ا|ً)?{AR_AFTER})"
        rf"|[\s\-]*(?P<measure>(?:{en_words_pat(c['measure_after_en'])})\b|(?:{ar_words_pat(c['measure_after_ar'])})(?:اً|ًا|ا|ً)?{AR_AFTER})"
        r")",
        re.IGNORECASE,
    )
    range_gap = re.compile(
        rf"^\s*(?:(?P<dash>[\-–—~])|(?P<to>to|or|and)\b|{AR_BEFORE}(?P<arto>(?:إلى|الى|حتى|أو|او|و))(?=\s|$|[{DIGIT}{AR_LETTER}]))\s*$",
        re.IGNORECASE,
    )
    dual_guard = frozenset(fold_for_lookup(w) for w in lex["dual"]["guard"])
    max_words = max(len(k.split()) for k in before)
    before_last: dict[str, int] = {}
    for k in before:
        w = k.split()
        before_last[w[-1]] = max(before_last.get(w[-1], 0), len(w))
    # "April 4, 2017", "(2015)", "2011-2015": a year after a month and day, or an opening mark.
    after_day = re.compile(
        rf"(?:\b(?:{en_words_pat(en_months)})\.?\s+[{DIGIT}]{{1,2}}(?:st|nd|rd|th)?,?|[(/\-–])\s*$", re.IGNORECASE)
    return Tables(en_re, ar_re, en_words, ar_words, vague, acled, before, before_last, year_intros, max_words, range_gap, after_ctx, after_day,
                   dual_guard)
