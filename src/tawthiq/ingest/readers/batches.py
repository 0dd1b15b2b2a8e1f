"""Batches of reports: CSV, JSON and JSON Lines, one report per row.

Groups keep their logs in spreadsheets and export them from tools like
KoBoToolbox, so column names vary and are often Arabic. A
:class:`ColumnMapping` names the columns; whatever it leaves unset is found
from common names. Each row becomes its own source, keyed by its id column
or its row number, so that ingesting the file again finds the same rows.
A bad row is reported and skipped; the other rows still go in.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from ...domain import SourceKind
from ..decoding import decode
from ..errors import IngestError, one_line, reading
from ..metadata import detect_language, normalise_language, parse_published
from .base import ReadDocument, ReadResult

MAX_FIELD = 10 * 1024 * 1024
_JSON_CONTAINER_KEYS = ("reports", "records", "items", "data", "rows", "results", "entries")

# Common column names, first match wins; compared after _normal_key().
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "body",
        "content",
        "report",
        "report text",
        "description",
        "narrative",
        "details",
        "message",
        "article",
        "full text",
        "notes",
        "النص",
        "نص",
        "المحتوى",
        "التفاصيل",
        "الوصف",
        "التقرير",
        "نص التقرير",
        "الخبر",
        "تفاصيل",
    ),
    "title": ("title", "headline", "subject", "heading", "العنوان", "عنوان", "الموضوع"),
    "url": ("url", "link", "source url", "href", "permalink", "الرابط", "رابط", "رابط المصدر"),
    "published": (
        "date",
        "published",
        "published at",
        "publication date",
        "pubdate",
        "date published",
        "created at",
        "datetime",
        "timestamp",
        "التاريخ",
        "تاريخ",
        "تاريخ النشر",
    ),
    "language": ("language", "lang", "اللغة", "لغة"),
    "author": (
        "author",
        "source",
        "publisher",
        "reporter",
        "by",
        "organisation",
        "organization",
        "الكاتب",
        "المؤلف",
        "الناشر",
        "المصدر",
        "الجهة",
    ),
    "id": (
        "id",
        "report id",
        "record id",
        "uid",
        "uuid",
        "key",
        "ref",
        "reference",
        "_id",
        "المعرف",
        "الرقم",
        "رقم",
        "رقم التقرير",
    ),
}


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column holds each report field; ``None`` means "find it by its usual names".

    ``text`` is required (found or given); the others are optional. A name
    given here that is not in the file is an error, never silently ignored.
    """

    text: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    author: str | None = None
    id: str | None = None

    @classmethod
    def parse(cls, pairs: Iterable[str]) -> ColumnMapping:
        """From ``FIELD=COLUMN`` strings as typed on a command line (``text=النص``, ``date=when``)."""
        aliases = {"date": "published", "body": "text", "key": "id"}
        known = {f.name for f in fields(cls)}
        values: dict[str, str] = {}
        for pair in pairs:
            field_name, sep, column = pair.partition("=")
            field_name = aliases.get(field_name.strip().lower(), field_name.strip().lower())
            if not sep or not column.strip() or field_name not in known:
                raise IngestError(
                    f"bad column mapping {pair!r}: use FIELD=COLUMN with FIELD one of {', '.join(sorted(known))}"
                )
            values[field_name] = column.strip()
        return cls(**values)

    def resolve(self, columns: Iterable[str]) -> ColumnMapping:
        """A mapping naming real columns of this file, or :class:`IngestError` saying what is missing."""
        present = [c for c in columns if isinstance(c, str)]
        by_key: dict[str, str] = {}
        for column in present:
            by_key.setdefault(_normal_key(column), column)
        resolved: dict[str, str | None] = {}
        for f in fields(self):
            wanted = getattr(self, f.name)
            if wanted is not None:
                actual = wanted if wanted in present else by_key.get(_normal_key(wanted))
                if actual is None:
                    raise IngestError(f"mapped column {wanted!r} for {f.name} not found; columns are: {_list(present)}")
                resolved[f.name] = actual
            else:
                resolved[f.name] = next((by_key[c] for c in _CANDIDATES[f.name] if c in by_key), None)
        if resolved["text"] is None:
            raise IngestError(f"no report text column found (map one with text=COLUMN); columns are: {_list(present)}")
        return replace(self, **resolved)


