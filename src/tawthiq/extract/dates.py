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
they stay unresolved (``edtf=None``, ``relative=True``, precision UNKNOWN)
unless the text dates itself: a full date on a short first line (a
dateline) then stands in for ``published``. Numeric dates with slashes are
read day first, as in Syria ("4/5/2017" = 4 May), unless only the
month-first reading is a valid date.

Rules (``DateMention.rule``): ``day-month-year``, ``day-month``,
``day-range``, ``month-year``, ``month-part``, ``month``, ``year``,
``year-part``, ``year-since``, ``year-until``, ``iso``, ``numeric-dmy``,
``weekday``, ``weekday-*``, ``yesterday``, ``day-before-yesterday``,
``today``, ``ago``, ``period``, ``day-of-month``; ``@dateline`` is appended
when a dateline resolved the mention. The patterns and the search for where
to try them live in :mod:`tawthiq.extract.dates_patterns`.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from ..domain import DatePrecision
from ..domain.arabic import fold_for_lookup, to_ascii_digits
from .dates_hijri import find_hijri, may_hold_hijri
from .dates_patterns import AR_BEFORE_DATE, Lex, Matches, date_key, find_matches, load_lex
from .numbers import parse_quantity

__all__ = ["DateMention", "find_dates"]


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


def _scan(pattern: re.Pattern[str], text: str, windows: Matches, name: str) -> list[re.Match[str]]:
    """The matches ``find_matches`` found for the pattern ``name``."""
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


def _day_of(s: str | None, o: str | None, lex: Lex) -> int | None:
    if s:
        return _int(re.sub(r"\D", "", to_ascii_digits(s)) or "0")
    if o:
        return lex.ordinals.get(date_key(o))
    return None


def _month_of(m: re.Match[str], name: str, lex: Lex) -> int | None:
    raw = m.group(name)
    if raw is None:
        return None
    return lex.months.get(date_key(raw))


def _ok_month_word(raw: str, lex: Lex, *, has_day_or_year: bool, has_year: bool = False) -> bool:
    """"may" and "march" are verbs and "Mar" a saint's title: accept an English
    month name in lower case only beside a year, and these three only in a date."""
    k = date_key(raw)
    if raw[:1].isascii() and not raw[:1].isupper() and not has_year:
        return False
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


def _absolute(text: str, lex: Lex, windows: Matches, published: dt.date | None) -> list[_Cand]:
    out: list[_Cand] = []
    story_year: int | None = None  # the year of the last date written with one ("On 3 August 2019 …")
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
        if mon is None or not _ok_month_word(m.group(mname), lex, has_day_or_year=bool(d or y or rel), has_year=bool(y)):
            continue
        year = _int(y) if y else None
        if year is not None and not 1900 <= year <= 2100:
            continue
        if year is not None and not rel:
            story_year = year
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
        story = year is None and story_year is not None
        if story:  # "On 3 August 2019 … On 25 August …": the year the story is told in
            year, relative = story_year, False
        elif year is None:  # "on 4 April": the publication year, or the one before
            year = _year_for(published, mon, d)
        if year is None:
            if 1 <= d <= 31:
                out.append(_Cand(start, end, None, DatePrecision.UNKNOWN, True, "day-month"))
            continue
        if not _valid(year, mon, d):
            continue
        rule = "day-month-year" if year is not None and (y or rel) else "day-month@story-year" if story else "day-month"
        if m.group("wd"):
            rule = "weekday-" + rule
        if d_end and d_end > d and _valid(year, mon, d_end):
            out.append(_Cand(start, end, f"{_ymd(year, mon, d)}/{_ymd(year, mon, d_end)}", DatePrecision.DAY,
                             relative, "day-range"))
        else:
            out.append(_Cand(start, end, _ymd(year, mon, d), DatePrecision.DAY, relative, rule))
    return out


def _numeric(text: str, lex: Lex, windows: Matches) -> list[_Cand]:
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


