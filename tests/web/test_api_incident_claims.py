"""GET /api/incidents/{id} sends an incident's thousands of claims a page at a time: `claims_offset` and
`claims_limit` choose the page, the answer tells how many there are and where the next page starts (null at the
end), following it reaches every claim exactly once, bad values are a one-line 400, the field names of before
are kept, and no page of claims reaches a viewer."""
from __future__ import annotations

import pytest
from _client import client_for, make_user
from _review_scale_helpers import CLAIMS, many_claims
from fastapi.testclient import TestClient

from tawthiq.domain import Claim, ClaimField, Confidentiality, Incident, IncidentStatus, Source, SourceKind
from tawthiq.services import Workspace, accounts, claim_pages
from tawthiq.store import repository

MAX_ANSWER_BYTES = 150_000  # all 3,000 claims made the answer 1.2 MB
QUOTED = "shelled village"  # in every claim's quote of the report (many_claims), nowhere a viewer may look


def _api(ws: Workspace, name: str, role: str) -> TestClient:
    user = make_user(ws, name, role)
    client = client_for(ws)
    client.headers["Authorization"] = f"Bearer {accounts.create_api_token(ws, user=user, name='script').token}"
    return client


def _walk(api: TestClient, incident_id: int, **params: int) -> tuple[list[int], int]:
    """Every claim id reached by following next_claims_offset from the start, and how many answers it took."""
    seen: list[int] = []
    offset: int | None = 0
    answers = 0
    while offset is not None:
        answer = api.get(f"/api/incidents/{incident_id}", params={**params, "claims_offset": offset})
        assert answer.status_code == 200, answer.text[:300]
        body = answer.json()
        assert body["claims_total"] == CLAIMS and body["claims_offset"] == offset
        assert 0 < len(body["claims"]) <= params.get("claims_limit", claim_pages.API_CLAIMS)
        seen += [c["id"] for c in body["claims"]]
        offset = body["next_claims_offset"]
        answers += 1
    return seen, answers


def test_the_claims_come_a_page_at_a_time_and_the_pages_hold_every_claim_once(ws: Workspace) -> None:
    incident_id, every = many_claims(ws)
    api = _api(ws, "nour", "documenter")
    first = api.get(f"/api/incidents/{incident_id}")
    assert first.status_code == 200 and len(first.content) < MAX_ANSWER_BYTES, len(first.content)
    body = first.json()
    assert (body["claims_total"], body["claims_offset"], body["next_claims_offset"]) == (
        CLAIMS, 0, claim_pages.API_CLAIMS)
    assert len(body["claims"]) == claim_pages.API_CLAIMS
    # The fields of before are all there, each claim with the same keys.
    assert {"id", "field", "value", "span", "method", "current", "superseded_by"} <= set(body["claims"][0])
    assert body["description"] == "Shelling of many villages, March 2019" and "history" in body
    seen, answers = _walk(api, incident_id)
    assert answers == CLAIMS // claim_pages.API_CLAIMS
    assert len(seen) == len(set(seen)) == CLAIMS and set(seen) == every
    # The same claims in the same order, whatever the page size.
    largest, answers = _walk(api, incident_id, claims_limit=claim_pages.MAX_API_CLAIMS)
    assert answers == 3 and largest == seen
    odd, _ = _walk(api, incident_id, claims_limit=7)
    assert odd == seen
    # The very end: an empty page with nothing after it.
    end = api.get(f"/api/incidents/{incident_id}", params={"claims_offset": CLAIMS}).json()
    assert end["claims"] == [] and end["next_claims_offset"] is None and end["claims_total"] == CLAIMS


def test_a_few_claims_come_whole_with_nothing_after_them(ws: Workspace) -> None:
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="d" * 64, title="short",
                                                        text="A short report: shelling on 1 March 2019."))
    incident_id = repository.add_incident(ws.db, Incident(
        event_type="shelling", source_id=source_id, description="Shelling", claims=[
            Claim(field=ClaimField.DATE, value=f"2019-03-0{n}", span=None, method="rule:test", source_id=source_id)
            for n in range(1, 4)]))
    body = _api(ws, "nour", "documenter").get(f"/api/incidents/{incident_id}").json()
    assert len(body["claims"]) == body["claims_total"] == 3 and body["next_claims_offset"] is None


@pytest.mark.parametrize(("params", "said"), [
    ({"claims_offset": -1}, "claims_offset"),
    ({"claims_offset": "abc"}, "claims_offset"),
    ({"claims_offset": CLAIMS + 1}, f"claims_offset {CLAIMS + 1} is past the end of the claims ({CLAIMS})"),
    ({"claims_limit": 0}, "claims_limit"),
    ({"claims_limit": claim_pages.MAX_API_CLAIMS + 1}, "claims_limit"),
    ({"claims_limit": "1.5"}, "claims_limit"),
])
def test_a_bad_offset_or_limit_is_a_one_line_400(ws: Workspace, params: dict[str, object], said: str) -> None:
    incident_id, _ = many_claims(ws)
    answer = _api(ws, "nour", "documenter").get(f"/api/incidents/{incident_id}", params=params)
    assert answer.status_code == 400, answer.text[:300]
    error = answer.json()["error"]
    assert said in error and "\n" not in error and "Traceback" not in answer.text


def test_the_openapi_document_describes_the_paging(ws: Workspace) -> None:
    doc = _api(ws, "nour", "documenter").get("/api/openapi.json").json()
    operation = doc["paths"]["/api/incidents/{incident_id}"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["claims_limit"]["schema"]["maximum"] == claim_pages.MAX_API_CLAIMS
    assert params["claims_limit"]["schema"]["default"] == claim_pages.API_CLAIMS
    assert "next_claims_offset" in params["claims_offset"]["description"]
    assert "next_claims_offset" in operation["description"] and "400" in operation["responses"]
    fields = doc["components"]["schemas"]["IncidentDetail"]["properties"]
    assert {"claims", "claims_total", "claims_offset", "next_claims_offset"} <= set(fields)
    assert all(fields[name].get("description") for name in ("claims_total", "next_claims_offset"))


def test_no_page_of_the_claims_reaches_a_viewer(ws: Workspace) -> None:
    """A viewer reads the public incident's public values on every page asked for, never a claim, its quote or
    their count; a documenter's same answers hold them, so they are there to leak."""
    incident_id, _ = many_claims(ws, confidentiality=Confidentiality.PUBLIC, status=IncidentStatus.VERIFIED)
    viewer = _api(ws, "visitor", "viewer")
    documenter = _api(ws, "nour", "documenter")
    for params in ({}, {"claims_limit": claim_pages.MAX_API_CLAIMS}, {"claims_offset": 0, "claims_limit": 1}):
        answer = viewer.get(f"/api/incidents/{incident_id}", params=params)
        assert answer.status_code == 200 and answer.json()["description"] == "Shelling of many villages, March 2019"
        body = answer.json()
        assert body["claims"] == [] and body["claims_total"] == 0 and body["next_claims_offset"] is None
        assert QUOTED not in answer.text and "corrected by hand" not in answer.text
        staff = documenter.get(f"/api/incidents/{incident_id}", params=params)
        assert QUOTED in staff.text and staff.json()["claims_total"] == CLAIMS
    # An offset into the claims the viewer does not have is past the end of theirs (none): their count stays 0.
    beyond = viewer.get(f"/api/incidents/{incident_id}", params={"claims_offset": 200})
    assert beyond.status_code == 400 and "(0)" in beyond.json()["error"] and QUOTED not in beyond.text
