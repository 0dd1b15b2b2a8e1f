"""Reading a victim list: CSV (UTF-8, with or without a BOM, or Windows-1256), JSON or JSON Lines.

A list is read into rows of person fields, exactly as written: only the
whitespace around a value is stripped, and what the database cannot hold
(NUL) is replaced as the store does. Columns map to person fields by their
header (:mod:`tawthiq.domain.person_headers`) or by ``--map FIELD=COLUMN``;
the other columns stay with the record as extra attributes.

The record id: the ``--id-column`` value, or a column headed "record_id" /
"id" / "المعرف"; without one it is the row's position, ``row-N`` (N counts the
list's non-blank data rows, or a JSON array's items). A position is stable
when a list is re-exported with rows added at the end or values corrected,
which is what re-importing needs (a corrected row updates its record); it
is wrong when rows are reordered, inserted or removed, which then updates
the wrong records. A hash of the row's values would survive reordering but
turn every corrected value into a second record of the same person, so the
position is used, and a list with ids should be imported with its id column.

The file is read twice and never held as records: once when it is opened
(every problem found before anything is stored, the counts known), once as
its rows are stored. Memory is bounded by the file size limit and
:data:`MAX_ROWS`. A bad row is skipped with its reason (never its values: they
are names) and the rest goes in; a file that cannot be read is one
:class:`IngestError` line.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from ..domain.person_headers import ID_HEADER_KEYS, field_for_header, header_key
from ..domain.persons import PERSON_FIELDS
from ..store.dialect import scrub
from .decoding import decode
from .errors import IngestError, one_line

MAX_ROWS = 1_000_000  # more than any list of one conflict's dead; beyond it, split the file
MAX_CELL = 1024 * 1024  # characters in one CSV cell
MAX_REASONS = 20  # skipped-row reasons kept for the summary (all are counted)
_CONTAINER_KEYS = ("records", "persons", "people", "victims", "items", "data", "rows", "entries", "results")
FORMATS = ("csv", "json", "jsonl")


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``FIELD=COLUMN`` pairs as typed (``--map given_name=الاسم``): field -> column; a bad one is one line."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name = name.strip().lower()
        if not sep or not column.strip():
            raise IngestError(f"bad --map {pair!r}: use FIELD=COLUMN, e.g. father_name=\"اسم الأب\"")
        if name not in PERSON_FIELDS:
            raise IngestError(f"bad --map {pair!r}: {name!r} is not a person field; the fields are: "
                              f"{', '.join(PERSON_FIELDS)}")
        if name in mapping:
            raise IngestError(f"--map names the field {name} twice")
        mapping[name] = column.strip()
    return mapping


@dataclass(frozen=True, slots=True)
class ListRow:
    """One person of the list: its id in the list, its person fields and its other columns, as written."""

    record_id: str
    fields: dict[str, str]
    extra: dict[str, str]


@dataclass(slots=True)
class PersonList:
    """A victim list opened and checked: how it is read, what maps where, and how many rows go in."""

    format: str  # "csv", "json" or "jsonl"
    encoding: dict[str, Any]  # which encoding, and why (as a source's metadata keeps it)
    columns: list[str]
    field_columns: dict[str, str]  # person field -> the column it is read from
    id_column: str | None  # None: the record id is the row's position (row-N)
    rows: int = 0  # rows that go in
    skipped: int = 0
    reasons: list[str] = field(default_factory=list)  # the first MAX_REASONS skip reasons
    notes: list[str] = field(default_factory=list)  # worth knowing (a second column for one field, …)
    _items: Any = None  # what iter_rows reads again: the decoded text (CSV, JSONL) or the parsed items (JSON)
    _delimiter: str = ","

    def iter_rows(self) -> Iterator[ListRow]:
        """The rows that go in, in the list's order (the same ones the first reading counted)."""
        for item in self._walk():
            if isinstance(item, ListRow):
                yield item

    def _walk(self) -> Iterator[ListRow | str]:
        seen: set[str] = set()
        position = 0
        for where, raw in _raw_items(self):
            if raw is None:
                continue  # blank: neither counted nor skipped
            position += 1
            if isinstance(raw, str):
                yield f"{where}: {raw}"
                continue
            made = _row(self, raw, position)
            if isinstance(made, str):
                yield f"{where}: {made}"
            elif made.record_id in seen:
                yield f"{where}: repeats the id {one_line(made.record_id, limit=60)!r}; the first was kept"
            else:
                seen.add(made.record_id)
                yield made