def _years(text: str, lex: Lex, windows: Matches) -> list[_Cand]:
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
        start = m.start("y") if intro not in ("year", "the year") and date_key(intro) not in ("عام", "العام", "سنه", "السنه") else m.start()
        inner = text[m.end("intro"):m.start("y")]
        if inner.strip():
            start = m.end("intro") + len(inner) - len(inner.lstrip())
        key = date_key(intro)
        # "since 2011", "until 2015" bound a period rather than date an act.
        rule = "year-since" if key in ("since", "منذ") else "year-until" if key in ("until", "till", "حتي") else "year"
        out.append(_Cand(start, m.end(), f"{y:04d}", DatePrecision.YEAR, False, rule))
    return out


_PICKUP = re.compile(r"(?<!\S)[وب]?(?:بيك|بك)[\s-]+$")


def _months_only(text: str, lex: Lex, windows: Matches, published: dt.date | None) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(lex.month_only, text, windows, "month_only"):
        raw = m.group("m")
        mon = lex.months.get(date_key(raw))
        if mon is None or not _ok_month_word(raw, lex, has_day_or_year=False):
            continue
        if _PICKUP.search(text, max(0, m.start("m") - 6), m.start("m")):
            continue  # "بيك آب", "بك آب": a pick-up truck, not "in August"
        start = m.start("m") if m.group("intro") else m.start()
        if m.group("enlast"):
            start = m.start("enlast")
        if m.group("shahr") and m.group("intro"):
            start = m.start("shahr")
        year = _year_for(published, mon, None)
        last = bool(m.group("mlast") or m.group("enlast"))
        if last and year is not None and published is not None and (year, mon) == (published.year, published.month):
            year -= 1  # "last March" said in March is a year back
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


_UNTIL = re.compile(rf"(?:\b(?:until|till|to|up\s+to)|{AR_BEFORE_DATE}[و]?(?:حتى|لغاية|إلى|الى))\s*$", re.IGNORECASE)


_FUTURE_BEFORE = re.compile(r"\b(?:next|tomorrow|expected|scheduled|due|will|set\s+to|is\s+to|are\s+to)\b[^.;\n]*$"
                            r"|(?<![\w])(?:غدا|غداً|غدًا|سوف|من\s+المقرر|من\s+المتوقع|يتوقع|يُتوقع|ستبدأ|سيبدأ)(?![\w])[^.;\n]*$",
                            re.IGNORECASE)
_FUTURE_AFTER = re.compile(r"\s+(?:المقبل|القادم|next)(?![\w])", re.IGNORECASE)


def _relative(text: str, lex: Lex, windows: Matches, published: dt.date | None) -> list[_Cand]:
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
                u = fold_for_lookup(g["aagou"])
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
                u = fold_for_lookup(g["aunit"] or g["aunit2"] or "")
                u = re.sub(r"^[وفب]?(?:ال)?", "", u)
                unit = {"اسبوع": "w", "شهر": "m", "عام": "y", "سنه": "y"}.get(u, "y")
                which = fold_for_lookup(g["awhich"] or "")
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
            wd = lex.weekdays.get(date_key(name))
            if wd is None:
                continue
            rule = "weekday"
            if _FUTURE_BEFORE.search(text, max(0, start - 30), start) or _FUTURE_AFTER.match(text, end):
                continue  # "expected on Monday", "غداً السبت", "الأحد المقبل": a day still to come dates no act
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


_NTH_EN = re.compile(r"\b(first|second|third|fourth|last)\s+$", re.IGNORECASE)
_NTH_EN_IN = re.compile(r"(last)\s+", re.IGNORECASE)
_NTH_AR = re.compile(r"\s+(الأولى|الاولى|الأول|الثانية|الثالثة|الرابعة|الأخيرة|الاخيرة)(?![\w])")
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1, "الأولى": 1, "الاولى": 1, "الأول": 1,
        "الثانية": 2, "الثالثة": 3, "الرابعة": 4, "الأخيرة": -1, "الاخيرة": -1}


