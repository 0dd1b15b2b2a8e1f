"""The earliest and latest day an EDTF date can mean, for range filters.

Incidents store these two days beside the EDTF string, so "between 1 and 31
March" is two indexed comparisons on either database. Rules:

* "2015-10-07" → that day; "2015-01" → 1–31 January; "2015" → the year.
* Approximate ("~", "%") widens by one unit of the stated precision, with a
  week for days: "2015-01~" → 1 December 2014 – 2 March 2015 (roughly). The
  ``edtf`` package's own fuzzy bounds are far wider (two years for a month),
  which would put an approximate January in every filter.
* Uncertain ("?") keeps the stated bounds: the value is given, only doubted.
* Intervals take the earliest of the start and the latest of the end; an open
  or unknown end ("2015-01/..", "2015/") reaches ``date.min``/``date.max``.
* Unknown dates ("XXXX", "unknown", unparseable) give (None, None) and match
  no date filter: a date we cannot place is not shown to be in any range.
"""
from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from edtf import parse_edtf

MAX_EDTF_CHARS = 100
_OPEN = {"..", ""}
_PAD = {3: timedelta(days=7), 2: timedelta(days=31), 1: timedelta(days=366)}
_DATE_PART = re.compile(r"^-?\d{4}(?:-[\dX]{2})?(?:-[\dX]{2})?")
# Plain calendar dates (no qualifier, interval or unspecified digit) are most
# of what extraction produces; the edtf parser costs 5-20 ms each, so these
# are computed directly and the parser is left for the rest.
_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@lru_cache(maxsize=4096)
def date_range(edtf: str | None) -> tuple[date | None, date | None]:
    """(earliest day, latest day) for an EDTF string; (None, None) if unknown."""
    if not edtf or len(edtf) > MAX_EDTF_CHARS:
        return None, None
    value = edtf.strip()
    plain = _PLAIN.match(value)
    if plain and (fast := _plain_bounds(*plain.groups())) is not None:
        return fast
    if "/" in value:
        first, _, second = value.partition("/")
        lo = date.min if first.strip() in _OPEN else _bounds(first.strip())[0]
        hi = date.max if second.strip() in _OPEN else _bounds(second.strip())[1]
        if lo is None or hi is None or (lo == date.min and hi == date.max):
            return None, None
    else:
        lo, hi = _bounds(value)
        if lo is None or hi is None:
            return None, None
    return (lo, hi) if lo <= hi else (hi, lo)


def _plain_bounds(year_s: str, month_s: str | None, day_s: str | None) -> tuple[date | None, date | None] | None:
    """Bounds of a plain date, or None to leave it to the parser (year 0, EDTF seasons 21-41)."""
    year = int(year_s)
    if year < 1 or (month_s is not None and int(month_s) > 12):
        return None
    try:
        if month_s is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(month_s)
        if day_s is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date(year, month, int(day_s))
    except (ValueError, calendar.IllegalMonthError):
        return None, None  # "2015-13", "2015-02-30": not a date, as the parser would say
    return day, day


def _bounds(value: str) -> tuple[date | None, date | None]:
    try:
        parsed = parse_edtf(value)
        lo = _to_date(parsed.lower_strict())
        hi = _to_date(parsed.upper_strict())
    except Exception:  # the edtf parser raises a variety of errors on odd input
        return None, None
    if lo is None or hi is None or (lo == date.min and hi == date.max):
        return None, None
    if "~" in value or "%" in value:
        pad = _PAD.get(_precision(value), timedelta(0))
        lo = lo - pad if lo - date.min > pad else date.min
        hi = hi + pad if date.max - hi > pad else date.max
    return lo, hi


def _precision(value: str) -> int:
    match = _DATE_PART.match(value.lstrip("~?%"))
    if not match:
        return 0
    return match.group().lstrip("-").count("-") + 1


def _to_date(value: object) -> date | None:
    if not isinstance(value, time.struct_time):
        return None  # open or infinite bounds come back as floats
    year = value.tm_year
    if year < 1:
        return date.min
    if year > 9999:
        return date.max
    try:
        return date(year, value.tm_mon, value.tm_mday)
    except ValueError:
        return None


# Direction marks a paste from a right-to-left page carries around a date: never part of it.
_DIRECTION_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def typed_edtf(text: str) -> str:
    """An EDTF date as a person typed it, made ASCII before it is parsed or stored.

    Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits become 0-9, so "٢٠١٩-٠٥-٠٧" is stored
    (and exported, and compared) as 2019-05-07; direction marks and surrounding spaces go.
    """
    from .arabic import to_ascii_digits

    return to_ascii_digits(_DIRECTION_MARKS.sub("", text or "")).strip()


def latest_today(now: datetime | None = None) -> date:
    """Today where it is latest on Earth (UTC+14): a day after it has not begun anywhere, so a
    documenter in Syria entering today's date just after midnight is never refused."""
    current = now or datetime.now(UTC)
    return (current.astimezone(UTC) + timedelta(hours=14)).date()


def starts_after(edtf: str, day: date) -> bool:
    """Whether the earliest day ``edtf`` may mean is after ``day`` (2099-01-01, 2099/..): an event
    date that cannot have happened yet. An open start ("../2030") or an unreadable date is not."""
    lo, _ = date_range(edtf)
    return lo is not None and lo != date.min and lo > day
