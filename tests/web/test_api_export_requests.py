"""The JSON API of export requests (issue 13 §5): ask, read back one's own, and the reviewers' answers.

Markers are planted in each request's reason and in a decline's reason; every
response a role gets is searched for the markers that role may not see. A
documenter sees only their own requests (never another's reasons); a viewer
is refused the reviewers' list and answers; a reviewer cannot answer their own
request; a request answered once cannot be answered again.
"""
from __future__ import annotations

from typing import Any

import httpx
import pytest
from _client import client_for, form_token, make_user, signed_in

from tawthiq.domain.access import Role
from tawthiq.services import Workspace, accounts
from tawthiq.store.custody import iter_entries

DINA_REASON = "Qzdina-reason-7731"
OMAR_REASON = "Qzomar-reason-4410"
SAMI_REASON = "Qzsami-reason-9902"
DECLINE_REASON = "Qzdecline-omar-5518"
MARKERS = (DINA_REASON, OMAR_REASON, SAMI_REASON, DECLINE_REASON)


class Api:
    def __init__(self, ws: Workspace, username: str, role: Role) -> None:
        user = make_user(ws, username, role)
        self.token = accounts.create_api_token(ws, user=user, name="script").token
        self.client = client_for(ws)

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.client.request(method, path, json=body, headers={"Authorization": f"Bearer {self.token}"})


def _leaks(response: httpx.Response, allowed: tuple[str, ...] = ()) -> list[str]:
    return [m for m in MARKERS if m not in allowed and m in response.text]


