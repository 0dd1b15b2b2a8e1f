"""A victim list's file kept as an original: its bytes in the evidence store, a source, its custody.

The list goes through ingest's own stages (:mod:`.stages`) so it is stored
exactly as any other original is (content-addressed blob, a ``sources`` row
found again by its hash, the "received" and "ingested" custody entries in
the source's transaction), but through a shorter list of them: no reader
guesses its format and no extractor reads it for incidents (a victim list
is not a report), and no text working copy is derived (it would be one more
copy of the names). The identical file imported again is the same source; a
changed file is a new one.

The source's text is a description of the list (its name, rows and
columns), never its names: source texts are searched and shown to
documenters, while the names are for reviewers and admins only.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import SourceKind
from ..store.vault.blobs import sha256_bytes
from .pipeline import run_stages
from .readers import ReadDocument
from .stages import (
    CustodyStage,
    DocumentContext,
    IndexStage,
    IngestContext,
    IngestResult,
    SourceStage,
    Stage,
    StoreOriginalStage,
)

if TYPE_CHECKING:
    from ..store.db import Database
    from ..store.vault.blobs import BlobStore
    from .person_lists import PersonList

READER = "person-list"  # what the source's metadata and its "ingested" custody entry name as the reader
_MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "jsonl": "application/x-ndjson"}


class _GivenListStage:
    """The read stage for a list already read and checked: the file's hash and its one document."""

    name = "read"
    per_document = False
    in_transaction = False

    def __init__(self, document: ReadDocument) -> None:
        self.document = document

    def run(self, ctx: IngestContext) -> None:
        if ctx.data is None:
            raise RuntimeError("no bytes: the list is stored from memory")
        ctx.sha256 = sha256_bytes(ctx.data)
        ctx.documents = [DocumentContext(read=self.document)]


class _NameReaderStage:
    """Name the list reader on the source (no reader of ``ingest/readers`` chose the file)."""

    name = "reader"
    per_document = True
    in_transaction = False

    def run(self, ctx: IngestContext) -> None:
        ctx.document.record().metadata["reader"] = READER


def store_list_original(data: bytes, *, name: str, list_name: str, listed: PersonList, db: Database,
                        blobs: BlobStore, max_file_size: int, actor: str, via: str,
                        reason: str = "") -> IngestResult:
    """Keep the list file as an original and a source (or find it stored); never raises for bad input."""
    document = ReadDocument(text=describe(list_name, name, listed), kind=SourceKind.PERSON_LIST,
                            media_type=_MEDIA_TYPES.get(listed.format, "application/octet-stream"),
                            title=f"{list_name} — {name}", metadata=_metadata(list_name, listed))
    ctx = IngestContext(path=Path(Path(name).name or "list"), db=db, blobs=blobs, extractor=None,
                        max_file_size=max_file_size, actor=actor, via=via, data=data,
                        extra_metadata={"received_reason": reason} if reason else {})
    stages: list[Stage] = [_GivenListStage(document), StoreOriginalStage(), SourceStage(), _NameReaderStage(),
                           IndexStage(), CustodyStage()]
    return run_stages(ctx, stages)


def describe(list_name: str, name: str, listed: PersonList) -> str:
    """The source's text: what the list is, in both languages, without a single name from it."""
    columns = ", ".join(listed.columns[:60]) + (", …" if len(listed.columns) > 60 else "")
    return (f"Victim list {list_name!r} ({name}): {listed.rows:,} person record(s) read as {listed.format.upper()}; "
            f"columns: {columns}. The names are in the original, which only reviewers and admins may open.\n"
            f"قائمة ضحايا «{list_name}» ({name}): {listed.rows:,} سجل. الأسماء في الملف الأصلي، "
            "ولا يطّلع عليه إلا المراجعون والمديرون.")


def _metadata(list_name: str, listed: PersonList) -> dict[str, Any]:
    return {**listed.encoding, "person_list": list_name, "format": listed.format, "rows": listed.rows,
            "skipped_rows": listed.skipped, "columns": listed.columns, "field_columns": listed.field_columns,
            "id_column": listed.id_column}
