"""Victim lists for the person pages: an Arabic list and a Latin one naming the same two people, a person named
in a report, and the linker unsure of both pairs.

The pairs are scored by a fixed scorer (as ``_link_helpers`` does for
incidents): what is under test is what the pages show and do with the
linker's judgements, not the person model's estimates.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tawthiq.domain import Confidentiality, Incident, IncidentDate, Location, Source, SourceKind
from tawthiq.domain.judgements import ScoredPair
from tawthiq.domain.persons import REPORTS_LIST, PersonRecord
from tawthiq.services import Workspace, person_linking, persons
from tawthiq.store import person_records, repository

MODEL = "persons-test-3"
# Names planted in the lists: only reviewers and admins may ever read them.
NAME_MARKERS = ("قزاسم", "قزحسن", "Qzkhatib", "Qzhasan")
REPORT_NAME = "Qzreportname"  # a person named in a restricted report (documenters may read the report itself)
WEIGHTS = {"given": 4.1, "father": 3.0, "family": -1.5, "novelty": 0.5}
LEVELS = {"given": "same name (rigour symbol)", "father": "same skeleton (transliteration)",
          "family": "different", "novelty": "a level the texts do not know"}


@dataclass
class Planted:
    ar1: int  # محمد … in the Arabic list
    ar2: int
    la1: int  # Mohammad … in the Latin list
    la2: int
    report: int  # the person named in the report
    incident: int
    sources: dict[str, int]  # list name -> its file's source
    lists: tuple[str, str]


def _scorer(pairs: dict[tuple[int, int], float]) -> Any:
    def score(rows: Sequence[Any], *, backend: str, min_probability: float
              ) -> tuple[list[ScoredPair], str, list[str]]:
        return ([ScoredPair(a, b, p, weights=dict(WEIGHTS), levels=dict(LEVELS)) for (a, b), p in pairs.items()],
                MODEL, [])

    return score


def plant(ws: Workspace, tmp: Path, *, batch: int = 0) -> Planted:
    """Two lists of the same two people (queued at 0.8 and 0.6) and a person named in a report."""
    arabic, latin = f"vdc{batch}", f"snhr{batch}"
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / f"{arabic}.csv").write_text(
        "id,name,father_name,age,governorate,date,village\n"
        f"v1,محمد أحمد قزاسم,أحمد,23,إدلب,2015-10-07,أريحا {batch}\n"
        f"v2,خالد عمر قزحسن,عمر,31,حمص,2014-02-01,تلبيسة {batch}\n", encoding="utf-8")
    (tmp / f"{latin}.csv").write_text(
        "id,given_name,father_name,family_name,age,governorate,date\n"
        f"s1,Mohammad,Ahmad,Qzkhatib,23,Idlib,2015-10-07\n"
        f"s2,Khaled,Omar,Qzhasan,30,Homs,2014-02-{batch + 1:02d}\n", encoding="utf-8")
    sources = {}
    for name in (arabic, latin):
        sources[name] = persons.import_list(ws, path=tmp / f"{name}.csv", list_name=name, id_column="id",
                                            actor="tester").source_id
    text = f"Shelling hit Ariha on 7 October 2015, killing {REPORT_NAME} and two others. batch {batch}"
    start = text.index(REPORT_NAME)
    source_id, _, [incident_id] = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256=f"{9000 + batch:064x}", text=text, language="en",
                      title="field report"),
        [Incident(event_type="shelling-artillery-missile-attack", date=IncidentDate(edtf="2015-10-07"),
                  location=Location(name="Ariha", admin1="Idlib"), confidentiality=Confidentiality.RESTRICTED,
                  description="Shelling hit Ariha.")])
    person_records.upsert(ws.db, [PersonRecord(
        list_name=REPORTS_LIST, record_id=f"source-{source_id}-{start}", fields={"name": REPORT_NAME},
        source_id=source_id, incident_id=incident_id, span_start=start, span_end=start + len(REPORT_NAME))],
        actor="tester")

    def rid(list_name: str, record_id: str) -> int:
        found = person_records.find(ws.db, list_name=list_name, record_id=record_id)
        assert found is not None and found.id is not None
        return found.id

    got = Planted(ar1=rid(arabic, "v1"), ar2=rid(arabic, "v2"), la1=rid(latin, "s1"), la2=rid(latin, "s2"),
                  report=rid(REPORTS_LIST, f"source-{source_id}-{start}"), incident=incident_id, sources=sources,
                  lists=(arabic, latin))
    person_linking.link_persons(ws, lists=(arabic, latin), scorer=_scorer({(got.ar1, got.la1): 0.8,
                                                                           (got.ar2, got.la2): 0.6}))
    return got


def cluster(ws: Workspace, record_id: int) -> int:
    """The person the record belongs to now."""
    found = person_records.get(ws.db, record_id)
    assert found is not None
    return persons.cluster_of(found)
