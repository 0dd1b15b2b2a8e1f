"""Temporary stand-ins for ``numbers``/``dates`` until those modules land.

Deliberately tiny; the engine prefers the real modules whenever they import.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "dozens": 12,
          "hundreds": 100, "thousands": 1000,
          "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "اربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7, "ثمانية": 8, "تسعة": 9,
          "عشرة": 10, "اثني عشر": 12, "اثنا عشر": 12, "عشرات": 12}
_Q = re.compile(r"(?:(at least|more than|nearly|about|around|over|some|almost) )?(\d[\d,]*|"
                + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")(?![\w-])", re.I)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    min: int | None
    max: int | None
    rule: str
    kind: str = "count"


def find_quantities(text: str, *, language: str | None = None) -> list[Quantity]:
    out = []
    for m in _Q.finditer(text):
        raw = m.group(2).lower()
        try:
            n = int(raw.replace(",", "")) if raw[0].isdigit() else _WORDS[m.group(2)] if m.group(2) in _WORDS else _WORDS[raw]
        except (KeyError, ValueError):
            continue
        if 1900 <= n <= 2100 or text[m.end():m.end() + 9].lower().startswith(("-year", " year", "-day", " day")):
            continue
        q = (m.group(1) or "").lower()
        lo, hi = n, n
        if q in ("at least", "more than", "over") or raw in ("dozens", "hundreds", "thousands", "عشرات"):
            lo, hi = n + (q == "more than"), None
        elif q in ("nearly", "almost"):
            lo = int(n * 0.8)
        out.append(Quantity(m.start(), m.end(), m.group(), lo, hi, "interim"))
    return out


def implied_count(token: str, *, language: str | None = None) -> int | None:
    return None


_MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                          "september", "october", "november", "december"])}
_D = re.compile(r"(\d{1,2}) (" + "|".join(_MONTHS) + r"),? (\d{4})", re.I)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    edtf: str
    precision: str
    relative: bool
    rule: str


def find_dates(text: str, *, language: str | None = None, published: date | None = None) -> list[DateMention]:
    return [DateMention(m.start(), m.end(), m.group(), f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}",
                        "day", False, "interim") for m in _D.finditer(text)]


def pick_incident_date(mentions: list[DateMention], *, anchor: int) -> DateMention | None:
    return min(mentions, key=lambda d: abs(d.start - anchor)) if mentions else None


def is_count(q: Quantity) -> bool:
    return q.kind == "count"
