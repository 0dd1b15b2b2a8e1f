"""Linking person records: victim lists and the persons reports name, within and across lists.

The scoring is the person linker's (``link/persons.py``: Syrian names across
scripts, Splink); what becomes of each pair is decided as for incidents
(:mod:`.link_decisions`). Person records are names: only roles that may read
names (reviewers, admins; the CLI's operator) run, review or undo linkage.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..domain.access import Action, User, allowed
from ..domain.judgements import Judgement, ScoredPair, Subject, Verdict
from .errors import Conflict, NotFound, PermissionDenied, ServiceError
from .link_decisions import LinkRun, check_band, decide_pairs, person_decides

if TYPE_CHECKING:
    from ..domain.persons import PersonRecord
    from . import Workspace

# Defaults from the Syrian victim-lists benchmark (docs/figures.md, "Person linkage").
DEFAULT_THRESHOLD = 0.9
DEFAULT_REVIEW_BAND = (0.5, 0.9)

PersonScorer = Callable[..., tuple[list[ScoredPair], str, list[str]]]


def _require(user: User | None) -> None:
    if user is not None and (user.disabled or not allowed(user.role, Action.READ_NAMES)):
        raise PermissionDenied(f"your role ({user.role}) may not see or judge person records")


def _splink_scorer(records: Sequence[PersonRecord], *, backend: str, min_probability: float
                   ) -> tuple[list[ScoredPair], str, list[str]]:
    from ..link.persons import link_persons as score

    if backend == "spark":
        from .linking import _local_spark

        with _local_spark() as spark:
            result = score(records, backend="spark", spark=spark, min_probability=min_probability)
    else:
        try:
            result = score(records, backend=backend, min_probability=min_probability)
        except RuntimeError as exc:
            raise ServiceError(str(exc)) from None
    return list(result.pairs), result.model_version, list(result.notes)


def _records(ws: Workspace, lists: Sequence[str]) -> Iterator[PersonRecord]:
    from ..store.person_records import iter_records

    yield from iter_records(ws.db, lists=tuple(lists))


def link_persons(ws: Workspace, *, user: User | None = None, lists: Sequence[str] = (),
                 threshold: float = DEFAULT_THRESHOLD, review_band: tuple[float, float] = DEFAULT_REVIEW_BAND,
                 backend: str = "duckdb", scorer: PersonScorer | None = None) -> LinkRun:
    """Score the person records (of ``lists``, or all) and record the linker's judgements."""
    _require(user)
    check_band(threshold, review_band)
    records = list(_records(ws, lists))
    run = LinkRun(compared=len(records))
    if len(records) < 2:
        run.notes.append("fewer than two person records to compare")
        return run
    pairs, version, notes = (scorer or _splink_scorer)(records, backend=backend,
                                                     min_probability=max(review_band[0], 1e-6))
    run.model_version, run.notes = version, list(notes)
    decide_pairs(ws, run=run, subject=Subject.PERSON, pairs=pairs, version=version,
                 in_run={int(r.id) for r in records if r.id is not None}, scope=None, threshold=threshold,
                 review_band=review_band)
    return run


def _exists(session: Any, ids: Sequence[int]) -> None:
    from sqlalchemy import select

    from ..store.tables import person_records

    found = set(session.scalars(select(person_records.c.id).where(person_records.c.id.in_(list(ids)))))
    for i in ids:
        if i not in found:
            raise NotFound(f"no person record with id {i}")


def decide(ws: Workspace, *, user: User | None, actor: str, a: int, b: int, verdict: Verdict | str,
           comment: str = "") -> int:
    """A person's judgement on two person records; it outranks the linker from then on."""
    _require(user)
    who = user.username if user is not None else actor
    return person_decides(ws, subject=Subject.PERSON, who=who, a=a, b=b, verdict=verdict, comment=comment,
                          check=_exists)


def undo(ws: Workspace, *, user: User | None, actor: str, judgement_id: int, comment: str = "") -> Judgement:
    """Withdraw a judgement about two person records (the clusters follow); nothing is deleted."""
    from ..store import judgements as jstore

    _require(user)
    who = user.username if user is not None else actor
    with ws.db.session(write=True) as session:
        found = jstore.get_in(session, int(judgement_id))
        if found is None or found.subject is not Subject.PERSON:
            raise NotFound(f"no person judgement with id {judgement_id}")
        if not found.in_force:
            raise Conflict(f"judgement {judgement_id} was already withdrawn by {found.withdrawn_by}")
        return jstore.withdraw_in(session, int(judgement_id), by=who, why=(comment or "").strip() or "undone")


def review_queue(ws: Workspace, *, user: User | None, limit: int = 50) -> list[Judgement]:
    """The linker's ``unsure`` pairs of person records, most probable first."""
    from ..store import judgements as jstore

    _require(user)
    with ws.db.session() as session:
        queued = jstore.in_force(session, Subject.PERSON, verdict=Verdict.UNSURE, by_person=False)
    queued.sort(key=lambda j: (-(j.probability or 0.0), j.id or 0))
    return queued[:max(0, int(limit))]


def judgements_of(ws: Workspace, *, user: User | None, record_id: int) -> list[Judgement]:
    """Every judgement (withdrawn ones too) about pairs the person record is in, oldest first."""
    from ..store import judgements as jstore

    _require(user)
    with ws.db.session() as session:
        _exists(session, (int(record_id),))
        return jstore.involving(session, Subject.PERSON, (int(record_id),))
