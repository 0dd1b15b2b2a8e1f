"""Re-deriving each packaged source's text from its original, offline, with the readers ingest uses.

A package carries both the original and the text read out of it (which the
incidents' evidence spans point into). The manifests and the signature say
the two were packaged together; only reading the original again says the
text is what the original yields. So each original is read once, by the
reader ingest would choose for it (:func:`tawthiq.ingest.readers.reader_for`,
where an unambiguous signature in the first bytes outranks the name the
metadata gives, as at ingest), cut to what a source's record keeps, and
compared with each packaged text of a record in it. A row of ACLED's export
(reader ``acled``) is read again as ``tawthiq import acled`` reads it, and a
row of an HXL table (reader ``hxl``) as ``tawthiq import hxl`` does.

What is not re-derived is said per source, never counted as OK: media (the
original is the evidence, its text empty), victim lists (their text is a
description written by the list importer, not a reader) and originals
beyond the size this check reads into memory.

Nothing here touches the database or reads settings: ``verify-package``
runs with the bag alone.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import bag_format as fmt

HEAD_BYTES = 2048  # what readers sniff (ingest/stages/read.py)
# Readers take the whole original in memory (as at ingest, whose default limit is 50 MiB);
# beyond this an original is reported as not checked rather than risk the checker's memory.
MAX_REREAD = 256 * 1024 * 1024
BATCH_READERS = frozenset({"csv", "json", "jsonl"})
PERSON_LIST_READER = "person-list"  # ingest/person_list_original.py: no reader of ingest/readers made its text
ACLED_READER = "acled"  # ingest/formats/acled_stages.py: a row of ACLED's export, read by `tawthiq import acled`
HXL_READER = "hxl"  # ingest/formats/hxl_coding.py: a row of an HXL table, read by `tawthiq import hxl`
TABLE_READERS = (ACLED_READER, HXL_READER)


@dataclass(slots=True)
class TextCheck:
    checked: int = 0  # source texts re-derived and equal
    unchecked: int = 0  # sources whose text could not be re-derived here (each said in a note)


@dataclass(slots=True, frozen=True)
class _Packaged:
    number: str  # the source's id as packaged, for the messages
    text: str
    record_key: str
    reader: str  # what the metadata says read it; compared, never used to choose
    # A batch row's column mapping as ingest resolved it (field -> column), to read the row the same way;
    # only names of the file's own columns, checked by the reader like a mapping typed at ingest.
    mapping: tuple[tuple[str, str], ...] = ()


def check_source_texts(root: Path, sources: Any, *, packaged_by: str, problems: list[str], notes: list[str],
                       max_bytes: int = MAX_REREAD, profile: str = "court") -> TextCheck:
    """Re-read every original the sources name and compare each source's text; one line per problem or note.

    In a package for a profile narrower than court (``profile``, from its signed metadata) a source may
    travel without its original (``"original": null``: other sources read out of the same file are not
    shareable): its text is said not checked, "not included by the profile", never counted as checked.
    In a court package every original is there, and one missing is a problem.
    """
    from .. import __version__

    result = TextCheck()
    if not isinstance(sources, list):
        problems.append(f"{fmt.SOURCES_JSON}: malformed (sources is not a list)")
        return result
    on_disk = _originals(root)
    groups: dict[tuple[str, str], list[_Packaged]] = {}
    for n, item in enumerate(sources, 1):
        parsed = _parse(item, n, problems)
        if parsed is None:
            continue
        sha, name, packaged = parsed
        if profile != "court" and isinstance(item, dict) and item.get("original") is None:
            result.unchecked += 1
            notes.append(f"source {packaged.number}: text not checked (its original is not included by the "
                         f"{profile[:40]} profile)")
            continue
        groups.setdefault((sha, name), []).append(packaged)
    versions = "" if packaged_by == __version__ else \
        f"; packaged by Tawthiq {packaged_by or 'of unknown version'}, checked with {__version__}"
    for (sha, name), items in sorted(groups.items()):
        path = on_disk.get(sha)
        if path is None:
            problems.extend(f"source {p.number}: its original {sha} is not in the package" for p in items)
            continue
        _check_original(path, name=name, items=items, result=result, problems=problems, notes=notes,
                        max_bytes=max_bytes, versions=versions)
    return result


def _originals(root: Path) -> dict[str, Path]:
    """sha256 -> the file under data/originals named by it (the bag's own listing, not the metadata's paths)."""
    found: dict[str, Path] = {}
    folder = root / fmt.ORIGINALS
    if not folder.is_dir() or folder.is_symlink():
        return found
    with os.scandir(folder) as entries:
        for entry in entries:
            sha = fmt.sha_of_name(entry.name)
            if sha is not None and entry.is_file(follow_symlinks=False):
                found[sha] = Path(entry.path)
    return found


def _parse(item: Any, n: int, problems: list[str]) -> tuple[str, str, _Packaged] | None:
    if not isinstance(item, dict):
        problems.append(f"{fmt.SOURCES_JSON}: source {n} is not an object")
        return None
    number = str(item.get("id", f"#{n}"))[:40]
    sha, text, key, name = item.get("sha256"), item.get("text", ""), item.get("record_key", ""), \
        item.get("original_name", "")
    metadata = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
    if not isinstance(sha, str) or not fmt.SHA_RE.match(sha):
        problems.append(f"source {number}: sha256 is not a SHA-256")
        return None
    if not isinstance(text, str) or not isinstance(key, str) or not isinstance(name, str):
        problems.append(f"source {number}: text, record_key or original_name is not text")
        return None
    reader = metadata.get("reader") if isinstance(metadata.get("reader"), str) else ""
    mapping = metadata.get("mapping")
    pairs = tuple(sorted((str(k), v) for k, v in mapping.items() if isinstance(v, str))) \
        if isinstance(mapping, dict) else ()
    return sha, name, _Packaged(number=number, text=text, record_key=key, reader=reader, mapping=pairs)


def _check_original(path: Path, *, name: str, items: list[_Packaged], result: TextCheck, problems: list[str],
                    notes: list[str], max_bytes: int, versions: str) -> None:
    from ..ingest.readers import reader_for
    from ..ingest.readers.media import MediaReader

    def unchecked(why: str) -> None:
        result.unchecked += len(items)
        notes.extend(f"source {p.number}: text not checked ({why})" for p in items)

    if any(p.reader == PERSON_LIST_READER for p in items):
        # Its text describes the list (written by the list importer); the names stay in the original.
        unchecked("a victim list: its text is a description made on import, not read from the file")
        return
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as exc:
        problems.extend(f"source {p.number}: its original is not readable ({type(exc).__name__})" for p in items)
        return
    reader = reader_for(name, head)
    if isinstance(reader, MediaReader):
        # A media reader yields no text at all: any text packaged for it did not come from it.
        texted = [p for p in items if p.text]
        problems.extend(f"source {p.number}: text in package differs from what its original yields (its bytes "
                        "are an image, video or audio file, which yields no text)" for p in texted)
        items = [p for p in items if not p.text]
        if items:
            unchecked("its original is an image, video or audio file: there is no text to re-derive offline")
        return
    if size > max_bytes:
        unchecked(f"its original is {size // (1024 * 1024)} MiB, more than this check reads "
                  f"({max_bytes // (1024 * 1024)} MiB)")
        return
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != fmt.sha_of_name(path.name):
        unchecked("its original does not match its hash (reported above): nothing to re-derive from")
        return
    table = next((p.reader for p in items if p.reader in TABLE_READERS), None)
    if table is not None:
        # A one-row ACLED or HXL file: the csv reader would choose another text; the import's own reading says it.
        documents = _table_documents(table, data, items=items, problems=problems, versions=versions)
        if documents is not None:
            _compare(table, documents, items=items, result=result, problems=problems, notes=notes,
                     versions=versions)
        return
    by_mapping: dict[tuple[tuple[str, str], ...], list[_Packaged]] = {}
    for p in items:
        by_mapping.setdefault(p.mapping if reader.name in BATCH_READERS else (), []).append(p)
    for pairs, group in by_mapping.items():
        documents = _documents(reader, data, name=name, pairs=pairs, items=group, problems=problems,
                               versions=versions)
        if documents is not None:
            _compare(reader.name, documents, items=group, result=result, problems=problems, notes=notes,
                     versions=versions)


def _documents(reader: Any, data: bytes, *, name: str, pairs: tuple[tuple[str, str], ...], items: list[_Packaged],
               problems: list[str], versions: str) -> dict[str, Any] | None:
    """record key -> document, read with the row mapping ingest kept (if any); None when the reader refuses."""
    from ..ingest.errors import IngestError
    from ..ingest.readers.batches import ColumnMapping

    try:
        # A mapping from the package names columns of the file; the reader checks them as it checks one typed
        # at ingest (unknown field or column: refused). Only the fields a mapping has are taken.
        known = {f for f in ColumnMapping.__dataclass_fields__}
        if any(k not in known for k, _ in pairs):
            raise IngestError("the metadata's column mapping names a field that is not a report field")
        read = reader.read(data, name=name, mapping=ColumnMapping(**dict(pairs))) if pairs else \
            reader.read(data, name=name)
    except IngestError as exc:
        problems.extend(f"source {p.number}: text in package differs from what its original yields (the "
                        f"{reader.name} reader reads nothing from it: {exc}){versions}" for p in items)
        return None
    except Exception as exc:  # noqa: BLE001 - a hostile original must not stop the other checks
        problems.extend(f"source {p.number}: text in package differs from what its original yields (the "
                        f"{reader.name} reader failed on it: {type(exc).__name__}){versions}" for p in items)
        return None
    return {d.record_key: d for d in read.documents}


def _table_documents(reader: str, data: bytes, *, items: list[_Packaged], problems: list[str],
                     versions: str) -> dict[str, Any] | None:
    """record key -> document of each row of an ACLED or HXL original, read as its ``tawthiq import`` reads it."""
    import io

    from ..domain import SourceKind
    from ..ingest.errors import IngestError
    from ..ingest.readers.base import ReadDocument

    try:
        if reader == HXL_READER:
            from ..ingest.formats.hxl_coding import MEDIA_TYPE as HXL_MEDIA
            from ..ingest.formats.hxl_coding import record_key as hxl_key
            from ..ingest.formats.hxl_table import HxlRow
            from ..ingest.formats.hxl_table import read_rows as hxl_rows

            texts = {hxl_key(row): (row.get("#description") or row.record_text, HXL_MEDIA)
                     for row in hxl_rows(io.BytesIO(data)) if isinstance(row, HxlRow)}
        else:
            from ..ingest.formats.acled import AcledRow, read_rows
            from ..ingest.formats.acled_stages import MEDIA_TYPE, record_key

            texts = {record_key(row): (row.report_text, MEDIA_TYPE)
                     for row in read_rows(io.BytesIO(data)) if isinstance(row, AcledRow)}
    except IngestError as exc:
        problems.extend(f"source {p.number}: text in package differs from what its original yields (the "
                        f"{reader} reader reads nothing from it: {exc}){versions}" for p in items)
        return None
    return {key: ReadDocument(text=text, kind=SourceKind.RECORD, media_type=media, record_key=key)
            for key, (text, media) in texts.items()}


def _compare(reader_name: str, documents: dict[str, Any], *, items: list[_Packaged], result: TextCheck,
             problems: list[str], notes: list[str], versions: str) -> None:
    from ..ingest.readers.base import MAX_RECORD_TEXT

    for p in items:
        document = documents.get(p.record_key)
        if p.reader and p.reader != reader_name:
            notes.append(f"source {p.number}: metadata says the {p.reader[:40]} reader read it; its original's "
                         f"bytes and name choose the {reader_name} reader")
        if document is None:
            problems.append(f"source {p.number}: text in package differs from what its original yields (the "
                            f"{reader_name} reader finds no record {p.record_key[:60]!r} in it){versions}")
            continue
        derived = document.text[:MAX_RECORD_TEXT]  # what a source's record keeps (ingest/stages/source.py)
        # A row packaged before ingest kept its mapping: its text need only be one cell of the same row.
        legacy_row = reader_name in BATCH_READERS and not p.mapping
        if derived == p.text or (legacy_row and _a_cell_of(document, p.text)):
            result.checked += 1
            continue
        problems.append(f"source {p.number}: text in package differs from what its original yields ("
                        f"{reader_name} reader; first difference at character {_first_difference(derived, p.text)})"
                        f"{versions}")


def _a_cell_of(document: Any, text: str) -> bool:
    """A batch row read with a column mapping given at ingest: the text is still one cell of that same row.

    Packages made before ingest kept the mapping: the default one may choose another text column;
    the row itself (found by its record key) must still hold the packaged text
    as one of its cells.
    """
    if not text.strip():
        return False
    columns = (document.metadata or {}).get("columns")
    # The default mapping reads the title and author columns too (one line each), the rest stays in "columns".
    cells = [document.title, document.author, *(columns.values() if isinstance(columns, dict) else ())]
    return any(isinstance(v, str) and v.replace("\r\n", "\n") == text for v in cells)


def _first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))
