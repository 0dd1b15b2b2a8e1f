"""What becomes of the pairs a linker scored, the same for incidents and for person records.

* a pair a person has judged (in force), or whose linker judgement a person
  withdrew, is left alone: the linker never overrides nor re-proposes it;
* at or above the threshold the linker records ``same`` (the clusters follow);
* unless the pair contradicts itself (``ScoredPair.conflicts``: two incidents that cannot be one
  event, or a join that would chain two such into one cluster): then ``unsure``, with the reason;
* inside the review band it records ``unsure``: the pair waits for a person,
  with the comparison's per-field weights;
* a pair the linker had judged otherwise gets the new judgement and the old
  one is withdrawn, saying which model and probability replaced it; one it no
  longer proposes (both records in the run, and in scope) is withdrawn.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.judgements import Judgement, ScoredPair, Subject, Verdict, pair
from .errors import ServiceError

if TYPE_CHECKING:
    from . import Workspace

LINKER = "linker"  # the actor name of the linker's judgements (and of its withdrawals)


@dataclass(slots=True)
class LinkRun:
    """What one run of a linker did."""

    compared: int  # records given to the linker
    scored: int = 0  # pairs it scored at or above the bottom of the review band (in scope)
    same: int = 0  # new "same" judgements
    queued: int = 0  # new "unsure" judgements (the review queue)
    kept: int = 0  # pairs whose judgement stands unchanged from an earlier run
    left_to_people: int = 0  # pairs a person has judged: not touched
    withdrawn: int = 0  # earlier linker judgements replaced or no longer supported
    model_version: str = ""
    notes: list[str] = field(default_factory=list)


def check_band(threshold: float, band: tuple[float, float]) -> None:
    low, high = band
    if not (0.0 < threshold <= 1.0):
        raise ServiceError(f"the threshold must be a probability in (0, 1], not {threshold}")
    if not (0.0 <= low <= high <= 1.0):
        raise ServiceError(f"the review band must be LOW:HIGH with 0 <= LOW <= HIGH <= 1, not {low}:{high}")
    if high > threshold:
        raise ServiceError(f"the review band ({low}:{high}) must lie below the threshold ({threshold})")


def _why(p: ScoredPair, *, threshold: float) -> str:
    if p.probability < threshold:
        return f"in the review band ({p.probability:.3f})"
    if p.conflicts:
        return f"above the threshold ({p.probability:.3f}) but for a person to decide: " + "; ".join(p.conflicts)
    return f"above the threshold ({p.probability:.3f})"


def people_decided(session: Any, subject: Subject) -> set[tuple[int, int]]:
    """Pairs a person has a judgement on, or withdrew the linker's judgement of: the linker keeps off them."""
    from ..store import judgements as jstore

    decided = {pair(j.left_id, j.right_id) for j in jstore.in_force(session, subject, by_person=True)}
    decided |= jstore.withdrawn_by_people(session, subject, linker=LINKER)
    return decided


def decide_pairs(ws: Workspace, *, run: LinkRun, subject: Subject, pairs: Sequence[ScoredPair], version: str,
                 in_run: Collection[int], scope: Collection[int] | None, threshold: float,
                 review_band: tuple[float, float]) -> None:
    """Record the linker's judgements for ``pairs`` (one transaction) and count them on ``run``.

    ``scope``: only pairs with a record in it are decided (None: every pair).
    """
    from ..store import judgements as jstore

    wanted: dict[tuple[int, int], ScoredPair] = {}
    for p in pairs:
        key = pair(p.left_id, p.right_id)
        if scope is not None and not (key[0] in scope or key[1] in scope):
            continue
        if p.probability >= review_band[0]:
            wanted[key] = p
    run.scored = len(wanted)
    with ws.db.session(write=True) as session:
        people = people_decided(session, subject)
        current = {pair(j.left_id, j.right_id): j for j in jstore.in_force(session, subject, by_person=False)}
        touched: set[int] = set()
        for key, p in wanted.items():
            if key in people:
                run.left_to_people += 1
                continue
            # A pair above the threshold whose incidents contradict each other (or would chain two that
            # do into one cluster) is a person's to decide: the linker says why.
            verdict = Verdict.SAME if p.probability >= threshold and not p.conflicts else Verdict.UNSURE
            before = current.pop(key, None)
            if before is not None and before.verdict is verdict:
                run.kept += 1
                continue
            if before is not None:
                jstore.withdraw_in(session, int(before.id or 0), by=LINKER, recluster_now=False,
                                   why=f"re-linked by {version}: p={p.probability:.3f}, now {verdict.value}")
                run.withdrawn += 1
            jstore.record_in(session, Judgement(
                subject=subject, left_id=key[0], right_id=key[1], verdict=verdict, actor=LINKER,
                by_person=False, probability=round(float(p.probability), 6), model_version=version,
                weights={k: round(float(v), 4) for k, v in p.weights.items()}, levels=dict(p.levels),
                comment=_why(p, threshold=threshold)), recluster_now=False)
            touched.update(key)
            if verdict is Verdict.SAME:
                run.same += 1
            else:
                run.queued += 1
        members = set(in_run)
        for key, before in current.items():
            if key[0] in members and key[1] in members and (scope is None or key[0] in scope or key[1] in scope):
                jstore.withdraw_in(session, int(before.id or 0), by=LINKER, recluster_now=False,
                                   why=f"not proposed by {version} any more")
                run.withdrawn += 1
                touched.update(key)
        jstore.recluster(session, subject, touched)


def person_decides(ws: Workspace, *, subject: Subject, who: str, a: int, b: int, verdict: Verdict | str,
                   comment: str, check: Any) -> int:
    """Record a person's judgement on a pair (``check(session, ids)`` refuses records the person may not
    judge); whatever the linker, or they, said about the pair before is withdrawn. Returns its id."""
    from ..store import judgements as jstore
    from .errors import Conflict

    try:
        chosen = Verdict(verdict)
    except ValueError:
        raise ServiceError(f"a verdict is one of {', '.join(v.value for v in Verdict)}, not {verdict!r}") from None
    try:
        left, right = pair(int(a), int(b))
    except ValueError as exc:
        raise Conflict(str(exc)) from None
    with ws.db.session(write=True) as session:
        check(session, (left, right))
        for earlier in jstore.in_force_for_pair(session, subject, left, right):
            jstore.withdraw_in(session, int(earlier.id or 0), by=who, recluster_now=False,
                               why=f"replaced by {who}'s decision: {chosen.value}")
        new_id = jstore.record_in(session, Judgement(
            subject=subject, left_id=left, right_id=right, verdict=chosen, actor=who, by_person=True,
            comment=(comment or "").strip()), recluster_now=False)
        jstore.recluster(session, subject, (left, right))
    return new_id
