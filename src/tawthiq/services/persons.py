"""Victim lists: import a list (`tawthiq persons import`), export and list its person records.

Names of persons are confidential: only admins and reviewers
(:data:`~tawthiq.domain.access.Action.READ_NAMES`) list, show or export
person records. The CLI acts as the machine's operator (``user`` None):
whoever can run ``tawthiq`` against the database can already read it all.
Importing needs only the right to add material, and its summary names no one.

An import keeps the list file as an original (evidence store, source,
custody), then stores its rows by (list, record id) in one transaction: a
list imported again updates its records and never adds them twice, and a
record the new file no longer has stays, counted in the summary as missing.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..domain.access import Action, User, allowed
from ..domain.errors import IngestError
from ..domain.persons import PERSON_FIELDS, REPORTS_LIST, PersonRecord
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError

IMPORT_VIA = "tawthiq persons import"
EXPORT_FORMATS = ("csv", "json")
EXPORT_COLUMNS: tuple[str, ...] = ("list", "record_id", "cluster_id", *PERSON_FIELDS, "extra")
MAX_LIST_NAME = 200


def _require(user: User | None, *actions: Action) -> None:
    """The CLI (``user`` None) is the operator; a signed-in user needs every one of ``actions``."""
    if user is None:
        return
    for action in actions:
        if user.disabled or not allowed(user.role, action):
            raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


@dataclass(slots=True)
class ImportSummary:
    """What one import did; names no person (it is printed, and may be logged)."""

    list_name: str
    file: str
    source_id: int
    source_new: bool  # False: the identical file was imported before (the same source)
    format: str
    encoding: str
    id_column: str | None  # None: record ids are row positions (row-N)
    field_columns: dict[str, str]  # person field -> column
    extra_columns: list[str]  # kept on each record as extra attributes
    rows: int  # rows read as records
    added: int
    updated: int
    unchanged: int
    skipped: int
    reasons: list[str] = field(default_factory=list)  # the first skip reasons
    notes: list[str] = field(default_factory=list)
    missing: int = 0  # records of this list not in this file: kept as they were
    total: int = 0  # records the list has now


def list_name_checked(name: str) -> str:
    """A list's name as given, stripped; refused when empty, unprintable, too long or reserved."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise ServiceError("give the list a name with --list (e.g. --list vdc)")
    if len(cleaned) > MAX_LIST_NAME or not cleaned.isprintable():
        raise ServiceError(f"a list name is printable text of at most {MAX_LIST_NAME} characters")
    if cleaned == REPORTS_LIST:
        raise ServiceError(f"{REPORTS_LIST!r} is the list of persons named in reports; choose another name")
    return cleaned


def import_list(ws: Workspace, *, path: Path, list_name: str, mapping: Sequence[str] | Mapping[str, str] = (),
                id_column: str | None = None, actor: str, user: User | None = None,
                reason: str = "") -> ImportSummary:
    """Import the victim list at ``path`` as ``list_name``; a bad file or option is one ServiceError line.

    ``mapping`` is ``FIELD=COLUMN`` strings (``--map``) or a field -> column
    mapping. Nothing is stored unless the whole list can be read: its rows'
    problems are counted first, then the file is kept as an original, then
    the records are stored together.
    """
    from ..ingest.files import open_input_file, read_all
    from ..ingest.person_list_original import store_list_original
    from ..ingest.person_lists import parse_mapping, read_person_list
    from ..store import person_records
    from ..store.history import record as audit

    _require(user, Action.INGEST)
    name = list_name_checked(list_name)
    limit = ws.settings.max_file_size
    try:
        fields_by = parse_mapping(mapping) if not isinstance(mapping, Mapping) else parse_mapping(
            f"{k}={v}" for k, v in mapping.items())
        with open_input_file(path, max_file_size=limit) as handle:
            data = read_all(handle, max_file_size=limit)
        listed = read_person_list(data, name=path.name, mapping=fields_by,
                                  id_column=id_column.strip() if id_column else None)
    except IngestError as error:
        raise ServiceError(f"{path.name}: {error}") from None
    except OSError as error:
        raise ServiceError(f"cannot read {path}: {error.strerror or error}") from None
    ws.settings.data_dir.mkdir(parents=True, exist_ok=True)
    stored = store_list_original(data, name=path.name, list_name=name, listed=listed, db=ws.db, blobs=ws.blobs,
                                 max_file_size=limit, actor=actor, via=IMPORT_VIA, reason=reason)
    del data
    if stored.status == "failed" or not stored.source_ids:
        raise ServiceError(f"{path.name}: the list file could not be kept as an original ({stored.error})")
    source_id = stored.source_ids[0]
    records = (PersonRecord(list_name=name, record_id=row.record_id, fields=row.fields, extra=row.extra,
                            source_id=source_id) for row in listed.iter_rows())
    with ws.db.session(write=True) as session:
        counts = person_records.upsert_in(session, records, actor=actor)
        total = person_records.count_in(session, name)
        summary = ImportSummary(
            list_name=name, file=path.name, source_id=source_id, source_new=stored.status == "new",
            format=listed.format, encoding=str(listed.encoding.get("encoding", "")), id_column=listed.id_column,
            field_columns=dict(listed.field_columns),
            extra_columns=[c for c in listed.columns
                           if c not in listed.field_columns.values() and c != listed.id_column],
            rows=listed.rows, added=counts.added, updated=counts.updated, unchanged=counts.unchanged,
            skipped=listed.skipped, reasons=list(listed.reasons), notes=list(listed.notes),
            missing=max(0, total - listed.rows), total=total)
        audit(session, user=actor, entity="source", entity_id=source_id, action="persons-import", after={
            "list": name, "file": path.name, "added": counts.added, "updated": counts.updated,
            "unchanged": counts.unchanged, "skipped": listed.skipped, "missing": summary.missing,
            "id_column": listed.id_column, "field_columns": listed.field_columns}, comment=reason)
    if listed.encoding.get("encoding_warning"):
        summary.notes.append(str(listed.encoding["encoding_warning"]))
    return summary


