"""Hijri dates in Arabic report text ("21 جمادى الأولى 1433هـ"), read as Gregorian days.

Syrian reports, statements especially, print the Hijri date beside the Gregorian one or, now and then,
alone. The conversion is the tabular (arithmetic) Islamic calendar, which can differ by a day or two from
the calendar observed by sighting; :mod:`tawthiq.extract.dates` therefore lets a Gregorian day or a weekday
printed beside a Hijri date settle it.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from ..domain.arabic import DIGIT_CLASS as _D
from ..domain.arabic import LETTER_CLASS as AR_LETTER
from ..domain.arabic import fold_for_lookup, to_ascii_digits

__all__ = ["find_hijri", "hijri_to_gregorian", "may_hold_hijri"]

# The months of the Hijri calendar, in the spellings Syrian reports use.
_MONTHS = {
    "محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الاول": 3, "ربيع الآخر": 4, "ربيع الثاني": 4, "جمادى الأولى": 5,
    "جمادى الاولى": 5, "جمادى الأول": 5, "جمادى الآخرة": 6, "جمادى الثانية": 6, "جمادى الآخر": 6, "رجب": 7,
    "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12}
_MONTH_KEYS = {fold_for_lookup(k): v for k, v in _MONTHS.items()}
_MONTH_NAMES = "|".join(k.replace(" ", r"\s+") for k in sorted(_MONTHS, key=len, reverse=True))
# "21 جمادى الأولى 1433هـ", "3 من رجب لعام 1439 ه": the era mark is required, so no other number passes.
_HIJRI = re.compile(
    rf"(?<![{_D}])(?P<hd>[{_D}]{{1,2}})\s+(?:من\s+)?(?P<hm>{_MONTH_NAMES})[\s،,]+(?:(?:لعام|عام|سنة)\s+)?"
    rf"(?P<hy>1[34][{_D}]{{2}})\s*(?:هـ|ه(?![{AR_LETTER}]))"
)


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The tabular (arithmetic) Islamic calendar: within a day or two of the calendar Syrians observe."""
    jd = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439.5 - 1
    return dt.date.fromordinal(int(jd - 1721424.5))


def may_hold_hijri(text: str) -> bool:
    return "هـ" in text or "ه " in text or text.endswith("ه")


def find_hijri(text: str) -> list[tuple[int, int, str]]:
    """"21 جمادى الأولى 1433هـ": each Hijri day written in ``text`` as (start, end, Gregorian ISO day)."""
    if not may_hold_hijri(text):
        return []
    out: list[tuple[int, int, str]] = []
    for m in _HIJRI.finditer(text):
        month = _MONTH_KEYS.get(fold_for_lookup(" ".join(m.group("hm").split())))
        day, year = int(to_ascii_digits(m.group("hd"))), int(to_ascii_digits(m.group("hy")))
        if month is None or not 1 <= day <= 30:
            continue
        out.append((m.start(), m.end(), hijri_to_gregorian(year, month, day).isoformat()))
    return out
