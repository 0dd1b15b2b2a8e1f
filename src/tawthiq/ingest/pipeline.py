"""Ingest: files in, originals kept, sources and suggested incidents stored.

Each input file goes through the stage list (:mod:`.stages`) in order:
read → store original → source → extract → index → custody → derive.

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

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from ..domain.errors import ProblemLine
from ..extract.base import Extractor
from ..store.vault.blobs import BlobStore
from .errors import IngestError, one_line
from .files import OwnFiles, iter_input_files, open_input_file
from .readers import ColumnMapping
from .stages import DEFAULT_STAGES, DocumentContext, IngestContext, IngestResult, Stage, Stated, Status

if TYPE_CHECKING:
    from ..store.db import Database

__all__ = ["IngestResult", "Status", "ingest_bytes", "ingest_paths", "iter_input_files", "run_stages"]

_MAX_SKIPS_SHOWN = 3


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
    stages: Sequence[Stage] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[IngestResult]:
    """Ingest every file under ``paths``; one bad file never stops the batch.

    ``extra_metadata`` is kept on every source stored (see :func:`ingest_bytes`),
    e.g. ``{"received_reason": ...}`` from a command's ``--reason``.
    ``stages`` defaults to :data:`~tawthiq.ingest.stages.DEFAULT_STAGES`;
    a stage with a ``finish`` (:class:`~tawthiq.ingest.stages.base.BatchStage`)
    runs it after the last file, and its lines go to ``on_note``.
    """
    chosen = DEFAULT_STAGES if stages is None else stages
    results: list[IngestResult] = []
    own = OwnFiles(db=db, blobs=blobs)
    for path in iter_input_files(paths):
        if path in own:
            continue  # `tawthiq ingest .` beside the database must not ingest it or the stored originals
        ctx = IngestContext(path=path, db=db, blobs=blobs, extractor=extractor, max_file_size=max_file_size,
                            mapping=mapping, actor=actor, via=via, extra_metadata=dict(extra_metadata or {}))
        try:
            with open_input_file(path, max_file_size=max_file_size) as handle:
                ctx.handle = handle
                result = run_stages(ctx, chosen)
        except IngestError as error:
            result = IngestResult(path=path, status="failed", error=ProblemLine.of(error))
        except Exception as error:  # noqa: BLE001 - a file must never stop the batch
            result = IngestResult(path=path, status="failed", error=_internal(path.name, error))
        results.append(result)
        if on_result is not None:
            on_result(result)
    finish_batch(chosen, results, on_note=on_note)
    return results


def finish_batch(stages: Sequence[Stage], results: list[IngestResult], *,
                 on_note: Callable[[str], None] | None = None) -> list[str]:
    """Run the ``finish`` of every batch stage; their lines (a failure is one line too)."""
    lines: list[str] = []
    for stage in stages:
        finish = getattr(stage, "finish", None)
        if finish is None:
            continue
        try:
            lines += list(finish(results))
        except Exception as error:  # noqa: BLE001 - the batch is stored; say what failed in one line
            lines.append(f"{stage.name} failed: {_what(error)}")
    for line in lines:
        if on_note is not None:
            on_note(line)
    return lines


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
    stated: Stated | None = None,
    stages: Sequence[Stage] | None = None,
) -> IngestResult:
    """Ingest one pasted, uploaded or captured file held in memory; ``name`` is its name as received.

    ``url`` (where it was fetched from) and ``extra_metadata`` (e.g. a
    capture's headers, a Telegram message id) are kept on every source read
    from it, unless the reader found a value of its own. ``stated`` (what the
    person adding it said: author, date of publication, URL, the incidents'
    confidentiality) wins over the reader's values; see :class:`~.stages.Stated`.
    """
    ctx = IngestContext(path=Path(Path(name).name or "upload"), db=db, blobs=blobs, extractor=extractor,
                        max_file_size=max_file_size, mapping=mapping, actor=actor, via=via, url=url,
                        extra_metadata=dict(extra_metadata or {}), stated=stated, data=data)
    chosen = DEFAULT_STAGES if stages is None else stages
    result = run_stages(ctx, chosen)
    result.notes += finish_batch(chosen, [result])  # one file is a batch of one
    return result


def run_stages(ctx: IngestContext, stages: Sequence[Stage]) -> IngestResult:
    """Run ``stages`` in order on one file; its result, never an exception (see :class:`Stage`)."""
    try:
        for per_document, segment in _segments(stages):
            if ctx.result is not None:
                break
            if per_document:
                for document in ctx.documents:
                    _through(ctx, document, segment)
                continue
            for stage in segment:
                stage.run(ctx)
                if ctx.result is not None:
                    break
    except IngestError as error:
        return _failed(ctx, ProblemLine.of(error))  # its kind too: an interface says it in its own language
    except SQLAlchemyError as error:
        return _failed(ctx, _database(error))
    except Exception as error:  # noqa: BLE001 - one line, never a traceback, the batch goes on
        return _failed(ctx, _internal(ctx.path.name, error))
    finally:
        ctx.current = ctx.transaction = None
    return ctx.result if ctx.result is not None else _outcome(ctx)


def _segments(stages: Sequence[Stage]) -> Iterator[tuple[bool, list[Stage]]]:
    """Consecutive per-file or per-document stages, in order: a document goes through a whole segment."""
    for per_document, segment in groupby(stages, key=lambda stage: stage.per_document):
        yield per_document, list(segment)


def _through(ctx: IngestContext, doc: DocumentContext, stages: list[Stage]) -> None:
    """One document through per-document stages; each problem is a line and the file goes on."""
    ctx.current = doc
    try:
        for in_transaction, group in groupby(stages, key=lambda stage: stage.in_transaction):
            if doc.ended:
                return
            if in_transaction:
                _in_transaction(ctx, doc, list(group))
                continue
            for stage in group:
                if doc.ended:
                    return
                try:
                    stage.run(ctx)
                except Exception as error:  # noqa: BLE001 - the document's problem, not the batch's
                    if doc.created:  # committed: the source stays stored and the next stage still runs
                        ctx.problems.append(f"{doc.where}{stage.name}: {_problem(error, _what(error, 160))}")
                    else:  # nothing of it is stored
                        ctx.problems.append(f"{doc.where}{_problem(error, f'{stage.name} failed ({_what(error)})')}")
                        doc.end()
    finally:
        ctx.current = None


def _in_transaction(ctx: IngestContext, doc: DocumentContext, stages: list[Stage]) -> None:
    """Stages that share the document's write transaction: all they write is committed, or none of it."""
    try:
        with ctx.db.session(write=True) as session:
            ctx.transaction = session
            for stage in stages:
                stage.run(ctx)
                if doc.ended:
                    break
    except Exception as error:  # noqa: BLE001 - e.g. an extractor's incident the store refuses; rolled back
        doc.source_id, doc.created, doc.incident_ids = None, False, []
        ctx.problems.append(f"{doc.where}{_problem(error, f'could not be stored ({_what(error)})')}")
        doc.end()
    finally:
        ctx.transaction = None


def _problem(error: Exception, otherwise: str) -> str:
    """A stage's own one line, the database's first line, or ``otherwise`` for anything unexpected."""
    if isinstance(error, IngestError):
        return str(error)
    if isinstance(error, SQLAlchemyError):
        return _database(error)
    return otherwise


def _what(error: Exception, limit: int = 120) -> str:
    return f"{type(error).__name__}: {one_line(str(error), limit=limit)}"


def _outcome(ctx: IngestContext) -> IngestResult:
    documents = ctx.documents
    source_ids = [doc.source_id for doc in documents if doc.source_id is not None]
    total = len(documents) + (len(ctx.read.skipped) if ctx.read is not None else 0)
    if not source_ids:
        return _failed(ctx, _summary(ctx.problems, total))
    incidents = sum(len(doc.incident_ids) for doc in documents if doc.created)
    if ctx.problems:
        return IngestResult(path=ctx.path, status="partial", source_ids=source_ids, incidents=incidents,
                            error=_summary(ctx.problems, total), sha256=ctx.sha256, notes=ctx.notes)
    return IngestResult(path=ctx.path, status="new" if any(doc.created for doc in documents) else "duplicate",
                        source_ids=source_ids, incidents=incidents, sha256=ctx.sha256, notes=ctx.notes)


def _failed(ctx: IngestContext, error: str) -> IngestResult:
    return IngestResult(path=ctx.path, status="failed", error=error, sha256=ctx.sha256)


def _summary(problems: list[str], total: int) -> ProblemLine:
    shown = "; ".join(problems[:_MAX_SKIPS_SHOWN])
    more = f"; and {len(problems) - _MAX_SKIPS_SHOWN} more" if len(problems) > _MAX_SKIPS_SHOWN else ""
    # The lines themselves are the stages' own (English) words: an interface shows them as that detail.
    return ProblemLine(one_line(f"skipped {len(problems)} of {total}: {shown}{more}", limit=500),
                       kind="ingest.skipped", n=len(problems), total=total,
                       detail=one_line(f"{shown}{more}", limit=480))


def _database(error: SQLAlchemyError) -> str:
    # SQLAlchemy appends the SQL and a help link over several lines; the first line says what failed.
    first = str(getattr(error, "orig", None) or error).strip().splitlines()
    return one_line(f"database error: {type(error).__name__}: {first[0] if first else ''}")


def _internal(name: str, error: BaseException) -> str:
    return one_line(f"internal error reading {name}: {type(error).__name__}: {error}")
