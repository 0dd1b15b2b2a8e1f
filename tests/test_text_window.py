"""What a page shows of a long source text (services/text_window.py): excerpts around marked passages and
pages of the whole, their offsets those of the whole text, and the marks inside them (web/highlight.py)."""
from __future__ import annotations

import pytest

from tawthiq.services import text_window
from tawthiq.services.text_window import (
    CONTEXT,
    MAX_SHOWN,
    WHOLE_TEXT_MAX,
    around,
    page_at,
)
from tawthiq.web.highlight import (
    Highlight,
    Segment,
    excerpt_segments,
    segments,
    shown_text,
)

# Paragraphs of varied length (Arabic and English), so cuts have breaks to move to and land on different ones.
_PARAS = ["قصف مدفعي على سوق المدينة أدى إلى مقتل ثلاثة مدنيين وإصابة آخرين بجروح. " * (3 + i % 5)
          + f"Paragraph {i} of the report, with an English line. " * (1 + i % 3) for i in range(1000)]
LONG = "\n\n".join(_PARAS)  # about half a million characters


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def test_a_short_text_is_shown_whole_and_marked_as_before() -> None:
    text = LONG[:WHOLE_TEXT_MAX]
    marks = [Highlight(start=10, end=30, field="date"), Highlight(start=5, end=200, field="evidence")]
    window = around(text, [(10, 30)])
    assert not window.shortened and window.excerpts == (text_window.Excerpt(0, len(text)),)
    assert page_at(text, 1234) == window
    assert shown_text(text, marks, window).segments == segments(text, marks)


def test_an_excerpt_holds_the_passage_with_context_from_a_paragraph_start_and_keeps_offsets() -> None:
    start, end = _at(LONG, "Paragraph 700 of the report")
    window = around(LONG, [(start, end)])
    assert window.shortened and window.length == len(LONG) and window.left_out == 0
    (excerpt,) = window.excerpts
    assert excerpt.start <= start - CONTEXT and excerpt.end >= end + CONTEXT
    assert excerpt.end - excerpt.start < 2 * CONTEXT + 2 * text_window.REACH + (end - start)
    assert LONG[excerpt.start - 2:excerpt.start] == "\n\n"  # a whole paragraph from its start
    assert LONG[excerpt.end:excerpt.end + 1] in ("\n", " ")  # never inside a word
    # The mark keeps the offsets of the whole text: its anchor, its words.
    marks = [Highlight(start=start, end=end, field="location", claim_id=7, incident_id=3)]
    shown = shown_text(LONG, marks, window)
    (marked,) = [s for s in shown.segments if s.marked]
    assert (marked.start, marked.text, marked.anchor) == (start, LONG[start:end], f"ev-{start}")
    assert "".join(s.text for s in shown.segments) == LONG[excerpt.start:excerpt.end]
    assert shown.first_mark == start


def test_passages_far_apart_get_excerpts_of_their_own_and_near_ones_share_one() -> None:
    first, near = _at(LONG, "Paragraph 100 of"), _at(LONG, "Paragraph 101 of")
    far = _at(LONG, "Paragraph 900 of")
    window = around(LONG, [far, first, near])  # any order
    assert len(window.excerpts) == 2
    one, two = window.excerpts
    assert one.start <= first[0] < near[1] <= one.end < two.start <= far[0] < far[1] <= two.end
    pieces = excerpt_segments(LONG, [Highlight(start=s, end=e, field="date") for s, e in (first, near, far)],
                              [(x.start, x.end) for x in window.excerpts])
    assert [[s.start for s in p if s.marked] for p in pieces] == [[first[0], near[0]], [far[0]]]


def test_passages_beyond_the_budget_are_counted_and_the_first_is_always_shown() -> None:
    passages = [_at(LONG, f"Paragraph {i} of") for i in range(0, 1000, 50)]  # 20 passages far apart
    window = around(LONG, passages)
    assert window.shown <= MAX_SHOWN
    shown = [p for p in passages if any(x.start <= p[0] < x.end for x in window.excerpts)]
    assert shown == passages[:len(shown)] and 0 < len(shown) < len(passages)
    assert window.left_out == len(passages) - len(shown)
    # A passage longer than the whole budget: shown from before its start, cut to the budget.
    huge = (1000, 1000 + 3 * MAX_SHOWN)
    (cut,) = around(LONG, [huge]).excerpts
    assert cut.start <= huge[0] < cut.end and cut.end - cut.start <= MAX_SHOWN


def test_spans_outside_the_text_are_ignored_and_the_beginning_is_shown() -> None:
    window = around(LONG, [(-5, 3), (len(LONG) - 2, len(LONG) + 10), (40, 40)])
    (excerpt,) = window.excerpts
    assert excerpt.start == 0 and 0 < excerpt.end <= CONTEXT + text_window.REACH
    assert window.left_out == 0


def test_a_mark_crossing_an_excerpt_edge_is_marked_for_the_part_inside() -> None:
    text = "a" * 100 + "b" * 100
    (piece,) = [s for s in excerpt_segments(text, [Highlight(start=90, end=150, field="evidence")], [(120, 180)])[0]
                if s.marked]
    assert (piece.start, piece.text) == (120, "b" * 30)
    assert excerpt_segments(text, [Highlight(start=10, end=20, field="date")], [(120, 180)]) == [
        [Segment(text="b" * 60, start=120)]]


def test_pages_cover_the_text_once_in_order_and_each_character_has_one_page() -> None:
    starts, at = [], 0
    while True:
        page = page_at(LONG, at)
        (excerpt,) = page.excerpts
        assert excerpt.start == at
        starts.append(at)
        assert page.previous == (starts[-2] if len(starts) > 1 else None)
        if page.next is None:
            assert excerpt.end == len(LONG)
            break
        assert page.next == excerpt.end and LONG[excerpt.end - 1] in "\n "  # cut just after a break
        at = page.next
    assert len(starts) == pytest.approx(len(LONG) / text_window.PAGE, abs=1)
    for target in (0, 1, starts[3] - 1, starts[3], starts[3] + 17, len(LONG) - 1, len(LONG) + 99, -4):
        (excerpt,) = page_at(LONG, target).excerpts
        clamped = min(max(0, target), len(LONG) - 1)
        assert excerpt.start <= clamped < excerpt.end
        assert excerpt.start in starts
