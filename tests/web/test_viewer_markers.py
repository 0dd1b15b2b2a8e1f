"""A viewer never reads a claim, a quote, a replaced value, a comment or a staff name.

Unique marker words are planted everywhere a viewer must not look: the
report's text (a witness's name, as in issue 9: "…arrested Khaledqzx N.
al-H., a witness…"), the claims quoting it, a description a reviewer
replaced, the mentions as written, comments, staff user names, a named
person, a source grading note, an upload title, a confidential incident
merged into a public one, and a documenter's edit to a public incident.
Then every GET route of the app (enumerated from the app itself, so a new
route fails here until it is swept) is requested as a viewer, with the
search routes asked for every marker, and every body is grepped for every
marker. The same requests as a reviewer find the markers, so the planting
is real.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from _client import BASE_URL, PASSWORD, client_for
from _routes import get_paths
from _users import ADMIN
from _witness_walk import REPORT as REPORT_EN
from _witness_walk import WITHHELD, WITNESS, review_witness_incident
from fastapi.testclient import TestClient

from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.judgements import ScoredPair
from tawthiq.domain.persons import PersonRecord
from tawthiq.services import (
    Workspace,
    accounts,
    export_requests,
    ingest,
    init_workspace,
    linking,
    person_linking,
    reading,
    review,
    tags,
)
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store import person_records
from tawthiq.store.incidents import get_incident
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

REPORT_AR = ("قصفت قوات النظام سوق مدينة دوما في 15 تشرين الثاني 2017 ما أدى إلى مقتل ثلاثة مدنيين بينهم سليمقزكس. "
             "وقال مصدر Qzsecretsource إن القذائف سقطت قرب المدرسة.")
REPORT_HELD = "On 12 May 2019 Russian jets struck a bakery in Ariha, killing two civilians."

# marker -> where it was planted
MARKERS = {
    WITNESS: "source text and the machine's description claim",
    "Qzsourceonly": "source text only",
    "سليمقزكس": "a confidential incident's source and claims (Arabic)",
    "Qzsecretsource": "a confidential incident's source text",
    "Qzsuperseded": "a description a reviewer replaced",
    "Qzperpmention": "a perpetrator's mention as written",
    "Qzvictimmention": "a victim group's mention as written",
    "Qzdatemention": "the date as written",
    "Qzcomment": "review comments",
    "qzdocumenter": "a documenter's user name",
    "qzreviewer": "a reviewer's user name",
    "Qzpersonname": "a named person",
    "Qzevalnote": "a source grading note",
    "Qzuploadtitle": "an upload's title",
    "Qzconfidential": "a confidential incident's description",
    "Qzheldedit": "a documenter's edit to a public incident, withdrawn until a reviewer publishes it",
    "Qzlinkcomment": "a person's comment on whether two incidents are the same event",
    "qzlinkmodel": "the linker's model version, on the pair it is unsure of",
    "Qzlistname": "a victim list's record (Latin script)",
    "قزقائمة": "a victim list's record (Arabic script)",
    "qzpersonmodel": "the person linker's model version, on the pair of records it is unsure of",
    "Qztagsecret": "a tag used only on the confidential incident merged into P",
    "Qzheldtag": "a tag used only on the withdrawn (restricted) incident H",
    "Qzsourcetag": "a tag used only on a source",
    "Qzteamtag": "the team's own tag (not shown to viewers) on the public incident P",
    "قزوسمفريق": "the team's own tag on P, its Arabic label",
    "Qzexportreason": "a documenter's reason for asking to export the court profile",
}


@dataclass
class Site:
    ws: Workspace
    ids: dict[str, int] = field(default_factory=dict)  # P public, C merged confidential, H withdrawn
    persons: list[int] = field(default_factory=list)  # two victim-list records, the linker unsure of them
    sources: list[int] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)  # role -> session cookie
    team_tag: int = 0  # the id of the team's own tag on P


def _incident_of(ws: Workspace, user: Any, source_id: int) -> int:
    found = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id), sort="id")
    assert found.items, "the extractor found an incident in the test report"
    return found.items[0].id


def _plant(ws: Workspace) -> Site:
    site = Site(ws=ws)
    make = {name: accounts.create_user(ws, actor=None, username=name, password=PASSWORD, role=role)
            for name, role in (("qzdocumenter", "documenter"), ("qzreviewer", "reviewer"), ("reader", "viewer"),
                               ("qari", "viewer"))}
    doc, rev, viewer = make["qzdocumenter"], make["qzreviewer"], make["reader"]
    arabic = accounts.set_language(ws, user=make["qari"], language="ar")
    site.cookies = {"viewer": accounts.start_session(ws, user=viewer)[0],
                    "viewer-ar": accounts.start_session(ws, user=arabic)[0],
                    "reviewer": accounts.start_session(ws, user=rev)[0]}

    # P: the walk. A documenter adds a report naming a witness and records what it says,
    # a reviewer replaces the description ("name withheld") and makes the incident public.
    (src,) = ingest.ingest_text(ws, user=doc, text=REPORT_EN, title="Qzuploadtitle field note").source_ids
    site.sources.append(src)
    p = _incident_of(ws, doc, src)
    assert WITNESS in get_incident(ws.db, p).description  # the machine copied the sentence naming the witness
    review_witness_incident(ws, doc=doc, rev=rev, source_id=src, incident_id=p)

    # C: a confidential incident, merged into P by a documenter; P takes the stricter level.
    (src_c,) = ingest.ingest_text(ws, user=doc, text=REPORT_AR).source_ids
    site.sources.append(src_c)
    c = _incident_of(ws, doc, src_c)
    review.update_incident(ws, user=doc, incident_id=c, comment="Qzcomment protect the source",
                           changes=review.IncidentChanges(confidentiality="confidential",
                                                          description="Qzconfidential سليمقزكس"))
    merged = review.merge(ws, user=doc, incident_id=c, into_id=p, comment="Qzcomment same shelling")
    assert merged.withdrawn and merged.confidentiality is Confidentiality.CONFIDENTIAL
    assert get_incident(ws.db, p).confidentiality is Confidentiality.CONFIDENTIAL
    # Tags: one only on C, one only on C's source; a public one on P (viewers may see that one).
    secret_tag = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qztagsecret", label_ar="وسم"), comment="")
    source_tag = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qzsourcetag", label_ar="مصدر"), comment="")
    open_tag = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Shelling", label_ar="قصف",
                                                              shown_to_viewers=True), comment="")
    # The team's working note on P: P is public, the tag is not shown to viewers.
    team_tag = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qzteamtag", label_ar="قزوسمفريق"),
                            comment="")
    tags.tag_incident(ws, user=doc, incident_id=c, tag_id=secret_tag.id)
    tags.tag_source(ws, user=doc, source_id=src_c, tag_id=source_tag.id)
    tags.tag_incident(ws, user=doc, incident_id=p, tag_id=open_tag.id)
    tags.tag_incident(ws, user=doc, incident_id=p, tag_id=team_tag.id)
    site.team_tag = team_tag.id
    # A reviewer decides P is public again; the copied claims come along, and must stay staff-only.
    review.update_incident(ws, user=rev, incident_id=p, comment="Qzcomment cleared after the merge",
                           changes=review.IncidentChanges(confidentiality="public"))

    # H: public, then edited by a documenter: withdrawn until a reviewer publishes it again.
    (src_h,) = ingest.ingest_text(ws, user=doc, text=REPORT_HELD).source_ids
    site.sources.append(src_h)
    h = _incident_of(ws, doc, src_h)
    review.update_incident(ws, user=rev, incident_id=h, comment="ok", changes=review.IncidentChanges(
        confidentiality="public"))
    held_tag = tags.add_tag(ws, user=ADMIN, form=tags.TagForm(label_en="Qzheldtag", label_ar="محجوب"), comment="")
    tags.tag_incident(ws, user=doc, incident_id=h, tag_id=held_tag.id)
    changed = review.update_incident(ws, user=doc, incident_id=h, comment="Qzcomment draft",
                                     changes=review.IncidentChanges(description="Qzheldedit bakery"))
    assert changed.withdrawn and get_incident(ws.db, h).confidentiality is Confidentiality.RESTRICTED
    # Linking: the linker is unsure whether P and H are one event (the queue); a person says H and C are not.
    linking.link_incidents(ws, scorer=_unsure(p, h), threshold=0.9, review_band=(0.5, 0.9))
    linking.decide(ws, user=rev, actor="", a=h, b=c, verdict="not-same", comment="Qzlinkcomment two shellings")
    site.ids = {"P": p, "C": c, "H": h}
    # A documenter asks for an export beyond their role: the reason is for them and the reviewers only.
    export_requests.request_export(ws, user=doc, profile="court", reason="Qzexportreason for the mechanism",
                                   machine="test")
    # A victim list naming two people the person linker is unsure of: names are for reviewers and admins only.
    person_records.upsert(ws.db, [PersonRecord(list_name="qlist", record_id="1", fields={"name": "Qzlistname Ahmad"}),
                                  PersonRecord(list_name="qlist", record_id="2", fields={"name": "قزقائمة أحمد"})],
                          actor="qzreviewer")
    site.persons = [r.id for r in person_records.list_records(ws.db, lists=["qlist"]) if r.id is not None]
    person_linking.link_persons(ws, lists=["qlist"], scorer=_unsure_persons(*sorted(site.persons)))
    return site


def _unsure_persons(a: int, b: int) -> Any:
    def score(rows: Any, *, backend: str, min_probability: float) -> tuple[list[ScoredPair], str, list[str]]:
        return [ScoredPair(a, b, 0.7, weights={"given": 2.0}, levels={"given": "near spelling"})], "qzpersonmodel", []

    return score


def _unsure(a: int, b: int) -> Any:
    def score(rows: Any, *, backend: str, min_probability: float) -> tuple[list[ScoredPair], str, list[str]]:
        return [ScoredPair(a, b, 0.7, weights={"date": -1.0}, levels={"date": "further apart"})], "qzlinkmodel", []

    return score


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("markers")
    ws = init_workspace(Settings(database_url=f"sqlite:///{root / 'tawthiq.db'}", data_dir=root / "data",
                                 max_file_size=DEFAULT_MAX_FILE_SIZE))
    yield _plant(ws)
    ws.db.dispose()  # type: ignore[attr-defined]


def _searches(path: str) -> list[str]:
    words = [*MARKERS, "withheld"]
    return [f"{path}{'&' if '?' in path else '?'}q={w}" for w in words]


def _urls(site: Site) -> dict[str, list[str]]:
    """Concrete URLs for each GET route template: every incident and source, every search word."""
    incidents = [*site.ids.values(), 999_999]
    sources = [*site.sources, 999_999]
    people = [*site.persons, 999_999]
    fmts = ("csv", "json", "geojson")
    return {
        "/": ["/"],
        "/health": ["/health"],
        "/login": ["/login"],
        "/login/code": ["/login/code"],
        "/account/two-factor": ["/account/two-factor"],
        "/account": ["/account"],
        "/password": ["/password"],
        "/add": ["/add"],
        "/add/incident": ["/add/incident"],
        "/admin/users": ["/admin/users"],
        # Another account's sign-ins and the viewer's own: the admin's page, refused to a viewer.
        "/admin/users/{username}/sign-ins": [f"/admin/users/{name}/sign-ins" for name in ("qzdocumenter", "reader")],
        "/admin/actors": ["/admin/actors"],
        "/admin/settings": ["/admin/settings"],
        # Export requests: the viewer's own page (no one else's), and the reviewers' page, refused.
        "/exports/request": ["/exports/request", "/exports/request?profile=court", "/exports/request?done=requested"],
        "/exports/approvals": ["/exports/approvals"],
        # Their API: a viewer's own requests (none), the reviewers' list refused.
        "/api/export-requests": ["/api/export-requests"],
        "/api/export-requests/pending": ["/api/export-requests/pending"],
        "/review/verify": ["/review/verify", "/review/verify?governorate=Idlib"],
        "/admin/tags": ["/admin/tags"],
        "/searches/{search_id}": ["/searches/1", "/searches/999999"],
        "/review": ["/review"],
        "/review/{incident_id}": [f"/review/{i}" for i in incidents],
        "/review/{incident_id}/next": [f"/review/{i}/next" for i in incidents],
        "/review/{incident_id}/previous": [f"/review/{i}/previous" for i in incidents],
        "/places/suggest": ["/places/suggest?q=Sar"],
        "/incidents": ["/incidents", "/incidents?status=merged", f"/incidents?tag={site.team_tag}",
                       *_searches("/incidents")],
        "/incidents/{incident_id}": [f"/incidents/{i}" for i in incidents],
        "/incidents/export": [u for f in fmts for u in [f"/incidents/export?format={f}",
                                                        *_searches(f"/incidents/export?format={f}")]],
        "/map": ["/map"],
        "/map/features.geojson": ["/map/features.geojson", *_searches("/map/features.geojson")],
        "/timeline": ["/timeline"],
        "/dashboard": ["/dashboard"],
        "/sources": ["/sources", "/sources?q=Qzsourceonly"],
        "/sources/{source_id}": [f"/sources/{s}" for s in sources],
        "/sources/{source_id}/original": [f"/sources/{s}/original" for s in sources],
        "/sources/{source_id}/thumbnail/{derivative_id}": [f"/sources/{s}/thumbnail/1" for s in sources],
        "/sources/{source_id}/media/{derivative_id}": [f"/sources/{s}/media/1" for s in sources],
        "/sources/{source_id}/derivatives/{derivative_id}": [f"/sources/{s}/derivatives/1" for s in sources],
        "/api/me": ["/api/me"],
        "/api/tokens": ["/api/tokens"],
        "/api/openapi.json": ["/api/openapi.json"],
        "/api/docs": ["/api/docs"],
        "/api/search": _searches("/api/search"),
        "/api/export": [u for f in fmts for u in [f"/api/export?format={f}", *_searches(f"/api/export?format={f}")]],
        "/api/sources": ["/api/sources"],
        "/api/sources/{source_id}": [f"/api/sources/{s}" for s in sources],
        "/api/incidents": ["/api/incidents", "/api/incidents?status=merged", f"/api/incidents?tag={site.team_tag}",
                           *_searches("/api/incidents")],
        "/api/incidents/{incident_id}": [f"/api/incidents/{i}" for i in incidents],
        "/review/pairs": ["/review/pairs"],
        "/review/pairs/{a}/{b}": [f"/review/pairs/{a}/{b}" for a in incidents for b in incidents if a < b],
        "/api/link/pairs": ["/api/link/pairs"],
        "/api/incidents/{incident_id}/judgements": [f"/api/incidents/{i}/judgements" for i in incidents],
        "/api/incidents/{incident_id}/corroboration": [f"/api/incidents/{i}/corroboration" for i in incidents],
        "/persons": ["/persons", "/persons?q=Qzlistname", "/persons?list=qlist"],
        "/persons/{record_id}": [f"/persons/{i}" for i in people],
        "/review/persons": ["/review/persons"],
        "/review/persons/{a}/{b}": [f"/review/persons/{a}/{b}" for a in people for b in people if a < b],
        "/api/persons": ["/api/persons", "/api/persons?q=Qzlistname"],
        "/api/persons/{record_id}": [f"/api/persons/{i}" for i in people],
        "/api/link/person-pairs": ["/api/link/person-pairs"],
    }


def _client(site: Site, role: str) -> TestClient:
    app = client_for(site.ws).app
    return TestClient(app, base_url=BASE_URL, cookies={SESSION: site.cookies[role]},
                      raise_server_exceptions=False)


def _body(response: Any) -> str:
    """The body as text, JSON decoded too (so a \\u-escaped Arabic marker is still found)."""
    text = response.text
    if response.headers.get("content-type", "").split(";")[0].endswith("json"):
        text += json.dumps(response.json(), ensure_ascii=False)
    return text


def _results(url: str, response: Any) -> int:
    """How many incidents or hits a search URL answered with."""
    path = url.split("?")[0]
    if path == "/api/search":
        return len(response.json()["hits"])
    if path == "/api/incidents":
        return int(response.json()["total"])
    if path in ("/incidents/export", "/api/export"):
        if "format=csv" in url:
            return len(response.text.strip().splitlines()) - 1
        body = response.json()
        return len(body["features"] if isinstance(body, dict) else body)
    if path == "/map/features.geojson":
        return len(response.json()["features"])
    if path == "/incidents":
        return len(re.findall(r'href="/incidents/\d+"', response.text))
    raise AssertionError(f"no result count for {url}")


def _found(text: str) -> set[str]:
    folded = text.casefold()
    return {m for m in MARKERS if m.casefold() in folded}


def test_the_sweep_covers_every_get_route(site: Site) -> None:
    templates = {re.sub(r":int}", "}", p) for p in get_paths(client_for(site.ws).app)}
    templates = {p for p in templates if not p.startswith("/static")}
    assert templates == set(_urls(site))


@pytest.mark.parametrize("who", ["viewer", "viewer-ar"])
def test_no_marker_reaches_a_viewer_on_any_route(site: Site, who: str) -> None:
    viewer = _client(site, who)
    leaks: dict[str, set[str]] = {}
    statuses: dict[str, int] = {}
    for urls in _urls(site).values():
        for url in urls:
            response = viewer.get(url, follow_redirects=False)
            assert response.status_code < 500, (url, response.text[:300])
            statuses[url] = response.status_code
            # A search echoes its own words back (the search box, "query"): that is the
            # viewer's input, so the searched marker is checked by what the search found.
            queried = url.split("q=")[1] if "q=" in url else ""
            # An account's sign-ins page names the account in its address: the viewer's own typing, which
            # the refusal's language switch links back to; what the page would show never comes.
            echoed = {m for m in MARKERS if f"/admin/users/{m}/" in url}
            found = _found(_body(response)) - {queried} - echoed
            if queried in MARKERS and response.status_code == 200 and _results(url, response):
                found.add(queried)
            if found:
                leaks[url] = found
    assert leaks == {}, {u: {m: MARKERS[m] for m in f} for u, f in leaks.items()}
    # The sweep looked at the real thing: P is public and shown, C (merged) and H (withdrawn) are not.
    p, c, h = site.ids["P"], site.ids["C"], site.ids["H"]
    assert statuses[f"/incidents/{p}"] == statuses[f"/api/incidents/{p}"] == 200
    if who == "viewer-ar":
        assert 'lang="ar"' in viewer.get(f"/incidents/{p}").text
    assert statuses[f"/api/incidents/{c}"] == statuses[f"/api/incidents/{h}"] == 404
    assert statuses["/admin/users/qzdocumenter/sign-ins"] == statuses["/admin/users/reader/sign-ins"] == 403
    assert statuses["/exports/approvals"] == 403 and statuses["/exports/request"] == 200
    assert statuses["/api/export-requests/pending"] == 403 and statuses["/api/export-requests"] == 200
    assert statuses["/api/sources"] == 403 and statuses[f"/sources/{site.sources[0]}"] in (403, 404)


def test_the_viewer_gets_the_current_public_values(site: Site) -> None:
    viewer = _client(site, "viewer")
    p = site.ids["P"]
    got = viewer.get(f"/api/incidents/{p}").json()
    assert got["description"] == WITHHELD and got["confidentiality"] == "public"
    assert got["claims"] == got["history"] == got["evidence"] == got["source_ids"] == []
    assert got["source_id"] is None and got["merged_from"] == []  # the merged incident is confidential
    assert [v["count_min"] for v in got["victims"]] == [4] and got["date"]["edtf"] == "2018-03-03"
    assert all(x["text"] == "" for x in got["victims"] + got["perpetrators"]) and got["date"]["text"] == ""
    page = viewer.get(f"/incidents/{p}").text
    assert "Name withheld" in page and 'data-testid="claims"' not in page and 'data-testid="history"' not in page
    # P's tag shown to viewers is there; the team's own tag on P is not (the sweep checks its label).
    assert [t["label_en"] for t in got["tags"]] == ["Shelling"] and "Shelling" in page
    assert viewer.get(f"/api/incidents?tag={site.team_tag}").json()["total"] == 0
    # Search finds the public incident by its current words, and by nothing hidden.
    hits = viewer.get("/api/search?q=withheld").json()["hits"]
    assert [(h["kind"], h["id"]) for h in hits] == [("incident", p)]
    for marker in MARKERS:
        assert viewer.get(f"/api/search?q={marker}").json()["hits"] == [], marker
        assert viewer.get(f"/api/incidents?q={marker}").json()["total"] == 0, marker
    csv_body = viewer.get("/api/export?format=csv").text
    assert "Name withheld" in csv_body and f"\n{p}," in csv_body


def test_staff_do_see_the_planted_markers(site: Site) -> None:
    """The planting is real: the same routes show the markers to a reviewer."""
    reviewer = _client(site, "reviewer")
    p = site.ids["P"]
    detail = _body(reviewer.get(f"/api/incidents/{p}"))
    page = reviewer.get(f"/incidents/{p}").text
    expected = {WITNESS, "Qzsuperseded", "Qzperpmention", "Qzvictimmention", "Qzdatemention", "Qzcomment",
                "qzdocumenter", "qzreviewer", "سليمقزكس", "Qzconfidential"}
    assert expected <= _found(detail)
    assert expected | {"Qzpersonname"} <= _found(page)
    assert {"Qzsecretsource", "Qzsourceonly"} <= _found(_body(reviewer.get("/api/search?q=Qzsecretsource"))
                                                         + _body(reviewer.get("/api/search?q=Qzsourceonly")))
    linked = _body(reviewer.get(f"/incidents/{site.ids['H']}")) + _body(reviewer.get("/review/pairs")) + _body(
        reviewer.get(f"/review/pairs/{p}/{site.ids['H']}")) + _body(reviewer.get("/api/link/pairs"))
    assert {"Qzlinkcomment", "qzlinkmodel"} <= _found(linked)
    a, b = sorted(site.persons)
    named = "".join(_body(reviewer.get(url)) for url in ("/persons", f"/persons/{a}", "/review/persons",
                                                          f"/review/persons/{a}/{b}", "/api/persons",
                                                          "/api/link/person-pairs"))
    assert {"Qzlistname", "قزقائمة", "qzpersonmodel"} <= _found(named)
    held = reviewer.get(f"/api/incidents/{site.ids['H']}").json()
    assert held["confidentiality"] == "restricted" and held["description"] == "Qzheldedit bakery"
    withdraw = [e for e in held["history"] if e["action"] == "withdraw"]
    assert len(withdraw) == 1 and withdraw[0]["user"] == "qzdocumenter"
    assert withdraw[0]["before"] == {"confidentiality": "public"} and "reviewer" in withdraw[0]["comment"]
    assert get_incident(site.ws.db, site.ids["C"]).status is IncidentStatus.MERGED
    tagged = _body(reviewer.get(f"/incidents/{site.ids['C']}")) + _body(reviewer.get(f"/sources/{site.sources[1]}"))
    assert {"Qztagsecret", "Qzsourcetag"} <= _found(tagged + _body(reviewer.get("/incidents?status=merged")))
    assert "Qzheldtag" in _found(_body(reviewer.get("/incidents")))
    assert {"Qzexportreason", "qzdocumenter"} <= _found(_body(reviewer.get("/exports/approvals")))
    assert {"Qzexportreason", "qzdocumenter"} <= _found(_body(reviewer.get("/api/export-requests/pending")))
    assert {"Qzteamtag", "قزوسمفريق"} <= _found(page + detail)

