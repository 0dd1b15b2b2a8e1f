"""Incidents for the linking pages: two reports of one strike (English and Arabic), one other, and a queue.

The pairs are scored by a fixed scorer, as ``tests/test_services_linking.py``
does: what is under test is what the pages show and do with the linker's
judgements, not Splink's estimates (tests/test_cli_link.py runs the real one).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tawthiq.domain import Confidentiality, Incident, IncidentDate, Location, Source, SourceKind
from tawthiq.domain.enums import ClaimField, VictimKind, VictimOutcome
from tawthiq.domain.judgements import ScoredPair
from tawthiq.domain.model import Claim, Involvement, Span, VictimGroup
from tawthiq.services import Workspace, linking
from tawthiq.store import repository

MODEL = "test-model-7"
EN = ("Russian warplanes bombed the town of Ariha in Idlib countryside on 7 October 2015, killing at least 6 "
      "civilians. Qzwitnessen saw it.")
AR = "قصفت طائرات حربية روسية مدينة أريحا في ريف إدلب يوم 7 تشرين الأول 2015، ما أدى إلى مقتل خمسة مدنيين. قزشاهد"
OTHER = "Government artillery shelled the town of Douma on 15 November 2017, killing five civilians. Qzotherdesc"
# Markers planted in what only staff may read: descriptions, source titles, comments.
MARKERS = ("Qzwitnessen", "قزشاهد", "Qzotherdesc", "Qztitleen", "Qztitlear")


@dataclass
class Linked:
    en: int
    ar: int
    other: int
    sources: dict[int, int]  # incident -> its source


class Fixed:
    """Gives the pairs it was told, with the comparison a reviewer reads."""

    def __init__(self, probabilities: dict[tuple[int, int], float]) -> None:
        self.probabilities = probabilities

    def __call__(self, rows: Sequence[Any], *, backend: str, min_probability: float
                 ) -> tuple[list[ScoredPair], str, list[str]]:
        return ([ScoredPair(a, b, p, weights={"date": 3.2, "place": 2.8, "victims": -2.0, "novelty": 0.5},
                            levels={"date": "same day", "place": "same place", "victims": "different",
                                    "novelty": "a level the texts do not know"})
                 for (a, b), p in self.probabilities.items() if p >= min_probability], MODEL, [])


def _add(ws: Workspace, *, text: str, title: str, language: str, incident: Incident, sha: int) -> tuple[int, int]:
    quote = text.split(" ")[0] + " " + text.split(" ")[1]
    start = text.index(quote)
    claimed = Claim(field=ClaimField.EVENT_TYPE, value=incident.event_type, method="rule:test",
                    span=Span.of(text, start, start + len(quote)))
    source_id, _, [incident_id] = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256=f"{sha:064x}", text=text, language=language, title=title),
        [Incident(**{**_fields(incident), "claims": [claimed], "description": text})])
    return incident_id, source_id


def _fields(incident: Incident) -> dict[str, Any]:
    return {name: getattr(incident, name) for name in ("event_type", "date", "location", "confidentiality",
                                                         "involvements", "victims")}


def plant(ws: Workspace, *, confidentiality: Confidentiality = Confidentiality.RESTRICTED,
          probability: float = 0.8, batch: int = 0) -> Linked:
    """The English and Arabic reports of one strike (queued at ``probability``) and a restricted shelling.

    ``batch`` tells apart the sources of several plantings in one database (a source is stored once).
    """
    strike = dict(event_type="air-drone-strike", date=IncidentDate(edtf="2015-10-07"),
                  location=Location(name="Ariha", admin1="Idlib"), confidentiality=confidentiality,
                  involvements=[Involvement(actor="russia", text="Russian warplanes")])
    killed = dict(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN)
    en, en_src = _add(ws, text=EN, title="Qztitleen activists' report", language="en", sha=10 * batch + 1,
                      incident=Incident(**strike, victims=[VictimGroup(**killed, count_min=6)]))
    ar, ar_src = _add(ws, text=AR, title="Qztitlear تقرير", language="ar", sha=10 * batch + 2,
                      incident=Incident(**strike, victims=[VictimGroup(**killed, count_min=5, count_max=5)]))
    shelling = Incident(event_type="shelling-artillery-missile-attack", date=IncidentDate(edtf="2017-11-15"),
                        location=Location(name="Douma", admin1="Rif Dimashq"),
                        confidentiality=Confidentiality.RESTRICTED)
    other, other_src = _add(ws, text=OTHER, title="field note", language="en", sha=10 * batch + 3,
                            incident=shelling)
    linking.link_incidents(ws, scorer=Fixed({(en, ar): probability, (ar, other): 0.55}), threshold=0.9,
                           review_band=(0.5, 0.9), involving=(en, ar, other))
    return Linked(en=en, ar=ar, other=other, sources={en: en_src, ar: ar_src, other: other_src})
