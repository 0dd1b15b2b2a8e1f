"""Victim lists in a workspace (SQLite and PostgreSQL): import, re-import, the list as an original, the
record store's reads, export, who may see names, and names kept out of packages and incident exports."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from _users import ADMIN, DOCUMENTER, REVIEWER, VIEWER
from sqlalchemy import update

from tawthiq.domain import SourceKind
from tawthiq.domain.persons import PERSON_FIELDS, PersonRecord
from tawthiq.services import PermissionDenied, ServiceError, Workspace
from tawthiq.services import persons as service
from tawthiq.services.exports import write_export
from tawthiq.services.ingest import ingest_files
from tawthiq.services.packages import make_package
from tawthiq.services.reading import get_source_view
from tawthiq.store import custody, person_records
from tawthiq.store.history import history
from tawthiq.store.incidents import incidents_for_source
from tawthiq.store.sources import get_source
from tawthiq.store.tables import person_records as table

MARKER = "زُهَيْرُ القَطّانِيّ"  # a planted name: must never leave through a package or an incident export
HEADER = "الرقم,الاسم,اسم الأب,الكنية,الجنس,العمر,المحافظة,تاريخ الوفاة,الحي"


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _list(tmp_path: Path, *rows: str, name: str = "homs.csv", encoding: str = "utf-8") -> Path:
    return _write(tmp_path, name, "\n".join([HEADER, *rows]) + "\n", encoding)


ROW1 = f"1,{MARKER},أحمد,القطاني,ذكر,34,حمص,2012-03-01,بابا عمرو"
ROW2 = "2,علي حسن,,,ذكر,,,2012,"


def _import(ws: Workspace, path: Path, **kw: object) -> service.ImportSummary:
    options: dict = {"list_name": "homs", "id_column": "الرقم", "actor": "cli:tester", **kw}
    return service.import_list(ws, path=path, **options)


def test_import_stores_records_as_written_and_the_file_as_an_original(ws: Workspace, tmp_path: Path) -> None:
    path = _list(tmp_path, ROW1, ROW2, encoding="cp1256")
    summary = _import(ws, path, reason="from the council")
    assert (summary.added, summary.updated, summary.unchanged, summary.skipped, summary.total) == (2, 0, 0, 0, 2)
    assert summary.source_new and summary.encoding == "cp1256" and summary.extra_columns == ["الحي"]
    first = person_records.find(ws.db, list_name="homs", record_id="1")
    assert first is not None and first.fields["name"] == MARKER  # harakat kept, byte for byte
    assert first.fields["family_name"] == "القطاني" and first.extra == {"الحي": "بابا عمرو"}
    assert first.source_id == summary.source_id and first.cluster_id is None

    source = get_source(ws.db, summary.source_id)
    assert source is not None and source.kind is SourceKind.PERSON_LIST
    assert ws.blobs.get(source.sha256) == path.read_bytes()  # the original, byte for byte
    assert MARKER not in source.text and MARKER not in source.title  # the source text names no one
    assert source.metadata["reader"] == "person-list" and source.metadata["person_list"] == "homs"
    events = [(e.event, e.actor) for e in custody.entries_for_source(ws.db, summary.source_id)]
    assert events == [("received", "cli:tester"), ("ingested", "cli:tester")]
    assert custody.entries_for_source(ws.db, summary.source_id)[0].reason == "from the council"
    assert incidents_for_source(ws.db, summary.source_id) == []  # a victim list is not read for incidents


def test_reimport_updates_never_duplicates_and_keeps_what_the_new_file_lacks(ws: Workspace, tmp_path: Path) -> None:
    first = _import(ws, _list(tmp_path, ROW1, ROW2))
    again = _import(ws, _list(tmp_path, ROW1, ROW2))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert again.source_id == first.source_id and not again.source_new  # same bytes, same source
    assert len(custody.entries_for_source(ws.db, first.source_id)) == 2  # no second "received"

    changed = _list(tmp_path, ROW1.replace(",34,", ",35,"), "3,سعاد,,,أنثى,,,2013,", name="homs-v2.csv")
    summary = _import(ws, changed)
    assert (summary.added, summary.updated, summary.unchanged, summary.missing, summary.total) == (1, 1, 0, 1, 3)
    assert summary.source_id != first.source_id and summary.source_new
    record = person_records.find(ws.db, list_name="homs", record_id="1")
    assert record is not None and record.fields["age"] == "35" and record.source_id == summary.source_id
    kept = person_records.find(ws.db, list_name="homs", record_id="2")
    assert kept is not None and kept.source_id == first.source_id  # not in the new file: left as it was
    assert person_records.count_by_list(ws.db) == {"homs": 3}
    (entry,) = [e for e in history(ws.db, entity="person_record", entity_id=record.id) if e.action == "import-update"]
    assert (entry.before, entry.after, entry.user) == ({"age": "34"}, {"age": "35"}, "cli:tester")


def test_json_and_jsonl_lists_with_map_and_row_ids(ws: Workspace, tmp_path: Path) -> None:
    items = [{"Full Name": "ليلى", "when": "2014-02", "unit": "x"}, {"Full Name": "Omar", "when": "2015"}]
    path = _write(tmp_path, "vdc.json", json.dumps(items, ensure_ascii=False))
    summary = service.import_list(ws, path=path, list_name="vdc", mapping=["date=when"], actor="cli:t")
    assert summary.id_column is None and summary.added == 2
    rec = person_records.find(ws.db, list_name="vdc", record_id="row-1")
    assert rec is not None and rec.fields == {"name": "ليلى", "date": "2014-02"} and rec.extra == {"unit": "x"}
    lines = _write(tmp_path, "snhr.jsonl", '{"name": "A", "id": "s-1"}\nbroken\n{"name": "B", "id": "s-2"}\n')
    summary = service.import_list(ws, path=lines, list_name="snhr", actor="cli:t")
    assert (summary.added, summary.skipped, summary.reasons, summary.id_column) == (
        2, 1, ["line 2: not valid JSON"], "id")
    assert person_records.count_by_list(ws.db) == {"snhr": 2, "vdc": 2}


@pytest.mark.parametrize(("kw", "message"), [
    ({"mapping": ["bogus=x"]}, "'bogus' is not a person field"),
    ({"id_column": "nope"}, "--id-column 'nope': no such column"),
    ({"list_name": "  "}, "give the list a name"),
    ({"list_name": "reports"}, "the list of persons named in reports"),
])
def test_bad_options_are_one_line_and_store_nothing(ws: Workspace, tmp_path: Path, kw: dict, message: str) -> None:
    with pytest.raises(ServiceError, match=message) as caught:
        _import(ws, _list(tmp_path, ROW1), **kw)
    assert "\n" not in str(caught.value)
    assert person_records.count_by_list(ws.db) == {} and not list(custody.iter_entries(ws.db))


def test_bad_files_are_one_line(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="no such file"):
        _import(ws, tmp_path / "missing.csv")
    with pytest.raises(ServiceError, match="malformed JSON"):
        service.import_list(ws, path=_write(tmp_path, "l.json", "[{"), list_name="x", actor="t")
    with pytest.raises(ServiceError, match="no person rows"):
        service.import_list(ws, path=_write(tmp_path, "l.csv", "name,age\n,\n"), list_name="x", actor="t")
    assert not list(custody.iter_entries(ws.db))  # nothing kept of a list that could not be read


def test_store_reads_pages_clusters_and_many(ws: Workspace, tmp_path: Path) -> None:
    rows = [f"{i},name {i:03d},,,,,,2012," for i in range(1, 26)]
    _import(ws, _list(tmp_path, *rows))
    every = list(person_records.iter_records(ws.db, page=7))
    assert [r.record_id for r in every] == [str(i) for i in range(1, 26)]
    ids = [r.id for r in every]
    assert [r.id for r in person_records.get_many(ws.db, [ids[3], ids[1], 999_999])] == [ids[1], ids[3]]
    page = person_records.list_records(ws.db, lists=["homs"], limit=5, offset=5)
    assert [r.fields["name"] for r in page] == [f"name {i:03d}" for i in range(6, 11)]
    with ws.db.session(write=True) as session:  # the linkage's job; here by hand to read clusters back
        session.execute(update(table).where(table.c.id.in_([ids[4], ids[9]])).values(cluster_id=ids[2]))
    cluster = person_records.list_records(ws.db, cluster_id=ids[2])
    assert sorted(r.id for r in cluster) == sorted([ids[2], ids[4], ids[9]])
    detail = service.show_person(ws, record_id=ids[9])
    assert sorted(r.id for r in detail.cluster) == sorted([ids[2], ids[4], ids[9]]) and detail.sources
    assert service.cluster_of(detail.record) == ids[2]
    with pytest.raises(ServiceError, match="no person record"):
        service.show_person(ws, record_id=999_999)


def test_upsert_in_chunks_counts_and_is_atomic(ws: Workspace) -> None:
    records = [PersonRecord(list_name="big", record_id=str(i), fields={"name": f"n{i}"}) for i in range(1200)]
    counts = person_records.upsert(ws.db, records, actor="t")
    assert (counts.added, counts.updated, counts.unchanged) == (1200, 0, 0)
    bad = [PersonRecord(list_name="big", record_id="new", fields={"name": "x"}),
           PersonRecord(list_name="big", record_id="0", fields={"name": "changed"}, source_id=987_654)]
    with pytest.raises(Exception):  # noqa: B017 - the foreign key refuses the unknown source on both engines
        person_records.upsert(ws.db, bad, actor="t")
    assert person_records.count_by_list(ws.db) == {"big": 1200}  # rolled back whole
    assert person_records.find(ws.db, list_name="big", record_id="0").fields == {"name": "n0"}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_columns(ws: Workspace, tmp_path: Path, fmt: str) -> None:
    _import(ws, _list(tmp_path, ROW1, ROW2))
    _import(ws, _write(tmp_path, "o.csv", "name\n=HYPERLINK(1)\n"), list_name="other", id_column=None)
    out = io.StringIO()
    assert service.export_persons(ws, out=out, fmt=fmt, lists=["homs"], actor="t") == 2
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert list(rows[0]) == ["list", "record_id", "cluster_id", *PERSON_FIELDS, "extra"]
        assert json.loads(rows[0]["extra"]) == {"الحي": "بابا عمرو"} and rows[1]["extra"] == ""
    else:
        rows = json.loads(out.getvalue())
        assert list(rows[0]) == ["list", "record_id", "cluster_id", *PERSON_FIELDS, "extra"]
    first = next(r for r in rows if r["record_id"] == "1")
    assert (first["list"], first["name"], first["age"]) == ("homs", MARKER, "34")
    assert str(first["cluster_id"]) == str(person_records.find(ws.db, list_name="homs", record_id="1").id)
    target = tmp_path / "all.csv"
    assert service.export_persons(ws, out=target, fmt="csv", actor="cli:t", machine="box") == 3
    assert "'=HYPERLINK(1)" in target.read_text(encoding="utf-8")  # no formula reaches a spreadsheet
    (entry,) = [e for e in custody.iter_entries(ws.db) if e.event == "exported"]
    assert entry.details["person_records"] == 3 and entry.actor == "cli:t"
    with pytest.raises(ServiceError, match="no list named"):
        service.export_persons(ws, out=io.StringIO(), fmt=fmt, lists=["nope"], actor="t")


def test_only_admins_and_reviewers_see_names(ws: Workspace, tmp_path: Path) -> None:
    summary = _import(ws, _list(tmp_path, ROW1), user=DOCUMENTER)  # adding material is allowed
    for user in (ADMIN, REVIEWER):
        assert [r.fields["name"] for r in service.list_persons(ws, user=user)] == [MARKER]
        assert get_source_view(ws, user=user, source_id=summary.source_id).source.kind is SourceKind.PERSON_LIST
    for user in (DOCUMENTER, VIEWER):
        with pytest.raises(PermissionDenied):
            service.list_persons(ws, user=user)
        with pytest.raises(PermissionDenied):
            service.export_persons(ws, out=io.StringIO(), fmt="csv", user=user, actor="t")
        with pytest.raises(PermissionDenied):
            service.show_person(ws, record_id=1, user=user)
        with pytest.raises(PermissionDenied):  # the list's source page and original are its names
            get_source_view(ws, user=user, source_id=summary.source_id)
    with pytest.raises(PermissionDenied):
        _import(ws, _list(tmp_path, ROW1), user=VIEWER)


def test_names_stay_out_of_packages_incident_exports_and_search(ws: Workspace, tmp_path: Path) -> None:
    _import(ws, _list(tmp_path, ROW1))
    report = _write(tmp_path, "r.txt", "Homs, 1 March 2012: shelling by government forces killed two civilians "
                                       "in Baba Amr, residents said.\n")
    (result,) = ingest_files(ws, [report], actor="cli:t")
    assert result.status == "new"
    ids = [i.id for i in incidents_for_source(ws.db, result.source_ids[0])]
    assert ids
    bag = tmp_path / "bag"
    make_package(ws, out=bag, incident_ids=ids, include_persons=True, actor="cli:t", machine="box")
    marker = MARKER.encode("utf-8")
    for path in bag.rglob("*"):
        if path.is_file():
            assert marker not in path.read_bytes(), path
    for fmt in ("csv", "json", "geojson"):
        out = io.StringIO()
        write_export(ws, out=out, fmt=fmt, actor="cli:t", machine="box", include_confidential=True)
        assert MARKER not in out.getvalue()
    from tawthiq.services import search

    assert not [hit for hit in search(ws, "القطاني") if hit.kind == "source"]