# -------------------------------------------------------------------- reading


def list_persons(ws: Workspace, *, user: User | None = None, lists: Sequence[str] = (),
                 cluster_id: int | None = None, limit: int = 100, offset: int = 0) -> list[PersonRecord]:
    """One page of person records (by list, name, id); names are for admins and reviewers only."""
    from ..store import person_records

    _require(user, Action.READ_NAMES)
    return person_records.list_records(ws.db, lists=lists, cluster_id=cluster_id, limit=limit, offset=offset)


def list_counts(ws: Workspace) -> dict[str, int]:
    """How many records each list has (no names: anyone who may add material may know this)."""
    from ..store import person_records

    return person_records.count_by_list(ws.db)


@dataclass(slots=True)
class PersonDetail:
    """One record, the records of its cluster (itself included) side by side, and the sources they came from."""

    record: PersonRecord
    cluster: list[PersonRecord]
    sources: dict[int, str]  # source id -> its title


def show_person(ws: Workspace, *, record_id: int, user: User | None = None) -> PersonDetail:
    """One person record with its cluster and sources; NotFound for an unknown id."""
    from ..store import person_records
    from ..store.sources import get_source

    _require(user, Action.READ_NAMES)
    found = person_records.get(ws.db, record_id)
    if found is None or found.id is None:
        raise NotFound(f"no person record with id {record_id}")
    cluster = person_records.list_records(ws.db, cluster_id=cluster_of(found), limit=10_000)
    sources: dict[int, str] = {}
    for rec in cluster:
        if rec.source_id is not None and rec.source_id not in sources:
            source = get_source(ws.db, rec.source_id)
            sources[rec.source_id] = (source.title or source.original_name) if source is not None else ""
    return PersonDetail(record=found, cluster=cluster, sources=sources)


def cluster_of(record: PersonRecord) -> int:
    """The record's cluster id: the linkage's, or its own id while it stands alone."""
    if record.cluster_id is not None:
        return record.cluster_id
    if record.id is None:
        raise ValueError("an unsaved record has no cluster")
    return record.id


# --------------------------------------------------------------------- export


def export_row(record: PersonRecord) -> dict[str, Any]:
    """A record as one export row: list, record_id, cluster_id, every person field ("" when not given), extra."""
    row: dict[str, Any] = {"list": record.list_name, "record_id": record.record_id, "cluster_id": cluster_of(record)}
    row.update({name: record.fields.get(name, "") for name in PERSON_FIELDS})
    row["extra"] = dict(record.extra)
    return row


def export_persons(ws: Workspace, *, out: TextIO | Path, fmt: str, lists: Sequence[str] = (),
                   user: User | None = None, actor: str, machine: str = "") -> int:
    """Write every person record (of ``lists``) as CSV or JSON; returns how many.

    One row per record: ``list``, ``record_id``, ``cluster_id``, the person
    fields, and the extra attributes (a JSON object; in CSV a JSON text).
    Read a page at a time and written as it goes. A file is written beside
    its name and renamed into place, and the exact bytes that left the
    system are named by their hash in the custody ledger.
    """
    from ..store import person_records

    _require(user, Action.READ_NAMES)
    if fmt not in EXPORT_FORMATS:
        raise ServiceError(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    unknown = [name for name in lists if name not in person_records.count_by_list(ws.db)]
    if unknown:
        raise ServiceError(f"no list named {unknown[0]!r}")
    rows = (export_row(r) for r in person_records.iter_records(ws.db, lists=lists))
    if not isinstance(out, Path):
        return _write(rows, out, fmt=fmt)
    tmp = out.with_name(out.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as stream:
            count = _write(rows, stream, fmt=fmt)
        tmp.replace(out)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise ServiceError(f"cannot write {out}: {error.strerror or error}") from None
    _record_export(ws, out, count=count, fmt=fmt, lists=lists, actor=actor, machine=machine)
    return count


def _write(rows: Iterator[dict[str, Any]], out: TextIO, *, fmt: str) -> int:
    if fmt == "csv":
        from ..domain.csv_cells import write_rows

        flat = ({**row, "extra": json.dumps(row["extra"], ensure_ascii=False) if row["extra"] else ""}
                for row in rows)
        return write_rows(out, fieldnames=EXPORT_COLUMNS, rows=flat)
    count = 0
    out.write("[")
    for row in rows:
        out.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _record_export(ws: Workspace, path: Path, *, count: int, fmt: str, lists: Sequence[str], actor: str,
                   machine: str) -> None:
    from ..store.custody import record

    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    details: dict[str, Any] = {"format": fmt, "person_records": count, "via": "cli", "file": str(path)}
    if lists:
        details["lists"] = list(lists)
    record(ws.db, item_sha256=digest.hexdigest(), event="exported", actor=actor, machine=machine, details=details)


def display_name(fields: Mapping[str, str]) -> str:
    """A record's name for a listing: the full name as written, else its written parts joined."""
    from ..store.person_records import display_name as shown

    return shown(dict(fields))
