"""Storing one row of another system's table through ingest's stages: original, source, its coding, custody.

Shared by the imports of coded tables (ACLED, HXL). The row's bytes are its
original, kept in the evidence store by hash like any file; its source (kind
``record``, with the other system's id as its record key) and the incident
coded from its columns are written in one transaction with the "received" and
"ingested" custody entries, by the same stages ``tawthiq ingest`` runs. Only
reading and extraction are replaced: the document is the row, and the incident
is the other system's coding of it, never re-extracted.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...domain import Incident
from ...store.vault.blobs import sha256_bytes
from ..pipeline import run_stages
from ..readers import ReadDocument
from ..stages import (
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
    from ...store.db import Database
    from ...store.vault.blobs import BlobStore


class _RowStage:
    """The read stage for one row: its bytes are the original, its document is already made."""

    name = "read"
    per_document = False
    in_transaction = False

    def __init__(self, document: ReadDocument) -> None:
        self.document = document

    def run(self, ctx: IngestContext) -> None:
        if ctx.data is None:
            raise RuntimeError("no bytes: the row is stored from memory")
        ctx.sha256 = sha256_bytes(ctx.data)
        ctx.documents = [DocumentContext(read=self.document)]


class _CodedStage:
    """Instead of extraction: the incident coded from the row's columns, and the reader named on the source."""

    per_document = True
    in_transaction = False

    def __init__(self, incident: Incident, *, reader: str) -> None:
        self.incident = incident
        self.reader = reader
        self.name = f"{reader} coding"

    def run(self, ctx: IngestContext) -> None:
        ctx.document.record().metadata["reader"] = self.reader
        ctx.document.incidents = [copy.deepcopy(self.incident)]


def store_record(*, original: bytes, document: ReadDocument, incident: Incident, reader: str, file_name: str,
                 db: Database, blobs: BlobStore, max_file_size: int, actor: str, via: str,
                 extra_metadata: dict[str, Any] | None = None) -> IngestResult:
    """Store the row's original, source, incident and custody entries (or find them stored); never raises."""
    ctx = IngestContext(path=Path(Path(file_name).name or f"{reader}.csv"), db=db, blobs=blobs, extractor=None,
                        max_file_size=max_file_size, actor=actor, via=via, data=original,
                        extra_metadata=dict(extra_metadata or {}))
    stages: list[Stage] = [_RowStage(document), StoreOriginalStage(), SourceStage(),
                           _CodedStage(incident, reader=reader), IndexStage(), CustodyStage()]
    return run_stages(ctx, stages)
