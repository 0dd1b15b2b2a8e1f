"""`tawthiq estimate` over this database's linked person lists: each list a system, each person cluster a person."""
from __future__ import annotations

import random

import pytest

from tawthiq.domain.judgements import Judgement, Subject, Verdict
from tawthiq.domain.persons import PersonRecord
from tawthiq.services import Workspace
from tawthiq.services.errors import ServiceError
from tawthiq.services.estimate import estimate_record
from tawthiq.store import judgements, person_records


def _population(ws: Workspace, *, size: int, seed: int) -> int:
    """Three independent lists over ``size`` people in two governorates; returns how many are documented."""
    rng = random.Random(seed)
    records, people = [], {}
    for person in range(size):
        gov = "Idlib" if person % 2 else "Homs"
        for name, p in (("vdc", 0.5), ("snhr", 0.4), ("council", 0.3)):
            if rng.random() < p:
                records.append(PersonRecord(list_name=name, record_id=f"{person}",
                                            fields={"name": f"person {person}", "governorate": gov,
                                                    "date": f"201{person % 3}-05-0{1 + person % 9}"}))
                people.setdefault(person, []).append((name, f"{person}"))
    person_records.upsert(ws.db, records, actor="test")
    ids = {(r.list_name, r.record_id): int(r.id or 0) for r in person_records.iter_records(ws.db)}
    with ws.db.session(write=True) as session:
        for held in people.values():
            first = ids[held[0]]
            for other in held[1:]:  # the linkage: every record of a person joined to the first
                judgements.record_in(session, Judgement(subject=Subject.PERSON, left_id=first, right_id=ids[other],
                                                        verdict=Verdict.SAME, actor="linker", by_person=False),
                                     recluster_now=False)
        judgements.recluster(session, Subject.PERSON, ids.values())
    return len(people)


def test_the_estimate_counts_person_clusters_and_covers_the_population(ws: Workspace) -> None:
    documented = _population(ws, size=1000, seed=4)
    [whole] = estimate_record(ws, model="independence")
    assert whole.documented == documented and whole.estimate is not None
    low, high = whole.estimate.interval
    assert low <= 1000 <= high and abs(whole.estimate.estimate - 1000) < 150
    by_gov = {s.stratum: s for s in estimate_record(ws, by="governorate", model="independence")}
    assert set(by_gov) == {"Idlib", "Homs"} and sum(s.documented for s in by_gov.values()) == documented
    years = {s.stratum for s in estimate_record(ws, by="year", model="independence")}
    assert years == {"2010", "2011", "2012"}


def test_unknown_or_too_few_lists_are_one_line(ws: Workspace) -> None:
    _population(ws, size=50, seed=1)
    with pytest.raises(ServiceError, match="no person list named nowhere"):
        estimate_record(ws, lists=["vdc", "nowhere"])
    with pytest.raises(ServiceError, match="two or more"):
        estimate_record(ws, lists=["vdc"])
