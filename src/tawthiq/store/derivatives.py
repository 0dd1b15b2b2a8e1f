"""Derivatives, source links and instance facts: rows beside the originals' custody."""
from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.enums import DerivativeKind
from ..domain.originals import Derivative, SourceLink
from . import dialect
from .db import Database
from .tables import derivatives, instance_meta, source_links


def insert_derivative(session: Session, derivative: Derivative) -> tuple[int, bool]:
    """Insert unless the same copy of the same original is stored; (id, created)."""
    values = {
        "original_sha256": derivative.original_sha256, "sha256": derivative.sha256,
        "kind": str(derivative.kind), "media_type": derivative.media_type, "size": derivative.size,
        "tool": dialect.scrub(derivative.tool), "tool_version": dialect.scrub(derivative.tool_version),
        "params": derivative.params, "source_id": derivative.source_id,
        "created_by": dialect.scrub(derivative.created_by),
    }
    new_id = session.execute(dialect.insert_ignore(
        session, derivatives, values=values, conflict_columns=["original_sha256", "kind", "sha256"])).scalar()
    if new_id is not None:
        return int(new_id), True
    existing = session.scalar(select(derivatives.c.id).where(
        derivatives.c.original_sha256 == derivative.original_sha256,
        derivatives.c.kind == str(derivative.kind), derivatives.c.sha256 == derivative.sha256))
    return int(existing), False


def _derivative(row: Any) -> Derivative:
    return Derivative(
        id=int(row.id), original_sha256=row.original_sha256, sha256=row.sha256, kind=DerivativeKind(row.kind),
        media_type=row.media_type, size=int(row.size), tool=row.tool, tool_version=row.tool_version,
        params=dict(row.params or {}), source_id=row.source_id, created_at=row.created_at,
        created_by=row.created_by,
    )


def derivatives_of(db: Database, original_sha256: str) -> list[Derivative]:
    """Every working copy made from these original bytes, oldest first."""
    with db.session() as session:
        rows = session.execute(select(derivatives).where(derivatives.c.original_sha256 == original_sha256)
                               .order_by(derivatives.c.id))
        return [_derivative(r) for r in rows]


def copies_of(db: Database, shas: Iterable[str], *, kinds: Iterable[str]) -> list[Derivative]:
    """The working copies of ``kinds`` made from any of ``shas``, oldest first, in one query."""
    wanted = sorted(set(shas))
    if not wanted:
        return []
    with db.session() as session:
        rows = session.execute(select(derivatives).where(derivatives.c.original_sha256.in_(wanted),
                                                         derivatives.c.kind.in_([str(k) for k in kinds]))
                               .order_by(derivatives.c.id))
        return [_derivative(r) for r in rows]


def get_derivative(db: Database, derivative_id: int) -> Derivative | None:
    with db.session() as session:
        row = session.execute(select(derivatives).where(derivatives.c.id == derivative_id)).first()
        return _derivative(row) if row is not None else None


def iter_derivatives(db: Database) -> list[Derivative]:
    """All derivative rows (for verification and packaging), in id order."""
    with db.session() as session:
        return [_derivative(r) for r in session.execute(select(derivatives).order_by(derivatives.c.id))]


def derivative_hashes(db: Database) -> list[tuple[int, str, str, int | None]]:
    """(id, sha256, original's sha256, source id) of every derivative row, in id order: the
    columns ``verify`` checks, without loading whole rows."""
    with db.session() as session:
        rows = session.execute(select(derivatives.c.id, derivatives.c.sha256, derivatives.c.original_sha256,
                                      derivatives.c.source_id).order_by(derivatives.c.id))
        return [(int(r.id), str(r.sha256), str(r.original_sha256), None if r.source_id is None else int(r.source_id))
                for r in rows]


def insert_link(session: Session, link: SourceLink) -> bool:
    """Record a relation between two sources; False when it was already there."""
    stmt = dialect.insert_ignore(session, source_links, values={
        "from_source_id": link.from_source_id, "to_source_id": link.to_source_id,
        "relation": link.relation, "details": link.details,
    }, conflict_columns=["from_source_id", "to_source_id", "relation"])
    return session.execute(stmt).scalar() is not None


def add_link(db: Database, link: SourceLink) -> bool:
    with db.session(write=True) as session:
        return insert_link(session, link)


def links_of(db: Database, source_id: int) -> list[SourceLink]:
    """Relations in either direction, oldest first."""
    with db.session() as session:
        rows = session.execute(select(source_links).where(or_(
            source_links.c.from_source_id == source_id, source_links.c.to_source_id == source_id,
        )).order_by(source_links.c.id))
        return [SourceLink(from_source_id=r.from_source_id, to_source_id=r.to_source_id, relation=r.relation,
                           details=dict(r.details or {})) for r in rows]


def instance_id(db: Database) -> str:
    """This installation's id, made once: packages name where their custody was written."""
    with db.session(write=True) as session:
        found = session.scalar(select(instance_meta.c.value).where(instance_meta.c.key == "instance_id"))
        if found:
            return str(found)
        session.execute(dialect.insert_ignore_keyless(session, instance_meta,
                                                      values={"key": "instance_id", "value": str(uuid.uuid4())},
                                                      conflict_columns=["key"]))
        return str(session.scalar(select(instance_meta.c.value).where(instance_meta.c.key == "instance_id")))
