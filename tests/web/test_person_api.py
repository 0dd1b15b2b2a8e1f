"""The persons API: the people, one person's records and judgements, the queue, a decision, undo.

Who may call what is in test_api_access.py's table; here, what the answers say and do, and that a documenter or
a viewer is refused without a name in the answer.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from _client import form_token, signed_in
from _person_helpers import MODEL, NAME_MARKERS, cluster, plant

from tawthiq.services import Workspace


def _api(ws: Workspace, name: str, role: str) -> tuple[object, dict[str, str]]:
    client = signed_in(ws, name, role)
    return client, {"X-CSRF-Token": form_token(client.get("/").text)}


def test_people_person_queue_decide_and_undo(ws: Workspace, tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client, csrf = _api(ws, "rana", "reviewer")
    people = client.get("/api/persons").json()
    assert people["total"] == 5 and people["lists"] == {got.lists[0]: 2, got.lists[1]: 2, "reports": 1}
    first = people["items"][0]["records"][0]
    assert (first["id"], first["list"], first["record_id"], first["name"]) == (
        got.ar1, got.lists[0], "v1", "محمد أحمد قزاسم")  # as written
    assert first["fields"]["father_name"] == "أحمد" and first["extra"] == {"village": "أريحا 0"}
    assert first["source_id"] == got.sources[got.lists[0]]
    paged = client.get("/api/persons?per_page=2&page=2").json()
    assert [p["cluster_id"] for p in paged["items"]] == [got.la1, got.la2] and paged["has_next"]
    # A whole word of the name, any case (names are matched by their blind index: docs/identity-vault.md).
    assert [p["cluster_id"] for p in client.get(f"/api/persons?list={got.lists[1]}&q=QZHASAN").json()["items"]] == [
        got.la2]
    assert client.get("/api/persons?per_page=0").status_code == 400

    queue = client.get("/api/link/person-pairs").json()["items"]
    assert [(j["left"], j["right"]) for j in queue] == [(got.ar1, got.la1), (got.ar2, got.la2)]
    top = queue[0]
    assert top["verdict"] == "unsure" and top["by"] == "linker" and top["probability"] == 0.8
    assert top["model_version"] == MODEL and top["weights"]["given"] == 4.1 and top["levels"]["family"] == "different"
    assert len(client.get("/api/link/person-pairs?limit=1").json()["items"]) == 1

    made = client.post("/api/link/person-pairs", headers=csrf, json={"left": got.la1, "right": got.ar1,
                                                                     "verdict": "same", "comment": "same father"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["cluster"] == [got.ar1, got.la1] and cluster(ws, got.la1) == got.ar1
    judgement = body["judgement"]
    assert (judgement["left"], judgement["right"], judgement["by"], judgement["comment"]) == (
        got.ar1, got.la1, "rana", "same father")

    person = client.get(f"/api/persons/{got.la1}").json()
    assert person["record"]["id"] == got.la1 and person["cluster_id"] == got.ar1
    assert sorted(r["id"] for r in person["records"]) == [got.ar1, got.la1]
    assert [(j["by"], j["verdict"], j["in_force"]) for j in person["judgements"]] == [
        ("rana", "same", True), ("linker", "unsure", False)]
    assert "replaced by rana" in person["judgements"][1]["withdrawn_why"]

    undone = client.post(f"/api/link/person-judgements/{judgement['id']}/undo", headers=csrf,
                         json={"comment": "two men"})
    assert undone.status_code == 200 and not undone.json()["in_force"]
    assert undone.json()["withdrawn_by"] == "rana" and undone.json()["withdrawn_why"] == "two men"
    assert cluster(ws, got.la1) == got.la1
    again = client.post(f"/api/link/person-judgements/{judgement['id']}/undo", headers=csrf, json={})
    assert again.status_code == 409 and "already withdrawn" in again.json()["error"]


def test_bad_decisions_are_one_line_errors(ws: Workspace, tmp_path: Path) -> None:
    got = plant(ws, tmp_path)
    client, csrf = _api(ws, "rana", "reviewer")
    cases = [({"left": got.ar1, "right": got.ar1, "verdict": "same"}, 409),
             ({"left": got.ar1, "right": 999999, "verdict": "same"}, 404),
             ({"left": got.ar1, "right": got.la1, "verdict": "maybe"}, 400),
             ({"left": got.ar1, "right": got.la1, "verdict": "same", "extra": 1}, 400),
             ({"left": 0, "right": got.la1, "verdict": "same"}, 400)]
    for body, status in cases:
        answer = client.post("/api/link/person-pairs", headers=csrf, json=body)
        assert answer.status_code == status, (body, answer.text)
        assert set(answer.json()) == {"error", "status"}
    assert client.post("/api/link/person-pairs", json={"left": got.ar1, "right": got.la1,
                                                       "verdict": "same"}).status_code == 403  # no CSRF header
    assert client.get("/api/persons/999999").status_code == 404
    # An incident judgement is not a person judgement.
    assert client.post("/api/link/person-judgements/999999/undo", headers=csrf, json={}).status_code == 404
    assert cluster(ws, got.la1) == got.la1


@pytest.mark.parametrize("role", ["documenter", "viewer"])
def test_documenters_and_viewers_are_refused_without_a_name(ws: Workspace, tmp_path: Path, role: str) -> None:
    got = plant(ws, tmp_path)
    client, csrf = _api(ws, "nour", role)
    answers = [client.get("/api/persons"), client.get(f"/api/persons/{got.ar1}"),
               client.get("/api/link/person-pairs"),
               client.post("/api/link/person-pairs", headers=csrf,
                           json={"left": got.ar1, "right": got.la1, "verdict": "same"}),
               client.post("/api/link/person-judgements/1/undo", headers=csrf, json={})]
    assert [a.status_code for a in answers] == [403] * 5
    assert not [m for a in answers for m in NAME_MARKERS if m in json.dumps(a.json(), ensure_ascii=False)]
    assert cluster(ws, got.la1) == got.la1


def test_the_api_docs_list_the_person_endpoints(ws: Workspace) -> None:
    docs = signed_in(ws, "rana", "reviewer").get("/api/docs").text
    for path in ("/api/persons", "/api/persons/{record_id}", "/api/link/person-pairs",
                 "/api/link/person-judgements/{judgement_id}/undo"):
        assert path in docs, path
    assert "PersonRecordOut" in docs and "PersonJudgementOut" in docs
