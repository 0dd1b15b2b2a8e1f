"""Ingest: files in, originals kept, sources and suggested incidents stored.

Crash safety comes from the order of writes. For each file the original goes
into the content-addressed blob store first (an atomic rename), then each
document read from it is stored with its incidents in one database
transaction, which the store makes idempotent on (sha256, record_key). A
batch killed at any point has therefore either committed a document or not;
running it again skips what is committed and finishes the rest, and a blob
without a source is harmless (it is overwritten with the same bytes).

The original is kept only when at least one document could be read from
it: a file that cannot be read at all (junk, a broken PDF) is reported and
not stored, so the evidence store does not fill with attacker-supplied bytes
that no record points at. The blob is written before the database, so a
database failure can leave an original without a source; the next run
stores the source against it.

Media (images, video, audio) named on the command line is never read whole
into memory: it is copied into the store while hashed, and probed from that
temporary copy before the copy is given its name, so a corrupt video leaves
nothing behind. Its facts, perceptual hashes and near-duplicates are stored
in the same transaction as its source.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from sqlalchemy.exc import SQLAlchemyError

from ..domain import Incident, Source
from ..domain.evidence import MediaInfo
from ..domain.printable import human_size
from ..extract.base import Extractor
from ..store.vault.blobs import BlobStore, sha256_bytes
from .derive import derive_for_source
from .errors import IngestError, one_line
from .readers import ColumnMapping, ReadDocument, ReadResult, reader_for
from .readers.base import MAX_RECORD_TEXT
from .readers.media import MediaReader

if TYPE_CHECKING:
    from ..store.db import Database

Status = Literal["new", "duplicate", "failed", "partial"]
_MAX_SKIPS_SHOWN = 3
_NOTE = "warning:"  # a reader's skipped line that reports, rather than skips, something
_HEAD_BYTES = 2048  # what readers sniff
# Suggestions kept from one report. A 50 MB page gave 714: nobody reviews those one by one, and
# holding and storing them cost memory and minutes. What is left out is noted on the source.
MAX_SUGGESTIONS = 200


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


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under ``paths``, recursively, in sorted order, skipping hidden files and folders.

    A folder's ``README`` (any extension) is skipped too: it describes the
    collection, it is not a report, and its words ("demonstration", a
    group's name) would otherwise become suggested incidents. A README named
    explicitly is ingested like any file.

    Symbolic links are yielded, not followed, so that ingest can refuse them
    by name: following them could read files outside the folder given.
    Paths that do not exist are yielded too, to be reported as missing.
    """
    seen: set[Path] = set()
    for path in paths:
        path = Path(path)
        try:
            info = os.lstat(path)
        except OSError:
            yield path
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, seen)
        elif path not in seen:
            seen.add(path)
            yield path


def _walk(directory: Path, seen: set[Path]) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        yield directory  # unreadable folder: reported as a failure, the batch goes on
        return
    for entry in entries:
        if entry.name.startswith(".") or _is_readme(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, seen)
        elif path not in seen:
            seen.add(path)
            yield path


def _is_readme(name: str) -> bool:
    return name.split(".", 1)[0].upper() == "README"


