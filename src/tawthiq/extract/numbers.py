"""Counts in English and Arabic report text, as intervals.

A report rarely gives a bare number: it says "at least 23", "nearly 200",
"dozens", "عشرات", "بين 10 و15". Every mention becomes a :class:`Quantity`
with an interval ``min..max`` (``None`` = unknown) and the rule that made it,
so the rule engine can record why a victim count is what it is.

Interval rules (the record follows ACLED's "most conservative figure"):

* ``at least / more than / over / أكثر من / ما لا يقل عن`` N  -> N..None.
  "more than 80" is recorded as 80, the lowest figure the text supports.
* ``up to / no more than / حتى`` N -> None..N; ``fewer than / أقل من`` N -> None..N-1.
* ``as many as`` N -> N..N (the text asserts N).
* ``nearly / almost / قرابة / ما يقارب / زهاء`` N -> N-ceil(N/10)..N
  ("nearly 200" -> 180..200).
* ``about / around / نحو / حوالي`` N -> N..N+ceil(N/10): the stated figure is
  the conservative minimum, as ACLED records it.
* vague words (lexicon ``numbers.toml``): "dozens"/عشرات -> 12..None,
  "hundreds"/مئات -> 100..None, "thousands"/آلاف -> 1000..None (ACLED's
  figures, used as minimum); "several"/عدة -> 3..None; "a few"/عدد من ->
  2..None; بضعة -> 3..9. ACLED's single figure is :func:`acled_estimate`.
* ranges "10-15", "10 to 15", "between 10 and 15", "من 10 إلى 15",
  "10 أو 15" -> 10..15.

Numbers that are not counts keep a distinct rule (``year``, ``date``,
``time``, ``age``, ``duration``, ``percent``, ``money``, ``measure``,
``label``, ``ordinal``, ``fraction``, ``decimal``) so :func:`is_count` can
drop them; the caller decides which counts attach to which victims. Count
rules are ``digits``, ``words-en``, ``words-ar``, ``mixed`` ("5 thousand"),
``range``, the qualifier rules ``at-least``, ``at-most``, ``less-than``,
``as-many-as``, ``nearly``, ``about``, and ``vague:*``.

Speed: number words are matched with one trie-shaped regex per script and
the context is looked up word by word, so a 4 KB report takes well under a
millisecond.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "Quantity",
    "NON_COUNT_RULES",
    "find_quantities",
    "parse_quantity",
    "is_count",
    "acled_estimate",
    "implied_count",
    "arabic_pattern",
    "normalize_arabic",
    "to_ascii_digits",
    "DIGIT",
]


@dataclass(frozen=True)
class Quantity:
    """One number mention: offsets into the text, the text as written, an interval."""

    start: int
    end: int
    text: str
    min: int | None
    max: int | None
    rule: str


NON_COUNT_RULES: frozenset[str] = frozenset(
    {"year", "date", "time", "age", "duration", "percent", "money", "measure", "label", "ordinal", "fraction", "decimal"}
)

# ASCII, Arabic-Indic and Extended Arabic-Indic (Persian/Urdu) digits.
DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_DIGIT_TABLE = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_AR_LETTER = "\u0621-\u064a\u0671-\u06d3"
_DIACRITICS = re.compile("[\u064b-\u0652\u0640\u0670]")
_AR_NORM = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


def to_ascii_digits(s: str) -> str:
    return s.translate(_DIGIT_TABLE)


def normalize_arabic(s: str) -> str:
    """Fold the spelling variants Arabic writers use interchangeably (for lookups only)."""
    return _DIACRITICS.sub("", s).translate(_AR_NORM)


def arabic_pattern(word: str) -> str:
    """A regex for an Arabic word that accepts its common spelling variants."""
    out = []
    for ch in word:
        if ch in "اأإآ":
            out.append("[اأإآٱ]")
        elif ch in "ةه":
            out.append("[ةه]")
        elif ch in "يى":
            out.append("[يى]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _en_pattern(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())


def _alternation(patterns: list[str]) -> str:
    # Longest first, so "tens of thousands" wins over "tens".
    return "|".join(sorted(set(patterns), key=len, reverse=True))


def _key(phrase: str) -> str:
    """Lookup form of a phrase: one space between words, lower case, Arabic variants folded."""
    s = " ".join(phrase.lower().split())
    return s if s.isascii() else normalize_arabic(s)


_TAIL_WORD = re.compile(r"[^\s]+")
_TAIL_STRIP = "\"'“”‘’«»,;()[]"


def _tail_keys(before: str, max_words: int) -> list[tuple[str, int]]:
    """The last 1..max_words words of ``before`` as lookup keys, longest first,
    each with the offset (into ``before``) where it starts."""
    # A number glued to the article ("قرابة الـ200") is read without it.
    trimmed = before.rstrip()
    for art in ("الـ", "ال", "ـ"):
        if trimmed.endswith(art) and len(trimmed) == len(before):
            trimmed = trimmed[: -len(art)].rstrip()
            break
    words = [(m.start(), m.group()) for m in _TAIL_WORD.finditer(trimmed, max(0, len(trimmed) - 48))]
    words = words[-max_words:]
    out = []
    for k in range(len(words), 0, -1):
        part = words[-k:]
        first = part[0][1].lstrip(_TAIL_STRIP)
        if not first:
            continue  # a lone mark: the shorter key says the same
        text = " ".join([first] + [w for _, w in part[1:]])
        out.append((_key(text.strip(_TAIL_STRIP)), part[0][0] + len(part[0][1]) - len(first)))
    return out


@cache
def _lexicon() -> dict[str, Any]:
    with resources.files("tawthiq.extract").joinpath("lexicons", "numbers.toml").open("rb") as f:
        return tomllib.load(f)


@cache
def _month_words() -> tuple[list[str], list[str]]:
    """Month names (English, Arabic) from the dates lexicon, to spot day-of-month numbers."""
    with resources.files("tawthiq.extract").joinpath("lexicons", "dates.toml").open("rb") as f:
        data = tomllib.load(f)
    en = list(data["months"]["en"]) + list(data["months"]["en_abbrev"])
    return en, list(data["months"]["ar"])


def trie_pattern(entries: list[tuple[str, str]], char_pattern: Any) -> str:
    """A regex alternation shaped as a trie, so matching tries one branch per character.

    A flat alternation of a hundred words costs a hundred checks at every
    position of the text; the trie costs about one. ``entries`` are
    (literal, suffix regex) pairs; ``char_pattern`` maps a character to its regex.
    """
    root: dict[str, Any] = {}
    for literal, suffix in entries:
        node = root
        for ch in literal:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).add(suffix)

    def emit(node: dict[str, Any]) -> str:
        alts = [char_pattern(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        ends = sorted(node.get("", ()), key=len, reverse=True)
        alts.extend(ends)  # after the children: the longest word wins
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(root) if root else "(?!)"


def _ar_char(ch: str) -> str:
    return {"ا": "[اأإآٱ]", "ه": "[ةه]", "ي": "[يى]", " ": r"\s+"}.get(ch, re.escape(ch))


def _en_char(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


def _en_entries(phrase: str, suffix: str = "") -> list[tuple[str, str]]:
    """An English phrase as written in lower case and with a capital first letter."""
    p = " ".join(phrase.split())
    return [(p, suffix), (p[:1].upper() + p[1:], suffix), (p.upper(), suffix)]


@dataclass(frozen=True)
class _Tables:
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


_AR_PREFIX = "(?:[وف]?(?:بال|ال|لل|ب|ل)?)"
_AR_B = f"(?<![{_AR_LETTER}])"
_AR_E = f"(?![{_AR_LETTER}])"
_TANWEEN = "(?:اً|ًا|ا|ً)?"
# Tokens that look like number words but are something else: Monday, "I am not".
_AR_TOKEN_GUARD = frozenset(
    normalize_arabic(w) for w in ("الاثنين", "الإثنين", "لست", "الست", "الواحد", "الواحدة", "بست", "الأحد")
)
_HAS_ARABIC = re.compile("[\u0600-\u06ff]")
_DIGIT_RUN = re.compile(f"[{DIGIT}][{DIGIT},.:/\\-،٬'٫]*")
_ND = re.compile(f"[{DIGIT}]{{1,4}}[/.\\-][{DIGIT}]{{1,2}}[/.\\-][{DIGIT}]{{2,4}}")
_TIME = re.compile(f"[{DIGIT}]{{1,2}}:[{DIGIT}]{{2}}(?::[{DIGIT}]{{2}})?")
_NUMBER = re.compile(
    f"[{DIGIT}]{{1,3}}(?:\\.[{DIGIT}]{{3}}){{2,}}(?![{DIGIT}])"  # 1.200.000
    f"|[{DIGIT}]+(?:[,،٬'][{DIGIT}]{{3}})*(?:[.٫][{DIGIT}]+)?"
)


@cache
def _tables() -> _Tables:
    lex = _lexicon()
    en_words: dict[str, tuple[str, int]] = {}
    for kind in ("units", "tens", "scales"):
        for w, v in lex["en"][kind].items():
            en_words[w] = (kind, int(v))
    ar_words: dict[str, tuple[str, int]] = {}
    for kind in ("units", "teen_units", "tens", "hundreds", "scales", "plural_scales"):
        for w, v in lex["ar"][kind].items():
            ar_words[normalize_arabic(w)] = (kind, int(v))

    vague: dict[str, tuple[str, int, int | None]] = {}
    acled: dict[str, int] = {}
    en_entries: list[tuple[str, str]] = []
    for w in en_words:
        en_entries += _en_entries(w)
    en_entries += _en_entries("a", r"(?=\s+(?:hundred|thousand|million|dozen)\b)")
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
            en_entries += _en_entries(words, suffix)
            vague[words] = (rule, lo, hi)
        for phrase in entry.get("ar", []):
            key = normalize_arabic(" ".join(phrase.split()))
            suffix = ""
            if key.endswith(" من"):
                key, suffix = key[:-3], r"(?=\s+من" + _AR_E + ")"
            ar_entries.append((key, suffix))
            vague[key] = (rule, lo, hi)
    en_re = re.compile(r"\b" + trie_pattern(en_entries, _en_char) + r"\b")
    ar_re = re.compile(f"{_AR_B}(?P<arp>{_AR_PREFIX})(?P<arw>{trie_pattern(ar_entries, _ar_char)}){_TANWEEN}{_AR_E}")
    # Words before a number, looked up from the number backwards (see _tail_keys):
    # key -> (category, detail). Earlier categories win when a key is in two.
    before: dict[str, tuple[str, str]] = {}

    def add(words: list[str], category: str, detail: str = "") -> None:
        for w in words:
            before.setdefault(_key(w), (category, detail))

    q = lex["qualifiers"]
    for kind in ("at_least", "at_most", "less_than", "as_many_as", "nearly", "about"):
        add(q.get(f"{kind}_en", []) + q.get(f"{kind}_ar", []), "qualifier", kind)
    c = lex["context"]
    en_months, ar_months = _month_words()
    add(c["money_before"], "money")
    add(c["age_before_en"] + c["age_before_ar"], "age")
    add(c["labels_before_en"] + c["labels_before_ar"], "label")
    add(en_months + [m + "." for m in en_months] + ar_months, "month")
    add(["between", "بين", "ما بين"], "between")
    with resources.files("tawthiq.extract").joinpath("lexicons", "dates.toml").open("rb") as f:
        year_intro = tomllib.load(f)["year_intro"]
    # Year intros ("in", "of", "عام") are common words; they are looked up only
    # for a number that could be a year, not in ``before``.
    year_intros = frozenset(_key(w) for w in year_intro["en"] + year_intro["ar"])

    def en_words_pat(words: list[str]) -> str:
        return _alternation([_en_pattern(w.lower()) for w in words])

    def ar_words_pat(words: list[str]) -> str:
        return _alternation([arabic_pattern(w) for w in words])

    after_ctx = re.compile(
        r"^(?:"
        rf"(?P<ordinal>(?:st|nd|rd|th)\b)"
        r"|(?P<decade>'?s\b)"  # the 1980s
        r"|\s*(?P<ampm>(?:am|pm|a\.m\.|p\.m\.)(?![A-Za-z]))"
        r"|(?P<glued>[A-Za-z])"  # 5x, 12B: a code, not a count
        r"|[\s\-]+(?P<fraction>(?:thirds?|quarters?|halves|half|fifths?|tenths?)\b)"
        rf"|\s+(?P<unit>(?:{en_words_pat(c['labels_after_en'])})\b)"
        rf"|(?P<age>(?:{_alternation([re.escape(a) for a in c['age_after_en']])}))"
        rf"|\s*(?P<percent>(?:%|٪)|(?:{en_words_pat(c['percent_after_en'][1:])})\b|(?:{ar_words_pat(c['percent_after_ar'][2:])}){_AR_E})"
        rf"|[\s\-]*(?P<money>(?:{en_words_pat([w for w in c['money_after_en'] if w != '$'])})\b|(?:{ar_words_pat(c['money_after_ar'])})(?:اً|ًا|ا|ً)?{_AR_E})"
        rf"|\s*(?P<date>(?:of\s+)?(?:{en_words_pat(en_months)})\b|(?:من\s+)?(?:شهر\s+)?(?:{ar_words_pat(ar_months)}){_AR_E})"
        rf"|[\s\-]*(?P<duration>(?:{en_words_pat(c['duration_after_en'])})(?![\w])|(?:{ar_words_pat(c['duration_after_ar'])})(?:اً|ًا|ا|ً)?{_AR_E})"
        rf"|[\s\-]*(?P<measure>(?:{en_words_pat(c['measure_after_en'])})\b|(?:{ar_words_pat(c['measure_after_ar'])})(?:اً|ًا|ا|ً)?{_AR_E})"
        r")",
        re.IGNORECASE,
    )
    range_gap = re.compile(
        rf"^\s*(?:(?P<dash>[\-–—~])|(?P<to>to|or|and)\b|{_AR_B}(?P<arto>(?:إلى|الى|حتى|أو|او|و))(?=\s|$|[{DIGIT}{_AR_LETTER}]))\s*$",
        re.IGNORECASE,
    )
    dual_guard = frozenset(normalize_arabic(w) for w in lex["dual"]["guard"])
    max_words = max(len(k.split()) for k in before)
    before_last: dict[str, int] = {}
    for k in before:
        w = k.split()
        before_last[w[-1]] = max(before_last.get(w[-1], 0), len(w))
    # "April 4, 2017", "(2015)", "2011-2015": a year after a month and day, or an opening mark.
    after_day = re.compile(
        rf"(?:\b(?:{en_words_pat(en_months)})\.?\s+[{DIGIT}]{{1,2}}(?:st|nd|rd|th)?,?|[(/\-–])\s*$", re.IGNORECASE)
    return _Tables(en_re, ar_re, en_words, ar_words, vague, acled, before, before_last, year_intros, max_words, range_gap, after_ctx, after_day,
                   dual_guard)


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    kind: str  # digit units tens hundreds scales plural_scales teen_units vague nd time
    value: float
    lang: str
    conj: bool = False  # Arabic و in front ("وعشرون"), which joins units and tens
    rule: str = ""
    hi: int | None = None


@dataclass(slots=True)
class _Phrase:
    start: int
    end: int
    toks: list[_Tok]
    value: int | None = None
    rule: str = ""
    lo: int | None = None
    hi: int | None = None


def _parse_digits(s: str) -> float:
    s = re.sub(r"[,،٬']", "", to_ascii_digits(s).replace("٫", "."))
    if s.count(".") > 1:  # 1.200.000: dots as thousands separators
        s = s.replace(".", "")
    try:
        return float(s) if "." in s else int(s)
    except ValueError:
        return 0


def _tokens(text: str, tables: _Tables) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _DIGIT_RUN.finditer(text):
        s = m.start()
        if s and (text[s - 1].isascii() and (text[s - 1].isalpha() or text[s - 1] == "_")):
            continue  # "M4", "T72": part of a name
        if s > 1 and text[s - 1] == "-" and text[s - 2].isascii() and text[s - 2].isalpha():
            continue  # "Su-24", "T-72", "S-300": a model name
        run = m.group()
        if len(run) > 24:
            continue  # an identifier or a phone number, never a count
        if run.isdigit():  # the common case: one plain number
            toks.append(_Tok(s, m.end(), "digit", int(run), ""))
            continue
        while run and not run[-1].isdigit():
            run = run[:-1]
        if run.isdigit():
            toks.append(_Tok(s, s + len(run), "digit", int(run), ""))
        elif _ND.fullmatch(run):
            toks.append(_Tok(s, s + len(run), "nd", 0, "", rule="date"))
        elif _TIME.fullmatch(run):
            toks.append(_Tok(s, s + len(run), "time", 0, "", rule="time"))
        else:
            for n in _NUMBER.finditer(run):
                toks.append(_Tok(s + n.start(), s + n.end(), "digit", _parse_digits(n.group()), ""))
    for m in tables.en_re.finditer(text):
        s, e = m.span()
        w = " ".join(m.group().lower().split())
        if w == "a":
            toks.append(_Tok(s, e, "units", 1, "en", rule="a"))
        elif w in tables.en_words:
            k, v = tables.en_words[w]
            if w == "one" and (_NO_ONE.search(text, max(0, s - 12), s) or _ONE_ANOTHER.match(text, e)):
                continue  # "no one", "one another": not a count
            toks.append(_Tok(s, e, k, v, "en"))
        elif w in tables.vague and not _AS_FOLLOWS.match(text, e):  # "as many as 40" is a qualifier
            rule, lo, hi = tables.vague[w]
            toks.append(_Tok(s, e, "vague", lo, "en", rule=rule, hi=hi))
    if _HAS_ARABIC.search(text):
        for m in tables.ar_re.finditer(text):
            s, e = m.span()
            if normalize_arabic(m.group()) in _AR_TOKEN_GUARD:
                continue
            word = normalize_arabic(" ".join(m.group("arw").split()))
            prefix = m.group("arp") or ""
            entry = tables.ar_words.get(word)
            if entry is not None:
                toks.append(_Tok(s, e, entry[0], entry[1], "ar", conj=prefix.startswith(("و", "ف"))))
            elif word in tables.vague:
                rule, lo, hi = tables.vague[word]
                toks.append(_Tok(s, e, "vague", lo, "ar", rule=rule, hi=hi))
    toks.sort(key=lambda t: t.start)
    return toks


_AS_FOLLOWS = re.compile(r"\s+as\b", re.IGNORECASE)
_NO_ONE = re.compile(r"\b(?:no|every|any|some|the only)\s+$", re.IGNORECASE)
_ONE_ANOTHER = re.compile(r"\s+(?:another|by one|after another)\b", re.IGNORECASE)
_JOIN_GAP = re.compile(r"^(?:\s+|\s*-\s*|\s+and\s+|,?\s+and\s+|\s+و\s*)$", re.IGNORECASE)


def _place(x: float) -> int:
    p = 1
    while p <= x:
        p *= 10
    return p


class _Builder:
    """Folds number tokens into one value, refusing sequences no number reads as."""

    def __init__(self, tok: _Tok) -> None:
        self.toks = [tok]
        self.total: float = 0  # int unless a decimal ("1.5 million") is involved
        self.cur: float = 0
        self.last_scale = math.inf
        self._add(tok)

    def _add(self, t: _Tok) -> None:
        if t.kind in ("scales", "plural_scales"):
            if t.value < 1000:  # hundred, dozen: multiply what we have so far
                self.cur = (self.cur or 1) * t.value
            else:
                self.total += (self.cur or 1) * t.value
                self.cur = 0
                self.last_scale = t.value
        else:
            self.cur += t.value

    def accepts(self, t: _Tok, gap: str) -> bool:
        last = self.toks[-1]
        if t.kind in ("nd", "time", "vague", "digit") or last.kind in ("nd", "time", "vague"):
            return False
        if not _JOIN_GAP.match(gap):
            return False
        if "-" in gap and not (last.kind == "tens" and t.kind == "units" and t.lang == "en"):
            return False
        if t.kind in ("scales", "plural_scales"):
            cur = self.cur if self.cur else (0 if self.total else 1)
            if t.kind == "plural_scales" and not (3 <= cur <= 10):
                return False
            # "hundred thousand" multiplies; "thousand hundred" does not.
            return cur > 0 and (t.value > cur or t.value >= 1000) and t.value < self.last_scale
        if last.kind == "digit":
            return False
        if t.kind == "teen_units":
            return False
        if t.lang == "ar" and t.value == 10 and t.kind == "units" and not t.conj and last.kind in ("units", "teen_units") \
                and last.value < 10 and "و" not in gap:
            return True  # ثلاثة عشر, اثنا عشر: a teen
        if last.kind == "teen_units":
            return False
        v = t.value
        if self.cur == 0:
            return v < self.last_scale and (t.lang == "en" or t.conj or "و" in gap)
        if t.lang == "ar" and t.kind == "tens" and (t.conj or "و" in gap) and self.cur % 100 < 10:
            return True  # خمسة وعشرون: units before tens
        if t.lang == "ar" and not (t.conj or "و" in gap):
            return False
        return v < _place(self.cur % 1000 or self.cur) and self.cur % _place(v) == 0 if v else False

    def push(self, t: _Tok) -> None:
        last = self.toks[-1]
        if t.lang == "ar" and t.value == 10 and t.kind == "units" and last.kind in ("units", "teen_units") and last.value < 10 and self.cur == last.value:
            self.cur += 10
            self.toks.append(t)
            return
        self.toks.append(t)
        self._add(t)

    def value(self) -> int:
        return int(round(self.total + self.cur))


def _phrases(text: str, toks: list[_Tok]) -> list[_Phrase]:
    out: list[_Phrase] = []
    b: _Builder | None = None

    def flush() -> None:
        nonlocal b
        if b is None:
            return
        first = b.toks[0]
        if len(b.toks) == 1 and first.kind == "teen_units":
            b = None
            return  # أحد alone is "someone"
        if len(b.toks) == 1 and first.kind == "plural_scales":
            ph = _Phrase(first.start, first.end, b.toks, None, "vague:thousands" if first.value == 1000 else "vague:millions",
                         int(first.value), None)
        else:
            kinds = {t.lang for t in b.toks}
            rule = "digits" if first.kind == "digit" and len(b.toks) == 1 else (
                "words-ar" if kinds == {"ar"} else "words-en" if kinds == {"en"} else "mixed")
            v = b.value()
            if rule == "digits" and isinstance(first.value, float):
                # "1.200 people" uses the dot for thousands; "10.30" is a time or a measure.
                frac = to_ascii_digits(text[first.start:first.end]).replace("٫", ".").rsplit(".", 1)[-1]
                if len(frac) == 3:
                    v = int(round(first.value * 1000))
                else:
                    rule = "decimal"
            ph = _Phrase(first.start, b.toks[-1].end, b.toks, v, rule, v, v)
        out.append(ph)
        b = None

    for t in toks:
        if t.kind in ("nd", "time", "vague"):
            flush()
            out.append(_Phrase(t.start, t.end, [t], None, t.rule,
                               int(t.value) if t.kind == "vague" else None, t.hi))
            continue
        if b is not None and (t.kind in ("scales", "plural_scales", "units", "tens", "hundreds", "teen_units")) \
                and b.accepts(t, text[b.toks[-1].end:t.start]):
            b.push(t)
            continue
        flush()
        if t.kind == "scales" and t.value >= 100 and t.lang == "en":
            continue  # "hundred" alone without "a"/"one" is not a count we can read
        b = _Builder(t)
    flush()
    return out


def _before(text: str, start: int, floor: int, tables: _Tables) -> tuple[str, str, int] | None:
    """The longest known phrase ending right before ``start``: (category, detail, its start)."""
    lo = max(floor, start - 48)
    before = text[lo:start]
    # Most numbers follow no known word: look at the last word before doing more.
    last = before.rsplit(None, 1)[-1:] or [""]
    lk = _key(last[0].strip(_TAIL_STRIP))
    words = tables.before_last.get(lk)
    if words is None:
        if not lk.endswith(("ال", "الـ", "ـ")):
            return None
        words = tables.before_max_words
    for key, off in _tail_keys(before, words):
        hit = tables.before.get(key)
        if hit:
            return hit[0], hit[1], lo + off
    return None


def _follows_year_intro(text: str, start: int, floor: int, tables: _Tables) -> bool:
    words = text[max(floor, start - 24):start].rstrip(" -").split()
    if not words:
        return False
    return _key(words[-1].strip(_TAIL_STRIP)) in tables.year_intros or (
        len(words) > 1 and _key(" ".join(words[-2:]).strip(_TAIL_STRIP)) in tables.year_intros)


_AFTER_KIND = {"decade": "year", "ampm": "time", "glued": "label", "unit": "label"}
_YEAR_FOLLOWERS = frozenset({"and", "to", "when", "the", "in", "on", "at", "as", "that", "was", "is", "were",
                             "و", "في", "حتى", "الى", "م", "عندما", "حين"})


def _classify(text: str, ph: _Phrase, tables: _Tables, floor: int,
              prior: tuple[str, str, int] | None) -> str | None:
    """The non-count rule for a plain number, from the words around it, or None."""
    after = text[ph.end: ph.end + 30]
    cat = prior[0] if prior else ""
    m = tables.after_ctx.match(after)
    if m:
        kind = _AFTER_KIND.get(m.lastgroup or "", m.lastgroup)
        if kind == "duration" and cat == "age":
            return "age"
        if kind == "date" and ph.value is not None and not 1 <= ph.value <= 31:
            kind = None
        if m.lastgroup == "decade" and not 1000 <= (ph.value or 0) <= 2100:
            kind = "label"  # "100s of": not a decade
        if kind:
            return kind
    v = ph.value or 0
    if cat in ("money", "age", "label"):
        return cat
    if cat == "month" and (1 <= v <= 31 or 1900 <= v <= 2100):
        return "date" if v <= 31 else "year"
    if ph.rule == "digits" and 1900 <= v <= 2100:
        raw = to_ascii_digits(text[ph.start:ph.end])
        if raw.isdigit() and len(raw) == 4:
            if _follows_year_intro(text, ph.start, floor, tables) \
                    or tables.after_day.search(text, max(0, ph.start - 20), ph.start):
                return "year"
            # A following word reads as a counted noun ("2000 people"); punctuation
            # or the end of the text leaves a year ("..., 2015.").
            nxt = after.lstrip()
            if not nxt or not nxt[0].isalpha() or _key(nxt.split(None, 1)[0]) in _YEAR_FOLLOWERS:
                return "year"
    return None


def _apply_qualifier(kind: str, n: int) -> tuple[int | None, int | None]:
    if kind == "at_least":
        return n, None
    if kind == "at_most":
        return None, n
    if kind == "less_than":
        return None, max(n - 1, 0)
    if kind == "as_many_as":
        return n, n
    if kind == "nearly":
        return n - math.ceil(n / 10), n
    return n, n + math.ceil(n / 10)  # about


_QUALIFIER_RULE = {"at_least": "at-least", "at_most": "at-most", "less_than": "less-than",
                   "as_many_as": "as-many-as", "nearly": "nearly", "about": "about"}


def find_quantities(text: str, *, language: str | None = None) -> list[Quantity]:
    """Every number mention in ``text``, sorted and non-overlapping.

    ``language`` is accepted for symmetry with the other extractors; both
    scripts are always read because reports mix them.
    """
    if not text:
        return []
    tables = _tables()
    phrases = _phrases(text, _tokens(text, tables))
    out: list[Quantity] = []
    floor = 0
    i = 0
    while i < len(phrases):
        ph = phrases[i]
        start, end = ph.start, ph.end
        if ph.value is None:  # vague, date, time
            out.append(Quantity(start, end, text[start:end], ph.lo, ph.hi, ph.rule))
            floor = end
            i += 1
            continue
        prior = _before(text, start, floor, tables)
        special = _classify(text, ph, tables, floor, prior)
        if special:
            v = ph.value
            out.append(Quantity(start, end, text[start:end], v, v, special))
            floor = end
            i += 1
            continue
        lo, hi, rule = ph.value, ph.value, ph.rule
        # Ranges: "10-15", "10 to 15", "between 10 and 15", "من 10 إلى 15", "10 أو 15".
        if i + 1 < len(phrases) and phrases[i + 1].value is not None and phrases[i + 1].start - ph.end <= 16:
            nxt = phrases[i + 1]
            gap = text[ph.end:nxt.start]
            g = tables.range_gap.match(gap)
            if not g and nxt.toks[0].conj and (not gap or gap.isspace()):
                g = tables.range_gap.match(" و ")  # "بين 10 وعشرين": و is glued to the number
            if g and ph.value < nxt.value:
                conj_and = (g.group("to") or "").lower() == "and" or g.group("arto") == "و"
                if not conj_and or (prior and prior[0] == "between"):
                    nxt_special = _classify(text, nxt, tables, ph.end, None)
                    if nxt_special:
                        # "2 to 3 days", "10-15%": both ends are what the second one is.
                        out.append(Quantity(start, end, text[start:end], ph.value, ph.value, nxt_special))
                        floor = end
                        i += 1
                        continue
                    lo, hi, rule, end = ph.value, nxt.value, "range", nxt.end
                    i += 1
        if rule != "range" and prior and prior[0] == "qualifier":
            lo, hi = _apply_qualifier(prior[1], ph.value)
            rule = _QUALIFIER_RULE[prior[1]]
            start = prior[2]
        out.append(Quantity(start, end, text[start:end], lo, hi, rule))
        floor = end
        i += 1
    return out


def parse_quantity(s: str) -> Quantity | None:
    """The widest quantity in a short phrase ("at least 23", "عشرات"), or None."""
    found = find_quantities(s)
    if not found:
        return None
    return max(found, key=lambda q: (q.end - q.start, -q.start))


def is_count(q: Quantity) -> bool:
    """Whether ``q`` may be a number of people or things, not a year, age, time, sum…"""
    return q.rule not in NON_COUNT_RULES


def acled_estimate(q: Quantity) -> int | None:
    """ACLED's single figure for a quantity: the lowest figure the text supports.

    For vague words this is ACLED's convention (dozens 12, hundreds 100,
    several/many 10), which may exceed our interval's conservative minimum.
    """
    if not is_count(q):
        return None
    if q.rule.startswith("vague:"):
        return _tables().acled.get(q.rule, q.min)
    return q.min if q.min is not None else q.max


_EN_ONE = frozenset({"a", "an", "one", "single", "lone", "sole"})
_EN_TWO = frozenset({"both", "two", "pair", "couple", "twin", "twins"})
_AR_CLITIC = re.compile(r"^(?:[وف]?(?:بال|لل|ال|ب|ل)?)")


def implied_count(token: str, *, language: str | None = None) -> int | None:
    """The count a single word implies without a number, or None.

    English: an article or "one" means 1, "both"/"pair" 2. Arabic: the dual
    ending counts 2 ("مدنيان", "برميلان", "قتيلين"). The accusative/genitive
    dual -ين is spelled like the masculine plural, so -يين (nisba plurals,
    مدنيين) and participles (م…ين: مسلحين) and فاعلين are read as plurals,
    and a guard list in ``numbers.toml`` holds names and nouns that merely
    end in -ان/-ين.
    """
    if not token:
        return None
    word = token.strip()
    lang = language or ("ar" if any("\u0600" <= ch <= "\u06ff" for ch in word) else "en")
    if lang == "en":
        w = word.lower()
        if w in _EN_ONE:
            return 1
        if w in _EN_TWO:
            return 2
        return None
    tables = _tables()
    norm = normalize_arabic(word)
    entry = tables.ar_words.get(norm)
    if entry and entry[0] in ("units", "hundreds", "tens"):
        return int(entry[1])
    if norm in tables.dual_guard:
        return None
    stem_word = norm
    for candidate in (norm, _AR_CLITIC.sub("", norm, count=1)):
        if candidate in tables.dual_guard:
            return None
        if candidate in tables.ar_words:
            return None
        stem_word = candidate
    w = stem_word
    if w.endswith(("تان", "تين")) and len(w) >= 5:
        return 2  # امرأتان, سيارتين: feminine duals
    if w.endswith("ان") and len(w) - 2 >= 3:
        return 2
    if w.endswith("ين") and len(w) - 2 >= 3:
        stem = w[:-2]
        if stem.endswith("ي") or stem.startswith("م") or (len(stem) == 4 and stem[1] == "ا"):
            return None  # مدنيين, مسلحين, ناشطين: plurals spelled like duals
        return 2
    return None
