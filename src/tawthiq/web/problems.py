"""A service's refusal in the reader's language.

Services raise :class:`~tawthiq.services.errors.ServiceError` with an English line (what the CLI prints) and,
for the problems a page meets, a stable ``kind`` with its ``values``. The page says the kind's text from the
catalogue (``fixb.problem.<kind>``), a field named as the search form names it; an error with no kind (or a
kind with no text yet) is still said as its English line rather than not at all.
"""
from __future__ import annotations

from typing import Any

from .i18n import catalogue, translate

FIELD_NAMES = "search.chip."  # the filters' field names, as the search form and its chips call them


def _shown(lang: str, name: str, value: Any) -> Any:
    """A value as the sentence shows it: a field's code in words, the rest as it was (typed text stays typed)."""
    if name in ("field", "other") and isinstance(value, str) and f"{FIELD_NAMES}{value}" in catalogue():
        return translate(lang, f"{FIELD_NAMES}{value}")
    return value


def problem_text(lang: str, exc: BaseException) -> str:
    """What went wrong, in ``lang`` when the problem has a kind with a text; its own line otherwise."""
    kind = getattr(exc, "kind", "")
    key = f"fixb.problem.{kind}"
    if kind and key in catalogue():
        values = getattr(exc, "values", {}) or {}
        return translate(lang, key, **{name: _shown(lang, name, value) for name, value in values.items()})
    return str(exc)