def _nth_weekday(text: str, wd_cand: _Cand, month: _Cand) -> tuple[int, str] | None:
    """The start and day of "the first Friday of February 2012" / "الجمعة الأولى من شباط 2012", if so written."""
    if month.precision is not DatePrecision.MONTH or not month.edtf:
        return None
    before = _NTH_EN.search(text, max(0, wd_cand.start - 12), wd_cand.start)
    after = _NTH_AR.match(text, wd_cand.end)
    inside = _NTH_EN_IN.match(text, wd_cand.start)  # "last Friday" was read as one mention
    m = before or after or inside
    wd = _weekday_named(text[wd_cand.start:wd_cand.end])
    if m is None or wd is None:
        return None
    y, mo = int(month.edtf[:4]), int(month.edtf[5:7])
    days = [dt.date(y, mo, d) for d in range(1, 32) if _valid(y, mo, d) and dt.date(y, mo, d).weekday() == wd]
    n = _NTH[m.group(1).lower() if m.group(1).isascii() else m.group(1)]
    if n > len(days):
        return None
    return (m.start() if m is before else wd_cand.start), days[n - 1 if n > 0 else -1].isoformat()


def _weekday_named(words: str) -> int | None:
    """The weekday a weekday mention names ("يوم الجمعة" -> 4), from its last word."""
    last = words.split()[-1] if words.split() else ""
    return load_lex().weekdays.get(date_key(last.strip(",،")))


_WEEKDAY_IN = re.compile(r"[\s,،]*(?:(?:الأولى|الاولى|الأول|الثانية|الثالثة|الرابعة|الأخيرة|الاخيرة)\s+)?(?:in|of|في|من)\s+(?:شهر\s+)?",
                         re.IGNORECASE)
_DAY_WORDS = frozenset({"yesterday", "today", "day-before-yesterday"})
_WEEKDAY_JOIN = re.compile(r"[\s,،]*(?:the\s+|الموافق\s*(?:لـ?)?\s*)?", re.IGNORECASE)


def _join_weekdays(text: str, taken: list[_Cand]) -> list[_Cand]:
    """"Sunday 21/08/2013", "الأحد 2013-08-21": the weekday names the same day as the date; so does the weekday
    after "yesterday" or "today" ("فجر أمس الثلاثاء", "yesterday, Tuesday"), which must not be read as a week back."""
    out: list[_Cand] = []
    for c in taken:
        prev = out[-1] if out else None
        if (prev is not None and prev.rule == "weekday" and not c.relative and c.edtf
                and c.precision in (DatePrecision.MONTH, DatePrecision.YEAR) and _WEEKDAY_IN.fullmatch(text, prev.end, c.start)):
            # "a Thursday in February 2014", "يوم خميس من شهر شباط 2014": a weekday of that month, not of this week;
            # "the first Friday of February 2012", "الجمعة الأولى من شباط 2012": that very day.
            nth = _nth_weekday(text, prev, c)
            if nth is not None:
                out[-1] = _Cand(nth[0], c.end, nth[1], DatePrecision.DAY, False, "nth-weekday-" + c.rule)
            else:
                out[-1] = _Cand(prev.start, c.end, c.edtf, c.precision, False, "weekday-" + c.rule)
            continue
        if (prev is not None and c.rule == "weekday" and prev.rule in _DAY_WORDS
                and _WEEKDAY_JOIN.fullmatch(text, prev.end, c.start)):
            out[-1] = _Cand(prev.start, c.end, prev.edtf, prev.precision, True, prev.rule)
            continue
        if (prev is not None and prev.rule == "weekday" and not c.relative and c.precision is DatePrecision.DAY
                and _WEEKDAY_JOIN.fullmatch(text, prev.end, c.start)):
            edtf = c.edtf
            if c.rule == "hijri" and edtf and (wd := _weekday_named(text[prev.start:prev.end])) is not None:
                day = dt.date.fromisoformat(edtf)
                day = min((day + dt.timedelta(days=k) for k in (0, -1, 1, -2, 2)), key=lambda x: x.weekday() != wd)
                edtf = day.isoformat()
            out[-1] = _Cand(prev.start, c.end, edtf, c.precision, False, "weekday-" + c.rule)
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


