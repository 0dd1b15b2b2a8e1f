"""Where a source states something: the cited words checked against, or found in, the source's text.

Every cited span is cut from the stored text, so what a claim quotes is always
what the source holds. The words a person gives are compared with line
breaks made alike: browsers send every line break in a form as CR LF
whatever the source holds, and a quote is the same quote either way.
"""
from __future__ import annotations

import re

from .model import Span

__all__ = ["QuoteMismatch", "cited_span"]


class QuoteMismatch(ValueError):
    """The cited words or offsets do not quote the source; the message says how, in one line."""


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def cited_span(text: str, *, quote: str, start: int | None = None, end: int | None = None,
               field: str = "") -> Span:
    """The span of ``text`` that ``quote`` cites: at ``start``-``end`` when both are given (and the
    words there must be ``quote``), else the quote's first occurrence. ``field`` names what is cited,
    for the message. Raises :class:`QuoteMismatch`."""
    if start is not None and end is not None:
        if not 0 <= start < end <= len(text):
            where = f"the span for {field} ({start}-{end})" if field else f"the span {start}-{end}"
            raise QuoteMismatch(f"{where} is outside the source text")
        if _lines(text[start:end]) != _lines(quote):
            what = f"the quote for {field}" if field else "the quote"
            raise QuoteMismatch(f"{what} does not match the source text at {start}-{end}")
        return Span.of(text, start, end)
    words = _lines(quote).strip()
    if not words:
        raise QuoteMismatch("select or type the words in the source that state this incident")
    pattern = r"(?:\r\n|\r|\n)".join(re.escape(part) for part in words.split("\n"))
    found = re.search(pattern, text)
    if found is None:
        raise QuoteMismatch("the quote was not found in the source text; copy it exactly as written")
    return Span.of(text, found.start(), found.end())
