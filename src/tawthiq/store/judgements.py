"""The ``judgements`` table: pairwise decisions recorded, withdrawn (never deleted) and read back.

Clusters are derived here too: each clustered table (incidents; person
records once they exist) has a ``cluster_id`` column holding the lowest id
of the record's cluster (NULL when alone), updated in the same transaction
as the judgement that changes it, so lists and counts read clusters with
plain SQL and can never disagree with the judgements in force.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, or_, select, update
from sqlalchemy.orm import Session

from ..domain.judgements import Judgement, Subject, Verdict, pair
from . import dialect, history
from .db import Database
from .history import NotFoundError
from .mapping import now
from .tables import incidents, judgements, person_records

# The history's name for each subject's records.
_ENTITY = {Subject.INCIDENT: "incident", Subject.PERSON: "person_record"}

# The table whose ``cluster_id`` each subject's judgements maintain (an explicit registry).
CLUSTERED: dict[Subject, Table] = {Subject.INCIDENT: incidents, Subject.PERSON: person_records}


class AlreadyWithdrawn(ValueError):
    """A judgement can be withdrawn once; the first withdrawal says who and why."""


def record(db: Database, judgement: Judgement) -> int:
    """Store ``judgement`` (its pair put in order); returns its id."""
    with db.session(write=True) as session:
        return record_in(session, judgement)


def record_in(session: Session, judgement: Judgement, *, recluster_now: bool = True) -> int:
    """:func:`record` inside a caller's transaction (a merge and its judgement stand or fall together).

    ``recluster_now=False`` lets a caller recording many judgements update the clusters once, with
    :func:`recluster`, before its transaction ends.
    """
    left, right = pair(judgement.left_id, judgement.right_id)
    detail = ({"weights": judgement.weights, "levels": judgement.levels}
              if judgement.weights or judgement.levels else None)
    new_id = session.execute(judgements.insert().values(
        subject=str(judgement.subject), left_id=left, right_id=right, verdict=str(judgement.verdict),
        actor=dialect.scrub(judgement.actor), by_person=judgement.by_person,
        probability=judgement.probability, model_version=dialect.scrub(judgement.model_version),
        comment=dialect.scrub(judgement.comment), detail=detail, created_at=judgement.at or now(),
    ).returning(judgements.c.id)).scalar_one()
    when = judgement.at or now()
    for me, other in ((left, right), (right, left)):  # each record's history shows the judgement
        history.record(session, user=judgement.actor or "unknown", entity=_ENTITY[judgement.subject], entity_id=me,
                       action="judgement", after={"judgement": int(new_id), "other": other,
                                                  "verdict": str(judgement.verdict),
                                                  "probability": judgement.probability},
                       comment=judgement.comment, at=when)
    if recluster_now and judgement.verdict is Verdict.SAME:
        recluster(session, judgement.subject, (left, right))
    return int(new_id)


def withdraw(db: Database, judgement_id: int, *, by: str, why: str) -> Judgement:
    """Take a judgement out of force (the clusters follow); it stays in the history."""
    with db.session(write=True) as session:
        return withdraw_in(session, judgement_id, by=by, why=why)


def withdraw_in(session: Session, judgement_id: int, *, by: str, why: str, recluster_now: bool = True) -> Judgement:
    """:func:`withdraw` inside a caller's transaction."""
    row = session.execute(select(judgements).where(judgements.c.id == judgement_id).with_for_update()).first()
    if row is None:
        raise NotFoundError(f"no judgement with id {judgement_id}")
    if row.withdrawn_at is not None:
        raise AlreadyWithdrawn(f"judgement {judgement_id} was already withdrawn by {row.withdrawn_by}")
    session.execute(update(judgements).where(judgements.c.id == judgement_id).values(
        withdrawn_at=now(), withdrawn_by=dialect.scrub(by), withdrawn_why=dialect.scrub(why)))
    row = session.execute(select(judgements).where(judgements.c.id == judgement_id)).one()
    done = _judgement(row)
    for me, other in ((done.left_id, done.right_id), (done.right_id, done.left_id)):
        history.record(session, user=by or "unknown", entity=_ENTITY[done.subject], entity_id=me,
                       action="judgement-withdrawn", before={"judgement": done.id, "other": other,
                                                             "verdict": str(done.verdict)}, comment=why)
    if recluster_now and done.verdict is Verdict.SAME:
        recluster(session, done.subject, (done.left_id, done.right_id))
    return done


