"""The read stage: the reader chosen for the file reads its documents (or probes its media)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ...store.vault.blobs import sha256_bytes
from ..errors import IngestError
from ..files import check_size, read_all
from ..readers import Reader, ReadResult, reader_for
from ..readers.media import MediaReader
from .base import NOTE, DocumentContext, IngestContext, IngestResult

if TYPE_CHECKING:
    from ...domain.originals import MediaInfo
    from ...store.db import Database
    from ...store.vault.blobs import BlobStore

HEAD_BYTES = 2048  # what readers sniff


class ReadStage:
    """Choose the reader for the file and read its documents.

    Sets ``ctx.sha256``, ``ctx.reader``, ``ctx.read``, ``ctx.media`` (for
    images, video and audio) and ``ctx.documents``, and puts the reader's
    skipped lines on ``ctx.problems`` (its warnings on ``ctx.notes``).
    Bytes already ingested whole settle the file as "duplicate" without
    being read again (reading is deterministic); a file with nothing to
    read fails here, before its original is stored.

    Media named on the command line can be gigabytes and is never held
    whole: it is copied into the evidence store while hashed and probed from
    that temporary copy before the copy gets its name, so for it reading
    and storing the original are one step (``ctx.stored``), and a corrupt
    video leaves nothing behind.
    """

    name = "read"
    per_document = False
    in_transaction = False

    def run(self, ctx: IngestContext) -> None:
        if ctx.handle is not None:
            head = ctx.handle.read(HEAD_BYTES)
            ctx.handle.seek(0)
            reader = reader_for(ctx.path.name, head)
            if isinstance(reader, MediaReader):
                _read_streamed(ctx, reader)
                return
            ctx.data = read_all(ctx.handle, max_file_size=ctx.max_file_size)
        _read_bytes(ctx)


def _read_bytes(ctx: IngestContext) -> None:
    data = ctx.data
    if data is None:
        raise RuntimeError("nothing to read: the pipeline gives either a handle or the bytes")
    check_size(len(data), ctx.max_file_size)
    if not data.strip():
        raise IngestError("empty file", kind="ingest.empty")
    sha = ctx.sha256 = sha256_bytes(data)
    known = stored_whole_file(ctx.db, ctx.blobs, sha)
    if known is not None:
        ctx.result = IngestResult(path=ctx.path, status="duplicate", source_ids=[known], sha256=sha)
        return
    reader = reader_for(ctx.path.name, data[:HEAD_BYTES])
    media: MediaInfo | None = None
    if isinstance(reader, MediaReader):
        read, media = reader.read_media(data, name=ctx.path.name)
    else:
        read = reader.read(data, name=ctx.path.name, mapping=ctx.mapping)
    if not read.documents:
        raise IngestError("no report text found", kind="ingest.no_text")
    _take(ctx, reader, read, media)


def _read_streamed(ctx: IngestContext, reader: MediaReader) -> None:
    handle = ctx.handle
    if handle is None:
        raise RuntimeError("streamed reading needs the opened file")
    probed: dict[str, tuple[ReadResult, MediaInfo]] = {}

    def check(copy: Path, sha: str) -> None:
        ctx.sha256 = sha
        known = stored_whole_file(ctx.db, ctx.blobs, sha)
        if known is not None:
            raise _AlreadyStored(known)
        read, media = reader.read_media(copy, name=ctx.path.name)
        if not read.documents:
            raise IngestError("no report text found", kind="ingest.no_text")
        probed["read"] = read, media

    if os.fstat(handle.fileno()).st_size == 0:
        raise IngestError("empty file", kind="ingest.empty")
    try:
        sha = ctx.blobs.put_file(handle, max_size=ctx.max_file_size, check=check)
    except _AlreadyStored as known:
        ctx.result = IngestResult(path=ctx.path, status="duplicate", source_ids=[known.source_id],
                                  sha256=ctx.sha256)
        return
    ctx.stored = True
    ctx.size = ctx.blobs.size(sha)
    _take(ctx, reader, *probed["read"])


class _AlreadyStored(Exception):  # noqa: N818 - control flow out of the store's check, not an error
    def __init__(self, source_id: int) -> None:
        super().__init__(source_id)
        self.source_id = source_id


def _take(ctx: IngestContext, reader: Reader, read: ReadResult, media: MediaInfo | None) -> None:
    """Keep what was read on the context, with the reader's skipped lines as problems and notes."""
    ctx.reader, ctx.read, ctx.media = reader, read, media
    if media is not None:
        media.sha256 = ctx.original_sha256()
    ctx.documents = [DocumentContext(read=document) for document in read.documents]
    ctx.notes += [line for line in read.skipped if line.startswith(NOTE)]
    # A doubtful decoding (invalid bytes replaced, an encoding detected) is said on the file's line too,
    # once per file however many rows share it; the source's metadata keeps it with the encoding and why.
    ctx.notes += [f"{NOTE} {warning}" for warning in dict.fromkeys(
        str(d.metadata["encoding_warning"]) for d in read.documents if d.metadata.get("encoding_warning"))]
    ctx.problems += [line for line in read.skipped if not line.startswith(NOTE)]


def stored_whole_file(db: Database, blobs: BlobStore, sha: str) -> int | None:
    """The source id when these exact bytes were already ingested as one document.

    Reading is deterministic, so the same bytes need not be parsed again; a
    batch file (rows keyed by record) is re-read so that rows a previous,
    interrupted run did not reach are still added.
    """
    from ...store import repository

    if not blobs.exists(sha):
        return None
    existing = repository.find_source(db, sha256=sha, record_key="")
    return existing.id if existing is not None else None
