"""Linking person records: the linker's decisions, people's judgements, undo, clusters on export, who may."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from _users import DOCUMENTER, REVIEWER

from tawthiq.domain.judgements import ScoredPair, Subject
from tawthiq.domain.persons import PersonRecord
from tawthiq.services import Workspace, linking, person_linking
from tawthiq.services.errors import NotFound, PermissionDenied
from tawthiq.store import judgements as jstore
from tawthiq.store import person_records


def _records(ws: Workspace) -> list[int]:
    person_records.upsert(ws.db, [
        PersonRecord(list_name="vdc", record_id="1", fields={"name": "محمد أحمد الحلبي", "age": "12"}),
        PersonRecord(list_name="snhr", record_id="a", fields={"name": "Mohammed Ahmad al-Halabi", "age": "12"}),
        PersonRecord(list_name="snhr", record_id="b", fields={"name": "Omar Khaled", "age": "40"}),
    ], actor="test")
    return sorted(int(r.id or 0) for r in person_records.iter_records(ws.db))


class Named:
    def __init__(self, probabilities: dict[tuple[int, int], float]) -> None:
        self.probabilities = probabilities

    def __call__(self, records: Sequence[Any], *, backend: str, min_probability: float
                 ) -> tuple[list[ScoredPair], str, list[str]]:
        assert all(r.id is not None for r in records)
        return ([ScoredPair(a, b, p, weights={"given_name": 4.0}) for (a, b), p in self.probabilities.items()],
                "persons-test-1", [])


def test_same_person_across_lists_and_scripts_is_one_cluster_until_undone(ws: Workspace) -> None:
    a, b, c = _records(ws)
    run = person_linking.link_persons(ws, scorer=Named({(a, b): 0.98, (b, c): 0.6}))
    assert (run.same, run.queued, run.compared) == (1, 1, 3)
    clusters = {r.id: r.cluster_id for r in person_records.iter_records(ws.db)}
    assert clusters == {a: a, b: a, c: None}
    [queued] = person_linking.review_queue(ws, user=REVIEWER)
    assert (queued.left_id, queued.right_id) == (b, c)
    person_linking.decide(ws, user=REVIEWER, actor="", a=b, b=c, verdict="not-same", comment="different ages")
    assert person_linking.link_persons(ws, scorer=Named({(a, b): 0.98, (b, c): 0.99})).left_to_people == 1
    [same] = [j for j in person_linking.judgements_of(ws, user=REVIEWER, record_id=a) if j.in_force]
    linking.undo_any(ws, user=REVIEWER, actor="", judgement_id=int(same.id or 0), comment="father differs")
    assert {r.id: r.cluster_id for r in person_records.iter_records(ws.db)} == {a: None, b: None, c: None}
    history = jstore.of_pair(ws.db, Subject.PERSON, a, b)
    assert [(j.actor, j.in_force) for j in history] == [("linker", False)]


def test_only_roles_that_read_names_judge_persons(ws: Workspace) -> None:
    a, b, _ = _records(ws)
    with pytest.raises(PermissionDenied):
        person_linking.link_persons(ws, user=DOCUMENTER, scorer=Named({}))
    with pytest.raises(PermissionDenied):
        person_linking.decide(ws, user=DOCUMENTER, actor="", a=a, b=b, verdict="same")
    with pytest.raises(NotFound):
        person_linking.decide(ws, user=REVIEWER, actor="", a=a, b=10**9, verdict="same")
    with pytest.raises(NotFound):
        person_linking.undo(ws, user=REVIEWER, actor="", judgement_id=10**9)


def test_the_dashboard_counts_named_people_once_for_staff_only(ws: Workspace) -> None:
    from _users import VIEWER

    from tawthiq.services import visuals

    a, b, _ = _records(ws)
    person_linking.link_persons(ws, scorer=Named({(a, b): 0.99}))
    assert visuals.dashboard(ws, user=REVIEWER).named == (2, 3, 2)  # three records, two people, two lists
    assert visuals.dashboard(ws, user=VIEWER).named is None