def ingest_paths(
    paths: Iterable[Path],
    *,
    db: Database,
    blobs: BlobStore,
    extractor: Extractor | None,
    max_file_size: int,
    mapping: ColumnMapping | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    actor: str = "system",
    via: str = "",
    extra_metadata: dict[str, Any] | None = None,
) -> list[IngestResult]:
    """Ingest every file under ``paths``; one bad file never stops the batch.

    ``extra_metadata`` is kept on every source stored (see :func:`ingest_bytes`),
    e.g. ``{"received_reason": ...}`` from a command's ``--reason``.
    """
    results: list[IngestResult] = []
    own = _own_files(db, blobs)
    for path in iter_input_files(paths):
        if _is_own(path, own):
            continue  # `tawthiq ingest .` beside the database must not ingest it or the stored originals
        try:
            with open_input_file(path, max_file_size=max_file_size) as handle:
                head = handle.read(_HEAD_BYTES)
                handle.seek(0)
                reader = reader_for(path.name, head)
                if isinstance(reader, MediaReader):  # media can be gigabytes: streamed, never held whole
                    result = _ingest_media_file(
                        handle, reader, path=path, db=db, blobs=blobs, max_file_size=max_file_size,
                        actor=actor, via=via, extra_metadata=extra_metadata,
                    )
                else:
                    # Handed over, not kept here: _ingest lets go of the bytes once they are stored,
                    # so a large file's bytes and its text are not held while the text is stored.
                    result = _ingest(
                        _read_all(handle, max_file_size=max_file_size), path=path, db=db, blobs=blobs,
                        extractor=extractor, max_file_size=max_file_size, mapping=mapping, actor=actor, via=via,
                        extra_metadata=extra_metadata,
                    )
        except IngestError as error:
            result = IngestResult(path=path, status="failed", error=str(error))
        except Exception as error:  # noqa: BLE001 - a file must never stop the batch
            result = IngestResult(path=path, status="failed", error=_internal(path.name, error))
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def ingest_bytes(
    data: bytes,
    *,
    name: str,
    db: Database,
    blobs: BlobStore,
    extractor: Extractor | None,
    max_file_size: int,
    mapping: ColumnMapping | None = None,
    actor: str = "system",
    via: str = "",
    url: str = "",
    extra_metadata: dict[str, Any] | None = None,
) -> IngestResult:
    """Ingest one pasted, uploaded or captured file held in memory; ``name`` is its name as received.

    ``url`` (where it was fetched from) and ``extra_metadata`` (e.g. a
    capture's headers, a Telegram message id) are kept on every source read
    from it, unless the reader found a value of its own.
    """
    return _ingest(
        data,
        path=Path(Path(name).name or "upload"),
        db=db,
        blobs=blobs,
        extractor=extractor,
        max_file_size=max_file_size,
        mapping=mapping,
        actor=actor,
        via=via,
        url=url,
        extra_metadata=extra_metadata,
    )


def read_input_file(path: Path, *, max_file_size: int) -> bytes:
    """The bytes of a regular file, refusing links, devices and files over the size limit before reading."""
    with open_input_file(path, max_file_size=max_file_size) as handle:
        return _read_all(handle, max_file_size=max_file_size)


