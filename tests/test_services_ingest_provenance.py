"""Where pasted or uploaded material came from: author, date of publication, URL, from whom, grading, protection."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from _users import DOCUMENTER, VIEWER

from tawthiq.domain.access import Role, User
from tawthiq.services import Workspace, ingest
from tawthiq.services import reading as rec
from tawthiq.services.errors import PermissionDenied
from tawthiq.store import repository

# A role that may add material but not grade it: none today, so the documenter role is narrowed in the test.
INTAKE_ONLY = User(id=9, username="ina", role=Role.DOCUMENTER)
TEXT = "Shelling hit Douma yesterday, killing 4 civilians."


def _given(**values: str) -> ingest.Provenance:
    return ingest.Provenance.from_form(**values)


def _count(ws: Workspace) -> int:
    return repository.count_sources(ws.db)


def test_paste_records_where_it_came_from(ws: Workspace) -> None:
    given = _given(author="  Syrian Network for Human Rights ", published="2016-05-04",
                   url="https://example.org/report/7", received_from="By hand from a field researcher in Douma",
                   reliability="b", confidentiality="confidential")
    result = ingest.ingest_text(ws, user=DOCUMENTER, text=TEXT, title="Douma", provenance=given)
    [sid] = result.source_ids
    source = repository.get_source(ws.db, sid)
    assert source.author == "Syrian Network for Human Rights"
    assert source.published == date(2016, 5, 4)
    assert source.url == "https://example.org/report/7"
    assert source.metadata["received_from"] == "By hand from a field researcher in Douma"
    assert source.evaluation.reliability == "B" and source.evaluation.credibility == "6"
    assert source.evaluation.graded_by == "amal"
    # The grading went through the grading service: the audit trail says who graded it, from what.
    grades = [e for e in repository.history(ws.db, entity="source", entity_id=sid) if e.action == "grade"]
    assert [(g.user, g.before["reliability"], g.after["reliability"]) for g in grades] == [("amal", "F", "B")]
    # The date given is the extractor's "published": "yesterday" is the day before it.
    view = rec.get_source_view(ws, user=DOCUMENTER, source_id=sid)
    assert view.incidents
    incident = repository.get_incident(ws.db, view.incidents[0].id)
    assert incident.date is not None and incident.date.edtf == "2016-05-03"
    assert {i.confidentiality for i in view.incidents} == {"confidential"}


def test_nothing_said_keeps_the_defaults(ws: Workspace) -> None:
    result = ingest.ingest_text(ws, user=DOCUMENTER, text=TEXT, provenance=_given())
    source = repository.get_source(ws.db, result.source_ids[0])
    assert (source.author, source.url, source.published) == ("", "", None)
    assert "received_from" not in source.metadata
    assert source.evaluation.reliability == "F" and source.evaluation.graded_by is None
    view = rec.get_source_view(ws, user=DOCUMENTER, source_id=result.source_ids[0])
    assert {i.confidentiality for i in view.incidents} == {"restricted"}


def test_upload_records_it_too(ws: Workspace) -> None:
    given = _given(author="Local council", published="2016-06-02", url="http://council.example/notice",
                   received_from="WhatsApp, from the council's spokesman", reliability="C")
    result = ingest.ingest_upload(ws, user=DOCUMENTER, filename="notice.txt",
                                  data="Aircraft struck Ariha yesterday.".encode(), provenance=given)
    source = repository.get_source(ws.db, result.source_ids[0])
    assert (source.author, source.published, source.url) == ("Local council", date(2016, 6, 2),
                                                              "http://council.example/notice")
    assert source.metadata["received_from"] == "WhatsApp, from the council's spokesman"
    assert source.evaluation.reliability == "C"
    # The custody "received" entry says from whom, as given.
    from tawthiq.services import custody
    entries = custody.source_custody(ws, user=DOCUMENTER, source_id=source.id, sha256=source.sha256)
    [received] = [e for e in entries if e.event == "received"]
    assert received.details["from"] == "WhatsApp, from the council's spokesman"


@pytest.mark.parametrize(("values", "key", "message"), [
    ({"url": "ftp://example.org/x"}, "url_invalid", "http:// or https://"),
    ({"url": "javascript:alert(1)"}, "url_invalid", "http:// or https://"),
    ({"url": "https://"}, "url_invalid", "http:// or https://"),
    ({"url": "https://example.org/a b"}, "url_invalid", "http:// or https://"),
    ({"url": "https://example.org/" + "a" * 2000}, "url_long", "over 2000 characters"),
    ({"published": "2016-02-30"}, "date_invalid", "not a real date"),
    ({"published": "yesterday"}, "date_invalid", "not a real date"),
    ({"published": (datetime.now(UTC) + timedelta(days=2)).date().isoformat()}, "date_future", "in the future"),
    ({"received_from": "x" * 501}, "received_long", "over 500 characters"),
    ({"reliability": "G"}, "reliability_invalid", "not a reliability"),
    ({"confidentiality": "public"}, "confidentiality_invalid", "restricted or confidential"),
])
def test_a_bad_value_is_refused_and_nothing_is_stored(ws: Workspace, values: dict[str, str], key: str,
                                                      message: str) -> None:
    before = _count(ws)
    with pytest.raises(ingest.ProvenanceError, match=message) as caught:
        ingest.ingest_text(ws, user=DOCUMENTER, text=TEXT, provenance=_given(**values))
    assert caught.value.key == key and "\n" not in str(caught.value)
    assert _count(ws) == before


def test_a_future_date_is_refused_when_made_directly(ws: Workspace) -> None:
    with pytest.raises(ingest.ProvenanceError, match="in the future"):
        ingest.Provenance(published=date.today() + timedelta(days=3))
    assert ingest.Provenance(published=date.today()).published == date.today()  # today is not the future


def test_grading_needs_the_edit_role(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.domain import access

    with pytest.raises(PermissionDenied):
        ingest.ingest_text(ws, user=VIEWER, text=TEXT, provenance=_given(author="x"))
    rules = dict(access.ROLE_ACTIONS)
    rules[Role.DOCUMENTER] = frozenset({access.Action.INGEST, access.Action.READ_PUBLIC})
    monkeypatch.setattr(access, "ROLE_ACTIONS", rules)
    before = _count(ws)
    for values in ({"reliability": "A"}, {"confidentiality": "confidential"}):
        with pytest.raises(PermissionDenied, match="may not edit"):
            ingest.ingest_text(ws, user=INTAKE_ONLY, text=TEXT, provenance=_given(**values))
    assert _count(ws) == before
    result = ingest.ingest_text(ws, user=INTAKE_ONLY, text=TEXT, provenance=_given(author="Allowed author"))
    assert repository.get_source(ws.db, result.source_ids[0]).author == "Allowed author"
