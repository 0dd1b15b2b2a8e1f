"""Normalising the loose metadata that comes with reports: language and dates.

Metadata is whatever a spreadsheet column, an HTML meta tag or an e-mail
header said; it is parsed leniently but never guessed: a value that cannot
be read is dropped, not turned into a wrong date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from ..domain.arabic import to_ascii_digits

_LANGUAGE_NAMES = {
    "ar": "ar",
    "ara": "ar",
    "arabic": "ar",
    "عربي": "ar",
    "العربية": "ar",
    "عربية": "ar",
    "en": "en",
    "eng": "en",
    "english": "en",
    "انكليزي": "en",
    "الإنجليزية": "en",
    "الانكليزية": "en",
}
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "jan", "كانون الثاني", "يناير"),
        ("february", "feb", "شباط", "فبراير"),
        ("march", "mar", "آذار", "اذار", "مارس"),
        ("april", "apr", "نيسان", "أبريل", "ابريل"),
        ("may", "أيار", "ايار", "مايو"),
        ("june", "jun", "حزيران", "يونيو"),
        ("july", "jul", "تموز", "يوليو"),
        ("august", "aug", "آب", "اب", "أغسطس", "اغسطس"),
        ("september", "sep", "sept", "أيلول", "ايلول", "سبتمبر"),
        ("october", "oct", "تشرين الأول", "تشرين الاول", "أكتوبر", "اكتوبر"),
        ("november", "nov", "تشرين الثاني", "نوفمبر"),
        ("december", "dec", "كانون الأول", "كانون الاول", "ديسمبر"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_NUMERIC = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\s+({_MONTH_ALT})\.?,?\s+(\d{{4}})$", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"^({_MONTH_ALT})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.IGNORECASE)
_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
MIN_YEAR = 1900
MAX_YEAR = 2100


def detect_language(text: str) -> str:
    """ "ar" or "en" by the share of Arabic letters; "" when the text has no letters."""
    letters = arabic = 0
    for char in text[:20000]:
        if char.isalpha():
            letters += 1
            if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufeff":
                arabic += 1
    if not letters:
        return ""
    return "ar" if arabic / letters >= 0.3 else "en"


def normalise_language(value: object) -> str:
    """An ISO 639-1 code from what a column or tag said ("Arabic", "ar-SY", "العربية"); "" if unknown."""
    if not isinstance(value, str):
        return ""
    key = value.strip().lower()
    if key in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[key]
    head = re.split(r"[-_]", key)[0]
    return _LANGUAGE_NAMES.get(head, "")


def parse_published(value: object) -> date | None:
    """A publication date from ISO 8601, RFC 2822, dd/mm/yyyy or "7 October 2015"; None if unreadable.

    Numeric dates are read day-first, as Syrian and most Arabic sources
    write them, unless only month-first makes sense (``10/25/2015``).
    """
    if isinstance(value, datetime):
        return _plausible(value.date())
    if isinstance(value, date):
        return _plausible(value)
    if not isinstance(value, str):
        return None
    text = " ".join(to_ascii_digits(value).split()).strip()
    if not text:
        return None
    for parse in (_iso, _rfc2822, _numeric, _named_month):
        try:
            parsed = parse(text)
        except (ValueError, TypeError, OverflowError, IndexError):
            parsed = None
        if parsed is not None:
            return _plausible(parsed)
    return None


def _iso(text: str) -> date | None:
    match = _ISO_PREFIX.match(text)
    if not match:
        return None
    return date(int(match[1]), int(match[2]), int(match[3]))


def _rfc2822(text: str) -> date | None:
    if not re.search(r"[A-Za-z]{3}", text) or not re.search(r"\d{4}", text):
        return None
    return parsedate_to_datetime(text).date()


def _numeric(text: str) -> date | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, second, third = (int(part) for part in match.groups())
    if len(match[1]) == 4:  # yyyy/mm/dd
        return date(first, second, third)
    if len(match[3]) != 4:
        return None
    if first > 12 or second <= 12:
        return date(third, second, first)
    return date(third, first, second)


def _named_month(text: str) -> date | None:
    lowered = text.lower()
    match = _DAY_MONTH_YEAR.match(lowered)
    if match:
        return date(int(match[3]), _MONTHS[match[2]], int(match[1]))
    match = _MONTH_DAY_YEAR.match(lowered)
    if match:
        return date(int(match[3]), _MONTHS[match[1]], int(match[2]))
    return None


def _plausible(value: date) -> date | None:
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None
