"""``tawthiq publish --profile public``: nothing sensitive reaches the published folder, and what is there is right.

Unique marker words are planted in every sensitive field: persons' names (a
named person and a victim list's records), the source's text, author, link
and contact, claim quotes and evidence spans (the witness named in the
report), the mentions as written, a replaced (superseded) description,
review comments and a grading note, confidential, restricted and unreviewed
incidents' descriptions, a tag the team keeps to itself, the staff's user
names, and the exact place (a house, with its own coordinates). Then every
byte of every file of the published folder is searched for every marker, in
UTF-8, UTF-16 and JSON's escaped form. The positive checks: the public,
reviewed incidents are there with their current values; an incident judged
the same event as another shares its event number; the figures are the
viewer's dashboard's; the database opens and ``metadata.json`` names only
tables and columns it has.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from _witness_walk import REPORT, WITHHELD, WITNESS, review_witness_incident

from tawthiq.domain.enums import LocationPrecision, VictimOutcome
from tawthiq.domain.filters import IncidentFilter
from tawthiq.domain.model import IncidentDate, Involvement, Location, Span, VictimGroup
from tawthiq.domain.persons import PersonRecord
from tawthiq.domain.profiles import PROFILES, PUBLIC, profile_named
from tawthiq.extract.gazetteer import Gazetteer
from tawthiq.services import Workspace, accounts, ingest, linking, reading, review, tags, visuals
from tawthiq.services.errors import ServiceError
from tawthiq.services.ingest import Provenance
from tawthiq.services.public import cap_edtf, project_incident
from tawthiq.services.publishing import gazetteer_point, publish
from tawthiq.store import person_records
from tawthiq.store.incidents import get_incident

PASSWORD = "correct horse battery staple 2026"
REPORT_SAME = "On 3 March 2018 regime artillery shelled Saraqib market, killing four civilians, Qzsecondsource said."
REPORT_C = "قصفت قوات النظام سوق مدينة دوما في 15 تشرين الثاني 2017 ما أدى إلى مقتل ثلاثة مدنيين بينهم سليمقزكس."
REPORT_R = "On 12 May 2019 Russian jets struck a bakery in Ariha, killing two civilians."
REPORT_U = "On 20 June 2019 shelling hit Maarat al-Numan, killing five civilians."
EXACT_LAT, EXACT_LON = 35.8234567, 36.7198765

MARKERS = {
    WITNESS: "the source's text, the claims quoting it and an evidence span",
    "Qzsourceonly": "the source's text only",
    "Qzsecondsource": "the second source's text",
    "سليمقزكس": "a confidential incident's source (Arabic)",
    "Qzauthor": "a source's author",
    "qzcontact": "a source's link and contact",
    "Qzreceived": "how a source was received (a contact)",
    "Qzsuperseded": "a description a reviewer replaced",
    "Qzperpmention": "a perpetrator's mention as written",
    "Qzvictimmention": "a victim group's mention as written",
    "Qzdatemention": "the date as written",
    "Qzplacetext": "the place as written",
    "Qzhouse": "the name of the exact place (a house)",
    str(EXACT_LAT): "the exact place's latitude",
    str(EXACT_LON): "the exact place's longitude",
    "Qzcomment": "review comments",
    "Qzevalnote": "a source grading note",
    "Qzlinkcomment": "a comment on a linking decision",
    "qzdocumenter": "a documenter's user name",
    "qzreviewer": "a reviewer's user name",
    "Qzpersonname": "a named person",
    "Qzlistname": "a victim list's record",
    "قزقائمة": "a victim list's record (Arabic)",
    "Qzconfidential": "a confidential incident's description",
    "Qzrestricted": "a restricted incident's description",
    "Qzunreviewed": "an unreviewed (suggested) public incident's description",
    "Qzteamtag": "the team's own tag on a public incident",
}


def _incident_of(ws: Workspace, user: object, source_id: int) -> int:
    found = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id, unreviewed=True),
                                    sort="id")
    assert found.items, "the extractor found an incident in the test report"
    return found.items[0].id


def _saraqib() -> tuple[str, float, float]:
    place = next(p for p in Gazetteer.load().lookup("Saraqib") if p.level == "town")
    assert place.lat is not None and place.lon is not None
    return place.id, place.lat, place.lon


def _plant(ws: Workspace) -> dict[str, int]:
    users = {name: accounts.create_user(ws, actor=None, username=name, password=PASSWORD, role=role)
             for name, role in (("qzdocumenter", "documenter"), ("qzreviewer", "reviewer"), ("reader", "viewer"))}
    doc, rev = users["qzdocumenter"], users["qzreviewer"]
    contact = Provenance(author="Qzauthor", url="https://qzcontact.example/report", received_from="Qzreceived by phone")
    (src,) = ingest.ingest_text(ws, user=doc, text=REPORT, title="Field note", provenance=contact).source_ids
    p = _incident_of(ws, doc, src)
    place_id, _, _ = _saraqib()
    review_witness_incident(ws, doc=doc, rev=rev, source_id=src, incident_id=p, location=Location(
        name="Qzhouse of the Ali family, Saraqib", text="Qzplacetext", admin1="Idlib", admin2="Idlib", lat=EXACT_LAT,
        lon=EXACT_LON, precision=LocationPrecision.EXACT, place_id=place_id))

    # Q: the same shelling from a second source, public and confirmed: one event with P.
    (src_q,) = ingest.ingest_text(ws, user=doc, text=REPORT_SAME).source_ids
    q = _incident_of(ws, doc, src_q)
    review.update_incident(ws, user=rev, incident_id=q, comment="Qzcomment second source",
                           changes=review.IncidentChanges(description="Shelling of the market in Saraqib.",
                                                          confidentiality="public"))
    review.accept(ws, user=rev, incident_id=q, comment="Qzcomment ok")
    linking.decide(ws, user=rev, actor="", a=p, b=q, verdict="same", comment="Qzlinkcomment one shelling")

    # C: confidential; R: restricted; both reviewed. U: public but never reviewed.
    (src_c,) = ingest.ingest_text(ws, user=doc, text=REPORT_C).source_ids
    c = _incident_of(ws, doc, src_c)
    review.update_incident(ws, user=rev, incident_id=c, comment="Qzcomment protect", changes=review.IncidentChanges(
        confidentiality="confidential", description="Qzconfidential سليمقزكس"))
    review.accept(ws, user=rev, incident_id=c, comment="")
    (src_r,) = ingest.ingest_text(ws, user=doc, text=REPORT_R).source_ids
    r = _incident_of(ws, doc, src_r)
    review.update_incident(ws, user=rev, incident_id=r, comment="Qzcomment reviewed", changes=review.IncidentChanges(
        confidentiality="restricted", description="Qzrestricted bakery"))
    review.accept(ws, user=rev, incident_id=r, comment="")
    (src_u,) = ingest.ingest_text(ws, user=doc, text=REPORT_U).source_ids
    u = _incident_of(ws, doc, src_u)
    review.update_incident(ws, user=rev, incident_id=u, comment="Qzcomment reviewed", changes=review.IncidentChanges(
        confidentiality="public", description="Qzunreviewed shelling"))
    person_records.upsert(ws.db, [PersonRecord(list_name="qlist", record_id="1", fields={"name": "Qzlistname Ahmad"}),
                                  PersonRecord(list_name="qlist", record_id="2", fields={"name": "قزقائمة أحمد"})],
                          actor="qzreviewer")
    return {"P": p, "Q": q, "C": c, "R": r, "U": u}


def _tag_public_incident(ws: Workspace, incident_id: int) -> None:
    admin = accounts.create_user(ws, actor=None, username="qzadmin", password=PASSWORD, role="admin")
    tag = tags.add_tag(ws, user=admin, form=tags.TagForm(label_en="Qzteamtag", label_ar="قزوسمفريق"), comment="")
    tags.tag_incident(ws, user=admin, incident_id=incident_id, tag_id=tag.id)


def _forms(marker: str) -> list[bytes]:
    escaped = json.dumps(marker)[1:-1]  # "\u0633..." when a writer escapes non-ASCII
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be"),
            escaped.encode("ascii"), marker.lower().encode("utf-8"), marker.upper().encode("utf-8")]


def _leaks(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            body = path.read_bytes()
            lowered = body.lower()
            for marker, where in MARKERS.items():
                if any(form in body or form.lower() in lowered for form in _forms(marker)):
                    found.append(f"{marker} ({where}) in {path.relative_to(folder)}")
    return found


def test_publish_public_leaks_nothing_and_keeps_the_public_record(ws: Workspace, tmp_path: Path) -> None:
    ids = _plant(ws)
    _tag_public_incident(ws, ids["P"])
    # The planting is real: the staff's record holds the markers the publication must not.
    p = get_incident(ws.db, ids["P"])
    assert p is not None and any(WITNESS in (c.span.quote if c.span else "") for c in p.claims)
    assert any("Qzsuperseded" in str(c.value) for c in p.claims)
    assert p.location is not None and p.location.lat == EXACT_LAT

    out = tmp_path / "pub"
    result = publish(ws, profile="public", out=out, actor="qzoperator", machine="test-host")
    assert result.incidents == 2
    assert not (tmp_path / "pub.part").exists()
    assert _leaks(out) == []
    # The search finds what it looks for, in each form (a canary beside the publication).
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "a.db").write_bytes(b"x" + "سليمقزكس".encode("utf-16-le") + b"y" + b"QZHOUSE")
    (canary / "b.json").write_text(json.dumps({"n": "قزقائمة"}), encoding="ascii")
    assert len(_leaks(canary)) == 3

    conn = sqlite3.connect(out / "data" / "tawthiq.db")
    rows = {r[0]: r for r in conn.execute(
        "SELECT id, event, description, status, place_en, place_precision, lat, lon, date_edtf, killed_min, "
        "killed_max, perpetrators FROM incidents")}
    assert set(rows) == {ids["P"], ids["Q"]}
    _, lat, lon = _saraqib()
    assert rows[ids["P"]][1:] == (ids["P"], WITHHELD, "verified", "Saraqib", "town", lat, lon, "2018-03-03", 4, 4,
                                  "syrian-government")
    assert rows[ids["Q"]][1] == ids["P"]  # one event, two sources

    # The figures are the viewer's dashboard's: one event, four killed (never 4 + 4).
    viewer = accounts.get_user(ws, actor=None, username="reader")
    board = visuals.dashboard(ws, user=viewer)
    total = conn.execute("SELECT events, killed_min, killed_max, injured_min, injured_max FROM figures "
                         "WHERE dimension = 'total'").fetchone()
    assert total == (board.total.incidents, board.total.killed_min, board.total.killed_max,
                     board.total.injured_min, board.total.injured_max)
    assert total[:3] == (1, 4, 4)
    per = {r[0]: r[1:] for r in conn.execute(
        "SELECT key, events, killed_min, killed_max FROM figures WHERE dimension = 'perpetrator'")}
    assert per == {r.key: (r.count.incidents, r.count.killed_min, r.count.killed_max) for r in board.perpetrators}

    # Datasette-ready: metadata.json names only tables and columns the database has.
    meta = json.loads((out / "data" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC BY 4.0" and meta["title"]
    tables = meta["databases"]["tawthiq"]["tables"]
    for table, spec in tables.items():
        columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        assert columns and set(spec["columns"]) == columns, table
    conn.close()

    # The site, in both languages, names the public incidents and nothing fetched from elsewhere.
    index_en = (out / "site" / "index.html").read_text(encoding="utf-8")
    index_ar = (out / "site" / "index.ar.html").read_text(encoding="utf-8")
    assert WITHHELD in index_en and WITHHELD in index_ar
    assert '<html lang="ar" dir="rtl">' in index_ar and '<html lang="en" dir="ltr">' in index_en
    for page in (out / "site").glob("*.html"):
        body = page.read_text(encoding="utf-8")
        assert "http://" not in body and "https://" not in body.replace("https://creativecommons.org", ""), page
    assert (out / "site" / "assets" / "leaflet" / "leaflet.js").is_file()

    # The publication is in the custody ledger by the database's hash.
    from tawthiq.store.custody import iter_entries

    logged = [e for e in iter_entries(ws.db) if e.event == "exported" and e.item_sha256 == result.sha256]
    assert logged and logged[0].details["format"] == "publication" and logged[0].details["filters"]["profile"] == "public"
    published_db = (out / "data" / "tawthiq.db").read_bytes()
    assert result.sha256 == hashlib.sha256(published_db).hexdigest() and logged[0].details["size"] == len(published_db)


def test_publish_refuses_a_folder_in_use_and_other_profiles(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "pub"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ServiceError, match="not empty"):
        publish(ws, profile="public", out=out, actor="op", machine="m")
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    for name in ("court", "partner"):
        with pytest.raises(ServiceError, match="not for publication"):
            publish(ws, profile=name, out=tmp_path / name, actor="op", machine="m")
    with pytest.raises(ServiceError, match="unknown profile"):
        publish(ws, profile="press", out=tmp_path / "press", actor="op", machine="m")
    result = publish(ws, profile="public", out=out, actor="op", machine="m", force=True)
    assert result.incidents == 0 and not (out / "keep.txt").exists() and (out / "site" / "index.ar.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("pub")] == ["pub"]  # no .part or .old left
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ServiceError, match="not empty"):
        publish(ws, profile="public", out=a_file, actor="op", machine="m")
    publish(ws, profile="public", out=a_file, actor="op", machine="m", force=True)
    assert (a_file / "data" / "tawthiq.db").is_file() and not (tmp_path / "file.old").exists()


def test_profiles_are_data_and_the_projection_copies_only_what_they_allow() -> None:
    assert [p.name for p in PROFILES] == ["court", "partner", "public"]
    assert profile_named("public") is PUBLIC
    with pytest.raises(ValueError, match="unknown profile"):
        profile_named("nobody")
    assert cap_edtf("2018-03-03T10:00", PUBLIC.date_precision) == "2018-03-03"
    assert cap_edtf("2018-03-03~/2018-04-01", profile_named("public").date_precision) == "2018-03-03~/2018-04-01"


def test_the_projection_builds_each_audiences_record_from_its_profile() -> None:
    from tawthiq.domain.enums import ClaimField, DatePrecision, IncidentStatus
    from tawthiq.domain.model import Claim, Incident

    place_id, lat, lon = _saraqib()
    quote = Span(start=0, end=9, quote=WITNESS)
    incident = Incident(
        event_type="shelling", violations=["indiscriminate-attack"], status=IncidentStatus.VERIFIED,
        involvements=[Involvement(actor="syrian-government", text="Qzperpmention")],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=4, count_max=4, text="Qzvictimmention")],
        location=Location(name="Qzhouse", text="Qzplacetext", lat=EXACT_LAT, lon=EXACT_LON,
                          precision=LocationPrecision.EXACT, place_id=place_id, admin1="Idlib"),
        date=IncidentDate(edtf="2018-03-03", text="Qzdatemention", precision=DatePrecision.DAY),
        description=WITHHELD, evidence=[quote], source_id=7, cluster_id=3, independent_sources=2, id=9,
        claims=[Claim(field=ClaimField.DESCRIPTION, value="Qzsuperseded", span=quote, method="user:qzreviewer",
                      created_by="qzreviewer", superseded_by="qzreviewer", superseded_at=datetime(2026, 1, 1)),
                Claim(field=ClaimField.DESCRIPTION, value=WITHHELD, span=None, method="user:qzreviewer",
                      created_by="qzreviewer")])
    court = project_incident(incident, profile=profile_named("court"))
    assert court == incident  # everything, the replaced value and the staff's names included
    assert court is not incident and court.claims[0] is not incident.claims[0]
    partner = project_incident(incident, profile=profile_named("partner"))
    assert (partner.claims, partner.evidence, partner.victims[0].text, partner.location.text) == ([], [], "", "")
    assert partner.source_id == 7 and partner.location.lat == EXACT_LAT
    public = project_incident(incident, profile=PUBLIC, places=gazetteer_point)
    assert (public.source_id, public.cluster_id, public.independent_sources, public.claims) == (None, None, None, [])
    assert (public.location.name, public.location.lat, public.location.lon) == ("Saraqib", lat, lon)
    assert public.location.precision is LocationPrecision.TOWN and public.date.text == ""
    assert [m for m in MARKERS if m in repr(public)] == []
    # A place finer than the town that the gazetteer does not list: named by its units, its point rounded.
    unlisted = dataclasses.replace(incident, location=dataclasses.replace(incident.location, place_id=""))
    coarse = project_incident(unlisted, profile=PUBLIC, places=gazetteer_point).location
    assert (coarse.name, coarse.lat, coarse.lon, coarse.precision) == ("Idlib", 35.8, 36.7, LocationPrecision.DISTRICT)


def test_the_cli_publishes_and_fails_in_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TAWTHIQ_DATA_DIR": str(tmp_path / "originals")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                              timeout=300)

    assert run("init").returncode == 0
    done = run("publish", "-o", str(tmp_path / "pub"), "--licence", "CC0 1.0")
    assert done.returncode == 0, done.stderr
    assert "published 0 incident(s)" in done.stdout
    meta = json.loads((tmp_path / "pub" / "data" / "metadata.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC0 1.0"
    for args, words in ((("publish", "-o", str(tmp_path / "pub")), "not empty"),
                        (("publish", "--profile", "court", "-o", str(tmp_path / "c")), "not for publication"),
                        (("publish", "--profile", "nobody", "-o", str(tmp_path / "n")), "unknown profile")):
        failed = run(*args)
        lines = [line for line in failed.stderr.splitlines() if line.strip()]
        assert failed.returncode != 0 and len(lines) == 1 and lines[0].startswith("error:") and words in lines[0]
    assert not (tmp_path / "c").exists() and not (tmp_path / "n").exists()


def test_export_for_each_profile_keeps_what_the_profile_keeps(ws: Workspace) -> None:
    import io

    from tawthiq.services.exports import write_export

    ids = _plant(ws)

    def export(profile: str, fmt: str = "json") -> str:
        out = io.StringIO()
        write_export(ws, out=out, fmt=fmt, actor="op", machine="m", profile=profile)
        return out.getvalue()

    public = json.loads(export("public"))
    assert sorted(r["id"] for r in public) == sorted([ids["P"], ids["Q"]])
    assert [m for m in MARKERS if m in export("public") or m in export("public", "csv")] == []
    partner_text = export("partner")
    partner = {r["id"]: r for r in json.loads(partner_text)}
    assert set(partner) == {ids["P"], ids["Q"], ids["R"]}  # restricted too; never confidential nor unreviewed
    assert partner[ids["P"]]["location"]["lat"] == EXACT_LAT and partner[ids["P"]]["source_id"] is not None
    assert [m for m in ("Qzconfidential", "Qzunreviewed", "Qzperpmention", "Qzvictimmention", "Qzdatemention",
                        "Qzplacetext", WITNESS, "Qzsuperseded") if m in partner_text] == []
    court_text = export("court")
    court = {r["id"]: r for r in json.loads(court_text)}
    assert set(court) == {ids["P"], ids["Q"], ids["R"], ids["C"]}
    assert "Qzconfidential" in court_text and "Qzperpmention" in court_text and "Qzdatemention" in court_text
    # The operator's export without a profile stays as it was: mentions as written, no confidential incident.
    plain = io.StringIO()
    write_export(ws, out=plain, fmt="json", actor="op", machine="m")
    assert "Qzperpmention" in plain.getvalue() and "Qzconfidential" not in plain.getvalue()
    with pytest.raises(ServiceError, match="do not go together"):
        write_export(ws, out=io.StringIO(), fmt="csv", actor="op", machine="m", profile="public",
                     include_confidential=True)
    from tawthiq.domain.enums import IncidentStatus

    with pytest.raises(ServiceError, match="only confirmed, verified"):
        write_export(ws, out=io.StringIO(), fmt="csv", actor="op", machine="m", profile="public",
                     status=IncidentStatus.SUGGESTED)


def test_an_export_beyond_the_role_needs_another_reviewers_unexpired_approval(ws: Workspace) -> None:
    from datetime import UTC, timedelta

    from tawthiq.services import export_approvals
    from tawthiq.services.errors import PermissionDenied
    from tawthiq.store.custody import iter_entries

    ids = _plant(ws)
    doc = accounts.get_user(ws, actor=None, username="qzdocumenter")
    rev = accounts.get_user(ws, actor=None, username="qzreviewer")
    # Within the role: no approval (a documenter reads restricted incidents, not names: the partner profile).
    body, _, _ = reading.export_incidents(ws, user=doc, filters=IncidentFilter(), fmt="json", profile="partner")
    assert {r["id"] for r in json.loads(body)} == {ids["P"], ids["Q"], ids["R"]}
    with pytest.raises(PermissionDenied, match="needs a reviewer's approval"):
        reading.export_incidents(ws, user=doc, filters=IncidentFilter(), fmt="json", profile="court")
    with pytest.raises(PermissionDenied, match="another reviewer"):
        export_approvals.approve_export(ws, reviewer=rev, username="qzreviewer", profile="court", hours=2,
                                        reason="mine", machine="m")
    with pytest.raises(PermissionDenied, match="may not approve"):
        export_approvals.approve_export(ws, reviewer=doc, username="reader", profile="partner", hours=2,
                                        reason="x", machine="m")
    with pytest.raises(ServiceError, match="1 to 168 hours"):
        export_approvals.approve_export(ws, reviewer=rev, username="qzdocumenter", profile="court", hours=500,
                                        reason="x", machine="m")
    with pytest.raises(ServiceError, match="without an approval"):
        export_approvals.approve_export(ws, reviewer=rev, username="qzdocumenter", profile="public", hours=2,
                                        reason="x", machine="m")
    approval = export_approvals.approve_export(ws, reviewer=rev, username="qzdocumenter", profile="court", hours=2,
                                               reason="for the mechanism's request", machine="m")
    body, _, _ = reading.export_incidents(ws, user=doc, filters=IncidentFilter(), fmt="json", profile="court")
    assert {r["id"] for r in json.loads(body)} == {ids["P"], ids["Q"], ids["R"], ids["C"]}
    # Expired (two hours on), or withdrawn: refused again.
    later = approval.expires + timedelta(seconds=1)
    with pytest.raises(PermissionDenied):
        export_approvals.check_export(ws, user=doc, profile="court", now=later)
    assert export_approvals.check_export(ws, user=doc, profile="court") is not None
    export_approvals.withdraw_export(ws, reviewer=rev, username="qzdocumenter", profile="court", reason="done",
                                     machine="m", now=datetime.now(UTC))
    with pytest.raises(PermissionDenied):
        reading.export_incidents(ws, user=doc, filters=IncidentFilter(), fmt="json", profile="court")
    # The ledger holds the approval (who, why, until when) and the export it allowed.
    ledger = list(iter_entries(ws.db))
    approved = [e for e in ledger if e.event == "approved"]
    assert approved[0].actor == "qzreviewer" and approved[0].reason == "for the mechanism's request"
    assert approved[0].details == {"user": "qzdocumenter", "profile": "court", "expires": approval.expires.isoformat()}
    allowed_export = [e for e in ledger if e.event == "exported" and e.details.get("filters", {}).get("approval")]
    assert [e.details["filters"]["approval"] for e in allowed_export] == [approval.entry_id]
    assert allowed_export[0].actor == "qzdocumenter"


def test_the_viewers_projection_is_the_viewer_pages_profile() -> None:
    from tawthiq.domain.enums import ClaimField
    from tawthiq.domain.model import Claim, Incident
    from tawthiq.services.public import public_incident

    incident = Incident(
        event_type="shelling", involvements=[Involvement(actor="syrian-government", text="Qzperpmention")],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, count_min=1, count_max=2, text="Qzvictimmention")],
        location=Location(name="Saraqib", text="سراقب", lat=EXACT_LAT, lon=EXACT_LON,
                          precision=LocationPrecision.EXACT),
        date=IncidentDate(edtf="2018-03-03", text="Qzdatemention"), description=WITHHELD, confidence=0.8,
        evidence=[Span(start=0, end=3, quote="Qzq")], source_id=4, cluster_id=2, independent_sources=3,
        merged_into_id=None, id=5,
        claims=[Claim(field=ClaimField.DESCRIPTION, value="Qzsuperseded", span=None, method="user:qzreviewer")])
    seen = public_incident(incident)
    # The place as recorded (viewers' map and lists show it), nothing quoted, no source, claim or cluster.
    assert seen.location == incident.location and seen.location is not incident.location
    assert (seen.claims, seen.evidence, seen.source_id, seen.cluster_id, seen.independent_sources) == (
        [], [], None, None, None)
    assert (seen.date.text, seen.involvements[0].text, seen.victims[0].text) == ("", "", "")
    assert (seen.description, seen.confidence, seen.victims[0].count_max) == (WITHHELD, 0.8, 2)


def test_with_a_second_reviewer_required_only_verified_incidents_are_published(ws: Workspace, tmp_path: Path) -> None:
    from tawthiq.services import second_review

    ids = _plant(ws)
    admin = accounts.create_user(ws, actor=None, username="boss", password=PASSWORD, role="admin")
    assert second_review.set_required(ws, user=admin, on=True, comment="two pairs of eyes before publication")
    result = publish(ws, profile="public", out=tmp_path / "pub", actor="op", machine="m")
    conn = sqlite3.connect(tmp_path / "pub" / "data" / "tawthiq.db")
    try:
        published = {r[0] for r in conn.execute("SELECT id FROM incidents")}
        (events,) = conn.execute("SELECT events FROM figures WHERE dimension = 'total'").fetchone()
    finally:
        conn.close()
    # Q was accepted, never verified: to a reader of the public record it is not published yet.
    assert published == {ids["P"]} and result.incidents == 1 and events == 1