def read_person_list(data: bytes, *, name: str, mapping: Mapping[str, str] | None = None,
                     id_column: str | None = None) -> PersonList:
    """Open and check a list: its format, its columns and their fields, every row's problems counted.

    Raises :class:`IngestError` for what stops the whole list: an unreadable
    file, no header, a ``--map`` or ``--id-column`` naming no column, no
    column that names a person field, more than :data:`MAX_ROWS` rows.
    """
    fmt = _format(data, name)
    decoded = decode(data)
    text = decoded.text
    listed = PersonList(format=fmt, encoding=decoded.metadata(), columns=[], field_columns={}, id_column=None)
    if fmt == "csv":
        listed._delimiter = "\t" if name.lower().endswith(".tsv") else _delimiter(text)
        listed._items = text
        listed.columns = _csv_header(text, listed._delimiter)
    elif fmt == "json":
        listed._items = _json_items(text)
        listed.columns = _keys(item for item in listed._items if isinstance(item, dict))
    else:
        listed._items = text
        listed.columns = _keys(item for _, item in _jsonl(text) if isinstance(item, dict))
        if not listed.columns and any(item is _BAD_LINE for _, item in _jsonl(text)):
            raise IngestError("malformed JSON Lines: no line holds a JSON object")
    if not listed.columns:
        raise IngestError(f"no {'header row' if fmt == 'csv' else 'objects with fields'} in the list")
    _resolve(listed, dict(mapping or {}), id_column)
    for item in listed._walk():
        if isinstance(item, ListRow):
            listed.rows += 1
            if listed.rows > MAX_ROWS:
                raise IngestError(f"the list has more than {MAX_ROWS:,} rows; split it into several files")
        else:
            listed.skipped += 1
            if len(listed.reasons) < MAX_REASONS:
                listed.reasons.append(item)
    if not listed.rows:
        first = f"; first problem: {listed.reasons[0]}" if listed.reasons else ""
        raise IngestError(f"no person rows in the list{first}")
    return listed


# ------------------------------------------------------------------ columns


def _resolve(listed: PersonList, mapping: dict[str, str], id_column: str | None) -> None:
    """Which column each field is read from (``--map`` first, then the usual headers), and the id column."""
    columns = listed.columns
    taken: dict[str, str] = {}  # column -> field
    for field_name, wanted in mapping.items():
        column = _find(columns, wanted)
        if column is None:
            raise IngestError(f"--map {field_name}={wanted}: no such column; the columns are: {_shown(columns)}")
        if column in taken:
            raise IngestError(f"--map names the column {column!r} for both {taken[column]} and {field_name}")
        taken[column] = field_name
        listed.field_columns[field_name] = column
    if id_column is not None:
        found = _find(columns, id_column)
        if found is None:
            raise IngestError(f"--id-column {id_column!r}: no such column; the columns are: {_shown(columns)}")
        listed.id_column = found
    else:
        listed.id_column = next((c for c in columns if header_key(c) in ID_HEADER_KEYS and c not in taken), None)
    for column in columns:
        if column in taken or column == listed.id_column:
            continue
        field_name = field_for_header(column)
        if field_name is None:
            continue
        if field_name in listed.field_columns:
            listed.notes.append(f"the column {column!r} also names {field_name} (read from "
                                f"{listed.field_columns[field_name]!r}): kept as an extra attribute")
            continue
        listed.field_columns[field_name] = column
    if not listed.field_columns:
        raise IngestError(f"no column names a person field (map one with --map FIELD=COLUMN); "
                          f"the columns are: {_shown(columns)}")


def _find(columns: list[str], wanted: str) -> str | None:
    if wanted in columns:
        return wanted
    key = header_key(wanted)
    return next((c for c in columns if header_key(c) == key), None)


def _shown(columns: list[str]) -> str:
    shown = ", ".join(repr(c) for c in columns[:25])
    return shown + (", …" if len(columns) > 25 else "")


# --------------------------------------------------------------------- rows


def _row(listed: PersonList, raw: dict[str, Any], position: int) -> ListRow | str:
    """A row's record, or why it is skipped (never quoting its values: they are names)."""
    by_column = {column: field_name for field_name, column in listed.field_columns.items()}
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    record_id = ""
    for key, value in raw.items():
        column = scrub(str(key))
        field_name = by_column.get(column)
        if column == listed.id_column:
            if isinstance(value, dict | list | bool):
                return f"the id in {column!r} is not text or a number"
            record_id = _text(value)
            if field_name is None:
                continue
        if field_name is not None:
            if isinstance(value, dict | list | bool):
                return f"{field_name} ({column!r}) is {_json_type(value)}, not text or a number"
            text = _text(value)
            if text:
                fields[field_name] = text
        else:
            text = _text(value) if not isinstance(value, dict | list) else scrub(json.dumps(value, ensure_ascii=False))
            if text:
                extra[scrub(column)] = text
    if not fields:
        return "empty row" if not extra and not record_id else "no person field has a value"
    if listed.id_column is not None:
        if not record_id:
            return f"no id in the column {listed.id_column!r}"
    else:
        record_id = f"row-{position}"
    return ListRow(record_id=record_id, fields={f: fields[f] for f in PERSON_FIELDS if f in fields}, extra=extra)