def lstat_input(path: Path) -> os.stat_result:
    """The path's own status (a link is not followed), or one line saying why it cannot be read."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        raise IngestError("no such file or folder") from None
    except OSError as error:
        raise IngestError(f"cannot read: {error.strerror or error}") from None


def open_input_file(path: Path, *, max_file_size: int) -> BinaryIO:
    """A regular file opened for reading, refusing links, devices and files over the size limit first."""
    info = lstat_input(path)
    if stat.S_ISLNK(info.st_mode):
        raise IngestError("is a symbolic link; links are not followed, ingest the file it points to instead")
    if stat.S_ISDIR(info.st_mode):
        raise IngestError("cannot read this folder")
    if not stat.S_ISREG(info.st_mode):
        raise IngestError("not a regular file (a device, pipe or socket)")
    _check_size(info.st_size, max_file_size)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise IngestError(f"cannot read: {error.strerror or error}") from None
    handle = os.fdopen(fd, "rb")
    try:
        # The file can change between lstat and open; check what was opened (readers never read past the limit).
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise IngestError("not a regular file (a device, pipe or socket)")
        _check_size(opened.st_size, max_file_size)
    except BaseException:
        handle.close()
        raise
    return handle


def _read_all(handle: BinaryIO, *, max_file_size: int) -> bytes:
    data = handle.read(max_file_size + 1)
    _check_size(len(data), max_file_size)
    return data


def _ingest_media_file(
    handle: BinaryIO,
    reader: MediaReader,
    *,
    path: Path,
    db: Database,
    blobs: BlobStore,
    max_file_size: int,
    actor: str,
    via: str,
    extra_metadata: dict[str, Any] | None = None,
) -> IngestResult:
    """Copy a media file into the store while hashing it, probe the copy, and keep it only if it reads.

    The probe runs on the temporary copy inside the store, before it gets
    its name: exactly the bytes that would be kept are checked, the source
    file is read once, and a corrupt or over-large file leaves nothing.
    """
    probed: dict[str, Any] = {}

    def check(copy: Path, sha: str) -> None:
        probed["sha"] = sha
        known = _stored_whole_file(db, blobs, sha)
        if known is not None:
            raise _AlreadyStored(known)
        probed["read"], probed["media"] = reader.read_media(copy, name=path.name)

    try:
        if os.fstat(handle.fileno()).st_size == 0:
            raise IngestError("empty file")
        sha = blobs.put_file(handle, max_size=max_file_size, check=check)
    except _AlreadyStored as known:
        return IngestResult(path=path, status="duplicate", source_ids=[known.source_id], sha256=probed["sha"])
    except IngestError as error:
        return IngestResult(path=path, status="failed", error=str(error), sha256=probed.get("sha"))
    except SQLAlchemyError as error:
        return IngestResult(path=path, status="failed", error=_database(error), sha256=probed.get("sha"))
    read: ReadResult = probed["read"]
    return _stored(read, media=probed["media"], sha=sha, size=blobs.path(sha).stat().st_size, path=path,
                   db=db, blobs=blobs, extractor=None, reader_name=reader.name, actor=actor, via=via,
                   extra_metadata=extra_metadata)


class _AlreadyStored(Exception):  # noqa: N818 - control flow out of the store's check, not an error
    def __init__(self, source_id: int) -> None:
        super().__init__(source_id)
        self.source_id = source_id


def _ingest(
    data: bytes,
    *,
    path: Path,
    db: Database,
    blobs: BlobStore,
    extractor: Extractor | None,
    max_file_size: int,
    mapping: ColumnMapping | None,
    actor: str = "system",
    via: str = "",
    url: str = "",
    extra_metadata: dict[str, Any] | None = None,
) -> IngestResult:
    sha: str | None = None
    try:
        _check_size(len(data), max_file_size)
        if not data.strip():
            raise IngestError("empty file")
        sha = sha256_bytes(data)
        known = _stored_whole_file(db, blobs, sha)
        if known is not None:
            return IngestResult(path=path, status="duplicate", source_ids=[known], sha256=sha)
        reader = reader_for(path.name, data[:_HEAD_BYTES])
        media: MediaInfo | None = None
        if isinstance(reader, MediaReader):
            read, media = reader.read_media(data, name=path.name)
        else:
            read = reader.read(data, name=path.name, mapping=mapping)
        if not read.documents:
            raise IngestError("no report text found")
        stored = blobs.put(data)
        if stored != sha:
            raise IngestError("the stored original does not match its hash; check the disk")
        size = len(data)
        del data  # the original is in the store; a caller that handed it over no longer holds it at all
        return _stored(read, media=media, sha=sha, size=size, path=path, db=db, blobs=blobs,
                       extractor=extractor, reader_name=reader.name, actor=actor, via=via, url=url,
                       extra_metadata=extra_metadata)
    except IngestError as error:
        return IngestResult(path=path, status="failed", error=str(error), sha256=sha)
    except SQLAlchemyError as error:
        return IngestResult(path=path, status="failed", error=_database(error), sha256=sha)
    except Exception as error:  # noqa: BLE001 - one line, never a traceback, the batch goes on
        return IngestResult(path=path, status="failed", error=_internal(path.name, error), sha256=sha)


def _stored(read: ReadResult, *, media: MediaInfo | None, sha: str, size: int, path: Path, db: Database,
            blobs: BlobStore, extractor: Extractor | None, reader_name: str, actor: str, via: str,
            url: str = "", extra_metadata: dict[str, Any] | None = None) -> IngestResult:
    """Store what was read from an original already in the blob store (the second half of every ingest)."""
    for document in read.documents:
        document.url = document.url or url
        for key, value in (extra_metadata or {}).items():
            document.metadata.setdefault(key, value)
    if media is not None:
        media.sha256 = sha
    return _store_documents(read.documents, read.skipped, size=size, sha=sha, path=path, db=db, blobs=blobs,
                            extractor=extractor, reader_name=reader_name, actor=actor, via=via, media=media)


def _store_documents(
    documents: list[ReadDocument],
    skipped: list[str],
    *,
    size: int,
    sha: str,
    path: Path,
    db: Database,
    blobs: BlobStore,
    extractor: Extractor | None,
    reader_name: str,
    actor: str = "system",
    via: str = "",
    media: MediaInfo | None = None,
) -> IngestResult:
    from ..store import repository
    from ..store.media import add_media_source

    notes = [line for line in skipped if line.startswith(_NOTE)]
    # A doubtful decoding (invalid bytes replaced, an encoding detected) is said on the file's line too,
    # once per file however many rows share it; the source's metadata keeps it with the encoding and why.
    notes += [f"{_NOTE} {warning}" for warning in dict.fromkeys(
        str(d.metadata["encoding_warning"]) for d in documents if d.metadata.get("encoding_warning"))]
    problems = [line for line in skipped if not line.startswith(_NOTE)]
    source_ids: list[int] = []
    created_any = False
    incident_count = 0
    retrieved_at = datetime.now(UTC)
    for document in documents:
        where = f"{document.record_key}: " if document.record_key else ""
        try:
            # Already committed (a re-run, or a batch resumed after a crash): no need to extract again.
            existing = repository.find_source(db, sha256=sha, record_key=document.record_key)
        except SQLAlchemyError as error:
            problems.append(f"{where}{_database(error)}")
            continue
        if existing is not None and existing.id is not None:
            source_ids.append(existing.id)
            continue
        cut = _cut_text(document)  # before anything copies the text: the record keeps at most this much
        source = _source(
            document, sha=sha, size=size, name=path.name, retrieved_at=retrieved_at, reader_name=reader_name,
            via=via,
        )
        try:
            incidents = _extract(extractor, document)
        except Exception as error:  # noqa: BLE001 - left unstored so a fixed extractor can run on it later
            problems.append(f"{where}extraction failed ({type(error).__name__}: {one_line(str(error), limit=120)})")
            continue
        incidents, limits = _bounded(extractor, document, incidents)
        limits = [*cut, *limits]
        if limits:  # never silent: kept on the source and shown by ingest
            source.metadata["ingest_notes"] = [*source.metadata.get("ingest_notes", []), *limits]
            notes.extend(f"{_NOTE} {where}{line}" for line in limits)
        try:
            if media is not None:  # the source and its media facts, hashes and near-duplicates: one transaction
                source_id, created = add_media_source(db, source, media, actor=actor)
                incident_ids = []
            else:
                source_id, created, incident_ids = repository.add_source_with_incidents(
                    db, source, incidents, actor=actor)
        except SQLAlchemyError as error:  # the transaction rolled back; nothing half-stored
            problems.append(f"{where}{_database(error)}")
            continue
        except Exception as error:  # noqa: BLE001 - e.g. an extractor's incident the store refuses; rolled back too
            problems.append(f"{where}could not be stored ({type(error).__name__}: {one_line(str(error), limit=120)})")
            continue
        source_ids.append(source_id)
        if created:
            created_any = True
            incident_count += len(incident_ids)
            problems.extend(f"{where}{problem}" for problem in derive_for_source(
                db, blobs=blobs, source=source, source_id=source_id, actor=actor))
    if not source_ids:
        return IngestResult(
            path=path, status="failed", error=_summary(problems, len(documents) + len(skipped)), sha256=sha
        )
    if problems:
        return IngestResult(
            path=path,
            status="partial",
            source_ids=source_ids,
            incidents=incident_count,
            error=_summary(problems, len(documents) + len(skipped)),
            sha256=sha,
            notes=notes,
        )
    return IngestResult(
        path=path,
        status="new" if created_any else "duplicate",
        source_ids=source_ids,
        incidents=incident_count,
        sha256=sha,
        notes=notes,
    )


def _stored_whole_file(db: Database, blobs: BlobStore, sha: str) -> int | None:
    """The source id when these exact bytes were already ingested as one document.

    Reading is deterministic, so the same bytes need not be parsed again; a
    batch file (rows keyed by record) is re-read so that rows a previous,
    interrupted run did not reach are still added.
    """
    from ..store import repository

    if not blobs.exists(sha):
        return None
    existing = repository.find_source(db, sha256=sha, record_key="")
    return existing.id if existing is not None else None


def _cut_text(document: ReadDocument) -> list[str]:
    """Cut a text longer than ``MAX_RECORD_TEXT`` (in place) and say so; the original stays whole."""
    if len(document.text) <= MAX_RECORD_TEXT:
        return []
    document.text = document.text[:MAX_RECORD_TEXT]
    return [f"the text runs past {MAX_RECORD_TEXT:,} characters: the record keeps the first {MAX_RECORD_TEXT:,} "
            "(the original is kept whole)"]


def _bounded(extractor: Extractor | None, document: ReadDocument,
             incidents: list[Incident]) -> tuple[list[Incident], list[str]]:
    """At most ``MAX_SUGGESTIONS`` incidents, and one line for each limit that applied."""
    notes: list[str] = []
    read = getattr(extractor, "max_chars", None)
    if extractor is not None and read is not None and len(document.text) > read:
        notes.append(f"the extractor read the first {read:,} of {len(document.text):,} characters; "
                     "the rest was not read for incidents")
    if len(incidents) > MAX_SUGGESTIONS:
        notes.append(f"{len(incidents)} incidents were found; the first {MAX_SUGGESTIONS} the extractor found are "
                     f"suggested and {len(incidents) - MAX_SUGGESTIONS} were left out")
        incidents = incidents[:MAX_SUGGESTIONS]
    return incidents, notes


def _extract(extractor: Extractor | None, document: ReadDocument) -> list[Incident]:
    if extractor is None or not document.text.strip():  # media has no report text to read
        return []
    return list(extractor.extract(document.text, language=document.language or None, published=document.published))


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


def _summary(problems: list[str], total: int) -> str:
    shown = "; ".join(problems[:_MAX_SKIPS_SHOWN])
    more = f"; and {len(problems) - _MAX_SKIPS_SHOWN} more" if len(problems) > _MAX_SKIPS_SHOWN else ""
    return one_line(f"skipped {len(problems)} of {total}: {shown}{more}", limit=500)


def _database(error: SQLAlchemyError) -> str:
    # SQLAlchemy appends the SQL and a help link over several lines; the first line says what failed.
    first = str(getattr(error, "orig", None) or error).strip().splitlines()
    return one_line(f"database error: {type(error).__name__}: {first[0] if first else ''}")


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise IngestError(f"file is {human_size(size)}, over the size limit of {human_size(limit)}")


def _own_files(db: Database, blobs: BlobStore) -> tuple[Path, set[Path]]:
    """The originals folder and the SQLite database files, which are never reports."""
    files: set[Path] = set()
    url = str(getattr(db, "url", ""))
    if url.startswith("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///").split("?", 1)[0]).resolve()
        files = {database.with_name(database.name + suffix) for suffix in ("", "-wal", "-shm", "-journal")}
    return blobs.root.resolve(), files


def _is_own(path: Path, own: tuple[Path, set[Path]]) -> bool:
    root, files = own
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    return resolved in files or resolved.is_relative_to(root)


def _internal(name: str, error: BaseException) -> str:
    return one_line(f"internal error reading {name}: {type(error).__name__}: {error}")