class CsvReader:
    name: str = "csv"
    extensions: tuple[str, ...] = (".csv", ".tsv")
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("CSV"):
            return self._read(data, name=name, mapping=mapping)

    def _read(self, data: bytes, *, name: str, mapping: ColumnMapping | None) -> ReadResult:
        decoded = decode(data)
        text = decoded.text
        delimiter = "\t" if name.lower().endswith(".tsv") else _delimiter(text)
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        previous_limit = csv.field_size_limit()
        csv.field_size_limit(MAX_FIELD)
        try:
            header = _header(rows)
            resolved = (mapping or ColumnMapping()).resolve(header)
            batch = _Batch(resolved, media_type="text/csv", encoding=decoded.metadata())
            data_row = 0
            for values in rows:
                line = rows.line_num
                if not any(v.strip() for v in values):
                    continue
                data_row += 1
                if len(values) != len(header):
                    batch.skip(f"line {line}: {len(values)} fields where the header has {len(header)}")
                    continue
                batch.add(dict(zip(header, values, strict=True)), row_number=data_row, where=f"line {line}")
        except csv.Error as error:
            raise IngestError(f"malformed CSV at line {rows.line_num}: {one_line(str(error), limit=160)}") from None
        finally:
            csv.field_size_limit(previous_limit)
        return batch.result()


class JsonReader:
    """A JSON array of report objects, or an object holding one under "reports", "items", …"""

    name: str = "json"
    extensions: tuple[str, ...] = (".json",)
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("JSON"):
            return self._read(data, name=name, mapping=mapping)

    def _read(self, data: bytes, *, name: str, mapping: ColumnMapping | None) -> ReadResult:
        decoded = decode(data)
        text = decoded.text
        parsed = parse_json(text)
        items = _json_items(parsed)
        objects = [item for item in items if isinstance(item, dict)]
        if not objects:
            raise IngestError("JSON holds no report objects (expected a list of objects with a text field)")
        resolved = (mapping or ColumnMapping()).resolve(_columns(objects))
        batch = _Batch(resolved, media_type="application/json", encoding=decoded.metadata())
        for index, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                batch.skip(f"item {index}: not an object")
                continue
            batch.add(item, row_number=index, where=f"item {index}")
        return batch.result()


class JsonLinesReader:
    """One JSON object per line; a line that is not JSON is skipped and reported."""

    name: str = "jsonl"
    extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return False

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("JSON Lines"):
            return self._read(data, name=name, mapping=mapping)

    def _read(self, data: bytes, *, name: str, mapping: ColumnMapping | None) -> ReadResult:
        decoded = decode(data)
        text = decoded.text
        parsed: list[tuple[int, dict[str, Any]]] = []
        problems: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                problems.append(f"line {number}: not valid JSON")
                continue
            if not isinstance(item, dict):
                problems.append(f"line {number}: not a JSON object")
                continue
            parsed.append((number, item))
        if not parsed:
            reason = f" ({problems[0]})" if problems else ""
            raise IngestError(f"malformed JSON Lines: no line holds a report object{reason}")
        resolved = (mapping or ColumnMapping()).resolve(_columns(item for _, item in parsed))
        batch = _Batch(resolved, media_type="application/x-ndjson", encoding=decoded.metadata())
        batch.skipped.extend(problems)
        for number, item in parsed:
            batch.add(item, row_number=number, where=f"line {number}")
        return batch.result()


