"""The source stage: each document read becomes the record of a source, unless it is already stored."""

from __future__ import annotations

from datetime import UTC, datetime

from ...domain import Source
from ..readers import ReadDocument
from ..readers.base import MAX_RECORD_TEXT
from .base import IngestContext


class SourceStage:
    """Make the source record for the current document (``ctx.document.source``).

    A document already committed (a re-run, or a batch resumed after a
    crash) is found by its bytes and batch row, counted as stored, and goes
    no further: it is not extracted again. Otherwise the record gets the
    original's hash, what the reader found, where the file came from
    (``ctx.url``, ``ctx.extra_metadata``, ``ctx.via``; what the person adding it
    said, ``ctx.stated``, wins over the reader's values), and a text cut to
    ``MAX_RECORD_TEXT`` (said in the document's notes; the original stays
    whole).
    """

    name = "source"
    per_document = True
    in_transaction = False

    def run(self, ctx: IngestContext) -> None:
        from ...store import repository

        doc = ctx.document
        document = doc.read
        sha = ctx.original_sha256()
        existing = repository.find_source(ctx.db, sha256=sha, record_key=document.record_key)
        if existing is not None and existing.id is not None:
            doc.source_id = existing.id
            doc.end()
            return
        document.url = document.url or ctx.url
        if ctx.stated is not None:  # before the extract stage reads ``published`` from the document
            document.author = ctx.stated.author or document.author
            document.published = ctx.stated.published or document.published
            document.url = ctx.stated.url or document.url
        for key, value in ctx.extra_metadata.items():
            document.metadata.setdefault(key, value)
        doc.notes.extend(_cut_text(document))  # before anything copies the text: the record keeps at most this
        reader = ctx.reader.name if ctx.reader is not None else ""
        doc.source = _source(document, sha=sha, size=ctx.size, name=ctx.path.name,
                             retrieved_at=ctx.retrieved_at or datetime.now(UTC), reader_name=reader, via=ctx.via)


def _cut_text(document: ReadDocument) -> list[str]:
    """Cut a text longer than ``MAX_RECORD_TEXT`` (in place) and say so; the original stays whole."""
    if len(document.text) <= MAX_RECORD_TEXT:
        return []
    document.text = document.text[:MAX_RECORD_TEXT]
    return [f"the text runs past {MAX_RECORD_TEXT:,} characters: the record keeps the first {MAX_RECORD_TEXT:,} "
            "(the original is kept whole)"]


def _source(
    document: ReadDocument, *, sha: str, size: int, name: str, retrieved_at: datetime, reader_name: str,
    via: str = "",
) -> Source:
    metadata = dict(document.metadata)
    metadata["reader"] = reader_name
    if via:  # how it reached us ("tawthiq ingest", "web upload"): the custody "received" entry says so
        metadata.setdefault("received_via", via)
    return Source(
        kind=document.kind,
        sha256=sha,
        text=document.text,
        title=document.title,
        author=document.author,
        url=document.url,
        language=document.language,
        published=document.published,
        retrieved_at=retrieved_at,
        original_name=name,
        media_type=document.media_type,
        size=size,
        record_key=document.record_key,
        metadata=metadata,
    )
