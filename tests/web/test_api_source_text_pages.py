"""GET /api/sources/{id} sends a long text a page at a time: `text_offset` and `text_limit` choose the page, the
answer tells the whole length and where the next page starts (null at the end), evidence offsets stay absolute,
bad values are a one-line 400, and no page of a confidential source's text reaches a viewer."""
from __future__ import annotations

import json

import pytest
from _client import client_for, make_user
from fastapi.testclient import TestClient

from tawthiq.domain import Claim, ClaimField, Confidentiality, Incident, Source, SourceKind, Span
from tawthiq.services import Workspace, accounts, source_page
from tawthiq.store import repository

PARAGRAPH = "تقرير طويل عن الأوضاع الإنسانية في المنطقة. A long report, paragraph after paragraph.\n\n"
LENGTH = 2_000_000  # a 2 M-character paste
MARKER = "Qzpagedsecret"  # a witness's name, planted on every page of a confidential incident's source
ACT = f"On 3 March 2019 government shelling of Ariha killed four civilians, said {MARKER}."


def _long_source(ws: Workspace) -> tuple[int, int, list[int], str]:
    """A 2 M-character source with ACT (and so MARKER) starting every 100,000 characters, and a confidential
    incident whose evidence is the last of them: (source id, incident id, ACT's starts, the text)."""
    parts: list[str] = []
    starts: list[int] = []
    at = 0
    while at < LENGTH:
        filler = (PARAGRAPH * (90_000 // len(PARAGRAPH) + 1))[:90_000 + (-at) % 7]
        parts += [filler, ACT, "\n\n"]
        starts.append(at + len(filler))
        at += len(filler) + len(ACT) + 2
    text = "".join(parts)
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="d" * 64, text=text,
                                                        title="Long report", language="ar"))
    last = starts[-1]
    incident_id = repository.add_incident(ws.db, Incident(
        event_type="shelling", source_id=source_id, description="Shelling of Ariha",
        confidentiality=Confidentiality.CONFIDENTIAL, evidence=[Span.of(text, last, last + len(ACT))],
        claims=[Claim(field=ClaimField.EVENT_TYPE, value="shelling", method="rule:test", source_id=source_id,
                      span=Span.of(text, last + ACT.index("shelling"), last + ACT.index("shelling") + 8))]))
    return source_id, incident_id, starts, text


def _api(ws: Workspace, name: str, role: str) -> TestClient:
    user = make_user(ws, name, role)
    client = client_for(ws)
    client.headers["Authorization"] = f"Bearer {accounts.create_api_token(ws, user=user, name='script').token}"
    return client


def test_the_text_comes_a_page_at_a_time_and_the_pages_joined_are_the_text(ws: Workspace) -> None:
    source_id, incident_id, starts, text = _long_source(ws)
    api = _api(ws, "nour", "documenter")
    first = api.get(f"/api/sources/{source_id}")
    assert first.status_code == 200
    body = first.json()
    assert len(first.content) < 2 * source_page.TEXT_PAGE * 4  # a page, not megabytes
    assert (body["text_offset"], body["text_length"], body["next_text_offset"]) == (0, len(text),
                                                                                   source_page.TEXT_PAGE)
    assert body["text"] == text[:source_page.TEXT_PAGE]
    assert body["incident_ids"] == [incident_id] and body["title"] == "Long report"  # the rest as before
    # Follow next_text_offset to the end: the pages joined are the text, in as many pages as it takes.
    pages, offset = [body["text"]], body["next_text_offset"]
    while offset is not None:
        page = api.get(f"/api/sources/{source_id}", params={"text_offset": offset, "text_limit": 300_000}).json()
        assert page["text_offset"] == offset and page["text_length"] == len(text)
        pages.append(page["text"])
        offset = page["next_text_offset"]
    assert "".join(pages) == text and len(pages) == 1 + -(-(len(text) - source_page.TEXT_PAGE) // 300_000)
    # An evidence span's offsets are into the whole text: found on the page holding them, shifted by its offset.
    (evidence,) = api.get(f"/api/incidents/{incident_id}").json()["evidence"]
    assert evidence["start"] == starts[-1]
    page = api.get(f"/api/sources/{source_id}", params={"text_offset": evidence["start"] - 10,
                                                        "text_limit": 1_000}).json()
    at = evidence["start"] - page["text_offset"]
    assert page["text"][at:at + evidence["end"] - evidence["start"]] == evidence["quote"] == ACT
    # The last characters, and the very end (an empty page, nothing after it).
    tail = api.get(f"/api/sources/{source_id}", params={"text_offset": len(text) - 5}).json()
    assert tail["text"] == text[-5:] and tail["next_text_offset"] is None
    end = api.get(f"/api/sources/{source_id}", params={"text_offset": len(text)}).json()
    assert end["text"] == "" and end["next_text_offset"] is None


def test_a_short_text_is_one_page_as_before(ws: Workspace) -> None:
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="e" * 64, text="قصف على أريحا.",
                                                        title="short"))
    body = _api(ws, "rania", "reviewer").get(f"/api/sources/{source_id}").json()
    assert body["text"] == "قصف على أريحا." and body["text_length"] == 14 and body["next_text_offset"] is None


