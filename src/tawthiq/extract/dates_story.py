"""Dates a story gives from the act told before: "two days later", "a week before", "بعد يومين", "بعد أسبوعين".

A testimony dates its first act ("On Thursday …", "in March 2013") and the rest from it. The engine
already carries "the same day" and "the next day"; these are the other offsets, in days or weeks, after
or before the act before. The patterns run on the report's lookup form (``Report.hay``: Arabic folded,
so أسبوع is written اسبوع and ة is ه).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..domain import DatePrecision
from .numbers import parse_quantity

__all__ = ["StoryOffset", "story_offset", "shift_story_date"]

_N_EN = r"\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|a\s+couple\s+of"
_OFFSET_EN = re.compile(
    rf"\b(?:(?P<n1>{_N_EN})\s+(?P<u1>days?|weeks?)\s+(?P<d1>later|after(?:wards)?|before|earlier)\b(?!\s+yesterday)"
    rf"|\bafter\s+(?P<n2>{_N_EN})\s+(?P<u2>days?|weeks?)\b"
    rf"|\b(?P<prevday>the\s+(?:previous|preceding)\s+day|the\s+day\s+before(?!\s+yesterday))\b)",
    re.IGNORECASE,
)
# Folded Arabic: "وبعد عشرين يوم", "بعد ثلاثه ايام", "قبل ذلك بيوم واحد", "بعد ذلك باسبوع", "بعدها بيومين"; "ويأتي ذلك بعد
# يومين من خطف …" puts the act named after من two days *before*. "قبل يومين" alone is left to the date
# finder, which reads it from the day of publication.
_OFFSET_AR = re.compile(
    r"(?<![\w])[وف]?(?:(?P<dir2>قبل|بعد)(?:\s+ذلك\s+|ها\s+|ه\s+)ب|(?P<dir1>بعد)\s+)(?:(?P<n>[\w]+)\s+)?"
    r"(?P<u>يوم|يومين|ايام|يوما|اسبوع|اسبوعين|اسابيع)(?:\s+(?P<n_after>واحد|واحده))?(?![\w])(?P<of>\s+من)?"
)
_FEW = {"a few": 3, "several": 3, "a couple of": 2, "a": 1, "an": 1}
_AR_DUAL = {"يومين": (2, 1), "اسبوعين": (2, 7)}
_AR_UNIT = {"يوم": 1, "ايام": 1, "يوما": 1, "اسبوع": 7, "اسابيع": 7}


# "later that month", "the same year", "بنفس الشهر", "في العام ذاته": the period of the act before.
_SAME_PERIOD = re.compile(
    r"\b(?:(?:in\s+|during\s+)?the\s+same\s+(?P<e1>month|year)|(?:later|earlier)\s+(?:that|the\s+same)\s+(?P<e2>month|year))\b"
    r"|(?<![\w])(?:[وف]?(?:في|ب)\s*)?(?:(?:نفس|ذات)\s+(?P<a1>الشهر|العام|السنه)|(?P<a2>الشهر|العام|السنه)\s+(?:نفسه|نفسها|ذاته|ذاتها))(?![\w])"
    r"|(?<![\w])[وف]?ب(?:نفس|ذات)\s+(?P<a3>الشهر|العام|السنه)(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class StoryOffset:
    start: int
    end: int
    days: int  # negative: before the act told before
    keep: int | None = None  # "the same month" (7) or "year" (4): the EDTF characters of the act before that hold


def _count(raw: str | None) -> int | None:
    if not raw:
        return 1
    key = " ".join(raw.lower().split())
    if key in _FEW:
        return _FEW[key]
    q = parse_quantity(raw)
    return q.min if q is not None and q.min is not None and q.end - q.start == len(raw) else None


def story_offset(hay: str, lo: int, hi: int) -> StoryOffset | None:
    """The first offset from the act before written in ``hay[lo:hi]``."""
    m = _SAME_PERIOD.search(hay, lo, hi)
    if m is not None:
        unit = next(g for g in m.groups() if g).lower()
        return StoryOffset(m.start(), m.end(), 0, keep=7 if unit in ("month", "الشهر") else 4)
    m = _OFFSET_EN.search(hay, lo, hi)
    if m is not None and m.group("prevday"):
        return StoryOffset(m.start(), m.end(), -1)
    if m is not None:
        n = _count(m.group("n1") or m.group("n2"))
        unit = (m.group("u1") or m.group("u2")).lower()
        sign = -1 if (m.group("d1") or "").lower() in ("before", "earlier") else 1
        if n is not None:
            return StoryOffset(m.start(), m.end(), sign * n * (7 if unit.startswith("week") else 1))
    m = _OFFSET_AR.search(hay, lo, hi)
    if m is not None:
        u = m.group("u")
        sign = -1 if m.group("dir2") == "قبل" or m.group("of") else 1
        if u in _AR_DUAL and not m.group("n"):
            n, per = _AR_DUAL[u]
            return StoryOffset(m.start(), m.end(), sign * n * per)
        if u in ("ايام", "اسابيع") and not m.group("n"):
            return None  # "بعد أيام": some days, no count to shift by
        n = _count(m.group("n"))
        if n is not None and u in _AR_UNIT:
            return StoryOffset(m.start(), m.end(), sign * n * _AR_UNIT[u])
    return None


def shift_story_date(edtf: str, days: int, *, keep: int | None = None) -> tuple[str, DatePrecision] | None:
    """``edtf`` moved by ``days``: a day stays a day (approximate when counted in weeks); a month or
    coarser date keeps only what surely holds, the year, when the shift may leave its month. ``keep``
    (7 or 4) keeps the month or year of ``edtf`` for "the same month/year"."""
    base = edtf.rstrip("~?")
    if keep is not None:
        if len(base) < keep:
            return None
        return base[:keep], DatePrecision.MONTH if keep == 7 else DatePrecision.YEAR
    if len(base) == 10:
        try:
            day = dt.date.fromisoformat(base) + dt.timedelta(days=days)
        except ValueError:
            return None
        if abs(days) % 7 == 0 and abs(days) >= 7:
            return day.isoformat() + "~", DatePrecision.APPROXIMATE
        return day.isoformat(), DatePrecision.DAY
    if len(base) >= 4 and base[:4].isdigit():
        return base[:4], DatePrecision.YEAR
    return None
