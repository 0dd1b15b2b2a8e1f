"""What a record's cluster adds when it is read: its cluster id and how many independent sources tell it.

A cluster's independent sources are the distinct origins (``sources.origin``,
see ``domain/origins.py``) of every source behind any of its incidents: the
source each was extracted from and the sources its claims cite (a merge
copies claims with their sources). Copies of one account count once.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from .tables import claims, incidents, sources

_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def cluster_facts(session: Session, ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """For each incident id: (cluster id — its own id when alone, independent sources of the cluster)."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    c = incidents.c
    cluster_of: dict[int, int] = {}
    for chunk in _chunks(wanted):
        for row in session.execute(select(c.id, c.cluster_id).where(c.id.in_(chunk))):
            cluster_of[int(row.id)] = int(row.cluster_id) if row.cluster_id is not None else int(row.id)
    clusters = sorted(set(cluster_of.values()))  # a lone incident may still be the root others point at
    members: dict[int, set[int]] = defaultdict(set)
    for i, k in cluster_of.items():
        members[k].add(i)
    for chunk in _chunks(clusters):
        for row in session.execute(select(c.id, c.cluster_id).where(c.cluster_id.in_(chunk))):
            members[int(row.cluster_id)].add(int(row.id))
    everyone = sorted({m for ms in members.values() for m in ms})
    origins_of: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(everyone):
        told = union(
            select(c.id.label("incident_id"), c.source_id.label("source_id")).where(
                c.id.in_(chunk), c.source_id.is_not(None)),
            select(claims.c.incident_id, claims.c.source_id).where(
                claims.c.incident_id.in_(chunk), claims.c.source_id.is_not(None)),
        ).subquery("told")
        for row in session.execute(select(told.c.incident_id, sources.c.origin, sources.c.id)
                                   .join(sources, sources.c.id == told.c.source_id)):
            # A source stored before origins were kept counts as its own origin.
            origins_of[int(row.incident_id)].add(row.origin or f"source:{row.id}")
    out: dict[int, tuple[int, int]] = {}
    for i, k in cluster_of.items():
        found: set[str] = set()
        for m in members[k]:
            found |= origins_of.get(m, set())
        out[i] = (k, len(found))
    return out


def attach(session: Session, records: Iterable[Any]) -> None:
    """Set ``cluster_id`` and ``independent_sources`` on incidents or list rows (objects with an ``id``)."""
    found = [r for r in records if getattr(r, "id", None) is not None]
    facts = cluster_facts(session, [int(r.id) for r in found])
    for r in found:
        r.cluster_id, r.independent_sources = facts.get(int(r.id), (int(r.id), 0))


def origins(session: Session, source_ids: Iterable[int]) -> dict[int, str]:
    """Each source's origin key (its own id's key when it predates origins)."""
    wanted = sorted({int(i) for i in source_ids})
    out: dict[int, str] = {}
    for chunk in _chunks(wanted):
        for row in session.execute(select(sources.c.id, sources.c.origin).where(sources.c.id.in_(chunk))):
            out[int(row.id)] = row.origin or f"source:{row.id}"
    return out
