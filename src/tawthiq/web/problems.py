"""A service's refusal in the reader's language.

Services raise :class:`~tawthiq.services.errors.ServiceError` with an English line (what the CLI prints) and,
for the problems a page meets, a stable ``kind`` with its ``values``; ingest's errors and the lines of an
outcome (:class:`~tawthiq.domain.errors.ProblemLine`) carry them the same way. The page says the kind's text
from the catalogue (``fixb.problem.<kind>``, or ``problem.<kind>`` for the kinds named since), a field named as
the search form names it; an error with no kind (or a kind with no text yet) is still said as its English line
rather than not at all.

:func:`problem_text` is plain text (the API's JSON, a sentence inside another). :func:`problem_html` is for a
page: what the person typed or a file's own words are isolated as data (``<bdi dir="auto" data-user>``) so
their direction cannot reorder the sentence and the language checks read them as data, and a machine's own
technical detail (``detail``, or a ``reason`` with no kind: a library's or a server's English words) is
marked as English.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from .i18n import catalogue, translate
from .sizes import size_text

FIELD_NAMES = "search.chip."  # the filters' field names, as the search form and its chips call them
PROBLEM_KEYS = ("fixb.problem.", "problem.")  # where a kind's text is, the first found
# Values that are codes with words of their own: the value's text is the catalogue's ``<prefix><value>``.
WORDED = {"field": FIELD_NAMES, "other": FIELD_NAMES, "format": "problem.format.", "media": "problem.media."}
# A machine's own English words (an operating system's, a library's; a reason with no kind yet): marked as English.
MACHINE_WORDS = frozenset({"detail", "reason"})


def problem_key(exc: object) -> str | None:
    """The catalogue key that says ``exc``'s kind, or None when it has none (yet)."""
    kind = getattr(exc, "kind", "")
    if not kind:
        return None
    return next((f"{prefix}{kind}" for prefix in PROBLEM_KEYS if f"{prefix}{kind}" in catalogue()), None)


def _worded(lang: str, name: str, value: Any) -> str | None:
    prefix = WORDED.get(name)
    if prefix and isinstance(value, str) and f"{prefix}{value}" in catalogue():
        return translate(lang, f"{prefix}{value}")
    return None


def _shown(lang: str, name: str, value: Any) -> Any:
    """A value as the sentence shows it: a field's code in words, the rest as it was (typed text stays typed)."""
    worded = _worded(lang, name, value)
    if worded is not None:
        return worded
    if problem_key(value) is not None:  # a reason that is itself a problem with a kind
        return problem_text(lang, value)
    if name.endswith("_bytes") and isinstance(value, int):  # a size: its unit in the reader's language
        return size_text(lang, value)
    return value


def problem_text(lang: str, exc: object) -> str:
    """What went wrong, in ``lang`` when the problem has a kind with a text; its own line otherwise."""
    key = problem_key(exc)
    if key is None:
        return str(exc)
    values = getattr(exc, "values", {}) or {}
    return translate(lang, key, **{name: _shown(lang, name, value) for name, value in values.items()})


def _shown_html(lang: str, name: str, value: Any) -> Any:
    from .templating import user_text  # here: templating itself imports this module

    worded = _worded(lang, name, value)
    if worded is not None:
        return worded
    if problem_key(value) is not None:
        return problem_html(lang, value)
    if name.endswith("_bytes") and isinstance(value, int):
        return size_text(lang, value)
    if name in MACHINE_WORDS and value:  # no kind: the machine's own English line, said as that
        return Markup('<span class="detail" lang="en" dir="ltr">{}</span>').format(value)
    if isinstance(value, str):
        return user_text(value) if value else ""
    return value


def problem_html(lang: str, exc: object) -> str | Markup:
    """:func:`problem_text` for a page: typed values and a file's words as data, a machine's detail as English."""
    key = problem_key(exc)
    if key is None:
        return str(exc)
    values = getattr(exc, "values", {}) or {}
    return Markup(escape(translate(lang, key))).format(
        **{name: _shown_html(lang, name, value) for name, value in values.items()})


# What a person typed or named, in the values of a refusal said with its own key: isolated as data, so it keeps
# its digits and direction in the sentence around it (which follows the reader's, web/digits.py).
TYPED_WORDS = frozenset({"value", "alias", "code"})


def keyed_html(lang: str, key: str, values: Mapping[str, Any]) -> Markup:
    """The catalogue text ``key`` with ``values`` for a page, what was typed isolated as :func:`problem_html` does."""
    from .templating import user_text

    return Markup(escape(translate(lang, key))).format(**{
        name: user_text(value) if name in TYPED_WORDS and isinstance(value, str) and value else value
        for name, value in values.items()})


def unkinded(lang: str, key: str, exc: object) -> Markup:
    """The catalogue text ``key`` ("Not saved: {reason}") around a refusal that has no kind yet: its own English
    first line is the reason, marked as English, so the page stays in its language around it."""
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    return Markup(escape(translate(lang, key))).format(
        reason=Markup('<span class="detail" lang="en" dir="ltr">{}</span>').format(first) if first else "",
        detail=Markup('<span class="detail" lang="en" dir="ltr">{}</span>').format(first) if first else "")
