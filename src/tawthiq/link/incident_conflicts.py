"""Facts two incidents state that cannot both be true of one event: what keeps a pair from an automatic "same".

The Fellegi–Sunter model adds up evidence field by field, each independent
of the others. Real near misses break that: a bombing campaign hits one
town on two days a few days apart, or two neighbouring towns on one day,
and each field on its own looks close enough. Measured on two corpora
written apart from the code (docs/figures.md, "Incident linkage: precision
work"), most wrong automatic links were of that kind, and so were most
wrong clusters (a chain A–B–C where A and C plainly differ).

So a pair the model scores above the threshold is still not judged the
same by the linker when its two incidents contradict each other on a fact
stated precisely by both, or when judging it the same would put two such
incidents in one cluster. It goes to a person instead, with the reason.
Only facts sources rarely get wrong count:

* two exact days three or more days apart (a day's difference is a report
  dated by its publication; two days happened in true pairs too);
* two exact days one or two days apart when no count bears them out (the
  same town struck on consecutive days is common in a bombing campaign, and a
  model trained on a corpus spanning years scores "a day apart, same town"
  as nearly certain: measured on a fifth held-out corpus, most wrong
  automatic links were such pairs). Counts of one outcome that agree (equal,
  or within a quarter of each other) let a one- or two-day gap pass;
* exact counts of the same outcome more than twice apart, in places that
  are not the same (a toll grows, but "5 killed in A" and "2 killed in B"
  are two strikes).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from ..domain.judgements import ScoredPair
from .incident_features import EPOCH

DAYS_APART = 3  # two exact days at least this far apart are two events
COUNT_RATIO = 2  # exact counts of one outcome more than this many times apart, in different places
MAX_CHAIN_CHECKS = 10_000  # member pairs compared before one join; beyond it the join is not checked


def contradictions(left: Mapping[str, Any], right: Mapping[str, Any]) -> list[str]:
    """Why two incidents (rows of :mod:`tawthiq.link.incident_features`) cannot be one event; [] if nothing."""
    out: list[str] = []
    if left["date_span"] == 0 and right["date_span"] == 0 and left["date_lo"] is not None \
            and right["date_lo"] is not None and left["date_lo"] != right["date_lo"]:
        gap = abs(left["date_lo"] - right["date_lo"])
        if gap >= DAYS_APART or not _counts_agree(left, right):
            out.append(f"dated {gap} day{'s' if gap > 1 else ''} apart ({_day(left['date_lo'])}, "
                       f"{_day(right['date_lo'])})" + ("" if gap >= DAYS_APART else " with no count agreeing"))
    if (left["count_outcome"] and left["count_outcome"] == right["count_outcome"]
            and left["count_hi"] is not None and right["count_hi"] is not None
            and left["count_lo"] == left["count_hi"] and right["count_lo"] == right["count_hi"]
            and (left["place_id"] is None or left["place_id"] != right["place_id"])):
        small, large = sorted((int(left["count_lo"]), int(right["count_lo"])))
        if large > COUNT_RATIO * small:
            out.append(f"{left['count_outcome']} {left['count_lo']} and {right['count_lo']} in different places")
    return out


def _counts_agree(left: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
    """Both give a count of the same outcome, and the lowest figures are equal or within a quarter."""
    if not left["count_outcome"] or left["count_outcome"] != right["count_outcome"]:
        return False
    if left["count_lo"] is None or right["count_lo"] is None:
        return False
    small, large = sorted((int(left["count_lo"]), int(right["count_lo"])))
    return large == small or (small > 0 and large <= small * 1.25)


def guard(pairs: Sequence[ScoredPair], rows: Iterable[Mapping[str, Any]]) -> list[ScoredPair]:
    """The pairs, each with the contradictions that keep it from an automatic "same" (``conflicts``).

    Pairs are taken most probable first, as the clusters would form at any
    threshold: a pair whose incidents contradict each other, or whose join
    would put two contradicting incidents in one cluster, gets the reason and
    is left out of the clusters that the later (less probable) pairs see. So
    for every threshold, the pairs above it without conflicts never chain two
    contradicting incidents together (among the pairs of this run).
    """
    by_id = {int(r["unique_id"]): r for r in rows}
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    out: list[ScoredPair] = []
    for p in sorted(pairs, key=lambda p: (-p.probability, p.left_id, p.right_id)):
        reasons = contradictions(by_id[p.left_id], by_id[p.right_id])
        a, b = root(p.left_id), root(p.right_id)
        if not reasons and a != b:
            reasons = _chain(members.get(a, [a]), members.get(b, [b]), by_id)
        if not reasons and a != b:
            parent[b] = a
            members[a] = members.pop(a, [a]) + members.pop(b, [b])
        out.append(ScoredPair(left_id=p.left_id, right_id=p.right_id, probability=p.probability,
                              weights=p.weights, levels=p.levels, conflicts=tuple(reasons)))
    return out


def _chain(left: list[int], right: list[int], by_id: Mapping[int, Mapping[str, Any]]) -> list[str]:
    if len(left) * len(right) > MAX_CHAIN_CHECKS:
        return []
    for x in left:
        for y in right:
            if found := contradictions(by_id[x], by_id[y]):
                return [f"would join incidents {min(x, y)} and {max(x, y)}: {found[0]}"]
    return []


def _day(number: int) -> str:
    return (EPOCH + timedelta(days=int(number))).isoformat()


__all__ = ["contradictions", "guard"]
