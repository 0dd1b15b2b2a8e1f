"""The linking API: the queue, a decision, undo, an incident's judgements and its corroboration matrix.

Who may call what is in test_api_access.py's table; here, what the answers say and do.
"""
from __future__ import annotations

from _client import form_token, signed_in
from _link_helpers import MODEL, plant

from tawthiq.services import Workspace


def _api(ws: Workspace, name: str, role: str) -> tuple[object, dict[str, str]]:
    client = signed_in(ws, name, role)
    return client, {"X-CSRF-Token": form_token(client.get("/").text)}


def test_queue_decide_judgements_undo_and_corroboration(ws: Workspace) -> None:
    linked = plant(ws)
    client, csrf = _api(ws, "nour", "documenter")
    queue = client.get("/api/link/pairs").json()["items"]
    assert [(j["left"], j["right"]) for j in queue] == [(linked.en, linked.ar), (linked.ar, linked.other)]
    top = queue[0]
    assert top["verdict"] == "unsure" and top["by"] == "linker" and not top["by_person"]
    assert top["probability"] == 0.8 and top["model_version"] == MODEL and top["in_force"]
    assert top["weights"]["victims"] == -2.0 and top["levels"]["date"] == "same day"
    assert len(client.get("/api/link/pairs?limit=1").json()["items"]) == 1
    assert client.get("/api/link/pairs?limit=0").status_code == 400

    made = client.post("/api/link/pairs", headers=csrf, json={"left": linked.ar, "right": linked.en,
                                                              "verdict": "same", "comment": "one strike"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["cluster"] == [linked.en, linked.ar]
    judgement = body["judgement"]
    assert (judgement["left"], judgement["right"], judgement["by"], judgement["comment"]) == (
        linked.en, linked.ar, "nour", "one strike")
    history = client.get(f"/api/incidents/{linked.en}/judgements").json()["items"]
    assert [(j["by"], j["verdict"], j["in_force"]) for j in history] == [
        ("linker", "unsure", False), ("nour", "same", True)]
    assert "replaced by nour" in history[0]["withdrawn_why"]

    matrix = client.get(f"/api/incidents/{linked.ar}/corroboration").json()
    assert matrix["members"] == [linked.en, linked.ar] and matrix["independent_sources"] == 2
    place = [f for f in matrix["fields"] if f["field"] == "place"]
    assert len(place) == 1 and place[0]["independent"] == 2
    assert sorted(place[0]["sources"]) == sorted([linked.sources[linked.en], linked.sources[linked.ar]])

    undone = client.post(f"/api/link/judgements/{judgement['id']}/undo", headers=csrf,
                         json={"comment": "two raids"})
    assert undone.status_code == 200 and not undone.json()["in_force"]
    assert undone.json()["withdrawn_by"] == "nour" and undone.json()["withdrawn_why"] == "two raids"
    assert client.get(f"/api/incidents/{linked.en}/corroboration").json()["members"] == [linked.en]
    again = client.post(f"/api/link/judgements/{judgement['id']}/undo", headers=csrf, json={})
    assert again.status_code == 409 and "already withdrawn" in again.json()["error"]


def test_bad_decisions_are_one_line_errors(ws: Workspace) -> None:
    linked = plant(ws)
    client, csrf = _api(ws, "nour", "documenter")
    cases = [({"left": linked.en, "right": linked.en, "verdict": "same"}, 409),
             ({"left": linked.en, "right": 999999, "verdict": "same"}, 404),
             ({"left": linked.en, "right": linked.ar, "verdict": "maybe"}, 400),
             ({"left": linked.en, "right": linked.ar, "verdict": "same", "extra": 1}, 400),
             ({"left": 0, "right": linked.ar, "verdict": "same"}, 400)]
    for body, status in cases:
        answer = client.post("/api/link/pairs", headers=csrf, json=body)
        assert answer.status_code == status, (body, answer.text)
        assert set(answer.json()) == {"error", "status"}
    assert client.post("/api/link/pairs", json={"left": linked.en, "right": linked.ar,
                                                "verdict": "same"}).status_code == 403  # no CSRF header
    assert client.get("/api/incidents/999999/judgements").status_code == 404
    assert client.get("/api/incidents/999999/corroboration").status_code == 404


def test_the_api_docs_list_the_linking_endpoints(ws: Workspace) -> None:
    client = signed_in(ws, "nour", "documenter")
    docs = client.get("/api/docs").text
    for path in ("/api/link/pairs", "/api/link/judgements/{judgement_id}/undo",
                 "/api/incidents/{incident_id}/judgements", "/api/incidents/{incident_id}/corroboration"):
        assert path in docs, path
    assert "CorroborationOut" in docs and "JudgementOut" in docs
