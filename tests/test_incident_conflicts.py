"""Contradicting incidents are kept from an automatic "same", and so are chains through them."""
from __future__ import annotations

from typing import Any

from tawthiq.domain.judgements import ScoredPair
from tawthiq.link.incident_conflicts import contradictions, guard


def _row(uid: int, *, day: int | None = 19000, span: int = 0, place: str | None = "p1", outcome: str | None = None,
         count: int | None = None) -> dict[str, Any]:
    return {"unique_id": uid, "date_lo": day, "date_span": span if day is not None else None, "place_id": place,
            "count_outcome": outcome, "count_lo": count, "count_hi": count}


def test_exact_days_three_apart_contradict_one_or_two_only_when_no_count_agrees() -> None:
    # A day or two apart: a report dated by its publication, or the same town struck again the next day.
    # Counts that agree tell the first; without them the pair goes to a person.
    [why] = contradictions(_row(1), _row(2, day=19001))
    assert "1 day apart" in why and "no count agreeing" in why
    agree = {"outcome": "killed", "count": 12}
    assert contradictions(_row(1, **agree), _row(2, day=19001, **agree)) == []
    assert contradictions(_row(1, **agree), _row(2, day=19002, outcome="killed", count=14)) == []  # within 25%
    assert contradictions(_row(1, **agree), _row(2, day=19001, outcome="killed", count=40))
    assert contradictions(_row(1, **agree), _row(2, day=19001, outcome="injured", count=12))
    assert contradictions(_row(1), _row(2)) == []  # the same day
    [why] = contradictions(_row(1, **agree), _row(2, day=19004, **agree))
    assert "4 days apart" in why and "2022-01-08" in why
    # a month-precision date is not an exact day: it contradicts nothing
    assert contradictions(_row(1, span=30), _row(2, day=19010)) == []


def test_exact_counts_far_apart_contradict_only_in_different_places() -> None:
    five, two = _row(1, outcome="killed", count=5), _row(2, outcome="killed", count=2, place="p2")
    assert contradictions(five, two) and "killed 5 and 2" in contradictions(five, two)[0]
    assert contradictions(five, _row(2, outcome="killed", count=2)) == []  # same town: a toll that grew
    assert contradictions(five, _row(2, outcome="killed", count=3, place="p2")) == []  # within twice
    assert contradictions(five, _row(2, outcome="injured", count=1, place="p2")) == []


def test_a_chain_that_would_join_contradicting_incidents_is_held_at_any_threshold() -> None:
    # 1 and 3 are three days apart, 2 and 3 two; the counts agree, so only the three days contradict.
    rows = [_row(uid, day=day, outcome="killed", count=9) for uid, day in ((1, 19000), (2, 19001), (3, 19003))]
    pairs = [ScoredPair(1, 2, 0.99), ScoredPair(2, 3, 0.95), ScoredPair(1, 3, 0.4)]
    got = {(p.left_id, p.right_id): p.conflicts for p in guard(pairs, rows)}
    assert got[(1, 2)] == ()
    assert got[(2, 3)] and "would join incidents 1 and 3" in got[(2, 3)][0]
    assert got[(1, 3)] and "days apart" in got[(1, 3)][0]
    # the most probable pair wins: in the other order, 2-3 is kept and 1-2 held
    got = {(p.left_id, p.right_id): p.conflicts for p in guard(
        [ScoredPair(1, 2, 0.95), ScoredPair(2, 3, 0.99)], rows)}
    assert got[(2, 3)] == () and got[(1, 2)]
