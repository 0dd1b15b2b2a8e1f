"""Ingesting a report stores the persons it names as victims, and only staff ever see them.

The names become person records of the "reports" list (their incident, the
exact span in the source's text, a record id that re-ingest finds again) and
confidential persons of their incident (what redaction and packages read).
The operator lists them with ``tawthiq persons list --list reports``; a viewer
finds a planted name on no page and in no API answer, even once the
incident is public.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from _routes import get_paths
from fastapi.testclient import TestClient

from tawthiq.domain.enums import Sex, VictimOutcome
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.persons import REPORTS_LIST
from tawthiq.services import Workspace, accounts, ingest, reading, review
from tawthiq.services.redaction import redact_source, stored_path
from tawthiq.store import person_records
from tawthiq.store.incidents import incidents_for_source, persons_for_incident
from tawthiq.store.sources import get_source
from tawthiq.web.app import create_app
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

REPORT_EN = ("On 3 March 2018 government warplanes struck the market in Saraqib, killing four civilians, among them "
             "the child Qzxname Hamdan, 12, and Yasser al-Ahmad.")
REPORT_AR = "قتل ثلاثة مدنيين بقصف على مدينة دوما في 15 تشرين الثاني 2017 بينهم الطفلة قزكسرنا خالد العمر (9 سنوات)."
MARKERS = ("Qzxname", "قزكسرنا")
PASSWORD = "correct horse battery"


def _user(ws: Workspace, name: str, role: str) -> Any:
    return accounts.create_user(ws, actor=None, username=name, password=PASSWORD, role=role)  # type: ignore[arg-type]


def _incident_of(ws: Workspace, user: Any, source_id: int) -> int:
    found = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id), sort="id")
    (item,) = found.items
    return int(item.id)


def test_names_are_stored_with_their_incident_and_exact_spans(ws: Workspace) -> None:
    doc = _user(ws, "documenter", "documenter")
    (src,) = ingest.ingest_text(ws, user=doc, text=REPORT_EN).source_ids
    (src_ar,) = ingest.ingest_text(ws, user=doc, text=REPORT_AR).source_ids
    incident, incident_ar = _incident_of(ws, doc, src), _incident_of(ws, doc, src_ar)
    records = person_records.list_records(ws.db, lists=[REPORTS_LIST])
    by_name = {r.get("name"): r for r in records}
    assert set(by_name) == {"Qzxname Hamdan", "Yasser al-Ahmad", "قزكسرنا خالد العمر"}
    for name, source_id, incident_id in (("Qzxname Hamdan", src, incident), ("Yasser al-Ahmad", src, incident),
                                         ("قزكسرنا خالد العمر", src_ar, incident_ar)):
        rec = by_name[name]
        text = get_source(ws.db, source_id).text
        assert (rec.source_id, rec.incident_id) == (source_id, incident_id)
        assert text[rec.span_start:rec.span_end] == name  # the name exactly as written, where it is written
        assert rec.record_id == f"source:{source_id}:{rec.span_start}"
        assert rec.extra["method"].startswith("rule:named/")
    assert by_name["Qzxname Hamdan"].fields == {"name": "Qzxname Hamdan", "age": "12", "outcome": "killed",
                                                "date": "2018-03-03", "place": "Saraqib", "governorate": "Idlib"}
    arabic = by_name["قزكسرنا خالد العمر"].fields
    assert (arabic["age"], arabic["sex"], arabic["date"], arabic["governorate"]) == ("9", "female", "2017-11-15",
                                                                                     "Rif Dimashq")
    # the incident's confidential persons: what redaction and packages read
    people = persons_for_incident(ws.db, incident_ar)
    assert [(p.name, p.age, p.sex, p.outcome) for p in people] == [("قزكسرنا خالد العمر", 9, Sex.FEMALE,
                                                                     VictimOutcome.KILLED)]


def test_ingesting_again_adds_no_one_twice(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT_EN, encoding="utf-8")
    first = ingest.ingest_files(ws, [path], actor="operator")
    again = ingest.ingest_files(ws, [path], actor="operator")
    assert [r.status for r in first] == ["new"] and [r.status for r in again] == ["duplicate"]
    records = person_records.list_records(ws.db, lists=[REPORTS_LIST])
    assert sorted(r.get("name") for r in records) == ["Qzxname Hamdan", "Yasser al-Ahmad"]
    (source_id,) = first[0].source_ids
    (incident,) = incidents_for_source(ws.db, source_id)
    assert len(persons_for_incident(ws.db, incident.id)) == 2


def test_redaction_blacks_out_the_names_the_report_gave(ws: Workspace) -> None:
    doc = _user(ws, "documenter", "documenter")
    rev = _user(ws, "reviewer", "reviewer")
    (src,) = ingest.ingest_text(ws, user=doc, text=REPORT_EN).source_ids
    copy = redact_source(ws, rev, source_id=src, reason="victims' names", persons=True)
    body = stored_path(ws, copy).read_text(encoding="utf-8")
    assert len(body) == len(REPORT_EN)  # every offset kept
    assert "Qzxname" not in body and "Yasser al-Ahmad" not in body and "Saraqib" in body
    assert copy.params["person_occurrences"] == 2


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_the_operator_lists_the_reports_names(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    env["TAWTHIQ_DATA_DIR"] = str(tmp_path / "originals")
    env.pop("TAWTHIQ_MAX_FILE_SIZE", None)
    assert _run(["init"], env).returncode == 0
    report = tmp_path / "تقرير.txt"
    report.write_text(REPORT_AR, encoding="utf-8")
    assert _run(["ingest", str(report)], env).returncode == 0
    listed = _run(["persons", "list", "--list", "reports"], env)
    assert listed.returncode == 0, listed.stderr
    assert "قزكسرنا خالد العمر" in listed.stdout and "2017-11-15" in listed.stdout and "reports (1)" in listed.stderr
    rows = json.loads(_run(["persons", "list", "--list", "reports", "--format", "json"], env).stdout)
    assert [(r["list"], r["record_id"], r["name"], r["outcome"]) for r in rows] == [
        ("reports", f"source:1:{REPORT_AR.index('قزكسرنا')}", "قزكسرنا خالد العمر", "killed")]
    start = REPORT_AR.index("قزكسرنا")
    shown = _run(["persons", "show", str(rows[0]["id"]), "--format", "json"], env)
    record = json.loads(shown.stdout)["record"]
    assert (record["incident_id"], record["span"]) == (1, [start, start + len("قزكسرنا خالد العمر")])
    text = _run(["persons", "show", str(rows[0]["id"])], env).stdout
    assert f"incident\t1 (characters {start}-{start + len('قزكسرنا خالد العمر')}" in text


# ---------------------------------------------------------------- the web, as a viewer


def _get_routes(app: Any) -> set[str]:
    return {p for p in get_paths(app) if not p.startswith("/static")}


def _urls(template: str, *, incidents: list[int], sources: list[int]) -> list[str]:
    """Concrete URLs for a route template: each incident and source id, each marker as a search word."""
    template = re.sub(r":int}", "}", template)
    urls = [template]
    for key, values in (("{incident_id}", incidents), ("{source_id}", sources), ("{derivative_id}", [1])):
        urls = [u.replace(key, str(v)) for u in urls for v in values] if key in template else urls
    searches = [f"{u}{'&' if '?' in u else '?'}q={m}" for u in urls for m in MARKERS]
    formats = [f"{u}?format={f}" for u in urls if "export" in u for f in ("csv", "json", "geojson")]
    return urls + searches + formats


def _found(response: Any) -> set[str]:
    text = response.text
    if response.headers.get("content-type", "").split(";")[0].endswith("json"):
        text += json.dumps(response.json(), ensure_ascii=False)
    return {m for m in MARKERS if m.casefold() in text.casefold()}


def test_a_viewer_never_sees_the_names(ws: Workspace) -> None:
    doc, rev = _user(ws, "documenter", "documenter"), _user(ws, "reviewer", "reviewer")
    viewer = _user(ws, "reader", "viewer")
    sources = [ingest.ingest_text(ws, user=doc, text=t).source_ids[0] for t in (REPORT_EN, REPORT_AR)]
    incidents = [_incident_of(ws, doc, s) for s in sources]
    for incident in incidents:  # public, with a description that names no one: the viewer sees the incident
        review.update_incident(ws, user=rev, incident_id=incident, comment="names withheld",
                               changes=review.IncidentChanges(description="Shelling killed civilians; names withheld.",
                                                              confidentiality="public"))
    app = create_app(ws.settings, workspace=ws)
    cookie = {SESSION: accounts.start_session(ws, user=viewer)[0]}
    client = TestClient(app, base_url="https://testserver", cookies=cookie, raise_server_exceptions=False)
    leaks: dict[str, set[str]] = {}
    for template in _get_routes(app):
        for url in _urls(template, incidents=incidents, sources=sources):
            response = client.get(url, follow_redirects=False)
            assert response.status_code < 500, url
            queried = url.split("q=")[1] if "q=" in url else ""
            found = _found(response) - {queried}  # a search box echoes its own words
            if found:
                leaks[url] = found
    assert leaks == {}
    assert client.get(f"/api/incidents/{incidents[0]}").status_code == 200  # the sweep saw the public incident
    for marker in MARKERS:
        assert client.get(f"/api/search?q={marker}").json()["hits"] == []
        assert client.get(f"/api/incidents?q={marker}").json()["total"] == 0
    # the planting is real: a reviewer sees the named person on the incident's page
    staff = TestClient(app, base_url="https://testserver",
                       cookies={SESSION: accounts.start_session(ws, user=rev)[0]})
    assert "Qzxname Hamdan" in staff.get(f"/incidents/{incidents[0]}").text
