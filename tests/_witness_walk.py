"""The issue's walk on one incident, as the marker tests plant it (test_publish, web/test_viewer_markers).

A documenter records what a report says, a marker in every mention (``Qzsuperseded``, ``Qzperpmention``,
``Qzvictimmention``, ``Qzdatemention``, ``Qzpersonname``, ``Qzcomment``…); a reviewer grades the source
(``Qzevalnote``), replaces the description with one that withholds the witness's name, makes the incident
public and verifies it. Both tests then look for every marker where a public reader could see it: the
static site and the viewer's pages must agree on what a reviewed public incident is.
"""
from __future__ import annotations

from tawthiq.domain.enums import Confidentiality, VictimKind, VictimOutcome
from tawthiq.domain.model import IncidentDate, Involvement, Location, Person, Span, VictimGroup
from tawthiq.services import Workspace, review
from tawthiq.store.incidents import add_person

WITNESS = "Khaledqzx"  # a witness named in the report
REPORT = (f"On 3 March 2018 government forces shelled the market in Saraqib and arrested {WITNESS} N. al-H., "
          "a witness, killing four civilians. Qzsourceonly residents fled.")
WITHHELD = "Name withheld. Government shelling hit the market in Saraqib, killing four civilians."


def review_witness_incident(ws: Workspace, *, doc: object, rev: object, source_id: int, incident_id: int,
                            location: Location | None = None) -> None:
    """Walk incident ``incident_id`` (extracted from :data:`REPORT`, source ``source_id``) to public and
    verified; ``location`` is the place the documenter records (none: the extractor's stays)."""
    start = REPORT.index(WITNESS)
    recorded = review.IncidentChanges(
        description=f"Qzsuperseded: {WITNESS} was arrested",
        spans={"description": Span.of(REPORT, start, start + len(WITNESS))},
        perpetrators=[Involvement(actor="syrian-government", text="Qzperpmention")],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=4, count_max=4,
                             text="Qzvictimmention")],
        date=IncidentDate(edtf="2018-03-03", text="Qzdatemention"), location=location)
    review.update_incident(ws, user=doc, incident_id=incident_id, comment="Qzcomment first reading", changes=recorded)
    review.accept(ws, user=doc, incident_id=incident_id, comment="Qzcomment matches")
    add_person(ws.db, Person(name="Qzpersonname", incident_id=incident_id, confidentiality=Confidentiality.RESTRICTED),
               user="qzdocumenter")
    review.set_source_evaluation(ws, user=rev, source_id=source_id, reliability="B", credibility="2",
                                 note="Qzevalnote")
    review.update_incident(ws, user=rev, incident_id=incident_id, comment="Qzcomment withheld the name",
                           changes=review.IncidentChanges(description=WITHHELD, confidentiality="public"))
    review.verify(ws, user=rev, incident_id=incident_id, comment="Qzcomment checked")