def recluster(session: Session, subject: Subject, touched: Iterable[int]) -> None:
    """Bring ``cluster_id`` up to date for every record in the clusters ``touched`` ids were or are in."""
    table = CLUSTERED.get(subject)
    ids = {int(i) for i in touched}
    if table is None or not ids:
        return
    col = table.c
    # Who was clustered with them before: a withdrawn judgement can split an old cluster.
    old = {int(c) for c in session.scalars(select(col.cluster_id).where(
        col.id.in_(ids), col.cluster_id.is_not(None)))}
    members = set(ids)
    if old:
        members |= {int(i) for i in session.scalars(select(col.id).where(col.cluster_id.in_(old)))}
    # The components through the judgements in force: grow from the members along "same" edges.
    edges = _same_edges(session, subject)
    adjacent: dict[int, set[int]] = {}
    for a, b in edges:
        adjacent.setdefault(a, set()).add(b)
        adjacent.setdefault(b, set()).add(a)
    seen: dict[int, int] = {}
    for start in sorted(members):
        if start in seen:
            continue
        component, stack = {start}, [start]
        while stack:
            for nxt in adjacent.get(stack.pop(), ()):
                if nxt not in component:
                    component.add(nxt)
                    stack.append(nxt)
        root = min(component)
        for member in component:
            seen[member] = root
    by_cluster: dict[int | None, list[int]] = {}
    for member, root in seen.items():
        alone = not adjacent.get(member)
        by_cluster.setdefault(None if alone else root, []).append(member)
    for cluster, rows in by_cluster.items():
        for chunk in range(0, len(rows), 500):  # bounded IN lists on both engines
            session.execute(update(table).where(col.id.in_(rows[chunk:chunk + 500])).values(cluster_id=cluster))


def _same_edges(session: Session, subject: Subject) -> list[tuple[int, int]]:
    rows = session.execute(select(judgements.c.left_id, judgements.c.right_id).where(
        judgements.c.subject == str(subject), judgements.c.verdict == str(Verdict.SAME),
        judgements.c.withdrawn_at.is_(None)).order_by(judgements.c.id)).all()
    return [(int(r.left_id), int(r.right_id)) for r in rows]


def _judgement(row: Any) -> Judgement:
    detail = row.detail or {}
    return Judgement(id=int(row.id), subject=Subject(row.subject), left_id=int(row.left_id),
                     right_id=int(row.right_id), verdict=Verdict(row.verdict), actor=row.actor,
                     by_person=bool(row.by_person), probability=row.probability, model_version=row.model_version,
                     comment=row.comment, weights=dict(detail.get("weights") or {}),
                     levels=dict(detail.get("levels") or {}), at=row.created_at, withdrawn_at=row.withdrawn_at,
                     withdrawn_by=row.withdrawn_by, withdrawn_why=row.withdrawn_why)


def get(db: Database, judgement_id: int) -> Judgement | None:
    with db.session() as session:
        return get_in(session, judgement_id)


def get_in(session: Session, judgement_id: int) -> Judgement | None:
    row = session.execute(select(judgements).where(judgements.c.id == judgement_id)).first()
    return _judgement(row) if row is not None else None


def in_force_for_pair(session: Session, subject: Subject, a: int, b: int) -> list[Judgement]:
    left, right = pair(a, b)
    return [_judgement(r) for r in session.execute(select(judgements).where(
        judgements.c.subject == str(subject), judgements.c.left_id == left, judgements.c.right_id == right,
        judgements.c.withdrawn_at.is_(None)).order_by(judgements.c.id))]


