"""Documenting an incident by hand: the cited words located in the source, every fact a human claim citing them."""
from __future__ import annotations

import pytest

from tawthiq.domain import (
    ClaimField,
    Confidentiality,
    IncidentStatus,
    Source,
    SourceKind,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.services import Workspace, hand_entry
from tawthiq.services.errors import NotFound, PermissionDenied, ServiceError
from tawthiq.services.review import IncidentChanges
from tawthiq.store import repository

from _users import DOCUMENTER, REVIEWER, VIEWER

TEXT = ("Local activists said that on 3 March 2017 a barrel bomb hit the market in Saraqib,\r\n"
        "killing four civilians.")
FIELDS = IncidentChanges(
    event_type="air-drone-strike", violations=["indiscriminate-attack"], perpetrators=["syrian-government"],
    victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=4, count_max=4)],
    description="Barrel bomb on Saraqib market",
)


@pytest.fixture
def source_id(ws: Workspace) -> int:
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="cd" * 32, text=TEXT))
    return sid


def test_every_fact_cites_the_words_found_in_the_source(ws: Workspace, source_id: int) -> None:
    exact = "in Saraqib,\r\nkilling four civilians"
    start = TEXT.index(exact)
    new_id = hand_entry.document(ws, user=DOCUMENTER, source_id=source_id, fields=FIELDS,
                                 quote=exact.replace("\r\n", "\n"), comment="from the activists' report")
    incident = repository.get_incident(ws.db, new_id)
    assert incident is not None and incident.status is IncidentStatus.CONFIRMED
    assert incident.confidentiality is Confidentiality.RESTRICTED  # none chosen
    assert [i.actor for i in incident.perpetrators] == ["syrian-government"]
    assert {(c.span.start, c.span.end, c.span.quote) for c in incident.claims} == {(start, start + len(exact), exact)}
    assert {c.field for c in incident.claims} == {ClaimField.EVENT_TYPE, ClaimField.VIOLATION,
                                                  ClaimField.PERPETRATOR, ClaimField.VICTIMS,
                                                  ClaimField.DESCRIPTION}
    assert {(c.method, c.created_by, c.note) for c in incident.claims} == {
        ("human", "amal", "from the activists' report")}


def test_offsets_must_hold_the_quote(ws: Workspace, source_id: int) -> None:
    start = TEXT.index("a barrel bomb")
    new_id = hand_entry.document(ws, user=DOCUMENTER, source_id=source_id, fields=FIELDS, quote="a barrel bomb",
                                 offsets=(start, start + 13))
    assert {(c.span.start, c.span.end) for c in repository.get_incident(ws.db, new_id).claims} == {
        (start, start + 13)}
    for quote, offsets, message in (("a barrel bomb", (0, 13), "does not match"),
                                    ("x", (5000, 5010), "outside the source text"),
                                    ("a chlorine attack", None, "not found")):
        with pytest.raises(ServiceError, match=message):
            hand_entry.document(ws, user=DOCUMENTER, source_id=source_id, fields=FIELDS, quote=quote,
                                offsets=offsets)
    assert [i.id for i in repository.list_incidents(ws.db)] == [new_id]


def test_who_may_document_what(ws: Workspace, source_id: int) -> None:
    public = IncidentChanges(event_type="air-drone-strike", confidentiality=Confidentiality.PUBLIC)
    with pytest.raises(PermissionDenied):  # viewers read no sources
        hand_entry.document(ws, user=VIEWER, source_id=source_id, fields=FIELDS, quote="barrel bomb")
    with pytest.raises(PermissionDenied):  # publishing is a reviewer's decision
        hand_entry.document(ws, user=DOCUMENTER, source_id=source_id, fields=public, quote="barrel bomb")
    with pytest.raises(NotFound):
        hand_entry.document(ws, user=DOCUMENTER, source_id=source_id + 1, fields=FIELDS, quote="barrel bomb")
    with pytest.raises(ServiceError, match="unknown event type"):
        hand_entry.document(ws, user=DOCUMENTER, source_id=source_id, fields=IncidentChanges(), quote="barrel bomb")
    assert repository.list_incidents(ws.db) == []
    new_id = hand_entry.document(ws, user=REVIEWER, source_id=source_id, fields=public, quote="barrel bomb")
    assert repository.get_incident(ws.db, new_id).confidentiality is Confidentiality.PUBLIC