_HIJRI_REACH = 40  # characters between a Hijri date and the Gregorian or relative day printed beside it


def _beside_gregorian(taken: list[_Cand]) -> list[_Cand]:
    """A Hijri date printed beside a Gregorian day or "yesterday" ("الثلاثاء 9 نيسان 2013 (28 جمادى الأولى
    1434هـ)") gives way to it: the tabular conversion may be a day off, the Gregorian date is exact."""
    out: list[_Cand] = []
    for c in taken:
        beside = [d for d in taken if "hijri" not in d.rule and c.start - _HIJRI_REACH <= d.end
                  and d.start <= c.end + _HIJRI_REACH and "hijri" in c.rule]
        if any(d.rule in _DAY_WORDS or d.edtf and d.precision is DatePrecision.DAY for d in beside):
            for d in beside:  # "22 شوال 1439هـ، الموافق 6 تموز": the Hijri year tells the yearless day's year
                if d.rule.endswith("day-month") and d.edtf and c.edtf and len(d.edtf) == 10:
                    near = dt.date.fromisoformat(c.edtf)
                    options = [f"{y:04d}{d.edtf[4:]}" for y in (near.year - 1, near.year, near.year + 1)]
                    options = [o for o in options if _valid(int(o[:4]), int(o[5:7]), int(o[8:]))]
                    if options:
                        d.edtf = min(options, key=lambda o: abs((dt.date.fromisoformat(o) - near).days))
                        d.relative, d.rule = False, d.rule.replace("day-month", "day-month@hijri-year")
            continue
        out.append(c)
    return out


_STORY_YEAR_REACH = 250  # characters from "at the beginning of 2014" to the "18th of January" it sets the year of


def _story_years(text: str, taken: list[_Cand]) -> list[_Cand]:
    """"When the aid came at the beginning of 2014, … on the 18th of January": a day written without a year
    takes the year a year-only mention just before it gives, in the same paragraph, not the publication's."""
    out: list[_Cand] = []
    year: tuple[int, int] | None = None  # (end, year) of the last year-only mention
    for c in taken:
        if c.rule in ("year", "year-part") and c.edtf:
            year = (c.end, int(c.edtf[:4]))
        elif c.rule == "day-month" and c.edtf and year is not None and c.start - year[0] <= _STORY_YEAR_REACH \
                and "\n\n" not in text[year[0]:c.start] and int(c.edtf[:4]) != year[1] \
                and _valid(year[1], int(c.edtf[5:7]), int(c.edtf[8:10])):
            c = _Cand(c.start, c.end, f"{year[1]:04d}{c.edtf[4:]}", c.precision, False, "day-month@story-year")
        out.append(c)
    return out


def _find(text: str, lex: Lex, w: Matches, published: dt.date | None) -> list[_Cand]:
    cands = ([_Cand(s, e, edtf, DatePrecision.DAY, False, "hijri") for s, e, edtf in find_hijri(text)]
             + _absolute(text, lex, w, published) + _numeric(text, lex, w) + _years(text, lex, w)
             + _months_only(text, lex, w, published) + _relative(text, lex, w, published))
    return _beside_gregorian(_join_weekdays(text, _story_years(text, _select(cands))))


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
    lex = load_lex()
    w = find_matches(text, lex)
    if not w and not may_hold_hijri(text):
        return []
    taken = _find(text, lex, w, published)
    if published is None and any(c.relative for c in taken):
        ref = _dateline(text, taken)
        if ref is not None:
            taken = [c if not c.relative or c.edtf is None else
                     _Cand(c.start, c.end, c.edtf, c.precision, True, c.rule + "@dateline")
                     for c in _find(text, lex, w, ref)]
    return [DateMention(c.start, c.end, text[c.start:c.end], c.edtf, c.precision, c.relative, c.rule) for c in taken]
