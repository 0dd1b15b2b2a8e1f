"""Clusters: the connected components of the ``same`` judgements in force.

A cluster is named by its lowest member id (a record alone is its own
cluster), so a cluster id is stable while its lowest member stays in it and
can be read by a person ("incident 12 and the others in cluster 12").
"""
from __future__ import annotations

from collections.abc import Iterable


def cluster_ids(ids: Iterable[int], same_pairs: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Each id's cluster id (the lowest id in its component). Ids only named in ``same_pairs`` count too."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression keeps long chains of merges cheap
            parent[x], x = root, parent[x]
        return root

    for x in ids:
        find(x)
    for a, b in same_pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            parent[hi] = lo  # the lower root wins, so a root is always its component's lowest id
    return {x: find(x) for x in list(parent)}