def _text(value: Any) -> str:
    """A value as written: text stripped of surrounding whitespace only; a JSON number as JSON wrote it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return scrub(str(value)).strip()


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list"}.get(type(value), "true/false")


# ------------------------------------------------------------------ formats


def _format(data: bytes, name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix == ".json":
        return "json"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0].strip()
        return "jsonl" if first.endswith(b"}") else "json"
    if suffix in ("", ".dat"):
        return "csv"
    raise IngestError(f"a victim list is CSV, JSON or JSON Lines (.csv, .tsv, .json, .jsonl), not {suffix}")


def _raw_items(listed: PersonList) -> Iterator[tuple[str, dict[str, Any] | str | None]]:
    """(where, the row as column -> value, or why it is unreadable, or None for a blank row)."""
    if listed.format == "csv":
        yield from _csv_rows(listed._items, listed._delimiter)
    elif listed.format == "json":
        for index, item in enumerate(listed._items, start=1):
            yield f"item {index}", item if isinstance(item, dict) else f"{_json_type_any(item)}, not an object"
    else:
        for number, item in _jsonl(listed._items):
            if item is _BAD_LINE:
                yield f"line {number}", "not valid JSON"
            elif item is None or isinstance(item, dict):
                yield f"line {number}", item
            else:
                yield f"line {number}", f"{_json_type_any(item)}, not an object"


def _json_type_any(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return "a number"


def _csv_reader(text: str, delimiter: str) -> Any:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)


def _csv_header(text: str, delimiter: str) -> list[str]:
    with _cells():
        rows = _csv_reader(text, delimiter)
        try:
            for values in rows:
                if any(v.strip() for v in values):
                    header = [scrub(v.strip().lstrip("\ufeff")) for v in values]
                    if any(not h for h in header):
                        raise IngestError(f"the CSV header has an empty column name (column "
                                          f"{header.index('') + 1})")
                    if len(set(header)) != len(header):
                        raise IngestError(f"the CSV header repeats a column name: {_shown(header)}")
                    return header
        except csv.Error as error:
            raise IngestError(f"malformed CSV at line {rows.line_num}: {one_line(str(error), limit=160)}") from None
    return []


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[str, dict[str, Any] | str | None]]:
    with _cells():
        rows = _csv_reader(text, delimiter)
        header: list[str] | None = None
        try:
            for values in rows:
                # A line with nothing on it is no row; a row of empty cells (",,,") is an empty row, counted.
                blank = len(values) <= 1 and not any(v.strip() for v in values)
                if header is None:
                    if any(v.strip() for v in values):
                        header = [scrub(v.strip().lstrip("\ufeff")) for v in values]
                    continue
                where = f"line {rows.line_num}"
                if blank:
                    yield where, None
                elif len(values) != len(header):
                    yield where, f"{len(values)} fields where the header has {len(header)}"
                else:
                    yield where, dict(zip(header, values, strict=True))
        except csv.Error as error:
            raise IngestError(f"malformed CSV at line {rows.line_num}: {one_line(str(error), limit=160)}") from None


class _cells:  # noqa: N801 - a context manager named for what it guards
    """csv's cell size limit is process-wide: raised for the read, put back after."""

    def __enter__(self) -> None:
        self.previous = csv.field_size_limit(MAX_CELL)

    def __exit__(self, *exc: object) -> None:
        csv.field_size_limit(self.previous)


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|", "،")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _json_items(text: str) -> list[Any]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise IngestError("malformed JSON: nested too deeply") from None
    if isinstance(parsed, dict):
        found = next((parsed[k] for k in _CONTAINER_KEYS if isinstance(parsed.get(k), list)), None)
        parsed = found if found is not None else [parsed]
    if not isinstance(parsed, list):
        raise IngestError("a JSON victim list is an array of objects (one per person)")
    return parsed


_BAD_LINE = object()  # a JSON Lines line that is not JSON


def _jsonl(text: str) -> Iterator[tuple[int, Any]]:
    """(line number, the parsed value, or ``_BAD_LINE``); a blank line gives None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            yield number, None
            continue
        try:
            yield number, json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            yield number, _BAD_LINE


def _keys(objects: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for item in objects:
        for key in item:
            seen.setdefault(scrub(str(key)), None)
    return list(seen)
