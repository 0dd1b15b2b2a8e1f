"""Small helpers shared by the list pages: page numbers, counts as ranges, governorate names."""
from __future__ import annotations

from typing import Any

from ..domain.typed_numbers import typed_int
from ..services import places

FACET_ORDER = ("event_type", "violation", "perpetrator", "victim_kind", "governorate", "status",
               "confidentiality", "tag")
PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50
MAX_PAGE = 1_000_000  # beyond any real list; keeps a hand-typed number from overflowing an OFFSET


def whole_number(raw: str | None, default: int, *, most_digits: int = 8) -> int:
    """A number from a form or a query string, typed in any digits ("٣" is 3, domain/typed_numbers.py);
    ``default`` when it is blank or not a whole number. Every number field of the pages is read through it."""
    found = typed_int(raw, most_digits=most_digits)
    return default if found is None else found


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything unusable is the first page."""
    return max(1, min(whole_number(raw, 1, most_digits=7), MAX_PAGE))


def per_page_choice(raw: str | None) -> int:
    found = whole_number(raw, DEFAULT_PER_PAGE, most_digits=3)
    return found if found in PER_PAGE_CHOICES else DEFAULT_PER_PAGE


def victims_text(low: int | None, high: int | None, *, lang: str = "en") -> str:
    """A count as recorded: "3", "3–5", "≥ 12" (upper bound unknown), "" when nobody was counted.

    In Arabic "12 على الأقل": in right-to-left text "≥" is drawn mirrored, as "≤" (Unicode mirrors it)."""
    if low is None and high is None:
        return ""
    if high is None:
        if not low:
            return "?"
        return f"{low} على الأقل" if lang == "ar" else f"≥ {low}"
    if low is None or low == high:
        return str(high) if low is None else str(low)
    return f"{low}–{high}"


def outcomes_text(outcomes: list[tuple[str, int, int | None]], t: Any) -> str:
    """Victims per outcome, never added together: "killed 6 · injured ≥ 14"; "killed: unknown number"."""
    parts = []
    for outcome, low, high in outcomes:
        count = t("record.victims.unknown") if not low and high is None else (
            t("record.victims.at_least", n=low) if high is None else victims_text(low, high))
        parts.append(t("list.outcome_count", outcome=t(f"record.outcome.{outcome}"), n=count))
    return " · ".join(parts)


def governorate_label(name: str, lang: str) -> str:
    """A governorate's name in the page language; stored names are English as in the gazetteer."""
    if lang != "ar" or not name:
        return name
    return places.arabic_governorate(name) or name
