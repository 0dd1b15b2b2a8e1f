"""What a record's cluster adds when it is read: its cluster id and how many independent sources tell it.

A cluster's independent sources are the distinct origins (``sources.origin``,
see ``domain/origins.py``) of every source behind any of its incidents: the
source each was extracted from and the sources its claims cite (a merge
copies claims with their sources). Copies of one account count once.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, String, cast, func, literal, select, union
from sqlalchemy.orm import Session

from .tables import claims, incidents, sources

_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def cluster_facts(session: Session, ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """For each incident id: (cluster id — its own id when alone, independent sources of the cluster).

    One statement per 500 ids (a list page's 50 in one round trip; it was three): the page's
    incidents, their clusters' members (a clustered record carries its cluster's root id, a lone one
    none), the sources each member was extracted from or its claims cite, and their distinct origins.
    """
    wanted = sorted({int(i) for i in ids})
    out: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(wanted):
        for row in session.execute(_facts_statement(chunk)):
            out[int(row.id)] = (int(row.k), int(row.origins or 0))
    return out


def _facts_statement(chunk: Sequence[int]) -> Select[Any]:
    c = incidents.c
    member = incidents.alias("member")
    page = select(c.id.label("id"), func.coalesce(c.cluster_id, c.id).label("k")).where(c.id.in_(chunk)).cte("page")
    # The page's own (a lone incident is its whole cluster) and every record carrying one of their clusters.
    members = union(select(page.c.id.label("m")),
                    select(member.c.id.label("m")).where(member.c.cluster_id.in_(select(page.c.k)))).cte("members")
    # Each member's cluster is its cluster_id, or itself when alone. Written as IN (…) rather than as
    # joins with the set: SQLite joined a set it could not size through a Bloom filter built by
    # reading every incident and every claim (35 ms a page, where looking up 50 ids takes 2).
    cluster = func.coalesce(member.c.cluster_id, member.c.id).label("k")
    told = union(
        select(cluster, member.c.source_id.label("source_id")).where(
            member.c.id.in_(select(members.c.m)), member.c.source_id.is_not(None)),
        select(cluster, claims.c.source_id).join(member, member.c.id == claims.c.incident_id).where(
            claims.c.incident_id.in_(select(members.c.m)), claims.c.source_id.is_not(None)),
    ).cte("told")
    # A source stored before origins were kept counts as its own origin.
    origin = func.coalesce(func.nullif(sources.c.origin, ""), literal("source:") + cast(sources.c.id, String))
    return (select(page.c.id, page.c.k, func.count(func.distinct(origin)).label("origins"))
            .select_from(page)
            .outerjoin(told, told.c.k == page.c.k)
            .outerjoin(sources, sources.c.id == told.c.source_id)
            .group_by(page.c.id, page.c.k))


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
