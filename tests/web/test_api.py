"""What the JSON API does: filters, edits with history, review decisions, merges, hand-made
incidents with cited spans, Arabic search, exports, and tokens that stop working."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from _api_helpers import Fixture, client, populate
from tawthiq.services import Workspace, accounts


@pytest.fixture
def fx(ws: Workspace) -> Fixture:
    return populate(ws, ws.settings.data_dir)


class Api:
    """A client signed with one role's API token."""

    def __init__(self, ws: Workspace, fx: Fixture, role: str) -> None:
        self.c: TestClient = client(ws)
        self.headers = {"Authorization": f"Bearer {fx.tokens[role]}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.c.get(path, params=params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        return self.c.request(method, path, json=body, headers=self.headers)


def test_list_filters_sort_and_pages(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    everything = api.get("/api/incidents", sort="id").json()
    assert everything["total"] == len(everything["items"]) >= 3
    assert [i["id"] for i in everything["items"]] == sorted(i["id"] for i in everything["items"])
    shelling = api.get("/api/incidents", event_type="shelling-artillery-missile-attack").json()
    assert shelling["total"] >= 2
    assert {i["event_type"] for i in shelling["items"]} == {"shelling-artillery-missile-attack"}
    assert {i["location"]["admin1"] for i in shelling["items"]} == {"Rif Dimashq"}
    in_idlib = api.get("/api/incidents", governorate="Idlib").json()["items"]
    assert in_idlib and {i["location"]["admin1"] for i in in_idlib} == {"Idlib"}
    public = api.get("/api/incidents", confidentiality="public").json()
    assert [i["id"] for i in public["items"]] == [fx.ids["P"]]
    dated = api.get("/api/incidents", date_from="2019-01-01").json()["items"]
    assert dated and all(i["date"]["end"] >= "2019-01-01" for i in dated)
    page = api.get("/api/incidents", per_page=1, page=2, sort="id").json()
    assert page["per_page"] == 1 and page["page"] == 2 and page["pages"] == everything["total"]
    assert page["items"][0]["id"] == everything["items"][1]["id"]
    bad = api.get("/api/incidents", date_from="yesterday")
    assert bad.status_code == 400 and "date_from" in bad.json()["error"]
    # The CLI's --place: a whole place name in either script, as the gazetteer names it.
    in_douma = api.get("/api/incidents", place="Douma").json()["items"]
    assert in_douma and {i["location"]["admin1"] for i in in_douma} == {"Rif Dimashq"}
    assert api.get("/api/incidents", place="Dou").json()["total"] == 0
    assert api.get("/api/incidents", sort="random").status_code == 400
    assert api.get("/api/incidents", per_page=10_000).status_code == 400


def test_viewer_sees_only_public_incidents_and_no_quotes_or_history(ws: Workspace, fx: Fixture) -> None:
    viewer = Api(ws, fx, "viewer")
    listed = viewer.get("/api/incidents").json()
    assert [i["id"] for i in listed["items"]] == [fx.ids["P"]] and listed["total"] == 1
    assert viewer.get("/api/incidents", confidentiality="restricted").json()["total"] == 0
    one = viewer.get(f"/api/incidents/{fx.ids['P']}").json()
    assert one["confidentiality"] == "public"
    assert one["evidence"] == [] and one["history"] == [] and one["source_ids"] == []
    assert all(c["span"] is None for c in one["claims"])
    staff = Api(ws, fx, "documenter").get(f"/api/incidents/{fx.ids['P']}").json()
    assert staff["evidence"] and staff["source_ids"] == [fx.ids["S"]]
    assert staff["history"][-1]["comment"] == "cleared for publication"
    missing = viewer.get(f"/api/incidents/{fx.ids['R']}")
    assert missing.status_code == 404 and missing.json() == {"error": f"no incident with id {fx.ids['R']}",
                                                            "status": 404}


def test_incident_json_follows_the_contract_vocabulary(ws: Workspace, fx: Fixture) -> None:
    one = Api(ws, fx, "admin").get(f"/api/incidents/{fx.ids['R']}").json()
    for key in ("event_type", "violations", "perpetrators", "victims", "location", "date", "evidence",
                "confidence", "id", "status", "confidentiality", "claims", "history", "source_ids"):
        assert key in one, key
    assert one["location"]["name"] == "Douma" and one["location"]["country"] == "SY"
    assert one["date"]["edtf"].startswith("2017-11")
    assert {"start", "end", "quote"} <= set(one["evidence"][0])
    claim = one["claims"][0]
    assert claim["method"].startswith("rule:") and claim["created_by"] == "system"


def test_update_records_before_after_and_comment(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    path = f"/api/incidents/{fx.ids['R']}"
    old = api.get(path).json()["violations"]
    new = [v for v in ("killing", "torture", "prohibited-weapons") if v not in old][:2]
    without_reason = api.send("PATCH", path, {"violations": new})
    assert without_reason.status_code == 400 and "comment" in without_reason.json()["error"]
    done = api.send("PATCH", path, {"violations": new,
                                    "description": "قصف صاروخي على دوما", "comment": "the video shows it"})
    assert done.status_code == 200
    body = done.json()
    assert sorted(body["changed"]) == ["description", "violations"]
    assert body["incident"]["violations"] == new
    assert body["incident"]["description"] == "قصف صاروخي على دوما"
    entry = body["incident"]["history"][-1]
    assert entry["user"] == "documenter1" and entry["comment"] == "the video shows it"
    assert entry["after"]["violations"] == new and entry["before"]["violations"] == old
    human = [c for c in body["incident"]["claims"] if c["created_by"] == "documenter1"]
    assert {c["value"] for c in human if c["field"] == "violation"} == set(new)
    # The same change again changes nothing and records nothing.
    again = api.send("PATCH", path, {"violations": new, "comment": "again"})
    assert again.json()["changed"] == [] and len(again.json()["incident"]["history"]) == len(
        body["incident"]["history"])
    assert api.send("PATCH", path, {"event_type": "not-a-type", "comment": "x"}).status_code == 400
    assert api.send("PATCH", path, {"colour": "red"}).status_code == 400  # unknown field
    assert api.send("PATCH", path, {"victims": [{"outcome": "vanished"}], "comment": "x"}).status_code == 400


def test_publishing_needs_a_reviewer(ws: Workspace, fx: Fixture) -> None:
    path = f"/api/incidents/{fx.ids['R']}"
    body = {"confidentiality": "public", "comment": "cleared"}
    assert Api(ws, fx, "documenter").send("PATCH", path, body).status_code == 403
    assert Api(ws, fx, "viewer").get(path).status_code == 404
    assert Api(ws, fx, "reviewer").send("PATCH", path, body).status_code == 200
    assert Api(ws, fx, "viewer").get(path).status_code == 200


def test_review_decisions(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "reviewer")
    path = f"/api/incidents/{fx.ids['R']}"
    no_reason = api.send("POST", f"{path}/reject", {"comment": "  "})
    assert no_reason.status_code == 400 and "comment" in no_reason.json()["error"]
    assert api.send("POST", f"{path}/reject", {}).status_code == 400
    assert api.get(path).json()["status"] == "suggested"
    accepted = api.send("POST", f"{path}/accept")  # no body at all is fine
    assert accepted.status_code == 200 and accepted.json()["status"] == "confirmed"
    verified = api.send("POST", f"{path}/verify", {"comment": "two sources agree"})
    assert verified.json()["status"] == "verified"
    entry = verified.json()["history"][-1]
    assert entry["before"] == {"status": "confirmed"} and entry["after"] == {"status": "verified"}
    assert entry["user"] == "reviewer1" and entry["comment"] == "two sources agree"
    other = f"/api/incidents/{fx.ids['R2']}"
    rejected = api.send("POST", f"{other}/reject", {"comment": "a repeat of the first report"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert Api(ws, fx, "documenter").send("POST", f"{path}/verify", {}).status_code == 403


def test_merge(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    r, r2 = fx.ids["R"], fx.ids["R2"]
    claims_before = len(api.get(f"/api/incidents/{r2}").json()["claims"])
    merged = api.send("POST", f"/api/incidents/{r}/merge", {"into_id": r2, "comment": "same shelling"})
    assert merged.status_code == 200
    body = merged.json()
    assert body["merged"] == r and body["into"] == r2 and body["claims_copied"] > 0
    assert r in body["incident"]["merged_from"]
    assert len(body["incident"]["claims"]) == claims_before + body["claims_copied"]
    old = api.get(f"/api/incidents/{r}").json()
    assert old["status"] == "merged" and old["merged_into_id"] == r2
    assert r not in [i["id"] for i in api.get("/api/incidents").json()["items"]]
    assert r in [i["id"] for i in api.get("/api/incidents", status="merged").json()["items"]]
    twice = api.send("POST", f"/api/incidents/{r}/merge", {"into_id": r2, "comment": "again"})
    assert twice.status_code == 409 and twice.json()["status"] == 409
    itself = api.send("POST", f"/api/incidents/{r2}/merge", {"into_id": r2})
    assert itself.status_code == 409
    assert api.send("POST", f"/api/incidents/{r2}/merge", {"into_id": 999999}).status_code == 404


def test_create_with_a_cited_span(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    start, end = fx.span
    body = {"event_type": "air-drone-strike", "violations": ["attack-on-protected-objects"],
            "perpetrators": [{"actor": "syrian-government", "text": "regime jets"}],
            "victims": [{"outcome": "injured", "kind": "civilian", "count_min": 3, "count_max": 5}],
            "location": {"name": "Ariha", "admin1": "Idlib", "lat": 35.81, "lon": 36.61, "precision": "town"},
            "date": {"edtf": "2019-05-12", "text": "12 May 2019"}, "description": "A second strike.",
            "source_id": fx.ids["S"], "spans": {"event_type": {"start": start, "end": end}},
            "comment": "documented from the field report"}
    created = api.send("POST", "/api/incidents", body)
    assert created.status_code == 201, created.text
    one = created.json()
    assert one["status"] == "confirmed" and one["confidentiality"] == "restricted"
    assert one["perpetrators"][0]["actor"] == "syrian-government"
    assert one["victims"][0]["count_max"] == 5 and one["date"]["precision"] == "day"
    cited = [c for c in one["claims"] if c["field"] == "event_type"]
    assert cited[0]["span"] == {"start": start, "end": end, "quote": "strikes hit"}
    assert cited[0]["created_by"] == "documenter1" and cited[0]["source_id"] == fx.ids["S"]
    assert api.get(f"/api/incidents/{one['id']}").status_code == 200

    wrong_quote = {**body, "spans": {"event_type": {"start": start, "end": end, "quote": "made up"}}}
    assert api.send("POST", "/api/incidents", wrong_quote).status_code == 400
    outside = {**body, "spans": {"event_type": {"start": 10**6, "end": 10**6 + 5}}}
    assert api.send("POST", "/api/incidents", outside).status_code == 400
    no_source = {**body, "source_id": None}
    assert api.send("POST", "/api/incidents", no_source).status_code == 400
    assert api.send("POST", "/api/incidents", {**body, "date": {"edtf": "someday"}}).status_code == 400
    assert api.send("POST", "/api/incidents", {**body, "event_type": "picnic"}).status_code == 400


def test_add_source_text(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    text = "قتل ثلاثة مدنيين بقصف مدفعي على مدينة دوما في ريف دمشق يوم 3 آذار 2018."
    added = api.send("POST", "/api/sources", {"text": text, "title": "تقرير ميداني", "language": "ar"})
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["status"] == "new" and len(body["source_ids"]) == 1
    assert body["incidents"] == len(body["incident_ids"]) >= 1
    source = api.get(f"/api/sources/{body['source_ids'][0]}").json()
    assert source["text"] == text and source["incident_ids"] == body["incident_ids"]
    again = api.send("POST", "/api/sources", {"text": text})
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert api.send("POST", "/api/sources", {"text": ""}).status_code == 400
    listed = api.get("/api/sources").json()["items"]
    assert body["source_ids"][0] in [s["id"] for s in listed]


def test_upload_a_file(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "reviewer")
    data = (Path(__file__).resolve().parents[2] / "samples" / "04-al-bab-kidnapping.eml").read_bytes()
    sent = api.c.post("/api/sources/upload", files={"file": ("../../evil/04.eml", data, "message/rfc822")},
                      headers=api.headers)
    assert sent.status_code == 201, sent.text
    source = api.get(f"/api/sources/{sent.json()['source_ids'][0]}").json()
    assert source["original_name"] == "04.eml" and source["kind"] == "email"
    assert source["sha256"] == hashlib.sha256(data).hexdigest()
    too_big = api.c.post("/api/sources/upload", headers=api.headers,
                         files={"file": ("big.txt", b"x" * (ws.settings.max_file_size + 10), "text/plain")})
    assert too_big.status_code == 400 and "size limit" in too_big.json()["error"]
    assert api.c.post("/api/sources/upload", headers=api.headers).status_code == 400  # no file


def test_search_in_arabic_respects_visibility(ws: Workspace, fx: Fixture) -> None:
    staff = Api(ws, fx, "documenter").get("/api/search", q="دوما")
    assert staff.status_code == 200
    hits = staff.json()["hits"]
    assert {h["kind"] for h in hits} == {"incident", "source"}
    assert {fx.ids["R"], fx.ids["R2"]} <= {h["id"] for h in hits if h["kind"] == "incident"}
    # Hamza and alef variants fold: 'اريحا' finds the place written 'أريحا'.
    viewer = Api(ws, fx, "viewer")
    assert [(h["kind"], h["id"]) for h in viewer.get("/api/search", q="اريحا").json()["hits"]] == [
        ("incident", fx.ids["P"])]
    assert viewer.get("/api/search", q="دوما").json()["hits"] == []  # restricted incidents, a source
    ariha = viewer.get("/api/search", q="Ariha").json()["hits"]
    assert [(h["kind"], h["id"]) for h in ariha] == [("incident", fx.ids["P"])]
    assert viewer.get("/api/search", q="").status_code == 400


def test_export_formats(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "reviewer")
    as_csv = api.get("/api/export", format="csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    total = api.get("/api/incidents").json()["total"]
    assert len(rows) == total and {"event_type", "lat", "killed_min"} <= set(rows[0])
    as_json = api.get("/api/export", format="json", event_type="shelling-artillery-missile-attack").json()
    assert as_json and {r["event_type"] for r in as_json} == {"shelling-artillery-missile-attack"}
    geo = api.get("/api/export", format="geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    collection = json.loads(geo.text)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == total
    located = [f for f in collection["features"] if f["geometry"]]
    assert located and located[0]["geometry"]["type"] == "Point"
    viewer = json.loads(Api(ws, fx, "viewer").get("/api/export", format="json").text)
    assert [r["id"] for r in viewer] == [fx.ids["P"]] and viewer[0]["evidence"] == []
    assert api.get("/api/export", format="xlsx").status_code == 400


def test_revoked_token_is_401(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "reviewer")
    assert api.get("/api/me").json()["role"] == "reviewer"
    user = accounts.get_user(ws, actor=None, username="reviewer1")
    (token,) = accounts.list_api_tokens(ws, user=user)
    accounts.revoke_api_token(ws, user=user, token_id=token.id)
    response = api.get("/api/me")
    assert response.status_code == 401 and response.json()["status"] == 401


def test_disabled_users_token_is_401(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    assert api.get("/api/incidents").status_code == 200
    accounts.set_disabled(ws, actor=None, username="documenter1", disabled=True, comment="left the team")
    assert api.get("/api/incidents").status_code == 401
    assert api.send("POST", f"/api/incidents/{fx.ids['R']}/accept").status_code == 401
    accounts.set_disabled(ws, actor=None, username="documenter1", disabled=False)
    # Disabling revoked the token: re-enabling the account does not bring it back.
    assert api.get("/api/incidents").status_code == 401


def test_me_says_who_and_what(ws: Workspace, fx: Fixture) -> None:
    me = Api(ws, fx, "documenter").get("/api/me").json()
    assert me["username"] == "documenter1" and me["role"] == "documenter" and me["via_token"] is True
    assert "edit" in me["actions"] and "verify" not in me["actions"]


def test_openapi_document_and_docs_page(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "viewer")
    doc = api.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert all(path.startswith("/api/") for path in doc["paths"])
    verify = doc["paths"]["/api/incidents/{incident_id}/verify"]["post"]
    assert verify["x-roles"] == ["admin", "reviewer"] and verify["x-required-action"] == "verify"
    listing = doc["paths"]["/api/incidents"]["get"]
    assert {"event_type", "q", "page", "per_page", "sort"} <= {p["name"] for p in listing["parameters"]}
    assert "IncidentDetail" in doc["components"]["schemas"]
    forms = [name for name in doc["components"]["schemas"] if name.startswith("Body_")]
    assert forms == ["Body_source_upload_api_sources_upload_post"]  # the upload; no page forms
    assert "HTTPValidationError" not in doc["components"]["schemas"]  # invalid input is a 400 here
    session = doc["components"]["securitySchemes"]["session"]
    assert session["name"] == "__Host-tawthiq_session" and "TAWTHIQ_COOKIE_SECURE" in session["description"]
    assert set(verify["responses"]) == {"200", "400", "401", "403", "404", "409"}
    page = api.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "/api/incidents/{incident_id}/merge" in html and "Authorization: Bearer" in html
    assert 'id="schema-IncidentIn"' in html
    assert "<script>" not in html and "cdn" not in html.lower() and " style=" not in html


def test_patch_null_clears_place_and_date_absent_leaves_them(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    path = f"/api/incidents/{fx.ids['R']}"
    before = api.get(path).json()
    assert before["location"] is not None and before["date"] is not None
    kept = api.send("PATCH", path, {"description": "shelling on the market", "comment": "clearer"})
    assert kept.status_code == 200, kept.text
    assert kept.json()["incident"]["location"] == before["location"]
    assert kept.json()["incident"]["date"] == before["date"]
    cleared = api.send("PATCH", path, {"location": None, "date": None, "comment": "the report gives neither"})
    assert cleared.status_code == 200, cleared.text
    body = cleared.json()
    assert sorted(body["changed"]) == ["date", "location"]
    assert body["incident"]["location"] is None and body["incident"]["date"] is None
    entry = body["incident"]["history"][-1]
    assert entry["after"] == {"location": None, "date": None} and entry["before"]["location"] is not None
    assert entry["user"] == "documenter1" and entry["comment"] == "the report gives neither"
    assert api.send("PATCH", path, {"location": None, "comment": "again"}).json()["changed"] == []
    assert Api(ws, fx, "viewer").send("PATCH", path, {"date": None, "comment": "x"}).status_code in (403, 404)


def test_sources_list_newest_first_with_counts_excerpts_and_words(ws: Workspace, fx: Fixture) -> None:
    api = Api(ws, fx, "documenter")
    listed = api.get("/api/sources").json()
    ids = [s["id"] for s in listed["items"]]
    assert ids == sorted(ids, reverse=True) and listed["total"] == len(ids) == 2
    ariha = next(s for s in listed["items"] if s["id"] == fx.ids["S"])
    assert ariha["incidents"] >= 1 and "text" not in ariha
    full = api.get(f"/api/sources/{fx.ids['S']}").json()
    assert ariha["excerpt"] == " ".join(full["text"][:160].split())
    assert ariha["incidents"] == len(full["incident_ids"])
    arabic = api.get("/api/sources", q="دوما").json()
    assert arabic["total"] == 1 and arabic["items"][0]["id"] != fx.ids["S"]
    assert api.get("/api/sources", limit=1, offset=1).json()["items"][0]["id"] == ids[1]
    assert Api(ws, fx, "viewer").get("/api/sources").status_code == 403


def test_search_limit_counts_visible_hits_and_leaves_out_merged(ws: Workspace, fx: Fixture) -> None:
    viewer = Api(ws, fx, "viewer")
    assert [h["id"] for h in viewer.get("/api/search", q="Ariha", limit=1).json()["hits"]] == [fx.ids["P"]]
    reviewer = Api(ws, fx, "reviewer")
    merged = reviewer.send("POST", f"/api/incidents/{fx.ids['R2']}/merge",
                           {"into_id": fx.ids["R"], "comment": "same shelling"})
    assert merged.status_code == 200, merged.text
    found = {(h["kind"], h["id"]) for h in reviewer.get("/api/search", q="دوما").json()["hits"]}
    assert ("incident", fx.ids["R"]) in found and ("incident", fx.ids["R2"]) not in found
