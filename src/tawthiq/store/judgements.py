"""The ``judgements`` table: pairwise decisions recorded, withdrawn (never deleted) and read back."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..domain.judgements import Judgement, Subject, Verdict, pair
from . import dialect
from .db import Database
from .history import NotFoundError
from .mapping import now
from .tables import judgements


class AlreadyWithdrawn(ValueError):
    """A judgement can be withdrawn once; the first withdrawal says who and why."""


def record(db: Database, judgement: Judgement) -> int:
    """Store ``judgement`` (its pair put in order); returns its id."""
    with db.session(write=True) as session:
        return record_in(session, judgement)


def record_in(session: Session, judgement: Judgement) -> int:
    """:func:`record` inside a caller's transaction (a merge and its judgement stand or fall together)."""
    left, right = pair(judgement.left_id, judgement.right_id)
    new_id = session.execute(judgements.insert().values(
        subject=str(judgement.subject), left_id=left, right_id=right, verdict=str(judgement.verdict),
        actor=dialect.scrub(judgement.actor), by_person=judgement.by_person,
        probability=judgement.probability, model_version=dialect.scrub(judgement.model_version),
        comment=dialect.scrub(judgement.comment), created_at=judgement.at or now(),
    ).returning(judgements.c.id)).scalar_one()
    return int(new_id)


def withdraw(db: Database, judgement_id: int, *, by: str, why: str) -> Judgement:
    """Take a judgement out of force (the clusters follow); it stays in the history."""
    with db.session(write=True) as session:
        row = session.execute(select(judgements).where(judgements.c.id == judgement_id)).first()
        if row is None:
            raise NotFoundError(f"no judgement with id {judgement_id}")
        if row.withdrawn_at is not None:
            raise AlreadyWithdrawn(f"judgement {judgement_id} was already withdrawn by {row.withdrawn_by}")
        session.execute(update(judgements).where(judgements.c.id == judgement_id).values(
            withdrawn_at=now(), withdrawn_by=dialect.scrub(by), withdrawn_why=dialect.scrub(why)))
        row = session.execute(select(judgements).where(judgements.c.id == judgement_id)).one()
    return _judgement(row)


def _judgement(row: Any) -> Judgement:
    return Judgement(id=int(row.id), subject=Subject(row.subject), left_id=int(row.left_id),
                     right_id=int(row.right_id), verdict=Verdict(row.verdict), actor=row.actor,
                     by_person=bool(row.by_person), probability=row.probability, model_version=row.model_version,
                     comment=row.comment, at=row.created_at, withdrawn_at=row.withdrawn_at,
                     withdrawn_by=row.withdrawn_by, withdrawn_why=row.withdrawn_why)


def get(db: Database, judgement_id: int) -> Judgement | None:
    with db.session() as session:
        row = session.execute(select(judgements).where(judgements.c.id == judgement_id)).first()
    return _judgement(row) if row is not None else None


def of_pair(db: Database, subject: Subject, a: int, b: int) -> list[Judgement]:
    """Every judgement ever made about the pair, oldest first, withdrawn ones included."""
    left, right = pair(a, b)
    with db.session() as session:
        rows = session.execute(select(judgements).where(
            judgements.c.subject == str(subject), judgements.c.left_id == left, judgements.c.right_id == right,
        ).order_by(judgements.c.id)).all()
    return [_judgement(row) for row in rows]


def same_pairs(db: Database, subject: Subject) -> list[tuple[int, int]]:
    """The pairs a ``same`` judgement in force joins: the edges clusters are made of."""
    with db.session() as session:
        rows = session.execute(select(judgements.c.left_id, judgements.c.right_id).where(
            judgements.c.subject == str(subject), judgements.c.verdict == str(Verdict.SAME),
            judgements.c.withdrawn_at.is_(None),
        ).order_by(judgements.c.id)).all()
    return [(int(r.left_id), int(r.right_id)) for r in rows]


def judged_by_a_person(db: Database, subject: Subject) -> set[tuple[int, int]]:
    """Pairs a person has judged (in force): the linker neither proposes nor overrides them."""
    with db.session() as session:
        rows = session.execute(select(judgements.c.left_id, judgements.c.right_id).where(
            judgements.c.subject == str(subject), judgements.c.by_person.is_(True),
            judgements.c.withdrawn_at.is_(None),
        )).all()
    return {(int(r.left_id), int(r.right_id)) for r in rows}
