"""Dates as people type and read them, in either interface language.

A browser's ``<input type=date>`` shows mm/dd/yyyy or dd/mm/yyyy by the
browser's locale, whatever the page's language, so date fields are text
fields taking year-month-day: with Western or Arabic-Indic digits
(٢٠١٥-١٠-٠٧), and "/" or "." as separators. Shown back, an EDTF date is
written in words in the page's language, with the month names Syrian
documenters use (كانون الثاني … كانون الأول).
"""
from __future__ import annotations

import re
from datetime import date

__all__ = ["ARABIC_MONTHS", "ENGLISH_MONTHS", "date_in_words", "localise_digits", "typed_date"]

ARABIC_MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
                 "تشرين الأول", "تشرين الثاني", "كانون الأول")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
_TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TO_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\\s]")  # direction marks a paste carries
_TYPED = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_EDTF_PLAIN = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?([~?%]?)")
MAX_TYPED = 40


def typed_date(text: str) -> date:
    """The day a person typed as year-month-day (any digits, "-", "/" or "."); ValueError when it is none."""
    plain = _MARKS.sub("", text[:MAX_TYPED]).translate(_TO_ASCII)
    found = _TYPED.fullmatch(plain)
    if not found:
        raise ValueError(f"not a date written year-month-day: {text[:MAX_TYPED]!r}")
    return date(int(found[1]), int(found[2]), int(found[3]))  # ValueError for 2015-02-30


def localise_digits(text: str, *, arabic_indic: bool) -> str:
    """``text`` with its digits as Arabic-Indic (٠١٢…) when asked, else unchanged."""
    return text.translate(_TO_ARABIC) if arabic_indic else text


def date_in_words(edtf: str, *, lang: str) -> str | None:
    """A plain EDTF date ("2015-10-07", "2015-10", "2015", with ~ or ?) in words; None for any other form
    (intervals, unknown parts), which the pages then show as it is stored."""
    found = _EDTF_PLAIN.fullmatch(edtf.strip())
    if not found:
        return None
    year, month, day, mark = found[1], found[2], found[3], found[4]
    if month and not 1 <= int(month) <= 12:
        return None
    names = ARABIC_MONTHS if lang == "ar" else ENGLISH_MONTHS
    parts = [str(int(day))] if day else []
    if month:
        parts.append(names[int(month) - 1])
    parts.append(year)
    words = " ".join(parts)
    if mark in ("~", "%"):
        words = f"{'نحو' if lang == 'ar' else 'about'} {words}"
    if mark in ("?", "%"):
        words = f"{words} ({'غير مؤكد' if lang == 'ar' else 'uncertain'})"
    return words
