"""Person records read by person: one page of clusters (distinct people), each with all its records.

A cluster is named by its lowest record id (``cluster_id``); a record no
judgement joins to another stands alone, with ``cluster_id`` NULL, and is its
own cluster. So ``COALESCE(cluster_id, id)`` is every record's person.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import false, func, select

from ..domain.persons import PersonRecord
from .db import Database
from .identity_vault import IdentityVault
from .person_records import CHUNK, _record, display_name
from .tables import person_records

MAX_QUERY = 200  # characters of a name search


def _person() -> Any:
    return func.coalesce(person_records.c.cluster_id, person_records.c.id)


def _narrowed(stmt: Any, *, lists: Sequence[str], query: str, vault: IdentityVault | None) -> Any:
    if lists:
        stmt = stmt.where(person_records.c.list_name.in_(list(lists)))
    words = (query or "").strip()[:MAX_QUERY]
    if not words:
        return stmt
    if vault is None:
        # A database without its vault key holds plaintext names (store.identity_vault).
        return stmt.where(func.lower(person_records.c.name).contains(words.lower(), autoescape=True))
    # Each whole word of the name, folded (case, Arabic letter forms), matched by its blind index: the
    # database holds the names encrypted, so it can compare keyed hashes of words and nothing finer.
    tokens = vault.query_tokens(words)
    if not tokens:
        return stmt.where(false())
    for token in tokens:
        stmt = stmt.where(person_records.c.name_index.contains(token, autoescape=True))
    return stmt


def cluster_page(db: Database, *, lists: Sequence[str] = (), query: str = "", limit: int = 25,
                 offset: int = 0) -> list[int]:
    """The cluster ids of one page of people with a record in ``lists`` whose name holds ``query``, in id order."""
    person = _person()
    stmt = _narrowed(select(person.label("person")), lists=lists, query=query, vault=db.vault).group_by(person).order_by(person)
    with db.session() as session:
        return [int(row[0]) for row in session.execute(stmt.limit(max(0, limit)).offset(max(0, offset))).all()]


def count_people(db: Database, *, lists: Sequence[str] = (), query: str = "") -> int:
    """How many distinct people have a record in ``lists`` whose name holds ``query``."""
    stmt = _narrowed(select(func.count(func.distinct(_person()))), lists=lists, query=query, vault=db.vault)
    with db.session() as session:
        return int(session.scalar(stmt) or 0)


def records_of(db: Database, cluster_ids: Sequence[int], *, per_cluster: int = 1000) -> dict[int, list[PersonRecord]]:
    """Each cluster's records (at most ``per_cluster`` of each), by list, name and id (names sorted here,
    decrypted: the database holds them encrypted)."""
    wanted = sorted({int(c) for c in cluster_ids})
    out: dict[int, list[PersonRecord]] = {c: [] for c in wanted}
    person = _person()
    with db.session() as session:
        for start in range(0, len(wanted), CHUNK):
            rows = session.execute(select(person_records, person.label("person"))
                                   .where(person.in_(wanted[start:start + CHUNK]))
                                   .order_by(person, person_records.c.list_name, person_records.c.id)).all()
            for row in rows:
                kept = out[int(row.person)]
                if len(kept) < per_cluster:
                    kept.append(_record(row))
    for kept in out.values():
        kept.sort(key=lambda r: (r.list_name, display_name(r.fields), r.id or 0))
    return out
