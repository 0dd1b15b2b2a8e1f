"""What a text says of the calendar when it gives no year: the days of the year and the weekdays it names.

A wire story dated "BEIRUT, July 25 (Reuters) -" that tells of an attack "on Wednesday", a UN note about a
massacre "on the evening of 6 June", a Telegram post "صباح الخميس": none can be dated without the
publication date, which pasted or forwarded reports often lack. But two reports of one event that both say
"25 July", or one saying "on Wednesday" and another dated to a Wednesday, agree on something a linker can
weigh. These hints are only that: never an incident's date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import find_dates

__all__ = ["CalendarHints", "calendar_hints"]

# Mentions are read against this made-up publication day only to learn their month, day or weekday: a leap
# year (29 February is a day) and its last day (no yearless date moves to the year before).
_REFERENCE = dt.date(2000, 12, 31)
_DAY_OF_YEAR_RULES = frozenset({"day-month", "weekday-day-month"})
_WEEKDAY_RULES = frozenset({"weekday"})
MAX_TEXT = 5000  # characters read: an incident's evidence, not a whole report


@dataclass(frozen=True, slots=True)
class CalendarHints:
    days: frozenset[tuple[int, int]]  # (month, day) named without a year
    weekdays: frozenset[int]  # 0 Monday … 6 Sunday, named without a date


def calendar_hints(text: str) -> CalendarHints:
    """The yearless days and the bare weekdays ``text`` names (mentions with a year are not hints)."""
    days: set[tuple[int, int]] = set()
    weekdays: set[int] = set()
    for mention in find_dates((text or "")[:MAX_TEXT], published=_REFERENCE):
        if not mention.edtf or len(mention.edtf) != 10:
            continue
        day = dt.date.fromisoformat(mention.edtf)
        if mention.rule in _DAY_OF_YEAR_RULES:
            days.add((day.month, day.day))
        elif mention.rule in _WEEKDAY_RULES:
            weekdays.add(day.weekday())
    return CalendarHints(days=frozenset(days), weekdays=frozenset(weekdays))
