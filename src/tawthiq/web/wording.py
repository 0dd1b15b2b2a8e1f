"""Counting words and joining words in the reader's language.

English has one form for 1 and another for the rest ("1 day", "3 days"); Arabic has six (CLDR's plural rules):
a number ending in 3 to 10 takes a plural ("3 أيام"), 11 to 99 a singular accusative ("11 يوماً"), 1 and 2 their
own words ("يوم واحد", "يومان"). A counted text has one catalogue key per form (``<key>.one``, ``.two``, ``.few``,
``.many``, ``.other``); a form a text does not need falls back to ``.other``.

Lists and clauses joined by the app take Arabic punctuation on Arabic pages: "،" and "؛", not "," and ";".
"""
from __future__ import annotations

from typing import Any

from .i18n import catalogue, translate


def plural_form(lang: str, n: int) -> str:
    """The CLDR plural category of ``n`` in ``lang`` (zero counts as "other": "0 days", "0 يوم")."""
    n = abs(int(n))
    if lang != "ar":
        return "one" if n == 1 else "other"
    if n in (1, 2):
        return "one" if n == 1 else "two"
    if 3 <= n % 100 <= 10:
        return "few"
    if 11 <= n % 100 <= 99:
        return "many"
    return "other"


def counted(lang: str, key: str, n: int, /, **values: Any) -> str:
    """The text of ``key`` for the count ``n`` (``{n}`` in it is the number)."""
    form = f"{key}.{plural_form(lang, n)}"
    return translate(lang, form if form in catalogue() else f"{key}.other", n=n, **values)


def list_separator(lang: str) -> str:
    """Between items of a list: "، " in Arabic, ", " otherwise."""
    return "، " if lang == "ar" else ", "


def clause_separator(lang: str) -> str:
    """Between clauses that each say something: "؛ " in Arabic, "; " otherwise."""
    return "؛ " if lang == "ar" else "; "
