"""Cited spans: the words a person or a caller gives, checked against (or found in) the source's text."""
from __future__ import annotations

import pytest

from tawthiq.domain.model import Span
from tawthiq.domain.quotes import QuoteMismatch, cited_span

TEXT = "A barrel bomb hit the market in Saraqib,\r\nkilling four civilians. قصف الطيران السوق في سراقب."


def test_offsets_that_hold_the_quote_give_the_span_cut_from_the_text() -> None:
    start = TEXT.index("barrel bomb")
    assert cited_span(TEXT, quote="barrel bomb", start=start, end=start + 11) == Span(start, start + 11, "barrel bomb")


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_line_break_matches_however_it_was_sent(newline: str) -> None:
    exact = "Saraqib,\r\nkilling"
    start = TEXT.index(exact)
    sent = exact.replace("\r\n", newline)
    with_offsets = cited_span(TEXT, quote=sent, start=start, end=start + len(exact))
    searched = cited_span(TEXT, quote=sent)
    assert with_offsets == searched == Span(start, start + len(exact), exact)  # the text's own line break


def test_without_offsets_the_first_occurrence_of_the_trimmed_quote() -> None:
    quote = "قصف الطيران السوق في سراقب"
    start = TEXT.index(quote)
    assert cited_span(TEXT, quote=f"  {quote} \n") == Span(start, start + len(quote), quote)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"quote": "a barrel bomb", "start": 0, "end": 13}, "the quote does not match the source text at 0-13"),
    ({"quote": "x", "start": 5000, "end": 5010}, "the span 5000-5010 is outside the source text"),
    ({"quote": "x", "start": 7, "end": 7}, "the span 7-7 is outside the source text"),
    ({"quote": "a chlorine attack"}, "the quote was not found in the source text"),
    ({"quote": " \r\n "}, "select or type the words"),
    ({"quote": "Turkish", "start": 0, "end": 7, "field": "description"},
     "the quote for description does not match the source text at 0-7"),
    ({"quote": "x", "start": 0, "end": 9999, "field": "victims"},
     r"the span for victims \(0-9999\) is outside the source text"),
])
def test_a_quote_that_does_not_cite_the_source_is_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(QuoteMismatch, match=message):
        cited_span(TEXT, **kwargs)
