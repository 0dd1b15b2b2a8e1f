"""Storing one ACLED row through ingest's stages (:mod:`.record_stages`): original, source, ACLED's incident.

The row's bytes (under the file's header) are its original, kept in the
evidence store by hash like any file; its source (kind ``record``, keyed
``acled:<event_id_cnty>``) and the incident ACLED coded are written in one
transaction with the "received" and "ingested" custody entries, by the same
stages ``tawthiq ingest`` runs. Only reading and extraction are replaced: the
document is the row, and the incident is ACLED's coding of it
(:mod:`.acled_coding`), never re-extracted.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...domain import SourceKind
from ..readers import ReadDocument
from ..stages import IngestResult
from .acled import AcledRow
from .acled_coding import Coded
from .record_stages import store_record

if TYPE_CHECKING:
    from ...store.db import Database
    from ...store.vault.blobs import BlobStore

READER = "acled"  # the source's "reader": no reader of ingest/readers made its text
RECORD_PREFIX = "acled:"
MEDIA_TYPE = "text/csv"
# The columns kept as the source's ``acled`` metadata (the whole row is its original).
KEPT = ("event_id_cnty", "data_id", "event_id_no_cnty", "event_date", "timestamp", "source", "source_scale",
        "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2",
        "inter1", "inter2", "interaction", "civilian_targeting", "fatalities", "time_precision", "geo_precision",
        "tags")


def record_key(row: AcledRow) -> str:
    """The source's record key: ACLED's event id, which stays the same when ACLED revises the row."""
    return f"{RECORD_PREFIX}{row.event_id}"


def document_of(row: AcledRow, coded: Coded) -> ReadDocument:
    """The row as a report: its notes as text, ACLED's sources and ids as metadata."""
    where = row.cell("location").strip() or row.cell("admin1").strip()
    title = f"ACLED {row.event_id}: {row.cell('sub_event_type').strip()}" + (f", {where}" if where else "") \
        + f", {row.event_date.isoformat()}"
    kept = {column: row.cell(column) for column in KEPT if column in row.cells}
    return ReadDocument(
        text=coded.text, kind=SourceKind.RECORD, media_type=MEDIA_TYPE, title=title, author="ACLED",
        # ACLED's timestamp is when it published (or last revised) the row.
        published=datetime.fromtimestamp(row.timestamp, UTC).date(), record_key=record_key(row),
        metadata={"acled": {**kept, "layout": row.layout, "row": row.row, "line": row.line},
                  "acled_source": row.cell("source"), "acled_source_scale": row.cell("source_scale"),
                  "acled_timestamp": row.timestamp, "acled_unmatched_actors": coded.unmatched})


def store_row(row: AcledRow, coded: Coded, *, file_name: str, db: Database, blobs: BlobStore, max_file_size: int,
              actor: str, via: str, extra_metadata: dict[str, Any] | None = None) -> IngestResult:
    """Store the row's original, source, incident and custody entries (or find them stored); never raises."""
    return store_record(original=row.original, document=document_of(row, coded), incident=coded.incident,
                        reader=READER, file_name=file_name or "acled.csv", db=db, blobs=blobs,
                        max_file_size=max_file_size, actor=actor, via=via, extra_metadata=extra_metadata)
