"""The contract every ingest stage fulfils, and what is carried from one stage to the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ...domain import Incident, Source
    from ...domain.enums import Confidentiality
    from ...domain.originals import MediaInfo
    from ...extract.base import Extractor
    from ...store.db import Database
    from ...store.vault.blobs import BlobStore
    from ..readers import ColumnMapping, ReadDocument, Reader, ReadResult

Status = Literal["new", "duplicate", "failed", "partial"]
NOTE = "warning:"  # a reader's skipped line that reports, rather than skips, something


@dataclass(slots=True)
class IngestResult:
    """What happened to one input file; ``error`` is one line for the person running ingest."""

    path: Path
    status: Status
    source_ids: list[int] = field(default_factory=list)
    incidents: int = 0
    error: str | None = None
    sha256: str | None = None
    # Things worth knowing that are not failures (a web archive's hash that does not match its index):
    # the file is stored whole, so they do not make it "partial".
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Stated:
    """What the person adding the material said about it (the web's Add forms).

    Unlike ``IngestContext.url``, these win over what a reader found: a person
    who types the author or the date of publication knows better than a
    guess from the file. ``published`` is also what the extractor resolves
    relative dates ("yesterday") against, as a reader's date would be.
    """

    author: str = ""
    published: date | None = None
    url: str = ""
    confidentiality: Confidentiality | None = None  # of the incidents suggested; None keeps the default


@dataclass(slots=True, eq=False)
class DocumentContext:
    """One document read from the file (a batch file gives one per row) on its way through the stages."""

    read: ReadDocument
    source: Source | None = None  # the record to store, made by the source stage
    incidents: list[Incident] = field(default_factory=list)  # suggested, from the extract stage
    # Limits that applied ("the text was cut"): kept on the source (``ingest_notes``) and shown by ingest.
    notes: list[str] = field(default_factory=list)
    source_id: int | None = None  # once it is stored, by this run or an earlier one
    created: bool = False  # stored by this run (and committed, after the transaction)
    incident_ids: list[int] = field(default_factory=list)
    ended: bool = False  # no later stage runs for it

    @property
    def where(self) -> str:
        """How a line about this document starts: its batch row's key, or nothing for a single document."""
        return f"{self.read.record_key}: " if self.read.record_key else ""

    def end(self) -> None:
        """No later stage is to run for this document (it is already stored, or nothing is left to do)."""
        self.ended = True

    def record(self) -> Source:
        """The source record the source stage made; a stage placed before it has nothing to record."""
        if self.source is None:
            raise RuntimeError("no source record yet: the source stage comes before this one")
        return self.source


@dataclass(slots=True, eq=False)
class IngestContext:
    """One input file on its way through the stages, and everything they learn about it.

    The first group of fields is how the file came in and how ingest is
    wired; stages read them. The rest is filled in as the stages run.
    """

    path: Path  # ``path.name`` is the file's name as received: it chooses the reader and is recorded
    db: Database
    blobs: BlobStore
    extractor: Extractor | None
    max_file_size: int
    mapping: ColumnMapping | None = None
    actor: str = "system"
    via: str = ""  # how it reached us ("tawthiq ingest", "web upload"), for the custody "received" entry
    url: str = ""  # where it was fetched from, kept on every source unless the reader found one
    extra_metadata: dict[str, Any] = field(default_factory=dict)  # kept on every source read from it
    stated: Stated | None = None  # what the person adding it said about it; wins over the reader's values
    handle: BinaryIO | None = None  # a file named on the command line, opened (and checked) by the pipeline
    data: bytes | None = None  # the file's bytes, until the original is stored

    reader: Reader | None = None
    read: ReadResult | None = None
    media: MediaInfo | None = None
    sha256: str | None = None
    size: int = 0
    stored: bool = False  # the original is in the evidence store
    retrieved_at: datetime | None = None  # when the original was stored; the same on every source from it
    documents: list[DocumentContext] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: the file is "partial", or "failed"
    notes: list[str] = field(default_factory=list)  # worth knowing, not failures
    result: IngestResult | None = None  # set by a stage that settles the file early (its bytes are known)
    current: DocumentContext | None = None  # set by the pipeline for document stages
    transaction: Session | None = None  # set by the pipeline for stages that run in a transaction

    @property
    def document(self) -> DocumentContext:
        """The document a per-document stage is running for."""
        if self.current is None:
            raise RuntimeError("no current document: only a per-document stage may ask for one")
        return self.current

    @property
    def session(self) -> Session:
        """The current document's write transaction, for a stage that runs inside it."""
        if self.transaction is None:
            raise RuntimeError("no transaction: only a stage with in_transaction may write through one")
        return self.transaction

    def original_sha256(self) -> str:
        """The hash of the original, known once the read stage has run."""
        if self.sha256 is None:
            raise RuntimeError("the original's hash is not known yet: the read stage comes first")
        return self.sha256


class Stage(Protocol):
    """One step of ingest; the pipeline runs the stage list in order for each input file.

    What a stage receives: the :class:`IngestContext` of one file. A stage
    with ``per_document`` false runs once for the file; one with
    ``per_document`` true runs once for each document read from it
    (``ctx.document``), and each document goes through all such stages
    before the next document starts. Stages with ``in_transaction`` run
    inside that document's one write transaction (``ctx.session``):
    consecutive ones share it and it is committed after the last of them,
    so what they write is stored together or not at all. Per-document
    stages after that commit run only for a source this run stored, and
    see it committed.

    What a stage may change: the context's fields its own docstring names
    (what was read, the original's hash, the document's record, its
    incidents, its notes). It ends a file early by setting ``ctx.result``
    (e.g. these bytes are already stored), and a document early by
    ``ctx.document.end()``: no later stage then runs for it. It never
    prints. Before the commit a per-document stage writes to the database
    only through ``ctx.session``, so nothing of a document is half-stored.

    How it reports a problem: by raising, with an
    :class:`~tawthiq.ingest.errors.IngestError` whose message is one line
    for the person running ingest (any other exception is reported with
    its type). A per-file stage that raises fails the file. A per-document
    stage that raises before the commit leaves that document unstored,
    inside the transaction rolls it back, and after the commit leaves the
    source stored (the stages after it still run for it); the rest of the
    file and the batch go on, and the line
    makes the file "partial" (or "failed" if nothing of it was stored). A
    stage that has a problem but can go on adds the line to ``ctx.problems``
    itself (derive does, one line per working copy it could not make).
    """

    name: str
    per_document: bool
    in_transaction: bool

    def run(self, ctx: IngestContext) -> None: ...


class BatchStage(Stage, Protocol):
    """A stage that also works once per batch, after every file of it went through the stages.

    Linking compares a batch's new incidents with the whole record: done per
    file it would fit its model once per file. ``run`` (per file, after the
    others) notes what the file added; ``finish`` receives the batch's
    results and returns lines for the person running ingest. A ``finish``
    that raises is reported as one line; the batch's files stay stored.
    """

    def finish(self, results: list[IngestResult]) -> list[str]: ...
