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
  figures, used as minimum; "scores" -> 20..None by the same one-unit rule);
  "several"/عدة -> 3..None; "a few"/عدد من ->
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
from dataclasses import dataclass

from ..domain.arabic import DIGIT_CLASS as DIGIT
from ..domain.arabic import fold_for_lookup, to_ascii_digits
from .numbers_script import HAS_ARABIC, lookup_key
from .numbers_tables import Tables as _Tables
from .numbers_tables import tables as _tables

__all__ = [
    "Quantity",
    "NON_COUNT_RULES",
    "find_quantities",
    "parse_quantity",
    "is_count",
    "acled_estimate",
    "implied_count",
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
        out.append((lookup_key(text.strip(_TAIL_STRIP)), part[0][0] + len(part[0][1]) - len(first)))
    return out


# Tokens that look like number words but are something else: Monday, "I am not".
_AR_TOKEN_GUARD = frozenset(
    fold_for_lookup(w) for w in ("الاثنين", "الإثنين", "لست", "الست", "الواحد", "الواحدة", "بست", "الأحد")
)
_DIGIT_RUN = re.compile(f"[{DIGIT}][{DIGIT},.:/\\-،٬'٫]*")
_ND = re.compile(f"[{DIGIT}]{{1,4}}[/.\\-][{DIGIT}]{{1,2}}[/.\\-][{DIGIT}]{{2,4}}"
                 f"|[{DIGIT}]{{4}}[/.\\-][{DIGIT}]{{1,2}}[/.\\-][{DIGIT}]{{1,2}}")
_TIME = re.compile(f"[{DIGIT}]{{1,2}}:[{DIGIT}]{{2}}(?::[{DIGIT}]{{2}})?")
_NUMBER = re.compile(
    f"[{DIGIT}]{{1,3}}(?:\\.[{DIGIT}]{{3}}){{2,}}(?![{DIGIT}])"  # 1.200.000
    f"|[{DIGIT}]+(?:[,،٬'][{DIGIT}]{{3}})*(?:[.٫][{DIGIT}]+)?"
)


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
    """Digit runs and number words of both scripts, in text order; nothing combined yet."""
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
        elif "/" in run or ":" in run:
            continue  # "9/11", "1/3", "24/7", "3:1": not a count
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
    if HAS_ARABIC.search(text):
        for m in tables.ar_re.finditer(text):
            s, e = m.span()
            if fold_for_lookup(m.group()) in _AR_TOKEN_GUARD:
                continue
            word = fold_for_lookup(" ".join(m.group("arw").split()))
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
    """The power of ten above ``x``: 20 -> 100, 5 -> 10."""
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
    """Adjacent tokens folded into numbers ("two hundred and five", "خمسة وعشرون", "5 آلاف")."""
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
                and t.start - b.toks[-1].end <= 8 and b.accepts(t, text[b.toks[-1].end:t.start]):
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
    lk = lookup_key(last[0].strip(_TAIL_STRIP))
    words = tables.before_last.get(lk) or (tables.before_last.get(lk[1:]) if lk[:1] in "وف" else None)
    if words is None:
        if not lk.endswith(("ال", "الـ", "ـ")):
            return None
        words = tables.before_max_words
    # "in the camp's fifth section, 11 people": a comma ends the label's phrase; the number after it counts
    cut = before.rstrip().endswith((",", "،", ";", "؛"))
    for key, off in _tail_keys(before, words):
        hit = tables.before.get(key)
        if hit and cut and hit[0] == "label":
            return None
        if hit:
            return hit[0], hit[1], lo + off
        if key[:1] in "وف" and key[1:] in tables.before:  # "ونحو 200": a conjunction glued on
            hit = tables.before[key[1:]]
            return hit[0], hit[1], lo + off + 1
    return None


def _follows_year_intro(text: str, start: int, floor: int, tables: _Tables) -> bool:
    words = text[max(floor, start - 24):start].rstrip(" -").split()
    if not words:
        return False
    return lookup_key(words[-1].strip(_TAIL_STRIP)) in tables.year_intros or (
        len(words) > 1 and lookup_key(" ".join(words[-2:]).strip(_TAIL_STRIP)) in tables.year_intros)


_POST_QUALIFIER = re.compile(
    r"(?:\s+[^\s\d.,،;:]+){0,2}?\s+(?:(?P<least>على\s+الأقل|على\s+الاقل|or\s+more\b|at\s+least\b(?!\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)\b))"
    r"|(?P<about>تقريب[اً]+|تقريباً|or\s+so\b|approximately\b|roughly\b))",
    re.IGNORECASE,
)
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
            if not nxt or not nxt[0].isalpha() or lookup_key(nxt.split(None, 1)[0]) in _YEAR_FOLLOWERS:
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
        elif rule != "range":
            # A qualifier after the count: "20 مدنياً على الأقل", "200 شخص تقريباً", "20 or more".
            post = _POST_QUALIFIER.match(text, end, min(len(text), end + 40))
            if post:
                kind = "at_least" if post.group("least") else "about"
                lo, hi = _apply_qualifier(kind, ph.value)
                rule = _QUALIFIER_RULE[kind]
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
    lang = language or ("ar" if HAS_ARABIC.search(word) else "en")
    if lang == "en":
        w = word.lower()
        if w in _EN_ONE:
            return 1
        if w in _EN_TWO:
            return 2
        return None
    tables = _tables()
    norm = fold_for_lookup(word)
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