def _refused(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.json() == {"error": response.json()["error"], "status": status}
    assert _leaks(response) == []


@pytest.fixture()
def apis(ws: Workspace) -> dict[str, Api]:
    made = {name: Api(ws, name, role) for name, role in (
        ("dina", Role.DOCUMENTER), ("omar", Role.DOCUMENTER), ("sami", Role.DOCUMENTER),
        ("vera", Role.VIEWER), ("rami", Role.REVIEWER))}
    return made


def test_ask_read_back_approve_and_decline(ws: Workspace, apis: dict[str, Api]) -> None:
    dina, omar, sami, vera, rami = (apis[n] for n in ("dina", "omar", "sami", "vera", "rami"))
    asked = dina.call("POST", "/api/export-requests", {"profile": "court", "reason": DINA_REASON})
    assert asked.status_code == 201, asked.text
    mine = asked.json()
    assert (mine["username"], mine["profile"], mine["reason"], mine["status"]) == ("dina", "court", DINA_REASON,
                                                                                  "pending")
    dina_id = mine["id"]
    omar_id = omar.call("POST", "/api/export-requests", {"profile": "court", "reason": OMAR_REASON}).json()["id"]
    sami_id = sami.call("POST", "/api/export-requests", {"profile": "partner", "reason": SAMI_REASON}).status_code
    assert sami_id == 400  # partner is a documenter's own: nothing to ask
    sami_id = sami.call("POST", "/api/export-requests", {"profile": "court", "reason": SAMI_REASON}).json()["id"]

    # Each documenter reads back their own requests only.
    own = dina.call("GET", "/api/export-requests")
    assert own.status_code == 200 and [r["id"] for r in own.json()] == [dina_id]
    assert _leaks(own, (DINA_REASON,)) == []
    assert _leaks(omar.call("GET", "/api/export-requests"), (OMAR_REASON,)) == []

    # Documenters and viewers: the reviewers' list and answers are refused, saying nothing of the requests.
    for caller in (dina, vera):
        _refused(caller.call("GET", "/api/export-requests/pending"), 403)
        _refused(caller.call("POST", f"/api/export-requests/{omar_id}/approve", {"hours": 2, "reason": "ok"}), 403)
        _refused(caller.call("POST", f"/api/export-requests/{omar_id}/decline", {"reason": "no"}), 403)
    viewers = vera.call("GET", "/api/export-requests")
    assert viewers.status_code == 200 and viewers.json() == [] and _leaks(viewers) == []

    # The reviewer sees every request waiting.
    pending = rami.call("GET", "/api/export-requests/pending")
    assert pending.status_code == 200
    assert {r["id"] for r in pending.json()} == {dina_id, omar_id, sami_id}
    assert {r["reason"] for r in pending.json()} == {DINA_REASON, OMAR_REASON, SAMI_REASON}

    # Bad input: one line each, nothing recorded.
    _refused(rami.call("POST", f"/api/export-requests/{dina_id}/approve", {"hours": 0, "reason": "ok"}), 400)
    _refused(rami.call("POST", f"/api/export-requests/{dina_id}/approve", {"hours": 2}), 400)
    _refused(rami.call("POST", f"/api/export-requests/{dina_id}/decline", {"reason": ""}), 400)
    _refused(rami.call("POST", "/api/export-requests/999999/approve", {"hours": 2, "reason": "ok"}), 404)
    _refused(dina.call("POST", "/api/export-requests", {"profile": "court"}), 400)
    _refused(dina.call("POST", "/api/export-requests", {"profile": "everyone", "reason": "x"}), 400)

    approved = rami.call("POST", f"/api/export-requests/{dina_id}/approve", {"hours": 2, "reason": "for the hearing"})
    assert approved.status_code == 201, approved.text
    assert (approved.json()["username"], approved.json()["approved_by"]) == ("dina", "rami")
    _refused(rami.call("POST", f"/api/export-requests/{dina_id}/approve", {"hours": 2, "reason": "again"}), 400)
    declined = rami.call("POST", f"/api/export-requests/{omar_id}/decline", {"reason": DECLINE_REASON})
    assert declined.status_code == 201 and declined.json()["request"] == omar_id
    _refused(rami.call("POST", f"/api/export-requests/{omar_id}/decline", {"reason": "again"}), 400)

    (dinas,) = dina.call("GET", "/api/export-requests").json()
    assert (dinas["status"], dinas["decided_by"]) == ("approved", "rami")
    omars = omar.call("GET", "/api/export-requests")
    assert [(r["status"], r["decision_reason"]) for r in omars.json()] == [("declined", DECLINE_REASON)]
    assert _leaks(omars, (OMAR_REASON, DECLINE_REASON)) == []
    assert _leaks(dina.call("GET", "/api/export-requests"), (DINA_REASON,)) == []
    assert dina.call("GET", "/api/export?format=json&profile=court").status_code == 200  # the approval works
    assert omar.call("GET", "/api/export?format=json&profile=court").status_code == 403

    # Sami, promoted to reviewer, cannot answer the request he made himself (another reviewer must).
    accounts.set_role(ws, actor=None, username="sami", role=Role.REVIEWER, comment="promoted")
    own_pending = sami.call("GET", "/api/export-requests/pending")
    assert [r["id"] for r in own_pending.json()] == [sami_id]
    for path, body in ((f"/api/export-requests/{sami_id}/approve", {"hours": 2, "reason": "self"}),
                       (f"/api/export-requests/{sami_id}/decline", {"reason": "self"})):
        refused = sami.call("POST", path, body)
        _refused(refused, 403)
        assert "another reviewer" in refused.json()["error"]
    assert not [e for e in iter_entries(ws.db) if e.event in ("approved", "declined") and e.actor == "sami"]


def test_a_browser_session_needs_the_csrf_token(ws: Workspace) -> None:
    browser = signed_in(ws, "layla", "documenter")
    body = {"profile": "court", "reason": DINA_REASON}
    refused = browser.post("/api/export-requests", json=body)
    assert refused.status_code == 403 and _leaks(refused) == []
    token = form_token(browser.get("/exports/request").text)
    asked = browser.post("/api/export-requests", json=body, headers={"X-CSRF-Token": token})
    assert asked.status_code == 201 and asked.json()["username"] == "layla"
    assert [e.reason for e in iter_entries(ws.db) if e.event == "requested"] == [DINA_REASON]
