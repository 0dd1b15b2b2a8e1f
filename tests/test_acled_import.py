"""`tawthiq import acled`: ACLED's export as sources with ACLED's coding, idempotent, bad rows one line each.

The sample files under tests/data/acled/ are invented rows written by hand in
ACLED's two layouts (Syrian places; some rows broken on purpose).
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tawthiq.domain.enums import DatePrecision, InvolvementRole, LocationPrecision, SourceKind, VictimKind
from tawthiq.domain.errors import IngestError
from tawthiq.ingest.formats.acled import CURRENT, OLDER, AcledRow, RowProblem, read_rows
from tawthiq.services import Workspace
from tawthiq.services.acled_import import AcledImport, import_acled
from tawthiq.store import custody, repository
from tawthiq.store.incidents import incidents_for_source
from tawthiq.store.sources import sources_keyed
from tawthiq.store.vault.blobs import sha256_bytes

DATA = Path(__file__).resolve().parent / "data" / "acled"
CURRENT_FILE = DATA / "syria_current.csv"
OLDER_FILE = DATA / "syria_older.csv"
REVISED_FILE = DATA / "syria_current_revised.csv"
BAD_CURRENT = [
    "bad       row 7 (line 9), event_date: '2019-13-45' is not a date (year-month-day)",
    "bad       row 8 (line 10), geo_precision: '4' is not one of 1, 2, 3",
    "bad       row 9 (line 11), sub_event_type: 'Drone swarm' is not an ACLED sub-event type the mapping table knows",
    "bad       row 10 (line 12): has 30 cells where the header has 31 columns",
    "bad       row 11 (line 13), event_id_cnty: empty: every ACLED event has an id",
    "bad       row 12 (line 14), latitude: 'north' is not a number",
]


def _import(ws: Workspace, path: Path, **options: object) -> tuple[AcledImport, list[tuple[str, bool]]]:
    lines: list[tuple[str, bool]] = []
    outcome = import_acled(ws, path, actor="tester", on_line=lambda line, problem: lines.append((line, problem)),
                           **options)  # type: ignore[arg-type]
    return outcome, lines


def _stored(ws: Workspace, event_id: str) -> tuple[object, object]:
    [source] = sources_keyed(ws.db, record_key=f"acled:{event_id}")
    [incident] = incidents_for_source(ws.db, source.id)
    return source, incident


def test_current_layout_rows_become_sources_and_coded_incidents(ws: Workspace) -> None:
    outcome, lines = _import(ws, CURRENT_FILE, reason="ACLED Syria export, May 2024")
    assert (outcome.layout, outcome.rows, outcome.created, outcome.bad, outcome.failed) == (CURRENT, 13, 7, 6, 0)
    assert outcome.incidents == 7 and repository.count_sources(ws.db) == 7
    assert [line for line, problem in lines if problem] == BAD_CURRENT == outcome.problems
    assert dict(outcome.unmatched) == {"Al-Baggara Tribal Militia (Syria)": 1}

    source, incident = _stored(ws, "SYR90001")
    notes = ("On 14 May 2019, Russian warplanes struck a market in Ariha (Ariha, Idleb), killing 5 civilians "
             "including 2 children.")
    assert source.kind == SourceKind.RECORD and source.text == notes and source.author == "ACLED"
    assert source.metadata["reader"] == "acled" and source.metadata["received_reason"] == "ACLED Syria export, May 2024"
    assert source.metadata["acled_source"] == "Syrian Observatory for Human Rights"
    assert source.metadata["acled_source_scale"] == "National"
    assert source.metadata["acled"]["event_id_cnty"] == "SYR90001" and source.metadata["acled_timestamp"] == 1558000000
    # The original is the row verbatim, under the file's header: a one-row ACLED file.
    header, row = CURRENT_FILE.read_bytes().split(b"\n")[:2]
    assert ws.blobs.get(source.sha256) == header + b"\n" + row + b"\n"
    assert [e.event for e in custody.entries_for_source(ws.db, source.id)] == ["received", "ingested"]
    received = custody.entries_for_source(ws.db, source.id)[0]
    assert received.reason == "ACLED Syria export, May 2024" and received.details["how"] == "tawthiq import acled"

    assert incident.event_type == "air-drone-strike" and incident.status == "suggested"
    assert [(i.actor, i.role, i.text) for i in incident.involvements] == [
        ("russia", InvolvementRole.PERPETRATOR, "Military Forces of Russia (2000-)")]  # civilians are no actor
    [killed] = incident.victims
    assert (killed.kind, killed.outcome, killed.count_min, killed.count_max) == (VictimKind.CIVILIAN, "killed", 5, 5)
    assert (incident.date.edtf, incident.date.precision) == ("2019-05-14", DatePrecision.DAY)
    place = incident.location
    assert (place.name, place.admin1, place.admin2, place.precision) == ("Ariha", "Idleb", "Ariha", LocationPrecision.TOWN)
    assert (place.lat, place.lon, place.country) == (35.8137, 36.6096, "SY")
    assert place.place_id and place.name_ar  # matched to the gazetteer's Ariha, in Idlib governorate
    # Every fact says it is ACLED's coding and cites the notes whole.
    assert {c.field.value for c in incident.claims} == {"event_type", "perpetrator", "victims", "date", "location",
                                                       "description"}
    for claim in incident.claims:
        assert claim.method.startswith("import:acled/") and "ACLED coding of event SYR90001" in claim.note
        assert (claim.span.start, claim.span.end, claim.span.quote) == (0, len(notes), notes)
    assert [(c.field.value, c.note) for c in incident.claims if c.field.value == "event_type"] == [
        ("event_type", "ACLED coding of event SYR90001: sub_event_type = 'Air/drone strike'")]


def test_precisions_sides_and_victims_follow_acled_columns(ws: Workspace) -> None:
    _import(ws, CURRENT_FILE)
    _, shelling = _stored(ws, "SYR90002")  # week precision, near the town, allied militias, an HTS target
    assert (shelling.date.edtf, shelling.date.precision) == ("2019-05-17/2019-05-23", DatePrecision.APPROXIMATE)
    assert shelling.location.precision is LocationPrecision.DISTRICT and shelling.location.place_id
    assert [(i.actor, i.role.value, i.text) for i in shelling.involvements] == [
        ("syrian-government", "perpetrator", "Military Forces of Syria (2000-2024); NDF: National Defence Forces"),
        ("iran-backed", "perpetrator", "Hezbollah"), ("hts", "target", "Hayat Tahrir al-Sham")]
    assert shelling.victims == []  # 0 fatalities: no count is made up
    assert "\nCasualties unknown." in shelling.description  # a notes cell with a line break, kept

    _, abduction = _stored(ws, "SYR90003")  # month precision, governorate
    assert (abduction.date.edtf, abduction.date.precision) == ("2017-07", DatePrecision.MONTH)
    assert abduction.location.precision is LocationPrecision.GOVERNORATE
    assert abduction.location.place_id == "sy-raqqa"
    assert [i.actor for i in abduction.perpetrators] == ["unknown"]

    _, clash = _stored(ws, "SYR90004")  # no civilian targeting: the dead are of unknown kind
    assert [(v.kind, v.count_min) for v in clash.victims] == [(VictimKind.UNKNOWN, 3)]
    assert [(i.actor, i.role.value) for i in clash.involvements] == [("armed-opposition", "perpetrator"),
                                                                    ("sdf", "target")]
    assert clash.location.name == "Arima" and clash.location.lat == 36.567  # kept as ACLED placed it

    _, protest = _stored(ws, "SYR90005")
    assert protest.event_type == "peaceful-protest" and protest.involvements == []

    _, tribal = _stored(ws, "SYR90006")  # a name the table does not know: "other", kept as written
    [side] = tribal.perpetrators
    assert (side.actor, side.text) == ("other", "Al-Baggara Tribal Militia (Syria)")
    [claim] = [c for c in tribal.claims if c.field.value == "perpetrator"]
    assert claim.confidence < 0.5 and "not in the mapping table" in claim.note


def test_reimport_changes_nothing_and_a_revised_row_is_skipped(ws: Workspace) -> None:
    _import(ws, CURRENT_FILE)
    count = repository.count_incidents(ws.db)
    again, lines = _import(ws, CURRENT_FILE)
    assert (again.created, again.unchanged, again.changed, again.bad) == (0, 7, 0, 6)
    assert repository.count_sources(ws.db) == 7 and repository.count_incidents(ws.db) == count
    assert ("unchanged row 1 SYR90001 (source 1)", False) in lines

    revised, lines = _import(ws, REVISED_FILE)
    assert (revised.rows, revised.created, revised.unchanged, revised.changed, revised.ok) == (3, 1, 1, 1, True)
    [changed] = [line for line, _ in lines if line.startswith("changed")]
    assert "SYR90004" in changed and "1580900000 → 1581500000" in changed
    _, clash = _stored(ws, "SYR90004")
    assert [v.count_min for v in clash.victims] == [3]  # the stored coding stands until a person compares
    _, bomb = _stored(ws, "SYR90014")
    assert bomb.event_type == "remote-explosive-landmine-ied" and bomb.victims[0].kind is VictimKind.CIVILIAN


def test_dry_run_says_what_would_be_added_and_writes_nothing(ws: Workspace) -> None:
    outcome, lines = _import(ws, CURRENT_FILE, dry_run=True)
    assert (outcome.created, outcome.incidents, outcome.bad) == (7, 7, 6)
    assert repository.count_sources(ws.db) == 0 and custody.count_entries(ws.db) == 0
    header, row = CURRENT_FILE.read_bytes().split(b"\n")[:2]
    assert not ws.blobs.exists(sha256_bytes(header + b"\n" + row + b"\n"))  # no original kept either
    assert ("would add row 13 SYR90013: a source and an incident (chemical-weapon, Douma, 2018-04-07, 43 killed)",
            False) in lines
    assert "would be added" in outcome.summary()
    _import(ws, CURRENT_FILE)
    dry_again, _ = _import(ws, REVISED_FILE, dry_run=True)
    assert (dry_again.created, dry_again.unchanged, dry_again.changed) == (1, 1, 1)
    assert repository.count_sources(ws.db) == 7


def test_older_layout_has_no_civilian_targeting(ws: Workspace) -> None:
    outcome, lines = _import(ws, OLDER_FILE)
    assert (outcome.layout, outcome.created, outcome.bad) == (OLDER, 3, 1)
    assert outcome.problems == ["bad       row 3 (line 4), fatalities: 'many' is not a count of people"]
    source, strike = _stored(ws, "SYR20001")
    assert source.metadata["acled"]["data_id"] == "7001001"
    assert strike.date.edtf == "2018-03-15"  # "15 March 2018"
    assert [(v.kind, v.count_min) for v in strike.victims] == [(VictimKind.UNKNOWN, 12)]
    assert strike.location.place_id and strike.location.admin1 == "Rural Damascus"
    [victims] = [c for c in strike.claims if c.field.value == "victims"]
    assert "does not say whether civilians were targeted" in victims.note
    _, bombing = _stored(ws, "SYR20002")
    assert [(i.actor, i.role.value) for i in bombing.involvements] == [("isis", "perpetrator"),
                                                                      ("syrian-government", "target")]
    _, arrests = _stored(ws, "SYR20004")
    assert arrests.date.edtf == "2015-08-18/2015-08-24"


def test_an_edited_mapping_table_is_used_and_a_wrong_code_refused(ws: Workspace, tmp_path: Path) -> None:
    shipped = (Path(__file__).resolve().parents[1] / "src/tawthiq/ingest/formats/acled.toml").read_text("utf-8")
    table = tmp_path / "ours.toml"
    table.write_text(shipped.replace('"Unidentified Military Forces" = "unknown"',
                                     '"Unidentified Military Forces" = "unknown"\n"Al-Baggara Tribal Militia" = "syrian-government"'),
                     encoding="utf-8")
    outcome, _ = _import(ws, CURRENT_FILE, table=table)
    assert not outcome.unmatched
    _, tribal = _stored(ws, "SYR90006")
    assert [(i.actor, i.text) for i in tribal.perpetrators] == [("syrian-government", "Al-Baggara Tribal Militia (Syria)")]

    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[actors]\n"Military Forces of Syria" = "the-regime"\n', encoding="utf-8")
    refused, lines = _import(ws, REVISED_FILE, table=wrong)
    assert refused.rows == 0 and len(refused.problems) == 1
    assert "'the-regime', which is not a Tawthiq actor code" in refused.problems[0]


def test_mapping_table_rules() -> None:
    from tawthiq.ingest.formats.acled_coding import MappingTable

    table = MappingTable.load()
    assert table.side("Military Forces of Syria (2000-2024)").code == "syrian-government"  # the period left out
    assert table.side("military  forces of TURKEY (2016-)").code == "turkey"  # case and spaces folded
    assert table.side("Hayat Tahrir al-Sham (Syria)").code == "hts"  # the country bracket left out
    assert table.side("Syrian Arab Army").code == "syrian-government"  # an alias of actors.toml
    assert table.side("Civilians (Syria)").code == ""  # no armed actor
    unknown = table.side("Liwa Shuhada al-Yarmouk")
    assert (unknown.code, unknown.matched, unknown.written) == ("other", False, "Liwa Shuhada al-Yarmouk")
    assert table.event_type("Shelling/artillery/missile attack") == "shelling-artillery-missile-attack"
    assert table.event_type("Change to group/activity") == "change-to-group-activity"
    assert len(table.event_types) == 25


def _rows(data: bytes) -> list[AcledRow | RowProblem]:
    return list(read_rows(io.BytesIO(data)))


def test_reader_keeps_bytes_and_reads_bom_crlf_and_a_last_row_without_line_end() -> None:
    header, row = CURRENT_FILE.read_bytes().split(b"\n")[:2]
    data = b"\xef\xbb\xbf" + header.upper() + b"\r\n" + row + b"\r\n\r\n" + row.replace(b"SYR90001", b"SYR90099")
    first, second = _rows(data)
    assert isinstance(first, AcledRow) and isinstance(second, AcledRow)
    assert first.data == row + b"\r\n" and first.header == header.upper() + b"\r\n"
    assert second.event_id == "SYR90099" and second.data.endswith(b"\n") and second.row == 2 and second.line == 4


def test_reader_refuses_what_is_no_acled_export() -> None:
    with pytest.raises(IngestError, match="not an ACLED export: the header lacks event_id_cnty"):
        _rows(b"id,text\n1,hello\n")
    with pytest.raises(IngestError, match="unclosed quote"):
        header = CURRENT_FILE.read_bytes().split(b"\n")[0]
        _rows(header + b'\nSYR1,"never closed\n')
    with pytest.raises(IngestError, match="empty file"):
        _rows(b"")


def test_reader_streams_without_holding_the_file() -> None:
    """A long export is read a row at a time: the rows come out before the file is read to its end."""
    header, row = CURRENT_FILE.read_bytes().split(b"\n")[:2]

    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self.served = 0
            self.buffer = header + b"\n"

        def readable(self) -> bool:
            return True

        def readinto(self, target: bytearray) -> int:  # type: ignore[override]
            if not self.buffer:
                self.served += 1
                self.buffer = row.replace(b"SYR90001", f"SYR{self.served:07d}".encode()) + b"\n"
            n = min(len(target), len(self.buffer))
            target[:n], self.buffer = self.buffer[:n], self.buffer[n:]
            return n

    source = Endless()
    rows = read_rows(io.BufferedReader(source, buffer_size=8192))
    taken = [next(rows) for _ in range(5)]
    assert [r.event_id for r in taken] == [f"SYR{n:07d}" for n in range(1, 6)]  # type: ignore[union-attr]
    assert source.served < 100


def test_cli_import_acled(tmp_path: Path) -> None:
    env = dict(os.environ, TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}",
               TAWTHIQ_DATA_DIR=str(tmp_path / "originals"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                              timeout=300)

    assert run("init").returncode == 0
    dry = run("import", "acled", str(OLDER_FILE), "--dry-run")
    assert dry.returncode == 1 and "Traceback" not in dry.stderr
    assert dry.stdout.splitlines()[-1].startswith("dry run, nothing stored: 4 row(s): 3 would be added")
    assert dry.stderr.splitlines() == ["bad       row 3 (line 4), fatalities: 'many' is not a count of people"]
    done = run("import", "acled", str(REVISED_FILE), "--reason", "test")
    assert done.returncode == 0 and done.stdout.splitlines()[-1].startswith("3 row(s): 3 added")
    again = run("import", "acled", str(REVISED_FILE), "--quiet")
    assert again.returncode == 0 and again.stdout.splitlines() == [
        "3 row(s): 0 added, 3 unchanged, 0 changed since imported (skipped), 0 bad, 0 failed; 0 incident(s) suggested"]
    # A package of an imported row: verify-package reads the row again as the import did.
    assert run("package", "-o", str(tmp_path / "bag"), "--source", "1", "--reason", "test").returncode == 0
    checked = run("verify-package", str(tmp_path / "bag"), "--no-signature-check")
    assert checked.returncode == 0 and "1 source text(s) re-derived" in checked.stdout, checked.stdout
    missing = run("import", "acled", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1 and "Traceback" not in missing.stderr


def test_a_row_that_cannot_be_stored_leaves_nothing_and_the_import_goes_on(ws: Workspace,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Each row is one transaction: a failure rolls back its source and custody entries, the next rows go on."""
    import tawthiq.store.incidents as store_incidents

    real = store_incidents.insert_incident
    calls = {"n": 0}

    def flaky(session, incident, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(session, incident, **kwargs)

    monkeypatch.setattr(store_incidents, "insert_incident", flaky)
    outcome, lines = _import(ws, REVISED_FILE)
    assert (outcome.created, outcome.failed) == (2, 1)
    [failed] = [line for line, problem in lines if problem]
    assert failed.startswith("failed    row 2 SYR90004: ") and "disk full" in failed
    assert sources_keyed(ws.db, record_key="acled:SYR90004") == []
    assert custody.count_entries(ws.db) == 4  # received and ingested of the two rows stored
    monkeypatch.setattr(store_incidents, "insert_incident", real)
    again, _ = _import(ws, REVISED_FILE)  # the row left out is taken on the next run
    assert (again.created, again.unchanged, again.failed) == (1, 2, 0)
