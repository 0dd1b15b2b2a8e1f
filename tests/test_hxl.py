"""HXL: `tawthiq export --format hxl` (valid for libhxl, one row per event) and `tawthiq import hxl` (any HXL table,
idempotent, bad rows one line each), and the round trip Tawthiq → HXL → Tawthiq.

The sample tables under tests/data/hxl/ are invented rows written by hand (Syrian places; some rows broken on
purpose); the export tests make their incidents by importing them.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import hxl
import pytest

from tawthiq.domain.enums import DatePrecision, IncidentStatus, LocationPrecision, SourceKind, VictimKind
from tawthiq.export.formats import outcome_range
from tawthiq.export.hxl import COLUMNS
from tawthiq.services import Workspace, linking
from tawthiq.services.exports import write_export
from tawthiq.services.hxl_import import HxlImport, import_hxl
from tawthiq.store import custody, repository
from tawthiq.store.incidents import incidents_for_source
from tawthiq.store.sources import sources_keyed

DATA = Path(__file__).resolve().parent / "data" / "hxl"
INCIDENTS = DATA / "syria_incidents.csv"
REVISED = DATA / "syria_incidents_revised.csv"
META_ID = DATA / "syria_meta_id.csv"
BAD_LINES = [
    "bad       row 6 (line 9), #date+occurred: '2019-13-45' is not a date (year-month-day)",
    "bad       row 7 (line 10), #event+id: empty: each row needs the other system's id, so a second import "
    "changes nothing",
    "bad       row 8 (line 11), #geo+lat: 'north' is not a number",
    "bad       row 9 (line 12), #affected+killed: 'many' is not a count of people",
    "bad       row 10 (line 13): has 16 cells where the hashtag row has 15 columns",
]


def _import(ws: Workspace, path: Path, **options: object) -> tuple[HxlImport, list[tuple[str, bool]]]:
    lines: list[tuple[str, bool]] = []
    outcome = import_hxl(ws, path, actor="tester", on_line=lambda line, problem: lines.append((line, problem)),
                         **options)  # type: ignore[arg-type]
    return outcome, lines


def _stored(ws: Workspace, row_id: str) -> tuple[object, object]:
    [source] = sources_keyed(ws.db, record_key=f"hxl:{row_id}")
    [incident] = incidents_for_source(ws.db, source.id)
    return source, incident


def _export(ws: Workspace, **options: object) -> str:
    out = io.StringIO()
    write_export(ws, out=out, fmt="hxl", actor="op", machine="m", **options)  # type: ignore[arg-type]
    return out.getvalue()


def _confirm_all(ws: Workspace) -> list[int]:
    ids = [i.id for i in repository.list_incidents(ws.db)]
    for iid in ids:
        repository.set_incident_status(ws.db, iid, status=IncidentStatus.CONFIRMED, user="rana", comment="checked")
    return ids


def test_rows_become_sources_and_incidents_coded_from_their_hashtags(ws: Workspace) -> None:
    outcome, lines = _import(ws, INCIDENTS, reason="partner table, May 2024")
    assert (outcome.rows, outcome.created, outcome.bad, outcome.failed, outcome.incidents) == (10, 5, 5, 0, 5)
    assert [line for line, problem in lines if problem] == BAD_LINES == outcome.problems
    assert dict(outcome.unmatched) == {"Liwa al-Mukhtara": 1} and dict(outcome.unknown_types) == {"Water cut": 1}

    source, incident = _stored(ws, "SYR-HXL-001")
    assert source.kind == SourceKind.RECORD and source.text == (
        "Warplanes struck the market in Ariha, killing five civilians.")
    assert source.metadata["reader"] == "hxl" and source.metadata["hxl_source"] == "Invented monitor"
    assert source.metadata["hxl"]["#event+id"] == "SYR-HXL-001" and source.author == "Invented monitor"
    # The original is the row verbatim under the rows down to the hashtag row (title, headers, hashtags).
    lines_of_file = INCIDENTS.read_bytes().split(b"\n")
    assert ws.blobs.get(source.sha256) == b"\n".join(lines_of_file[:4]) + b"\n"
    assert [e.event for e in custody.entries_for_source(ws.db, source.id)] == ["received", "ingested"]
    assert custody.entries_for_source(ws.db, source.id)[0].details["how"] == "tawthiq import hxl"

    assert incident.event_type == "air-drone-strike" and incident.status == "suggested"
    assert [(i.actor, i.text) for i in incident.perpetrators] == [("russia", "Military Forces of Russia (2000-)")]
    assert [(v.outcome.value, v.kind, v.count_min, v.count_max) for v in incident.victims] == [
        ("killed", VictimKind.UNKNOWN, 5, 5), ("injured", VictimKind.UNKNOWN, 3, 6)]
    assert (incident.date.edtf, incident.date.precision) == ("2019-05-14", DatePrecision.DAY)
    loc = incident.location
    assert (loc.name, loc.admin1, loc.admin2, loc.place_id, loc.precision, loc.lat) == (
        "Ariha", "Idlib", "Ariha", "gn:172994", LocationPrecision.TOWN, 35.8137)
    assert all(c.method.startswith("import:hxl/#") for c in incident.claims)

    _, douma = _stored(ws, "SYR-HXL-002")  # a month; a name no table knows: "other", kept as written
    assert (douma.date.edtf, douma.date.precision) == ("2018-03", DatePrecision.MONTH)
    assert [(i.actor, i.text) for i in douma.perpetrators] == [
        ("syrian-government", "Military Forces of Syria (2000-)"), ("other", "Liwa al-Mukhtara")]
    _, raqqa = _stored(ws, "SYR-HXL-003")  # "12 June 2017", an event type by its code, the detained
    assert raqqa.date.edtf == "2017-06-12" and raqqa.event_type == "arrests"
    assert [(v.outcome.value, v.count_min) for v in raqqa.victims] == [("detained", 14)]
    _, water = _stored(ws, "SYR-HXL-004")
    assert water.event_type == "other" and water.perpetrators == []
    [claim] = [c for c in water.claims if c.field.value == "event_type"]
    assert "'Water cut'" in claim.note and claim.confidence < 0.5
    _, al_bab = _stored(ws, "SYR-HXL-005")  # the formula guard a spreadsheet tool added is taken off
    assert al_bab.description == "-- Two men shot dead at a checkpoint in Al-Bab"
    assert [i.actor for i in al_bab.perpetrators] == ["isis"]


def test_any_order_meta_id_date_ranges_and_codes(ws: Workspace) -> None:
    outcome, _ = _import(ws, META_ID)  # the hashtag row is the first row; no header above it
    assert (outcome.rows, outcome.created, outcome.ok) == (2, 2, True)
    _, jisr = _stored(ws, "K-1")
    assert (jisr.date.edtf, jisr.date.precision) == ("2015-10-01/2015-10-07", DatePrecision.APPROXIMATE)
    assert jisr.location.name_ar == "جسر الشغور" and jisr.location.place_id == "gn:169023"
    assert [(v.count_min, v.count_max) for v in jisr.victims] == [(3, None)]  # no maximum: open
    _, aleppo = _stored(ws, "K-2")  # only a governorate
    assert aleppo.location.precision is LocationPrecision.GOVERNORATE and aleppo.location.place_id == "sy-aleppo"
    assert [i.actor for i in aleppo.perpetrators] == ["syrian-government", "russia"]
    assert aleppo.date.edtf == "2014-02-10" and [(v.count_min, v.count_max) for v in aleppo.victims] == [(10, 15)]


def test_reimport_changes_nothing_a_revised_row_is_skipped_and_a_dry_run_stores_nothing(ws: Workspace) -> None:
    dry, lines = _import(ws, INCIDENTS, dry_run=True)
    assert (dry.created, dry.bad) == (5, 5) and repository.count_sources(ws.db) == 0
    assert custody.count_entries(ws.db) == 0 and "would be added" in dry.summary()
    assert ("would add row 3 SYR-HXL-003: a source and an incident (arrests, Raqqa, 2017-06-12)", False) in lines

    _import(ws, INCIDENTS)
    count = repository.count_incidents(ws.db)
    again, lines = _import(ws, INCIDENTS)
    assert (again.created, again.unchanged, again.changed, again.bad) == (0, 5, 0, 5)
    assert ("unchanged row 1 SYR-HXL-001 (source 1)", False) in lines
    revised, lines = _import(ws, REVISED)
    assert (revised.created, revised.unchanged, revised.changed) == (0, 4, 1)
    assert any(line.startswith("changed   row 1 SYR-HXL-001") for line, _ in lines)
    assert repository.count_sources(ws.db) == 5 and repository.count_incidents(ws.db) == count
    _, ariha = _stored(ws, "SYR-HXL-001")
    assert ariha.victims[0].count_min == 5  # the stored coding stands until a person compares


@pytest.mark.parametrize(("name", "why"), [
    ("not_hxl.csv", "no HXL hashtag row"), ("no_id.csv", "no #event+id or #meta+id column"),
    ("missing.csv", "")])
def test_a_table_that_cannot_be_read_is_one_line(ws: Workspace, name: str, why: str) -> None:
    outcome, lines = _import(ws, DATA / name)
    assert outcome.rows == 0 and len(outcome.problems) == 1 and why in outcome.problems[0]
    assert lines == [(outcome.problems[0], True)] and repository.count_sources(ws.db) == 0


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))[1:]  # the hashtag row is the first under the header


def test_export_is_valid_hxl_of_reviewed_incidents_with_cells_made_safe(ws: Workspace, tmp_path: Path) -> None:
    _import(ws, INCIDENTS)
    assert len(_rows(_export(ws))) == 0  # suggestions only: nothing reviewed yet
    assert len(_rows(_export(ws, status=IncidentStatus.SUGGESTED))) == 5
    _confirm_all(ws)
    text = _export(ws)
    header, tags = text.splitlines()[:2]
    assert header.split(",") == [h for h, _ in COLUMNS] and tags.split(",") == [t for _, t in COLUMNS]
    path = tmp_path / "out.csv"
    path.write_text(text, encoding="utf-8")
    options = hxl.input.InputOptions(allow_local=True)
    report = hxl.validate(hxl.data(str(path), options))  # HXL's default schema: dates, numbers, coordinates
    assert report["is_valid"], report["issues"]
    seen = {row.get("#event+id"): (row.get("#affected+killed+min"), row.get("#adm1+name"), row.get("#description"))
            for row in hxl.data(str(path), options)}
    assert len(seen) == 5 and all(v[1] for v in seen.values())
    rows = {r["Event id"]: r for r in _rows(text)}
    assert {r["Description"] for r in rows.values()} >= {"'-- Two men shot dead at a checkpoint in Al-Bab"}
    douma = next(r for r in rows.values() if r["Place"] == "Douma")
    assert (douma["Date"], douma["Date start"], douma["Date end"], douma["Date (EDTF)"]) == (
        "2018-03", "2018-03-01", "2018-03-31", "2018-03")
    assert douma["Perpetrator codes"] == "syrian-government; other"
    assert douma["Perpetrators"] == "Syrian government forces; Liwa al-Mukhtara"
    assert (douma["Killed (min)"], douma["Killed (max)"], douma["Injured (min)"]) == ("12", "12", "")


def test_export_is_one_row_per_event_where_incidents_are_linked(ws: Workspace) -> None:
    _import(ws, INCIDENTS)
    _import(ws, META_ID)
    ids = _confirm_all(ws)
    ariha = _stored(ws, "SYR-HXL-001")[1].id
    aleppo = _stored(ws, "K-2")[1].id
    linking.decide(ws, user=None, actor="rana", a=ariha, b=aleppo, verdict="same", comment="same strike")
    rows = _rows(_export(ws))
    assert len(rows) == len(ids) - 1
    [event] = [r for r in rows if r["Incidents"] == f"{ariha}; {aleppo}"]
    assert event["Event id"] == str(min(ariha, aleppo)) and event["Place"] == "Ariha"
    # Counts as the statistics count a cluster: the range across the incidents that tell it.
    assert (event["Killed (min)"], event["Killed (max)"], event["Injured (min)"]) == ("5", "15", "3")
    assert event["Perpetrator codes"] == "russia; syrian-government"
    assert event["Independent sources"] == "2"


def test_each_audience_gets_what_its_profile_gives(ws: Workspace) -> None:
    from tawthiq.store import edits

    _import(ws, INCIDENTS)
    ids = _confirm_all(ws)
    with ws.db.session(write=True) as session:
        for iid in ids[:2]:
            edits.set_confidentiality(session, iid, level="public", user="rana", action="publish", comment="ok")
    partner = _rows(_export(ws, profile="partner"))
    assert len(partner) == 5 and all(r["Sources"] for r in partner)  # a partner may know which source
    public = _rows(_export(ws, profile="public"))
    assert [r["Event id"] for r in public] == [str(i) for i in ids[:2]]
    assert all(r["Sources"] == "" and r["Independent sources"] == "" and r["Description"] for r in public)


def test_round_trip_tawthiq_hxl_tawthiq_keeps_every_incident(ws: Workspace, tmp_path: Path) -> None:
    _import(ws, INCIDENTS)
    _import(ws, META_ID)
    before = {i.id: i for i in repository.list_incidents(ws.db)}
    _confirm_all(ws)
    path = tmp_path / "tawthiq.hxl.csv"
    write_export(ws, out=path, fmt="hxl", actor="op", machine="m")
    again, _ = _import(ws, path)  # Tawthiq's event ids are its record keys: new sources beside the old
    assert (again.rows, again.created, again.bad, again.ok) == (len(before), len(before), 0, True)
    for iid, old in before.items():
        _, new = _stored(ws, str(iid))
        assert new.event_type == old.event_type
        assert (new.date.edtf, new.date.precision) == (old.date.edtf, old.date.precision)
        a, b = new.location, old.location
        assert (a.name, a.name_ar, a.country, a.admin1, a.admin2, a.admin3, a.lat, a.lon, a.precision,
                a.place_id) == (b.name, b.name_ar, b.country, b.admin1, b.admin2, b.admin3, b.lat, b.lon,
                                b.precision, b.place_id)
        assert [i.actor for i in new.perpetrators] == [i.actor for i in old.perpetrators]
        # An actor no list knows keeps its name as written; a known one is named by Tawthiq's label.
        assert [i.text for i in new.perpetrators if i.actor == "other"] == [
            i.text for i in old.perpetrators if i.actor == "other"]
        for outcome in ("killed", "injured", "detained"):
            assert outcome_range(new, outcome) == outcome_range(old, outcome), (iid, outcome)
        assert new.description == old.description
    back, _ = _import(ws, path)
    assert (back.created, back.unchanged) == (0, len(before))


def test_cli_export_and_import_hxl(tmp_path: Path) -> None:
    env = dict(os.environ, TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
               TAWTHIQ_DATA_DIR=str(tmp_path / "originals"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                              timeout=300)

    assert run("init").returncode == 0
    dry = run("import", "hxl", str(INCIDENTS), "--dry-run", "--quiet")
    assert dry.returncode == 1 and dry.stderr.splitlines() == BAD_LINES
    assert dry.stdout.splitlines()[-1].startswith("dry run, nothing stored: 10 row(s): 5 would be added")
    done = run("import", "hxl", str(META_ID), "--reason", "test")
    assert done.returncode == 0 and done.stdout.splitlines()[-1].startswith("2 row(s): 2 added")
    out = tmp_path / "all.csv"
    made = run("export", "--format", "hxl", "--status", "suggested", "-o", str(out))
    assert made.returncode == 0 and "wrote 2 incident(s)" in made.stderr
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("#event+id,")
    assert run("package", "-o", str(tmp_path / "bag"), "--source", "1", "--reason", "test").returncode == 0
    checked = run("verify-package", str(tmp_path / "bag"), "--no-signature-check")
    assert checked.returncode == 0 and "1 source text(s) re-derived" in checked.stdout, checked.stdout