@pytest.mark.parametrize(("params", "said"), [
    ({"text_offset": "-1"}, "text_offset: Input should be greater than or equal to 0"),
    ({"text_offset": "abc"}, "text_offset: Input should be a valid integer"),
    ({"text_offset": "1.5"}, "text_offset: Input should be a valid integer"),
    ({"text_limit": "0"}, "text_limit: Input should be greater than or equal to 1"),
    ({"text_limit": "-5"}, "text_limit: Input should be greater than or equal to 1"),
    ({"text_limit": "ten"}, "text_limit: Input should be a valid integer"),
    ({"text_limit": str(source_page.MAX_TEXT_PAGE + 1)}, "text_limit: Input should be less than or equal to 1000000"),
    ({"text_offset": "99999999999999999999999"}, "text_offset: Input should be"),
    ({"text_offset": str(2 * LENGTH)}, f"text_offset {2 * LENGTH} is past the end of the text ("),
])
def test_bad_paging_values_are_a_one_line_400(ws: Workspace, params: dict[str, str], said: str) -> None:
    source_id, *_ = _long_source(ws)
    answer = _api(ws, "nour", "documenter").get(f"/api/sources/{source_id}", params=params)
    assert answer.status_code == 400, answer.text[:300]
    error = answer.json()["error"]
    assert error.startswith(said) and "\n" not in error and "Traceback" not in answer.text
    assert MARKER not in answer.text


def test_the_openapi_document_describes_the_paging(ws: Workspace) -> None:
    document = _api(ws, "nour", "documenter").get("/api/openapi.json").json()
    operation = document["paths"]["/api/sources/{source_id}"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["text_offset"]["schema"]["minimum"] == 0
    assert "next_text_offset" in params["text_offset"]["description"]
    assert params["text_limit"]["schema"]["maximum"] == source_page.MAX_TEXT_PAGE
    assert params["text_limit"]["schema"]["default"] == source_page.TEXT_PAGE
    assert "next_text_offset" in operation["description"]
    assert "evidence span" in operation["description"]
    fields = document["components"]["schemas"]["SourceEvidenceOut"]["properties"]
    assert {"text", "text_offset", "text_length", "next_text_offset", "incident_ids"} <= set(fields)


def test_no_page_of_a_confidential_sources_text_reaches_a_viewer(ws: Workspace) -> None:
    source_id, _, starts, text = _long_source(ws)
    viewer, reviewer = _api(ws, "viewer1", "viewer"), _api(ws, "rania", "reviewer")
    offsets = [0, *range(source_page.TEXT_PAGE, len(text), source_page.TEXT_PAGE), len(text) - 1, len(text)]
    asked = [{"text_offset": str(o)} for o in offsets] + [
        {"text_offset": str(s - 5), "text_limit": "100"} for s in starts] + [
        {"text_limit": str(source_page.MAX_TEXT_PAGE)}, {"text_offset": str(len(text) + 1)}, {"text_limit": "0"},
        {"text_offset": "abc"}]
    for params in asked:
        seen = viewer.get(f"/api/sources/{source_id}", params=params)
        assert seen.status_code in (400, 403), (params, seen.status_code)
        assert MARKER not in seen.text and ACT[:30] not in seen.text and str(len(text)) not in seen.text, params
        assert set(json.loads(seen.text)) == {"error", "status"}
    # The same pages as a reviewer hold the marker: it was planted on each of them.
    for s in starts:
        page = reviewer.get(f"/api/sources/{source_id}", params={"text_offset": str(s - 5), "text_limit": "100"})
        assert MARKER in page.json()["text"]
    assert MARKER in reviewer.get(f"/api/sources/{source_id}", params={"text_offset": "0"}).json()["text"]
    assert client_for(ws).get(f"/api/sources/{source_id}", params={"text_offset": "0"}).status_code == 401