def withdrawn_by_people(session: Session, subject: Subject, *, linker: str) -> set[tuple[int, int]]:
    """Pairs whose linker judgement a person withdrew (an undo): the linker keeps off them."""
    rows = session.execute(select(judgements.c.left_id, judgements.c.right_id).where(
        judgements.c.subject == str(subject), judgements.c.by_person.is_(False),
        judgements.c.withdrawn_at.is_not(None), judgements.c.withdrawn_by != linker)).all()
    return {(int(r.left_id), int(r.right_id)) for r in rows}


def cluster_members(session: Session, subject: Subject, record_id: int) -> list[int]:
    """The ids in the record's cluster, itself included, lowest first."""
    table = CLUSTERED[subject]
    cluster = session.scalar(select(table.c.cluster_id).where(table.c.id == record_id))
    if cluster is None:
        return [int(record_id)]
    return [int(i) for i in session.scalars(select(table.c.id).where(table.c.cluster_id == cluster)
                                            .order_by(table.c.id))]


def confidentiality_of(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Each incident's confidentiality level (for filtering judgements by what a role may see)."""
    wanted = sorted({int(i) for i in ids})
    out: dict[int, str] = {}
    for chunk in range(0, len(wanted), 500):
        out.update({int(r.id): str(r.confidentiality) for r in session.execute(
            select(incidents.c.id, incidents.c.confidentiality).where(incidents.c.id.in_(wanted[chunk:chunk + 500])))})
    return out


def of_pair(db: Database, subject: Subject, a: int, b: int) -> list[Judgement]:
    """Every judgement ever made about the pair, oldest first, withdrawn ones included."""
    left, right = pair(a, b)
    with db.session() as session:
        rows = session.execute(select(judgements).where(
            judgements.c.subject == str(subject), judgements.c.left_id == left, judgements.c.right_id == right,
        ).order_by(judgements.c.id)).all()
    return [_judgement(row) for row in rows]


def involving(session: Session, subject: Subject, ids: Iterable[int]) -> list[Judgement]:
    """Every judgement (withdrawn ones too) with either side among ``ids``, oldest first."""
    wanted = sorted({int(i) for i in ids})
    out: list[Judgement] = []
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk:chunk + 500]
        out += [_judgement(r) for r in session.execute(select(judgements).where(
            judgements.c.subject == str(subject),
            or_(judgements.c.left_id.in_(part), judgements.c.right_id.in_(part))).order_by(judgements.c.id))]
    return sorted({j.id: j for j in out}.values(), key=lambda j: j.id or 0)


def in_force(session: Session, subject: Subject, *, verdict: Verdict | None = None,
             by_person: bool | None = None) -> list[Judgement]:
    """The judgements in force about ``subject``, optionally of one verdict or one kind of judge."""
    stmt = select(judgements).where(judgements.c.subject == str(subject), judgements.c.withdrawn_at.is_(None))
    if verdict is not None:
        stmt = stmt.where(judgements.c.verdict == str(verdict))
    if by_person is not None:
        stmt = stmt.where(judgements.c.by_person.is_(by_person))
    return [_judgement(r) for r in session.execute(stmt.order_by(judgements.c.id))]


def same_pairs(db: Database, subject: Subject) -> list[tuple[int, int]]:
    """The pairs a ``same`` judgement in force joins: the edges clusters are made of."""
    with db.session() as session:
        return _same_edges(session, subject)


def judged_by_a_person(db: Database, subject: Subject) -> set[tuple[int, int]]:
    """Pairs a person has judged (in force): the linker neither proposes nor overrides them."""
    with db.session() as session:
        rows = session.execute(select(judgements.c.left_id, judgements.c.right_id).where(
            judgements.c.subject == str(subject), judgements.c.by_person.is_(True),
            judgements.c.withdrawn_at.is_(None),
        )).all()
    return {(int(r.left_id), int(r.right_id)) for r in rows}