class _Batch:
    """Turns mapped rows into documents, collecting skipped-row reasons and refusing repeated keys."""

    def __init__(self, mapping: ColumnMapping, *, media_type: str, encoding: dict[str, Any]) -> None:
        self.mapping = mapping
        # Kept with each row so the row's text can be read again the same way (verify-package re-derives it).
        self.columns_used = {f.name: getattr(mapping, f.name) for f in fields(mapping) if getattr(mapping, f.name)}
        self.media_type = media_type
        self.encoding = encoding
        self.documents: list[ReadDocument] = []
        self.skipped: list[str] = []
        self.seen: set[str] = set()

    def skip(self, reason: str) -> None:
        self.skipped.append(reason)

    def add(self, row: Mapping[str, Any], *, row_number: int, where: str) -> None:
        m = self.mapping
        text = _string(row.get(m.text)) if m.text else ""
        if not text.strip():
            self.skip(f"{where}: empty report text")
            return
        raw_id = _string(row.get(m.id)).strip() if m.id else ""
        key = f"id:{raw_id}" if raw_id else f"row:{row_number}"
        if key in self.seen:
            self.skip(f"{where}: repeats id {raw_id!r}, kept the first")
            return
        self.seen.add(key)
        used = {c for c in (m.text, m.title, m.url, m.published, m.language, m.author, m.id) if c}
        extra = {str(k): _jsonable(v) for k, v in row.items() if k not in used and k is not None}
        url = _string(row.get(m.url)).strip() if m.url else ""
        self.documents.append(
            ReadDocument(
                text=text.replace("\r\n", "\n"),
                kind=SourceKind.RECORD,
                media_type=self.media_type,
                title=one_line(_string(row.get(m.title)), limit=300) if m.title else "",
                author=one_line(_string(row.get(m.author)), limit=300) if m.author else "",
                url=url if url.startswith(("http://", "https://")) else "",
                language=(normalise_language(row.get(m.language)) if m.language else "") or detect_language(text),
                published=parse_published(row.get(m.published)) if m.published else None,
                record_key=key,
                metadata={**self.encoding, "row": row_number, "columns": extra,  # which encoding, and why
                          "mapping": self.columns_used},
            )
        )

    def result(self) -> ReadResult:
        if not self.documents:
            reason = f"; first problem: {self.skipped[0]}" if self.skipped else ""
            raise IngestError(f"no report rows with text{reason}")
        return ReadResult(self.documents, self.skipped)


def _header(rows: Any) -> list[str]:
    for values in rows:
        if any(v.strip() for v in values):
            header = [v.strip().lstrip("\ufeff") for v in values]
            if len(set(header)) != len(header):
                raise IngestError(f"CSV header repeats a column name: {_list(header)}")
            return header
    raise IngestError("CSV has no header row")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|", "،")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _json_items(parsed: Any) -> list[Any]:
    if isinstance(parsed, list):
        return parsed
    if isinstance(parsed, dict):
        for key in _JSON_CONTAINER_KEYS:
            if isinstance(parsed.get(key), list):
                return parsed[key]
        return [parsed]
    raise IngestError("JSON holds no report objects (expected a list of objects with a text field)")


def _columns(objects: Iterable[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for item in objects:
        for key in item:
            seen.setdefault(str(key), None)
    return list(seen)


def _normal_key(name: str) -> str:
    # "Report_Text", "report-text" and " report text " are the same column to a person.
    return re.sub(r"[\s_\-.]+", " ", name.strip().lstrip("\ufeff").lower()).strip()


def _string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return ""  # nested objects are not report text; they stay in metadata


def _jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError, RecursionError):
        return str(value)[:1000]
    return value


def _list(columns: list[str]) -> str:
    shown = ", ".join(repr(c) for c in columns[:20])
    return shown + (", …" if len(columns) > 20 else "") if columns else "(none)"


def parse_json(text: str) -> Any:
    """``json.loads`` whose failures on hostile input are one :class:`IngestError` line saying where."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(f"malformed JSON at line {error.lineno} column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise IngestError("malformed JSON: nested too deeply") from None
