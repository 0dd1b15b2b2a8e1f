"""Pairwise judgements: recorded in order, withdrawn but never deleted, and clusters as components of "same"."""
from __future__ import annotations

import pytest

from tawthiq.domain.judgements import Judgement, Subject, Verdict, pair
from tawthiq.link.clusters import cluster_ids
from tawthiq.store import judgements as store
from tawthiq.store.db import Database
from tawthiq.store.history import NotFoundError


def _by(name: str, a: int, b: int, verdict: Verdict = Verdict.SAME, **extra: object) -> Judgement:
    return Judgement(subject=Subject.INCIDENT, left_id=a, right_id=b, verdict=verdict, actor=name,
                     by_person=not name.startswith("linker"), **extra)  # type: ignore[arg-type]


def test_a_pair_has_one_order_and_never_pairs_a_record_with_itself() -> None:
    assert pair(9, 4) == pair(4, 9) == (4, 9)
    with pytest.raises(ValueError, match="itself"):
        pair(3, 3)


def test_clusters_are_components_named_by_their_lowest_id() -> None:
    # 7-3 and 3-9 chain into one cluster; 5 stays alone; 12 and 11 join; 20 is only named by a pair.
    found = cluster_ids([3, 5, 7, 9, 11, 12], [(7, 9), (3, 9), (11, 12), (20, 21)])
    assert found == {3: 3, 5: 5, 7: 3, 9: 3, 11: 11, 12: 11, 20: 20, 21: 20}
    # The order the judgements come in changes nothing.
    assert cluster_ids([3, 5, 7, 9, 11, 12], [(20, 21), (11, 12), (3, 9), (7, 9)]) == found


def test_a_long_chain_of_merges_is_one_cluster() -> None:
    n = 50_000
    found = cluster_ids(range(1, n + 1), [(i, i + 1) for i in range(n, 0, -1)][1:])
    assert set(found.values()) == {1}


def test_judgements_are_recorded_and_withdrawn_never_deleted(db: Database) -> None:
    first = store.record(db, _by("reviewer1", 9, 4, comment="same strike, two reports"))
    store.record(db, _by("linker", 4, 6, probability=0.97, model_version="incidents-v1"))
    assert store.same_pairs(db, Subject.INCIDENT) == [(4, 9), (4, 6)]
    assert cluster_ids([4, 6, 9], store.same_pairs(db, Subject.INCIDENT)) == {4: 4, 6: 4, 9: 4}

    undone = store.withdraw(db, first, by="admin1", why="two strikes an hour apart")
    assert undone.withdrawn_by == "admin1" and not undone.in_force
    assert store.same_pairs(db, Subject.INCIDENT) == [(4, 6)]  # the clusters follow
    assert cluster_ids([4, 6, 9], store.same_pairs(db, Subject.INCIDENT)) == {4: 4, 6: 4, 9: 9}
    history = store.of_pair(db, Subject.INCIDENT, 9, 4)
    assert [(j.actor, j.comment, j.in_force) for j in history] == [
        ("reviewer1", "same strike, two reports", False)]
    kept = store.get(db, first)
    assert kept is not None and kept.withdrawn_why == "two strikes an hour apart" and kept.at is not None
    with pytest.raises(store.AlreadyWithdrawn):
        store.withdraw(db, first, by="admin1", why="again")
    with pytest.raises(NotFoundError):
        store.withdraw(db, 10**9, by="admin1", why="none")


def test_what_a_person_judged_is_set_apart_from_the_linker(db: Database) -> None:
    store.record(db, _by("reviewer1", 2, 3, Verdict.NOT_SAME, comment="different villages"))
    store.record(db, _by("linker", 3, 5, probability=0.91, model_version="incidents-v1"))
    persons = store.record(db, Judgement(subject=Subject.PERSON, left_id=2, right_id=3, verdict=Verdict.SAME,
                                         actor="reviewer1", by_person=True))
    assert store.judged_by_a_person(db, Subject.INCIDENT) == {(2, 3)}
    assert store.judged_by_a_person(db, Subject.PERSON) == {(2, 3)}
    assert store.same_pairs(db, Subject.INCIDENT) == [(3, 5)]  # a not-same joins nothing
    store.withdraw(db, persons, by="admin1", why="wrong list row")
    assert store.judged_by_a_person(db, Subject.PERSON) == set()
